import { randomUUID } from 'node:crypto';
import { transition } from '../hosted/index.js';
import { SwitchboardError, type RawItem } from '../shared/index.js';
import type { ExternalSourceRecord, HostedToolRecord } from '../store/index.js';
import type { ApprovalsService } from './approvals-service.js';
import { checkSourceUrl, parseSourceUrl } from './external-connector.js';
import type { ExternalImportInput, ExternalSourceCreate, ExternalSourcePatch } from './external-sources-inputs.js';
import { actorKey, requireEditing, requireHostedScope, type HostedActor, type HostedCore, type HostedToolView } from './hosted-core.js';

/** An external source as every face shows it (header values as written: secrets stay references). */
export interface ExternalSourceView {
  id: string;
  server: string;
  name: string;
  description: string | null;
  transport: 'streamable-http' | 'sse';
  url: string;
  headers: Record<string, string>;
  timeout_ms: number | null;
  /** Hosted tools that forward to this source. */
  imported_tools: number;
  last_discovered_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** One tool the source offers, and whether the hosted server already has it. */
export interface DiscoveredTool {
  name: string;
  title: string | null;
  description: string | null;
  input_schema: Record<string, unknown>;
  imported: boolean;
  /** The hosted tool that forwards to it, when imported. */
  tool_id: string | null;
  status: string | null;
  /** Imported and its saved description and schema equal the source's current ones. */
  up_to_date: boolean | null;
}

export interface DiscoveryView {
  source_id: string;
  server: string;
  server_info: { name: string | null; version: string | null };
  tools: DiscoveredTool[];
}

export interface ImportedTool {
  source_tool: string;
  action: 'created' | 'updated' | 'unchanged';
  tool: HostedToolView;
}

export interface ImportView {
  source_id: string;
  server: string;
  items: ImportedTool[];
}

/**
 * External MCP sources of hosted servers (MCPBox's "external sources"): an upstream MCP server over
 * Streamable HTTP or SSE attached to a hosted server, whose tools are discovered and imported. An
 * imported tool is a hosted tool of kind `external`: versioned and reviewed like a Python tool, and
 * once approved on a running server its calls are forwarded to the source from the host, under the
 * server's egress rule, with the result passed through.
 */
export interface ExternalSourcesService {
  list(server: string | undefined, who: HostedActor): Promise<ExternalSourceView[]>;
  get(id: string, who: HostedActor): Promise<ExternalSourceView>;
  create(input: ExternalSourceCreate, who: HostedActor): Promise<ExternalSourceView>;
  update(id: string, patch: ExternalSourcePatch, who: HostedActor): Promise<ExternalSourceView>;
  /** Refused while hosted tools forward to it. */
  delete(id: string, who: HostedActor): Promise<void>;
  /** Connect, list the source's tools, close. */
  discover(id: string, who: HostedActor): Promise<DiscoveryView>;
  /**
   * Import (or refresh) tools: all named tools must exist on the source, or nothing changes. Through
   * MCP an import is a draft; through the REST API, CLI or UI it is submitted for review at once.
   */
  import(id: string, input: ExternalImportInput, who: HostedActor): Promise<ImportView>;
}

/** Header names whose values must come from secrets, and names the transport sets itself. */
const CREDENTIAL_HEADER = /auth|token|key|secret|cookie|password|session/i;
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'accept', 'connection', 'transfer-encoding', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id']);
const SECRET_REF = /\$\{secret:([^}]*)\}/g;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

function invalid(path: string, message: string): SwitchboardError {
  return new SwitchboardError('SWB_VALIDATION_FAILED', `${path}: ${message}`, { issues: [{ path, message }] });
}

function checkHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (RESERVED_HEADERS.has(key)) throw invalid(`headers.${name}`, 'set by the MCP transport itself');
    if (/[\r\n]/.test(value)) throw invalid(`headers.${name}`, 'line breaks are not allowed');
    const refs = [...value.matchAll(SECRET_REF)].map((m) => m[1]!);
    const bad = refs.find((r) => !SECRET_NAME.test(r));
    if (bad !== undefined) throw invalid(`headers.${name}`, `'\${secret:${bad.slice(0, 140)}}' is not a valid secret name`);
    if (CREDENTIAL_HEADER.test(key) && !refs.length) throw invalid(`headers.${name}`, 'a credential must be a ${secret:NAME} reference to a secret of the hosted server, not a literal value');
    out[name] = value;
  }
  return out;
}

/** A remote tool name as a hosted tool name: invalid characters become `_`, a leading letter is ensured. */
function localName(remote: string): string {
  let n = remote.replace(/[^A-Za-z0-9_-]/g, '_');
  if (!/^[A-Za-z]/.test(n)) n = `t_${n}`;
  return n.slice(0, 64);
}

/** What an imported tool's "code" is: a readable record of where calls go, so version diffs show a change of target. */
function descriptor(source: ExternalSourceRecord, tool: string): string {
  return [
    '# Imported from an external MCP source: calls are forwarded to it from the gateway host',
    '# (nothing runs in the sandbox).',
    `# source: ${source.id}`,
    `# transport: ${source.transport}`,
    `# url: ${source.url}`,
    `# headers: ${Object.keys(source.headers).sort().join(', ') || '(none)'}`,
    `# tool: ${tool}`,
    '',
  ].join('\n');
}

function schemaOf(t: RawItem): Record<string, unknown> {
  const s = t['inputSchema'];
  return s && typeof s === 'object' && !Array.isArray(s) && (s as RawItem)['type'] === 'object' ? (s as Record<string, unknown>) : { type: 'object', properties: {} };
}

function descriptionOf(t: RawItem): string | undefined {
  const d = t['description'];
  return typeof d === 'string' && d.trim() ? d.slice(0, 2000) : undefined;
}

export function createExternalSourcesService(core: HostedCore, approvals: ApprovalsService): ExternalSourcesService {
  const repo = core.deps.store.externalSources;
  const hosted = core.deps.store.hosted;
  const read = (who: HostedActor) => requireHostedScope(who.actor, 'read');

  async function source(id: string): Promise<ExternalSourceRecord> {
    const s = await repo.get(id);
    if (!s) throw new SwitchboardError('SWB_EXTERNAL_SOURCE_NOT_FOUND', `No external source with id '${id.slice(0, 64)}'`, { id });
    return s;
  }

  const linked = (tools: readonly HostedToolRecord[], id: string) => tools.filter((t) => t.kind === 'external' && t.external?.sourceId === id);

  function view(s: ExternalSourceRecord, tools: readonly HostedToolRecord[]): ExternalSourceView {
    return {
      id: s.id,
      server: s.server,
      name: s.name,
      description: s.description ?? null,
      transport: s.transport,
      url: s.url,
      headers: s.headers,
      timeout_ms: s.timeoutMs ?? null,
      imported_tools: linked(tools, s.id).length,
      last_discovered_at: s.lastDiscoveredAt ?? null,
      created_by: s.createdBy,
      created_at: s.createdAt,
      updated_at: s.updatedAt,
    };
  }

  /** The URL parses and passes the server's egress rule as far as it can be checked without DNS. */
  async function checkUrl(text: string, server: string): Promise<string> {
    const url = parseSourceUrl(text);
    await checkSourceUrl(url, core.egress(await core.server(server)), undefined);
    return url.href;
  }

  async function listRemote(s: ExternalSourceRecord): Promise<{ tools: RawItem[]; info: RawItem | undefined }> {
    const server = await core.server(s.server);
    return core.external.session(s, core.egress(server), core.secretsOf(s.server), async (session) => ({ tools: await session.listTools(), info: session.serverInfo }), server.timeoutMs);
  }

  /** Save a new version of an imported tool (a changed definition or target), moving its status by `edit`. */
  async function resave(t: HostedToolRecord, code: string, remote: RawItem | undefined, note: string, who: HostedActor): Promise<HostedToolRecord> {
    const status = transition(t.status, 'edit');
    const saved = await hosted.saveTool(
      t.id,
      t.status,
      { code, ...(remote ? { inputSchema: schemaOf(remote), description: descriptionOf(remote) } : {}), status, version: t.version + 1, submittedBy: actorKey(who.actor), submittedVia: who.via, ...(status !== 'approved' && t.status === 'approved' ? { review: null } : {}) },
      { note, by: who.actor.name },
    );
    core.announce(who.actor, 'hosted.tools.edit', `${t.server}/${t.name}`, { status: t.status, version: t.version }, { status: saved.status, version: saved.version });
    return saved;
  }

  return {
    async list(server, who) {
      read(who);
      if (server !== undefined) await core.server(server);
      const tools = await hosted.tools(server);
      return (await repo.list(server)).map((s) => view(s, tools));
    },
    async get(id, who) {
      read(who);
      const s = await source(id);
      return view(s, await hosted.tools(s.server));
    },
    async create(input, who) {
      requireEditing(core, who);
      await core.server(input.server);
      const url = await checkUrl(input.url, input.server);
      const headers = checkHeaders(input.headers ?? {});
      const rec = await repo.insert({
        id: randomUUID(),
        server: input.server,
        name: input.name,
        transport: input.transport ?? 'streamable-http',
        url,
        headers,
        createdBy: who.actor.name,
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.timeout_ms !== undefined ? { timeoutMs: input.timeout_ms } : {}),
      });
      core.announce(who.actor, 'hosted.external_sources.create', `${rec.server}/${rec.name}`, undefined, { id: rec.id, url: rec.url, transport: rec.transport, headers: Object.keys(headers), via: who.via });
      await core.refresh();
      return view(rec, []);
    },
    async update(id, patch, who) {
      requireEditing(core, who);
      const before = await source(id);
      const url = patch.url !== undefined ? await checkUrl(patch.url, before.server) : undefined;
      const headers = patch.headers !== undefined ? checkHeaders(patch.headers) : undefined;
      const after = (await repo.update(id, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description ?? undefined } : {}),
        ...(url !== undefined ? { url } : {}),
        ...(patch.transport !== undefined ? { transport: patch.transport } : {}),
        ...(headers !== undefined ? { headers } : {}),
        ...(patch.timeout_ms !== undefined ? { timeoutMs: patch.timeout_ms ?? undefined } : {}),
      }))!;
      core.announce(who.actor, 'hosted.external_sources.update', `${after.server}/${after.name}`, { url: before.url, transport: before.transport, headers: Object.keys(before.headers) }, { url: after.url, transport: after.transport, headers: Object.keys(after.headers) });
      // A new target is new code: imported tools get a new version and, if approved, go back to review.
      const tools = await hosted.tools(after.server);
      for (const t of linked(tools, id)) {
        const code = descriptor(after, t.external!.tool);
        if (code !== t.code) await resave(t, code, undefined, 'external source changed', who);
      }
      await core.refresh();
      return view(after, await hosted.tools(after.server));
    },
    async delete(id, who) {
      requireEditing(core, who);
      const s = await source(id);
      const users = linked(await hosted.tools(s.server), id);
      if (users.length) throw new SwitchboardError('SWB_STATE_CONFLICT', `Hosted tools still forward to external source '${s.name}': ${users.map((t) => t.name).join(', ')}; delete them first`, { id, tools: users.map((t) => t.id) });
      await repo.delete(id);
      core.announce(who.actor, 'hosted.external_sources.delete', `${s.server}/${s.name}`, { id, url: s.url });
      await core.refresh();
    },
    async discover(id, who) {
      requireHostedScope(who.actor, 'write');
      const s = await source(id);
      const { tools: remote, info } = await listRemote(s);
      await repo.update(id, { lastDiscoveredAt: new Date().toISOString() });
      const mine = linked(await hosted.tools(s.server), id);
      return {
        source_id: id,
        server: s.server,
        server_info: { name: typeof info?.['name'] === 'string' ? info['name'] : null, version: typeof info?.['version'] === 'string' ? info['version'] : null },
        tools: remote
          .filter((t) => typeof t['name'] === 'string')
          .map((t) => {
            const name = t['name'] as string;
            const have = mine.find((m) => m.external!.tool === name);
            return {
              name,
              title: typeof t['title'] === 'string' ? t['title'] : null,
              description: descriptionOf(t) ?? null,
              input_schema: schemaOf(t),
              imported: !!have,
              tool_id: have?.id ?? null,
              status: have?.status ?? null,
              up_to_date: have ? JSON.stringify(have.inputSchema) === JSON.stringify(schemaOf(t)) && (have.description ?? undefined) === descriptionOf(t) && have.code === descriptor(s, name) : null,
            };
          }),
      };
    },
    async import(id, input, who) {
      requireEditing(core, who);
      const s = await source(id);
      const wanted = new Map<string, string | undefined>();
      for (const item of input.tools) {
        const [name, as] = typeof item === 'string' ? [item, undefined] : [item.name, item.as];
        if (wanted.has(name)) throw invalid('tools', `'${name.slice(0, 128)}' is listed twice`);
        wanted.set(name, as);
      }
      const { tools: remote } = await listRemote(s);
      const byName = new Map(remote.filter((t) => typeof t['name'] === 'string').map((t) => [t['name'] as string, t]));
      const unknown = [...wanted.keys()].filter((n) => !byName.has(n));
      if (unknown.length) throw new SwitchboardError('SWB_TOOL_NOT_FOUND', `External source '${s.name}' has no tool named ${unknown.map((n) => `'${n.slice(0, 128)}'`).join(', ')}; discover lists its tools`, { source: id, names: unknown });
      // Everything is checked before anything is written: a bad name or a clash changes nothing.
      const existing = await hosted.tools(s.server);
      const mine = linked(existing, id);
      const plan: { remote: string; local: string; have: HostedToolRecord | undefined }[] = [];
      for (const [name, as] of wanted) {
        const have = mine.find((t) => t.external!.tool === name);
        const local = have?.name ?? as ?? localName(name);
        if (!have) {
          if (existing.some((t) => t.name === local) || plan.some((p) => p.local === local)) throw new SwitchboardError('SWB_STATE_CONFLICT', `Hosted server '${s.server}' already has a tool named '${local}'; import it under another name ({"name": "${name}", "as": "..."})`, { server: s.server, name: local });
        }
        plan.push({ remote: name, local, have });
      }
      const items: ImportedTool[] = [];
      for (const p of plan) {
        const t = byName.get(p.remote)!;
        const code = descriptor(s, p.remote);
        const schema = schemaOf(t);
        const description = descriptionOf(t);
        let rec: HostedToolRecord;
        let action: ImportedTool['action'];
        if (p.have) {
          const same = p.have.code === code && JSON.stringify(p.have.inputSchema) === JSON.stringify(schema) && (p.have.description ?? undefined) === description;
          rec = same ? p.have : await resave(p.have, code, t, `re-imported from external source '${s.name}'`, who);
          action = same ? 'unchanged' : 'updated';
        } else {
          rec = await hosted.createTool(
            { id: randomUUID(), server: s.server, name: p.local, status: 'draft', version: 1, code, inputSchema: schema, submittedBy: actorKey(who.actor), submittedVia: who.via, review: null, createdBy: who.actor.name, kind: 'external', external: { sourceId: id, tool: p.remote }, ...(description ? { description } : {}) },
            `imported from external source '${s.name}'`,
          );
          core.announce(who.actor, 'hosted.tools.import', `${s.server}/${p.local}`, undefined, { id: rec.id, source: id, source_tool: p.remote, status: rec.status, via: who.via });
          action = 'created';
        }
        // Through the REST API (an admin's own action) an import goes straight to review.
        if (who.via === 'api' && action !== 'unchanged' && (rec.status === 'draft' || rec.status === 'rejected' || rec.status === 'revoked')) {
          await approvals.requestPublish(rec.id, `imported from external source '${s.name}'`, who);
          rec = (await hosted.tool(rec.id))!;
        }
        items.push({ source_tool: p.remote, action, tool: core.toolView(rec) });
      }
      await core.refresh();
      // Views again after the refresh: `listed` and the source name are current.
      const fresh = await hosted.tools(s.server);
      return { source_id: id, server: s.server, items: items.map((i) => ({ ...i, tool: core.toolView(fresh.find((t) => t.id === i.tool.id)!) })) };
    },
  };
}
