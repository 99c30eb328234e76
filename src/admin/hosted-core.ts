import { createHostedRuntime, createSandbox, DEFAULT_ALLOWED_MODULES, isAlwaysForbidden, type AllowedHost, type HostedRuntime, type RunnableTool, type Sandbox, type ToolStatus } from '../hosted/index.js';
import { hasScope, SwitchboardError, type Principal, type Scope } from '../shared/index.js';
import type { ExecutionRecord, HostedRequestRecord, HostedRequestStatus, HostedServerRecord, HostedToolKind, HostedToolLanguage, HostedToolRecord, HostedVia } from '../store/index.js';
import type { AdminDeps } from './admin.js';
import { parseAllowedHost } from './allowed-hosts.js';
import { createExternalConnector, type ExternalConnector, type SourceEgress } from './external-connector.js';
import type { InProcessSources } from './in-process-sources.js';
import type { SecretsService } from './secrets-service.js';
import type { ServersService } from './servers-service.js';
import type { SettingsService } from './settings-service.js';

/** Who acts, and through which face: the MCP management tools are held to the security policy. */
export interface HostedActor {
  actor: Principal;
  via: HostedVia;
}

/** A hosted server as every face shows it. */
export interface HostedServerView {
  name: string;
  description: string | null;
  running: boolean;
  allowed_hosts: string[];
  timeout_ms: number | null;
  tools: { total: number; approved: number; listed: number };
  /** Why its tools are not in the catalogue although it runs (e.g. an upstream server has the name). */
  problem: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** A hosted tool; `code` only where one tool is shown. */
export interface HostedToolView {
  id: string;
  server: string;
  name: string;
  description: string | null;
  status: ToolStatus;
  version: number;
  input_schema: Record<string, unknown>;
  code?: string;
  /** The language of `code`: `python` (default) or `javascript`. */
  language: HostedToolLanguage;
  /** `python`: runs in the sandbox; `external`: imported, forwards to a tool of an external MCP source. */
  kind: HostedToolKind;
  /** For imported tools: the source (id and name) and the tool's name there. */
  external: { source_id: string; source: string | null; tool: string } | null;
  /** Approved and its server runs: MCP clients (the gate permitting) see it. */
  listed: boolean;
  submitted_by: string;
  submitted_via: HostedVia;
  review: { by: string; at: string; reason: string | null } | null;
  publish_requested_at: string | null;
  publish_note: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface HostedRequestView {
  id: string;
  kind: 'module' | 'network';
  server: string;
  tool_id: string | null;
  target: string;
  justification: string;
  status: HostedRequestStatus;
  requested_by: string;
  requested_via: HostedVia;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  created_at: string;
}

export interface ExecutionView {
  id: number;
  at: string;
  tool: string;
  version: number;
  mode: 'run' | 'test';
  caller: string;
  ok: boolean;
  duration_ms: number;
  arguments: string;
  result: string | null;
  stdout: string;
  error: string | null;
}

/** The state hosted-service and approvals-service share. */
export interface HostedCore {
  readonly deps: AdminDeps;
  readonly settings: SettingsService;
  readonly secrets: SecretsService;
  readonly servers: ServersService;
  readonly sources: InProcessSources;
  readonly sandbox: Sandbox;
  readonly runtime: HostedRuntime;
  /** Sessions with the external MCP sources of hosted servers. */
  readonly external: ExternalConnector;
  /** What a server may reach: its allowed hosts and approved network requests, and the public policy. */
  egress(server: HostedServerRecord): SourceEgress;
  /** A server's secrets in clear (from the in-memory vault). */
  secretsOf(server: string): Record<string, string>;
  /** Resolves once the stored state is loaded and running servers are published. */
  readonly ready: Promise<void>;
  /** Re-read the store and publish what runs: after every change. */
  refresh(): Promise<void>;
  server(name: string): Promise<HostedServerRecord>;
  tool(id: string): Promise<HostedToolRecord>;
  serverView(rec: HostedServerRecord, tools: readonly HostedToolRecord[]): HostedServerView;
  toolView(rec: HostedToolRecord, withCode?: boolean): HostedToolView;
  /** The module whitelist in force: defaults plus the admin's additions. */
  allowedModules(): string[];
  announce(actor: Principal, action: string, target: string, before?: unknown, after?: unknown): void;
  close(): Promise<void>;
}

/** The stable key of a principal, to compare who submitted and who approves. */
export const actorKey = (p: Principal) => `${p.kind}:${p.id}`;

export function requireHostedScope(actor: Principal, scope: Scope): void {
  if (!hasScope(actor, scope)) throw new SwitchboardError('SWB_AUTH_FORBIDDEN', `This needs the '${scope}' scope`, { required: scope });
}

/** Changes through the MCP management tools need `remote_tool_editing`. */
export function requireEditing(core: HostedCore, who: HostedActor): void {
  requireHostedScope(who.actor, 'write');
  if (who.via === 'mcp' && !core.settings.get().remote_tool_editing) {
    throw new SwitchboardError('SWB_HOSTED_FORBIDDEN', 'Creating and editing hosted servers and tools through MCP is off (security policy remote_tool_editing); an admin can turn it on', { setting: 'remote_tool_editing' });
  }
}

/** Whether a module (or a parent package of it) is on the list. */
export function moduleAllowed(list: readonly string[], name: string): boolean {
  const parts = name.split('.');
  return parts.some((_, i) => list.includes(parts.slice(0, i + 1).join('.')));
}

/** Stored allowed-host entries as the egress policy reads them. */
export function parsedHosts(list: readonly string[]): AllowedHost[] {
  return list.flatMap((h) => {
    const p = parseAllowedHost(h);
    return typeof p === 'string' ? [] : [p];
  });
}

export function requestView(r: HostedRequestRecord): HostedRequestView {
  return {
    id: r.id,
    kind: r.kind,
    server: r.server,
    tool_id: r.toolId ?? null,
    target: r.target,
    justification: r.justification,
    status: r.status,
    requested_by: r.requestedBy,
    requested_via: r.requestedVia,
    decided_by: r.decision?.by ?? null,
    decided_at: r.decision?.at ?? null,
    reason: r.decision?.reason ?? null,
    created_at: r.createdAt,
  };
}

export function executionView(e: ExecutionRecord): ExecutionView {
  return { id: e.id, at: e.at, tool: e.tool, version: e.version, mode: e.mode, caller: e.caller, ok: e.ok, duration_ms: e.durationMs, arguments: e.arguments, result: e.result ?? null, stdout: e.stdout, error: e.error ?? null };
}

const RETENTION_SWEEP_MS = 6 * 60 * 60_000;

export function createHostedCore(deps: AdminDeps, parts: { settings: SettingsService; secrets: SecretsService; servers: ServersService; sources: InProcessSources; sandbox?: Sandbox }): HostedCore {
  const repo = deps.store.hosted;
  const { settings, secrets, servers, sources } = parts;
  const sandbox = parts.sandbox ?? createSandbox();
  let approvedHosts = new Map<string, AllowedHost[]>();
  let running = new Set<string>();
  let writes: Promise<unknown> = Promise.resolve();
  let closed = false;

  const external = createExternalConnector();
  const secretsOf = (server: string) => {
    const out: Record<string, string> = {};
    for (const meta of secrets.vault.list(server)) {
      const value = secrets.vault.reveal(server, meta.name);
      if (value !== undefined) out[meta.name] = value;
    }
    return out;
  };
  const allowedModules = () => [...new Set([...DEFAULT_ALLOWED_MODULES, ...settings.get().allowed_modules_extra])].filter((m) => !isAlwaysForbidden(m));

  const runtime = createHostedRuntime({
    sandbox,
    secrets: secretsOf,
    callExternal: (call, args, signal) => external.call(call, args, signal),
    allowedModules,
    allowPublic: () => settings.get().network_access_policy === 'public',
    approvedHosts: (server) => approvedHosts.get(server) ?? [],
    redact: () => settings.get().redact_secrets_in_output,
    requireAllLayers: () => settings.get().hosted_require_all_layers,
    record: (exec) => {
      if (closed) return;
      writes = writes.then(() => repo.insertExecution(exec)).catch((err: unknown) => deps.logger.warn({ err: (err as Error).message }, 'writing a hosted execution log failed'));
    },
  });

  const runnable = (t: HostedToolRecord): RunnableTool => ({ id: t.id, name: t.name, version: t.version, code: t.code, language: t.language, ...(t.description ? { description: t.description } : {}), inputSchema: t.inputSchema, ...(t.kind === 'external' && t.external ? { external: t.external } : {}) });

  async function refresh(): Promise<void> {
    const { servers: list, tools } = await repo.loadAll();
    external.sync(await deps.store.externalSources.list());
    const approved = await repo.requests({ kind: 'network', status: 'approved' });
    const hosts = new Map<string, AllowedHost[]>();
    for (const r of approved) hosts.set(r.server, [...(hosts.get(r.server) ?? []), ...parsedHosts([r.target])]);
    approvedHosts = hosts;
    const now = new Set<string>();
    for (const s of list) {
      if (!s.running) continue;
      now.add(s.name);
      const published = tools.filter((t) => t.server === s.name && t.status === 'approved').map(runnable);
      const sandboxed = published.filter((t) => !t.external);
      runtime.setServer({ name: s.name, allowedHosts: parsedHosts(s.allowedHosts), tools: published, ...(s.timeoutMs !== undefined ? { timeoutMs: s.timeoutMs } : {}) });
      sources.set(s.name, runtime.listing(s.name)!, (tool, args, ctx) => runtime.call(s.name, tool, args, { caller: ctx.caller?.name ?? 'unknown', ...(ctx.signal ? { signal: ctx.signal } : {}) }));
      // A running server with tools warms the sandbox pool in the background.
      if (sandboxed.length && !closed) {
        void sandbox
          .start()
          // A gateway closed while the pool was still starting must not leave processes behind.
          .then(() => (closed ? sandbox.close() : undefined))
          .catch((err: unknown) => deps.logger.warn({ err: (err as Error).message }, 'the sandbox did not start'));
      }
    }
    for (const name of running) {
      if (now.has(name)) continue;
      runtime.removeServer(name);
      sources.remove(name);
      external.closeServer(name);
    }
    running = now;
  }

  async function prune(): Promise<void> {
    const days = settings.get().log_retention_days;
    if (!days || closed) return;
    await repo.pruneExecutions(new Date(Date.now() - days * 86_400_000).toISOString());
  }
  const ready = Promise.all([secrets.ready, settings.ready])
    .then(refresh)
    .then(prune)
    .catch((err: unknown) => deps.logger.warn({ err: (err as Error).message }, 'loading hosted servers failed'));
  const sweep = setInterval(() => void prune().catch(() => undefined), RETENTION_SWEEP_MS);
  sweep.unref();

  return {
    deps,
    settings,
    secrets,
    servers,
    sources,
    sandbox,
    runtime,
    external,
    egress: (s) => ({ allowedHosts: [...parsedHosts(s.allowedHosts), ...(approvedHosts.get(s.name) ?? [])], allowPublic: settings.get().network_access_policy === 'public' }),
    secretsOf,
    ready,
    refresh,
    async server(name) {
      const s = await repo.server(name);
      if (!s) throw new SwitchboardError('SWB_SERVER_NOT_FOUND', `No hosted server named '${name}'`, { name });
      return s;
    },
    async tool(id) {
      const t = await repo.tool(id);
      if (!t) throw new SwitchboardError('SWB_ITEM_NOT_FOUND', `No hosted tool with id '${id}'`, { id });
      return t;
    },
    serverView(s, tools) {
      const mine = tools.filter((t) => t.server === s.name);
      const approved = mine.filter((t) => t.status === 'approved').length;
      const shadowed = s.running && sources.shadowed(s.name);
      return {
        name: s.name,
        description: s.description ?? null,
        running: s.running,
        allowed_hosts: s.allowedHosts,
        timeout_ms: s.timeoutMs ?? null,
        tools: { total: mine.length, approved, listed: s.running && !shadowed ? approved : 0 },
        problem: shadowed ? `an upstream server is also named '${s.name}': its tools are listed instead; rename one of them` : null,
        created_by: s.createdBy,
        created_at: s.createdAt,
        updated_at: s.updatedAt,
      };
    },
    toolView(t, withCode = false) {
      return {
        id: t.id,
        server: t.server,
        name: t.name,
        description: t.description ?? null,
        status: t.status as ToolStatus,
        version: t.version,
        input_schema: t.inputSchema,
        ...(withCode ? { code: t.code } : {}),
        language: t.language,
        kind: t.kind,
        external: t.external ? { source_id: t.external.sourceId, source: external.source(t.external.sourceId)?.name ?? null, tool: t.external.tool } : null,
        listed: t.status === 'approved' && running.has(t.server) && !sources.shadowed(t.server),
        submitted_by: t.submittedBy,
        submitted_via: t.submittedVia,
        review: t.review ? { by: t.review.by, at: t.review.at, reason: t.review.reason ?? null } : null,
        publish_requested_at: t.publishRequestedAt ?? null,
        publish_note: t.publishNote ?? null,
        created_by: t.createdBy,
        created_at: t.createdAt,
        updated_at: t.updatedAt,
      };
    },
    allowedModules,
    announce(actor, action, target, before, after) {
      deps.activity.adminChange({ actor, action, target, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
      deps.events.emit('servers.changed', { server: target.split('/')[0], action });
    },
    async close() {
      closed = true;
      clearInterval(sweep);
      await writes;
      await external.close();
      await sandbox.close();
    },
  };
}
