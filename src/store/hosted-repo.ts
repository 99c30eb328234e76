import type { Kysely, Selectable } from 'kysely';
import { SwitchboardError } from '../shared/index.js';

/** Table shapes for hosted servers, their tools and versions, approval requests and execution logs. */
export interface HostedTables {
  hosted_servers: {
    name: string;
    description: string | null;
    running: number;
    allowed_hosts: string;
    timeout_ms: number | null;
    created_by: string;
    created_at: string;
    updated_at: string;
  };
  hosted_tools: {
    id: string;
    server: string;
    name: string;
    description: string | null;
    status: string;
    version: number;
    code: string;
    input_schema: string;
    submitted_by: string;
    submitted_via: string;
    reviewed_by: string | null;
    reviewed_at: string | null;
    review_reason: string | null;
    publish_requested_at: string | null;
    publish_note: string | null;
    created_by: string;
    created_at: string;
    updated_at: string;
    kind: string;
    external_source_id: string | null;
    external_tool: string | null;
    language: string;
  };
  hosted_tool_versions: {
    tool_id: string;
    version: number;
    code: string;
    description: string | null;
    input_schema: string;
    note: string;
    created_by: string;
    created_at: string;
    language: string;
  };
  hosted_requests: {
    id: string;
    kind: string;
    server: string;
    tool_id: string | null;
    target: string;
    justification: string;
    status: string;
    requested_by: string;
    requested_via: string;
    decided_by: string | null;
    decided_at: string | null;
    reason: string | null;
    created_at: string;
  };
  hosted_executions: {
    id: number | undefined;
    tool_id: string;
    server: string;
    tool: string;
    version: number;
    mode: string;
    at: string | undefined;
    caller: string;
    ok: number;
    duration_ms: number;
    arguments: string;
    result: string | null;
    stdout: string;
    error: string | null;
  };
}

export interface HostedServerRecord {
  name: string;
  description?: string;
  running: boolean;
  /** `host`, `*.domain` or either with `:port`. */
  allowedHosts: string[];
  timeoutMs?: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** Where a change came from: the REST API / CLI / UI, or the MCP management tools. */
export type HostedVia = 'api' | 'mcp';

export interface HostedToolRecord {
  id: string;
  server: string;
  name: string;
  description?: string;
  /** A ToolStatus; the state machine lives in hosted/. */
  status: string;
  /** The current (latest) version number. */
  version: number;
  code: string;
  inputSchema: Record<string, unknown>;
  /** `kind:id` of the principal whose change made the current code, and through which face. */
  submittedBy: string;
  submittedVia: HostedVia;
  review: { by: string; at: string; reason?: string } | null;
  publishRequestedAt?: string;
  publishNote?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** `python` runs `code` in the sandbox; `external` forwards to a tool of an external MCP source (set at creation, never changed). */
  kind: HostedToolKind;
  /** For `external` tools: the source and the tool's name there. */
  external?: { sourceId: string; tool: string };
  /** The language of `code` (python unless set): Pyodide or QuickJS in the sandbox. */
  language: HostedToolLanguage;
}

export type HostedToolKind = 'python' | 'external';
export type HostedToolLanguage = 'python' | 'javascript';
const toLanguage = (v: string): HostedToolLanguage => (v === 'javascript' ? 'javascript' : 'python');

export interface ToolVersionRecord {
  toolId: string;
  version: number;
  code: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  language: HostedToolLanguage;
  /** What made this version: `created`, `updated`, `rolled back to vN`. */
  note: string;
  createdBy: string;
  createdAt: string;
}

export type HostedRequestKind = 'module' | 'network';
export type HostedRequestStatus = 'pending' | 'approved' | 'rejected' | 'revoked';

export interface HostedRequestRecord {
  id: string;
  kind: HostedRequestKind;
  server: string;
  toolId?: string;
  /** The module name, or `host[:port]`. */
  target: string;
  justification: string;
  status: HostedRequestStatus;
  requestedBy: string;
  requestedVia: HostedVia;
  decision: { by: string; at: string; reason?: string } | null;
  createdAt: string;
}

export interface ExecutionRecord {
  id: number;
  toolId: string;
  server: string;
  tool: string;
  version: number;
  mode: 'run' | 'test';
  at: string;
  caller: string;
  ok: boolean;
  durationMs: number;
  /** JSON text, already redacted. */
  arguments: string;
  result?: string;
  stdout: string;
  error?: string;
}

export type NewExecution = Omit<ExecutionRecord, 'id' | 'at'>;
export type ToolPatch = Partial<Omit<HostedToolRecord, 'id' | 'server' | 'createdBy' | 'createdAt' | 'updatedAt' | 'kind' | 'external'>>;
export type ServerPatch = Partial<Pick<HostedServerRecord, 'description' | 'running' | 'allowedHosts' | 'timeoutMs'>>;

/** Queries for hosted servers and tools; the only code that touches these tables. */
export interface HostedRepo {
  loadAll(): Promise<{ servers: HostedServerRecord[]; tools: HostedToolRecord[] }>;
  server(name: string): Promise<HostedServerRecord | undefined>;
  /** Throws SWB_STATE_CONFLICT when the name is taken. */
  insertServer(rec: Omit<HostedServerRecord, 'createdAt' | 'updatedAt'>): Promise<HostedServerRecord>;
  updateServer(name: string, patch: ServerPatch): Promise<HostedServerRecord | undefined>;
  /** Removes the server, its tools, versions and requests. */
  deleteServer(name: string): Promise<boolean>;
  tools(server?: string): Promise<HostedToolRecord[]>;
  tool(id: string): Promise<HostedToolRecord | undefined>;
  /** The tool and its first version, in one transaction. Throws SWB_STATE_CONFLICT on a duplicate name. `kind` defaults to python. */
  createTool(rec: Omit<HostedToolRecord, 'createdAt' | 'updatedAt' | 'kind' | 'language'> & { kind?: HostedToolKind; language?: HostedToolLanguage }, note: string): Promise<HostedToolRecord>;
  /**
   * Update a tool, only if its status is still `expectStatus` (a lost race is SWB_STATE_CONFLICT), and
   * when `note` is given record the new code as a version, in one transaction.
   */
  saveTool(id: string, expectStatus: string, patch: ToolPatch, note?: { note: string; by: string }): Promise<HostedToolRecord>;
  deleteTool(id: string): Promise<boolean>;
  versions(toolId: string): Promise<ToolVersionRecord[]>;
  version(toolId: string, version: number): Promise<ToolVersionRecord | undefined>;
  insertRequest(rec: Omit<HostedRequestRecord, 'decision' | 'createdAt'>): Promise<HostedRequestRecord>;
  request(id: string): Promise<HostedRequestRecord | undefined>;
  requests(filter?: { kind?: HostedRequestKind; status?: HostedRequestStatus; server?: string }): Promise<HostedRequestRecord[]>;
  /** Move a request from `from` to `to`; false when it was not in `from` (decided meanwhile). */
  decideRequest(id: string, from: HostedRequestStatus, to: HostedRequestStatus, decision: { by: string; reason?: string }): Promise<boolean>;
  insertExecution(rec: NewExecution): Promise<void>;
  executions(toolId: string, limit: number): Promise<ExecutionRecord[]>;
  /** Delete execution logs older than the ISO time; returns how many went. */
  pruneExecutions(before: string): Promise<number>;
}

type Db = Kysely<HostedTables>;
const now = () => new Date().toISOString();
const opt = <K extends string, V>(key: K, v: V | null): { [P in K]?: V } => (v === null ? {} : ({ [key]: v } as { [P in K]: V }));

function toServer(r: Selectable<HostedTables['hosted_servers']>): HostedServerRecord {
  return { name: r.name, ...opt('description', r.description), running: r.running === 1, allowedHosts: JSON.parse(r.allowed_hosts) as string[], ...opt('timeoutMs', r.timeout_ms), createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at };
}

function toTool(r: Selectable<HostedTables['hosted_tools']>): HostedToolRecord {
  return {
    id: r.id,
    server: r.server,
    name: r.name,
    ...opt('description', r.description),
    status: r.status,
    version: r.version,
    code: r.code,
    inputSchema: JSON.parse(r.input_schema) as Record<string, unknown>,
    submittedBy: r.submitted_by,
    submittedVia: r.submitted_via as HostedVia,
    review: r.reviewed_at !== null ? { by: r.reviewed_by ?? '', at: r.reviewed_at, ...opt('reason', r.review_reason) } : null,
    ...opt('publishRequestedAt', r.publish_requested_at),
    ...opt('publishNote', r.publish_note),
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    kind: r.kind === 'external' ? 'external' : 'python',
    ...(r.external_source_id !== null && r.external_tool !== null ? { external: { sourceId: r.external_source_id, tool: r.external_tool } } : {}),
    language: toLanguage(r.language),
  };
}

function toVersion(r: Selectable<HostedTables['hosted_tool_versions']>): ToolVersionRecord {
  return { toolId: r.tool_id, version: r.version, code: r.code, ...opt('description', r.description), inputSchema: JSON.parse(r.input_schema) as Record<string, unknown>, language: toLanguage(r.language), note: r.note, createdBy: r.created_by, createdAt: r.created_at };
}

function toRequest(r: Selectable<HostedTables['hosted_requests']>): HostedRequestRecord {
  return {
    id: r.id,
    kind: r.kind as HostedRequestKind,
    server: r.server,
    ...opt('toolId', r.tool_id),
    target: r.target,
    justification: r.justification,
    status: r.status as HostedRequestStatus,
    requestedBy: r.requested_by,
    requestedVia: r.requested_via as HostedVia,
    decision: r.decided_at !== null ? { by: r.decided_by ?? '', at: r.decided_at, ...opt('reason', r.reason) } : null,
    createdAt: r.created_at,
  };
}

function toExecution(r: Selectable<HostedTables['hosted_executions']>): ExecutionRecord {
  return {
    id: r.id!,
    toolId: r.tool_id,
    server: r.server,
    tool: r.tool,
    version: r.version,
    mode: r.mode as 'run' | 'test',
    at: r.at!,
    caller: r.caller,
    ok: r.ok === 1,
    durationMs: r.duration_ms,
    arguments: r.arguments,
    ...opt('result', r.result),
    stdout: r.stdout,
    ...opt('error', r.error),
  };
}

function toolRow(t: ToolPatch): Partial<HostedTables['hosted_tools']> {
  const row: Partial<HostedTables['hosted_tools']> = {};
  if (t.name !== undefined) row.name = t.name;
  if ('description' in t) row.description = t.description ?? null;
  if (t.status !== undefined) row.status = t.status;
  if (t.version !== undefined) row.version = t.version;
  if (t.code !== undefined) row.code = t.code;
  if (t.inputSchema !== undefined) row.input_schema = JSON.stringify(t.inputSchema);
  if (t.language !== undefined) row.language = t.language;
  if (t.submittedBy !== undefined) row.submitted_by = t.submittedBy;
  if (t.submittedVia !== undefined) row.submitted_via = t.submittedVia;
  if ('review' in t) {
    row.reviewed_by = t.review?.by ?? null;
    row.reviewed_at = t.review?.at ?? null;
    row.review_reason = t.review?.reason ?? null;
  }
  if ('publishRequestedAt' in t) row.publish_requested_at = t.publishRequestedAt ?? null;
  if ('publishNote' in t) row.publish_note = t.publishNote ?? null;
  return row;
}

function isUniqueViolation(err: unknown): boolean {
  return /^SQLITE_CONSTRAINT/.test(String((err as { code?: unknown }).code ?? ''));
}

export function createHostedRepo(db: Db): HostedRepo {
  const getTool = async (q: Db, id: string) => {
    const r = await q.selectFrom('hosted_tools').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toTool(r) : undefined;
  };
  return {
    async loadAll() {
      return db.transaction().execute(async (tx) => ({
        servers: (await tx.selectFrom('hosted_servers').selectAll().orderBy('created_at').orderBy('name').execute()).map(toServer),
        tools: (await tx.selectFrom('hosted_tools').selectAll().orderBy('created_at').orderBy('name').execute()).map(toTool),
      }));
    },
    async server(name) {
      const r = await db.selectFrom('hosted_servers').selectAll().where('name', '=', name).executeTakeFirst();
      return r ? toServer(r) : undefined;
    },
    async insertServer(rec) {
      const at = now();
      try {
        await db
          .insertInto('hosted_servers')
          .values({ name: rec.name, description: rec.description ?? null, running: rec.running ? 1 : 0, allowed_hosts: JSON.stringify(rec.allowedHosts), timeout_ms: rec.timeoutMs ?? null, created_by: rec.createdBy, created_at: at, updated_at: at })
          .execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new SwitchboardError('SWB_STATE_CONFLICT', `A hosted server named '${rec.name}' already exists`, { name: rec.name });
        throw err;
      }
      return { ...rec, createdAt: at, updatedAt: at };
    },
    async updateServer(name, patch) {
      const row: Partial<HostedTables['hosted_servers']> = { updated_at: now() };
      if ('description' in patch) row.description = patch.description ?? null;
      if (patch.running !== undefined) row.running = patch.running ? 1 : 0;
      if (patch.allowedHosts !== undefined) row.allowed_hosts = JSON.stringify(patch.allowedHosts);
      if ('timeoutMs' in patch) row.timeout_ms = patch.timeoutMs ?? null;
      await db.updateTable('hosted_servers').set(row).where('name', '=', name).execute();
      return this.server(name);
    },
    async deleteServer(name) {
      return db.transaction().execute(async (tx) => {
        await tx.deleteFrom('hosted_requests').where('server', '=', name).execute();
        // Versions go with their tools (ON DELETE CASCADE), tools with their server.
        const r = await tx.deleteFrom('hosted_servers').where('name', '=', name).executeTakeFirst();
        return Number(r.numDeletedRows) > 0;
      });
    },
    async tools(server) {
      let q = db.selectFrom('hosted_tools').selectAll();
      if (server !== undefined) q = q.where('server', '=', server);
      return (await q.orderBy('created_at').orderBy('name').execute()).map(toTool);
    },
    tool: (id) => getTool(db, id),
    async createTool(rec, note) {
      const at = now();
      try {
        await db.transaction().execute(async (tx) => {
          await tx
            .insertInto('hosted_tools')
            .values({ id: rec.id, server: rec.server, created_by: rec.createdBy, created_at: at, updated_at: at, name: rec.name, status: rec.status, version: rec.version, code: rec.code, input_schema: JSON.stringify(rec.inputSchema), submitted_by: rec.submittedBy, submitted_via: rec.submittedVia, description: rec.description ?? null, reviewed_by: null, reviewed_at: null, review_reason: null, publish_requested_at: null, publish_note: null, kind: rec.kind ?? 'python', external_source_id: rec.external?.sourceId ?? null, external_tool: rec.external?.tool ?? null, language: rec.language ?? 'python' })
            .execute();
          await tx
            .insertInto('hosted_tool_versions')
            .values({ tool_id: rec.id, version: rec.version, code: rec.code, description: rec.description ?? null, input_schema: JSON.stringify(rec.inputSchema), language: rec.language ?? 'python', note, created_by: rec.createdBy, created_at: at })
            .execute();
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new SwitchboardError('SWB_STATE_CONFLICT', `Hosted server '${rec.server}' already has a tool named '${rec.name}'`, { server: rec.server, name: rec.name });
        throw err;
      }
      return (await getTool(db, rec.id))!;
    },
    async saveTool(id, expectStatus, patch, note) {
      try {
        return await db.transaction().execute(async (tx) => {
          const at = now();
          const r = await tx.updateTable('hosted_tools').set({ ...toolRow(patch), updated_at: at }).where('id', '=', id).where('status', '=', expectStatus).executeTakeFirst();
          if (Number(r.numUpdatedRows) === 0) throw new SwitchboardError('SWB_STATE_CONFLICT', 'The tool changed meanwhile; read it again and retry', { id });
          const saved = (await getTool(tx, id))!;
          if (note) {
            await tx
              .insertInto('hosted_tool_versions')
              .values({ tool_id: id, version: saved.version, code: saved.code, description: saved.description ?? null, input_schema: JSON.stringify(saved.inputSchema), language: saved.language, note: note.note, created_by: note.by, created_at: at })
              .execute();
          }
          return saved;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new SwitchboardError('SWB_STATE_CONFLICT', 'Another tool of this server has that name', { id });
        throw err;
      }
    },
    async deleteTool(id) {
      const r = await db.deleteFrom('hosted_tools').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async versions(toolId) {
      return (await db.selectFrom('hosted_tool_versions').selectAll().where('tool_id', '=', toolId).orderBy('version', 'desc').execute()).map(toVersion);
    },
    async version(toolId, version) {
      const r = await db.selectFrom('hosted_tool_versions').selectAll().where('tool_id', '=', toolId).where('version', '=', version).executeTakeFirst();
      return r ? toVersion(r) : undefined;
    },
    async insertRequest(rec) {
      const at = now();
      await db
        .insertInto('hosted_requests')
        .values({ id: rec.id, kind: rec.kind, server: rec.server, tool_id: rec.toolId ?? null, target: rec.target, justification: rec.justification, status: rec.status, requested_by: rec.requestedBy, requested_via: rec.requestedVia, decided_by: null, decided_at: null, reason: null, created_at: at })
        .execute();
      return { ...rec, decision: null, createdAt: at };
    },
    async request(id) {
      const r = await db.selectFrom('hosted_requests').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRequest(r) : undefined;
    },
    async requests(filter = {}) {
      let q = db.selectFrom('hosted_requests').selectAll();
      if (filter.kind) q = q.where('kind', '=', filter.kind);
      if (filter.status) q = q.where('status', '=', filter.status);
      if (filter.server) q = q.where('server', '=', filter.server);
      return (await q.orderBy('created_at', 'desc').execute()).map(toRequest);
    },
    async decideRequest(id, from, to, decision) {
      const r = await db
        .updateTable('hosted_requests')
        .set({ status: to, decided_by: decision.by, decided_at: now(), reason: decision.reason ?? null })
        .where('id', '=', id)
        .where('status', '=', from)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async insertExecution(rec) {
      await db
        .insertInto('hosted_executions')
        .values({ id: undefined, at: undefined, tool_id: rec.toolId, server: rec.server, tool: rec.tool, version: rec.version, mode: rec.mode, caller: rec.caller, ok: rec.ok ? 1 : 0, duration_ms: Math.round(rec.durationMs), arguments: rec.arguments, result: rec.result ?? null, stdout: rec.stdout, error: rec.error ?? null })
        .execute();
    },
    async executions(toolId, limit) {
      return (await db.selectFrom('hosted_executions').selectAll().where('tool_id', '=', toolId).orderBy('id', 'desc').limit(limit).execute()).map(toExecution);
    },
    async pruneExecutions(before) {
      const r = await db.deleteFrom('hosted_executions').where('at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
