/**
 * The running side of hosted servers: the published (approved) tools of each running server, held in
 * memory, and the one recipe that turns a tool version plus arguments into a sandbox job, runs it and
 * logs the execution. No database read on a call: everything a call needs is in memory.
 */
import { sandboxLayers, type AllowedHost, type Sandbox, type SandboxLayer, type SandboxMode, type SandboxResult, type ToolLanguage } from '../sandbox/index.js';
import { renderError, SwitchboardError, toSwitchboardError, type RawItem, type SourceListing } from '../shared/index.js';
import type { NewExecution } from '../store/index.js';
import { maskSecrets, truncate } from './redaction.js';
import { toCallToolResult } from './tool-result.js';

/** One tool as it runs: the saved version's code and schema. */
export interface RunnableTool {
  id: string;
  name: string;
  version: number;
  code: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  /** python unless set. */
  language?: ToolLanguage;
  /** An imported tool: calls go to this tool of an external MCP source instead of the sandbox. */
  external?: ExternalLink;
}

/** Which tool of which external source an imported tool forwards to. */
export interface ExternalLink {
  sourceId: string;
  tool: string;
}

/** One forwarded call, with what the host needs to make it under the server's egress rules. */
export interface ExternalCall {
  server: string;
  link: ExternalLink;
  /** The server's allowed hosts plus its approved network requests, and whether any public host is allowed. */
  egress: { allowedHosts: AllowedHost[]; allowPublic: boolean };
  /** The server's secrets in clear, for `${secret:NAME}` in the source's headers. */
  secrets: Record<string, string>;
  timeoutMs?: number;
}

/** A running hosted server and its approved tools. */
export interface PublishedServer {
  name: string;
  timeoutMs?: number;
  /** The server's allowed hosts, parsed. */
  allowedHosts: AllowedHost[];
  tools: RunnableTool[];
}

export interface HostedRuntimeOptions {
  sandbox: Sandbox;
  /** The server's secrets in clear (from the in-memory vault). */
  secrets(server: string): Record<string, string>;
  /** The deployment's module whitelist (defaults plus the admin's additions). */
  allowedModules(): string[];
  /** `network_access_policy` is `public`. */
  allowPublic(): boolean;
  /** Hosts of the server's approved network-access requests. */
  approvedHosts(server: string): AllowedHost[];
  /** `redact_secrets_in_output`. */
  redact(): boolean;
  /** `hosted_require_all_layers`. */
  requireAllLayers(): boolean;
  /** Store one execution log (off the request path; must not throw). */
  record(exec: NewExecution): void;
  /** The isolation layers (default: the sandbox module's probe, computed once). */
  layers?: () => Promise<SandboxLayer[]>;
  /**
   * Call a tool of an external MCP source from the host (the sandbox has no MCP client). Resolves with
   * the source's result as sent; rejects with a SwitchboardError when the source cannot be reached.
   */
  callExternal?(call: ExternalCall, args: Record<string, unknown>, signal?: AbortSignal): Promise<RawItem>;
}

/** What `execute` needs to know about a server, published or not (test-code runs unpublished tools). */
export interface ExecTarget {
  server: string;
  timeoutMs?: number;
  allowedHosts: AllowedHost[];
  tool: RunnableTool;
}

export interface HostedRuntime {
  /** Publish (or replace) a running server's approved tools. */
  setServer(server: PublishedServer): void;
  removeServer(name: string): void;
  /** The MCP listing of a running server, or undefined when it is not running. */
  listing(name: string): SourceListing | undefined;
  /** tools/call on a published tool: an MCP result (failures are `isError` results). */
  call(server: string, tool: string, args: Record<string, unknown>, ctx: { caller: string; signal?: AbortSignal }): Promise<RawItem>;
  /** Run a tool version in the sandbox and log the execution. */
  execute(target: ExecTarget, args: Record<string, unknown>, mode: SandboxMode, ctx: { caller: string; signal?: AbortSignal }): Promise<SandboxResult>;
  /** The isolation layers that are not active ('' when all are). */
  missingLayers(): Promise<string[]>;
}

/** How much of a result and of stdout an execution log keeps. */
export const LOG_RESULT_BYTES = 8 * 1024;
export const LOG_STDOUT_BYTES = 16 * 1024;

export function createHostedRuntime(opts: HostedRuntimeOptions): HostedRuntime {
  const published = new Map<string, { server: PublishedServer; byName: Map<string, RunnableTool>; listing: SourceListing }>();
  const layers = opts.layers ?? sandboxLayers;

  async function missingLayers(): Promise<string[]> {
    return (await layers()).filter((l) => !l.active).map((l) => l.name);
  }

  /** Forward an imported tool's call to its source; the raw result (pass-through) and its sandbox-shaped summary for the log. */
  async function forward(target: ExecTarget, link: ExternalLink, args: Record<string, unknown>, ctx: { signal?: AbortSignal }): Promise<{ raw: RawItem; result: SandboxResult }> {
    const started = performance.now();
    const egress = { allowedHosts: [...target.allowedHosts, ...opts.approvedHosts(target.server)], allowPublic: opts.allowPublic() };
    try {
      if (!opts.callExternal) throw new SwitchboardError('SWB_EXTERNAL_SOURCE_UNREACHABLE', 'external sources are not available in this gateway');
      const raw = await opts.callExternal({ server: target.server, link, egress, secrets: opts.secrets(target.server), ...(target.timeoutMs !== undefined ? { timeoutMs: target.timeoutMs } : {}) }, args, ctx.signal);
      const text = textOf(raw);
      const durationMs = performance.now() - started;
      const structured = raw['structuredContent'];
      const structuredContent = structured && typeof structured === 'object' && !Array.isArray(structured) ? (structured as Record<string, unknown>) : undefined;
      const result: SandboxResult =
        raw['isError'] === true
          ? { ok: false, error: { kind: 'exception', message: text || 'the external tool reported an error' }, stdout: '', durationMs, httpRequests: 1 }
          : { ok: true, value: structuredContent ?? text, text, ...(structuredContent ? { structuredContent } : {}), stdout: '', durationMs, httpRequests: 1 };
      return { raw, result };
    } catch (err) {
      const e = toSwitchboardError(err);
      const message = renderError(e);
      return { raw: { content: [{ type: 'text', text: message }], isError: true }, result: { ok: false, error: { kind: 'unavailable', message: e.message }, stdout: '', durationMs: performance.now() - started, httpRequests: 0 } };
    }
  }

  async function execute(target: ExecTarget, args: Record<string, unknown>, mode: SandboxMode, ctx: { caller: string; signal?: AbortSignal }): Promise<SandboxResult> {
    return (await run(target, args, mode, ctx)).result;
  }

  /** Run (or forward) a tool version and log the execution; the raw result is set for forwarded calls. */
  async function run(target: ExecTarget, args: Record<string, unknown>, mode: SandboxMode, ctx: { caller: string; signal?: AbortSignal }): Promise<{ raw?: RawItem; result: SandboxResult }> {
    const secrets = opts.secrets(target.server);
    let result: SandboxResult;
    let raw: RawItem | undefined;
    const missing = !target.tool.external && opts.requireAllLayers() ? await missingLayers() : [];
    if (target.tool.external) {
      ({ raw, result } = await forward(target, target.tool.external, args, ctx));
    } else if (missing.length) {
      result = { ok: false, error: { kind: 'unavailable', message: `hosted tools are refused on this host: sandbox layer${missing.length > 1 ? 's' : ''} ${missing.join(', ')} unavailable (see switchboard doctor; the setting hosted_require_all_layers allows running without them)` }, stdout: '', durationMs: 0, httpRequests: 0 };
    } else {
      try {
        result = await opts.sandbox.run(
          {
            code: target.tool.code,
            ...(target.tool.language === 'javascript' ? { language: 'javascript' as const } : {}),
            arguments: args,
            secrets,
            allowedModules: opts.allowedModules(),
            mode,
            ...(target.timeoutMs !== undefined ? { limits: { timeoutMs: target.timeoutMs } } : {}),
            egress: { allowedHosts: [...target.allowedHosts, ...opts.approvedHosts(target.server)], allowPublic: opts.allowPublic() },
          },
          ctx.signal,
        );
      } catch (err) {
        const message = err instanceof SwitchboardError ? err.message : 'the sandbox failed';
        result = { ok: false, error: { kind: 'unavailable', message }, stdout: '', durationMs: 0, httpRequests: 0 };
      }
    }
    const mask = (text: string) => (opts.redact() ? maskSecrets(text, Object.values(secrets)) : text);
    opts.record({
      toolId: target.tool.id,
      server: target.server,
      tool: target.tool.name,
      version: target.tool.version,
      mode,
      caller: ctx.caller,
      ok: result.ok,
      durationMs: result.durationMs,
      arguments: mask(JSON.stringify(args)),
      ...(result.ok ? { result: truncate(mask(result.text), LOG_RESULT_BYTES) } : { error: mask(`${result.error.kind}: ${result.error.message}`) }),
      stdout: truncate(mask(result.stdout), LOG_STDOUT_BYTES),
    });
    return { ...(raw ? { raw } : {}), result };
  }

  return {
    setServer(server) {
      const byName = new Map(server.tools.map((t) => [t.name, t]));
      const tools = server.tools.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}), inputSchema: t.inputSchema }));
      published.set(server.name, { server, byName, listing: { tools, resources: [], resourceTemplates: [], prompts: [] } });
    },
    removeServer(name) {
      published.delete(name);
    },
    listing: (name) => published.get(name)?.listing,
    async call(server, tool, args, ctx) {
      const p = published.get(server);
      const t = p?.byName.get(tool);
      if (!p || !t) throw new SwitchboardError('SWB_TOOL_NOT_FOUND', `Unknown tool: ${tool}`, { name: tool });
      const { raw, result } = await run({ server, allowedHosts: p.server.allowedHosts, tool: t, ...(p.server.timeoutMs !== undefined ? { timeoutMs: p.server.timeoutMs } : {}) }, args, 'run', ctx);
      // An imported tool's result passes through as the source sent it.
      return raw ?? toCallToolResult(tool, result);
    },
    execute,
    missingLayers,
  };
}

/** The text blocks of a CallToolResult, joined. */
function textOf(raw: RawItem): string {
  const content = raw['content'];
  if (!Array.isArray(content)) return '';
  return content
    .filter((c): c is { type: string; text: string } => !!c && typeof c === 'object' && (c as RawItem)['type'] === 'text' && typeof (c as RawItem)['text'] === 'string')
    .map((c) => c.text)
    .join('\n');
}
