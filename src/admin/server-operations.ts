import type { ServerConfig } from '../config/index.js';
import { hasScope, SwitchboardError, type Principal, type RawItem } from '../shared/index.js';
import { connectUpstream, StderrLog, type UpstreamConnection, type UpstreamState } from '../upstream/index.js';
import type { ServersCore } from './servers-contract.js';
import type { PlacedServer } from './server-set.js';
import type { ServerView } from './server-view.js';

/** `status`: the view plus what the live connection reports. */
export interface ServerStatus extends ServerView {
  protocol_version: string | null;
  server_info: RawItem | null;
}

export interface ServerLogs {
  server: string;
  /** The tail of the process's stderr (stdio servers), oldest first. */
  lines: { at: string; line: string }[];
  /** Lines evicted from the bounded buffer so far. */
  dropped_lines: number;
  /** State changes, newest first. */
  events: { at: string; state: string }[];
}

export interface ServerTool {
  name: string;
  /** The name clients see on /mcp; null while the tool is disabled. */
  exposed_name: string | null;
  title: string | null;
  description: string | null;
  input_schema: RawItem | null;
  disabled: boolean;
}

export interface ServerTools {
  server: string;
  connected: boolean;
  tools: ServerTool[];
  disabled_tools: string[];
}

export interface TestResult {
  status: 'ok' | 'error';
  connected: boolean;
  elapsed_ms: number;
  tools_count: number;
  tools: { name: string; description: string | null }[];
  server_info: RawItem | null;
  error: string | null;
}

export interface InvokeResult {
  status: 'ok' | 'error';
  server: string;
  tool_name: string;
  exposed_name: string;
  elapsed_ms: number;
  /** The MCP CallToolResult (content, structuredContent, isError). */
  result: RawItem;
}

export const BULK_ACTIONS = ['enable_all', 'disable_all', 'restart_all', 'reconnect'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export interface BulkResult {
  action: BulkAction;
  /** The servers the action touched. */
  servers: string[];
}

/** Lifecycle, diagnostics and tool operations on one server or all of them. */
export interface ServerOperations {
  start(name: string, actor: Principal): Promise<ServerView>;
  stop(name: string, actor: Principal): Promise<ServerView>;
  restart(name: string, actor: Principal): Promise<ServerView>;
  status(name: string): Promise<ServerStatus>;
  logs(name: string, lines?: number): Promise<ServerLogs>;
  tools(name: string): Promise<ServerTools>;
  /** Connect afresh (beside the running connection), list tools, disconnect. */
  test(name: string, actor: Principal, opts?: { timeoutMs?: number }): Promise<TestResult>;
  /** Call one of the server's tools (by its own name) through the gateway's gate and activity log. */
  invoke(name: string, toolName: string, args: Record<string, unknown>, actor: Principal, opts?: { signal?: AbortSignal }): Promise<InvokeResult>;
  bulk(action: BulkAction, actor: Principal): Promise<BulkResult>;
}

const CONNECTED: readonly UpstreamState[] = ['ready', 'degraded'];
const TEST_TIMEOUT_CAP_MS = 60_000;

const NO_HOOKS = {
  onServerRequest: async (method: string): Promise<RawItem> => {
    throw new Error(`A connectivity test does not answer ${method}`);
  },
  onNotification: () => undefined,
  onClosed: () => undefined,
};

function runnable(p: PlacedServer): ServerConfig {
  if (p.quarantined) throw new SwitchboardError('SWB_SERVER_QUARANTINED', `Server '${p.name}' is quarantined`, { name: p.name });
  if (!p.enabled) throw new SwitchboardError('SWB_SERVER_DISABLED', `Server '${p.name}' is disabled`, { name: p.name });
  if (!p.config || p.problem) throw new SwitchboardError('SWB_STATE_CONFLICT', `Server '${p.name}' cannot start: ${p.problem ?? 'no definition'}`, { name: p.name });
  return p.config;
}

function requireAdmin(actor: Principal, why: string): void {
  if (!hasScope(actor, 'admin')) throw new SwitchboardError('SWB_AUTH_FORBIDDEN', `${why} needs the 'admin' scope`, { required: 'admin' });
}

export function createServerOperations(core: ServersCore): ServerOperations {
  const { deps } = core;
  const sup = (name: string) => deps.upstreams.get(name);

  async function lifecycle(name: string, actor: Principal, verb: 'start' | 'stop' | 'restart'): Promise<ServerView> {
    if (!hasScope(actor, 'write')) throw new SwitchboardError('SWB_AUTH_FORBIDDEN', "This needs the 'write' scope", { required: 'write' });
    const p = await core.placed(name);
    if (verb !== 'stop') runnable(p);
    const s = sup(name);
    if (s) {
      if (verb === 'start') s.start();
      else if (verb === 'stop') await s.stop();
      else await s.restart();
    }
    core.announce(actor, `servers.${verb}`, name, undefined, undefined);
    return core.view(p);
  }

  return {
    start: (name, actor) => lifecycle(name, actor, 'start'),
    stop: (name, actor) => lifecycle(name, actor, 'stop'),
    restart: (name, actor) => lifecycle(name, actor, 'restart'),

    async status(name) {
      const p = await core.placed(name);
      const conn = p.config ? sup(name)?.connection : undefined;
      return { ...core.view(p), protocol_version: conn?.protocolVersion ?? null, server_info: conn?.serverInfo ?? null };
    },

    async logs(name, lines = 100) {
      const p = await core.placed(name);
      const s = p.config ? sup(name) : undefined;
      const n = Math.max(1, Math.min(1000, Math.floor(lines)));
      return {
        server: name,
        lines: (s?.stderr.lines(n) ?? []).map((l) => ({ at: new Date(l.ts).toISOString(), line: core.redactText(l.line) })),
        dropped_lines: s?.stderr.droppedLines ?? 0,
        events: (await deps.store.upstreamEvents(name, n)).map((e) => ({ at: e.at, state: e.state })),
      };
    },

    async tools(name) {
      const p = await core.placed(name);
      const off = new Set(p.state.disabledTools);
      const exposed = new Map(deps.catalog.snapshot().tools.filter((e) => e.server === name).map((e) => [e.original, e.exposed]));
      const str = (v: unknown) => (typeof v === 'string' ? v : null);
      const tools = (core.listing(name)?.tools ?? []).map((t) => {
        const toolName = String(t['name']);
        return {
          name: toolName,
          exposed_name: off.has(toolName) ? null : (exposed.get(toolName) ?? null),
          title: str(t['title']),
          description: str(t['description']),
          input_schema: (t['inputSchema'] as RawItem | undefined) ?? null,
          disabled: off.has(toolName),
        };
      });
      return { server: name, connected: CONNECTED.includes(sup(name)?.state ?? 'stopped'), tools, disabled_tools: p.state.disabledTools };
    },

    async test(name, actor, opts = {}) {
      const p = await core.placed(name);
      // Testing runs the server's command: for an unreviewed server that is an admin's decision.
      if (p.quarantined) requireAdmin(actor, 'Testing a quarantined server');
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const failed = (error: string): TestResult => ({ status: 'error', connected: false, elapsed_ms: elapsed(), tools_count: 0, tools: [], server_info: null, error });
      if (!p.config) return failed(p.problem ?? 'The server has no usable definition');
      const timeoutMs = Math.min(opts.timeoutMs ?? p.config.timeoutMs, TEST_TIMEOUT_CAP_MS);
      const stderr = new StderrLog({ maxLines: 20 });
      let conn: UpstreamConnection | undefined;
      try {
        conn = await connectUpstream({ ...p.config, enabled: true, quarantined: false, timeoutMs }, NO_HOOKS, stderr);
        const listing = await conn.listAll(timeoutMs);
        return {
          status: 'ok',
          connected: true,
          elapsed_ms: elapsed(),
          tools_count: listing.tools.length,
          tools: listing.tools.map((t) => ({ name: String(t['name']), description: typeof t['description'] === 'string' ? t['description'] : null })),
          server_info: conn.serverInfo ?? null,
          error: null,
        };
      } catch (err) {
        stderr.flush();
        const tail = stderr.lines(3).map((l) => l.line).join(' | ');
        return failed(`${err instanceof Error ? err.message : String(err)}${tail ? `: ${tail}` : ''}`);
      } finally {
        await conn?.close();
      }
    },

    async invoke(name, toolName, args, actor, opts = {}) {
      const p = await core.placed(name);
      runnable(p);
      if (p.state.disabledTools.includes(toolName)) throw new SwitchboardError('SWB_TOOL_NOT_FOUND', `Tool '${toolName}' is disabled on server '${name}'`, { server: name, tool: toolName });
      const entry = deps.catalog.snapshot().tools.find((e) => e.server === name && e.original === toolName);
      if (!entry) {
        const state = sup(name)?.state ?? 'stopped';
        if (!CONNECTED.includes(state)) throw new SwitchboardError('SWB_UPSTREAM_UNAVAILABLE', `Server '${name}' is not connected (${state})`, { server: name, state });
        throw new SwitchboardError('SWB_TOOL_NOT_FOUND', `Server '${name}' has no tool '${toolName}'`, { server: name, tool: toolName });
      }
      const started = performance.now();
      const result = await deps.mcp.callTool(actor, entry.exposed, args, opts);
      return { status: result['isError'] === true ? 'error' : 'ok', server: name, tool_name: toolName, exposed_name: entry.exposed, elapsed_ms: Math.round(performance.now() - started), result };
    },

    async bulk(action, actor) {
      requireAdmin(actor, 'A bulk operation');
      const all = (await core.current()).servers;
      if (action === 'enable_all' || action === 'disable_all') {
        const enabled = action === 'enable_all';
        const names = all.filter((p) => p.enabled !== enabled).map((p) => p.name);
        if (names.length) await core.changeStates(actor, `servers.${action}`, names, (s) => ({ ...s, enabled }));
        return { action, servers: names };
      }
      const running = all.filter((p) => p.config && p.enabled && !p.quarantined && !p.problem && sup(p.name));
      const chosen = action === 'restart_all' ? running : running.filter((p) => !CONNECTED.includes(sup(p.name)!.state));
      await Promise.all(chosen.map((p) => sup(p.name)!.restart()));
      for (const p of chosen) core.announce(actor, `servers.${action === 'restart_all' ? 'restart' : 'reconnect'}`, p.name, undefined, undefined);
      return { action, servers: chosen.map((p) => p.name) };
    },
  };
}
