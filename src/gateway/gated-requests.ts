import { ProtocolError } from '@modelcontextprotocol/server';
import type { ActivityRecorder, McpRequestOutcome } from '../activity/index.js';
import type { Catalog, CatalogSnapshot, Entry } from '../catalog/index.js';
import { decide, filterVisible, viewSignature, type PolicyAction, type PolicyItem, type PolicyKind } from '../policy/index.js';
import { principalKey, SwitchboardError, type Principal, type RawItem, type Settings } from '../shared/index.js';
import { describeFindings, scanCallPayload, sensitiveDataRefusal, type CallScan } from '../trust/index.js';
import { fromUpstreamError, invalidParams, toolErrorResult } from './errors.js';
import { ListPages } from './list-pages.js';
import { bridgeInputRounds, isInputRequired } from './modern/input-bridge.js';
import { exposeResultUris } from './rewrite-uris.js';
import type { DownstreamSession, RelatedSend, SessionRegistry } from './sessions.js';
import type { UpstreamDirectory } from './gateway.js';

/** Who asks, and how to reach them while the request runs. */
export interface RequestLink {
  caller: Principal;
  /** Absent for the gateway's operations on behalf of a non-MCP face. */
  session?: DownstreamSession;
  requestId?: string | number;
  signal?: AbortSignal;
  /** Server→client requests (sampling, elicitation) related to this request. */
  send?: RelatedSend;
  /** Notifications related to this request (progress). */
  notify?: (n: { method: string; params?: RawItem }) => Promise<void>;
  /** The serving upstream's log messages while the request runs (2026-era requests with a log level). */
  log?: (params: RawItem) => void;
  /**
   * Set for 2026-era callers, which answer `input_required` themselves: a 2026-era upstream's round is
   * handed to them (through `wrap`) instead of being asked of a session. Absent: the gateway asks the
   * 2025-era client itself (see modern/input-bridge.ts).
   */
  rounds?: RoundHooks;
}

/** How a 2026-era caller takes part in a 2026-era upstream's input_required rounds. */
export interface RoundHooks {
  /** The client capabilities the caller declared, so the upstream asks only for what it can answer. */
  clientCapabilities?: RawItem;
  /** The retry of a round the upstream started: it must reach the same upstream connection. */
  resume?: { server: string; connection: string; requestState?: string; inputResponses?: RawItem };
  /** `inputResponses` sent without a `requestState`: passed to a 2026-era upstream as they are. */
  inputResponses?: RawItem;
  /** The upstream's input_required result, made ready for the caller (its state sealed with where it came from). */
  wrap(server: string, connection: string, result: RawItem): RawItem;
}

/** A 2025-era client over a 2026-era upstream: rounds and time one request may take at most. */
const BRIDGE_MAX_ROUNDS = 10;
const BRIDGE_MAX_MS = 10 * 60_000;
const CLIENT_CAPABILITIES_META = 'io.modelcontextprotocol/clientCapabilities';

/** The lists the gate filters: the MCP result key, the catalogue field and the policy kind. */
export const LISTS = {
  tools: { key: 'tools', kind: 'tool' },
  prompts: { key: 'prompts', kind: 'prompt' },
  resources: { key: 'resources', kind: 'resource' },
  resourceTemplates: { key: 'resourceTemplates', kind: 'resource_template' },
} as const satisfies Record<string, { key: keyof CatalogSnapshot; kind: PolicyKind }>;
export type ListName = keyof typeof LISTS;

export interface GatedRequestsOptions {
  catalog: Catalog;
  upstreams: UpstreamDirectory;
  sessions: SessionRegistry;
  activity: ActivityRecorder;
  prefixed: () => boolean;
  pageSize: number;
  /** The `sensitive_data` policy, read at every tools/call; absent: no scanning. */
  sensitiveData?: () => Settings['sensitive_data'];
}

/** Who the activity log names for sensitive-data findings (a trust event, not anyone's change). */
const SENSITIVE_DATA_ACTOR: Principal = { kind: 'local', id: 'trust', name: 'sensitive-data', scopes: [] };

/** A denied item must be indistinguishable from an unknown one, so both come from these. */
/** Names are echoed back in errors; a 100k-character name must not come back twice. */
const clip = (name: string) => (name.length > 200 ? `${name.slice(0, 200)}… (${name.length} characters)` : name);
const unknownTool = (name: string) => new SwitchboardError('SWB_TOOL_NOT_FOUND', `Unknown tool: ${clip(name)}`, { name: clip(name) });

/** Deeper arguments than any real tool takes; checked without recursion so that the check itself cannot overflow. */
export const MAX_ARGUMENT_DEPTH = 64;

function argumentsTooDeep(value: unknown, limit = MAX_ARGUMENT_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
const unknownPrompt = (name: string) => new SwitchboardError('SWB_PROMPT_NOT_FOUND', `Unknown prompt: ${name}`, { name });
const unknownResource = (uri: string) => new SwitchboardError('SWB_RESOURCE_NOT_FOUND', `Resource not found: ${uri}`, { uri });

/**
 * Every MCP request that touches the catalogue, on behalf of a principal: lists filtered by the policy
 * gate (pages shared per view signature), and the call / read / get / complete recipes — resolve,
 * decide (a denial looks like an unknown item and is recorded), record, forward, finish the record.
 * Both MCP sessions and the gateway's `McpOperations` go through here.
 */
export class GatedRequests {
  private readonly pages: ListPages;

  constructor(private readonly opts: GatedRequestsOptions) {
    this.pages = new ListPages(opts.pageSize);
  }

  /** One page of a list as the caller may see it. */
  listPage(caller: Principal, list: ListName, cursor: string | undefined): RawItem {
    const snap = this.opts.catalog.snapshot();
    const { key, kind } = LISTS[list];
    return this.pages.page(snap.version, key, viewSignature(caller, kind), cursor, () => this.visibleItems(caller, snap, list));
  }

  /** The whole list as the caller may see it (for non-MCP faces, which do not paginate). */
  listAll(caller: Principal, list: ListName): RawItem[] {
    const snap = this.opts.catalog.snapshot();
    const { key, kind } = LISTS[list];
    return this.pages.view(snap.version, key, viewSignature(caller, kind), () => this.visibleItems(caller, snap, list));
  }

  private visibleItems(caller: Principal, snap: CatalogSnapshot, list: ListName): RawItem[] {
    const { key, kind } = LISTS[list];
    const entries = snap[key];
    if (viewSignature(caller, kind) === '*') return entries.map((e) => e.item);
    const candidates = entries.map((entry) => ({ kind, server: entry.server, name: entry.exposed, original: entry.original, entry }));
    return filterVisible(caller, candidates).map((c) => c.entry.item);
  }

  /**
   * tools/call. With `toolErrors: 'result'` (MCP sessions) a gateway-side failure is an `isError`
   * result, as MCP reports tool failures; with `'throw'` (REST faces) it is thrown.
   */
  async callTool(link: RequestLink, p: { name: string; arguments?: Record<string, unknown> } & RawItem, toolErrors: 'result' | 'throw'): Promise<RawItem> {
    const entry = this.opts.catalog.snapshot().toolsByName.get(p.name);
    if (!entry || !this.allowed(link, 'call', 'tools/call', this.toolItem(entry))) throw unknownTool(p.name);
    // Sensitive data: arguments are scanned before anything is recorded or sent, the result before it
    // is returned; with the policy off both scans are no-ops. The log only ever keeps redacted copies.
    const policy = this.opts.sensitiveData?.();
    const input = p.arguments ?? {};
    if (argumentsTooDeep(input)) throw invalidParams(`Invalid params for tools/call: arguments are nested deeper than ${MAX_ARGUMENT_DEPTH} levels`);
    const args = scanCallPayload(input, 'arguments', policy?.arguments ?? 'off');
    let res: CallScan<RawItem> | undefined;
    const reason = () => sensitiveReason(args, res);
    const finish = this.opts.activity.mcpRequest({ ...this.start(link, 'tools/call', entry.server), tool: entry.original, arguments: args.logged });
    try {
      if (args.findings.length) this.sensitiveFound(link, entry, args);
      if (args.blocked) throw sensitiveDataRefusal(args, p.name);
      const raw = await this.forward(link, entry.server, 'tools/call', { ...p, ...(args.value !== input ? { arguments: args.value } : {}), name: entry.original });
      // An input_required round is not the tool's result yet: the final answer is scanned when it comes.
      res = scanCallPayload(raw, 'result', isInputRequired(raw) ? 'off' : (policy?.results ?? 'off'));
      if (res.findings.length) this.sensitiveFound(link, entry, res);
      if (res.blocked) throw sensitiveDataRefusal(res, p.name);
      finish({ ...outcomeOf(res.value), ...(res.logged !== res.value ? { result: res.logged } : {}), ...reason() });
      return res.value;
    } catch (err) {
      const refused = err instanceof SwitchboardError && err.code === 'SWB_TRUST_SENSITIVE_DATA';
      finish({ ...failureOf(err, link), ...(refused ? { status: 'denied' as const } : {}), ...(res ? { resultBytes: Buffer.byteLength(JSON.stringify(res.logged)), result: res.logged } : {}), ...reason() });
      if (toolErrors === 'result' && err instanceof SwitchboardError) return toolErrorResult(err);
      throw err;
    }
  }

  /** resources/read: a listed resource, or a URI a template or prefix routes to one server. */
  async readResource(link: RequestLink, p: { uri: string } & RawItem): Promise<RawItem> {
    const target = this.resolveResource(link, p.uri, 'read', 'resources/read');
    return this.recorded(link, 'resources/read', target.server, { uri: p.uri }, () => this.forward(link, target.server, 'resources/read', { ...p, uri: target.uri }));
  }

  async getPrompt(link: RequestLink, p: { name: string; arguments?: Record<string, string> } & RawItem): Promise<RawItem> {
    const entry = this.opts.catalog.snapshot().promptsByName.get(p.name);
    if (!entry || !this.allowed(link, 'get', 'prompts/get', { kind: 'prompt', server: entry.server, name: entry.exposed, original: entry.original })) throw unknownPrompt(p.name);
    return this.recorded(link, 'prompts/get', entry.server, { name: p.name, arguments: p.arguments ?? {} }, () => this.forward(link, entry.server, 'prompts/get', { ...p, name: entry.original }));
  }

  /** completion/complete for a prompt argument or a resource template variable. */
  async complete(link: RequestLink, p: { ref: { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string } } & RawItem): Promise<RawItem> {
    const snap = this.opts.catalog.snapshot();
    if (p.ref.type === 'ref/prompt') {
      const entry = snap.promptsByName.get(p.ref.name);
      if (!entry || !this.allowed(link, 'complete', 'completion/complete', { kind: 'prompt', server: entry.server, name: entry.exposed, original: entry.original })) throw unknownPrompt(p.ref.name);
      return this.forward(link, entry.server, 'completion/complete', { ...p, ref: { ...p.ref, name: entry.original } });
    }
    const uri = p.ref.uri;
    const tpl = snap.resourceTemplates.find((t) => t.exposed === uri);
    const target = tpl ? { server: tpl.server, uri: tpl.original } : this.opts.catalog.resolveUri(uri);
    if (!target || !this.allowed(link, 'complete', 'completion/complete', { kind: 'resource_template', server: target.server, name: uri, original: target.uri })) {
      throw new SwitchboardError('SWB_RESOURCE_NOT_FOUND', `Unknown resource template: ${uri}`, { uri });
    }
    return this.forward(link, target.server, 'completion/complete', { ...p, ref: { ...p.ref, uri: target.uri } });
  }

  /** The owner of an exposed URI, if the caller may `action` it; otherwise "not found". */
  resolveResource(link: RequestLink, uri: string, action: PolicyAction, method: string): { server: string; uri: string } {
    const target = this.opts.catalog.resolveUri(uri);
    if (!target || !this.allowed(link, action, method, { kind: 'resource', server: target.server, name: uri, original: target.uri })) throw unknownResource(uri);
    return target;
  }

  /** Send a request to the owning upstream with progress, cancellation and server→client routing. */
  async forward(link: RequestLink, server: string, method: string, params: RawItem): Promise<RawItem> {
    const conn = this.opts.upstreams.connection(server);
    if (!conn) throw new SwitchboardError('SWB_UPSTREAM_UNAVAILABLE', `Upstream '${server}' is not connected`, { server });
    const token = (params['_meta'] as RawItem | undefined)?.['progressToken'];
    const notify = link.notify;
    // Progress must reach the client before the result does: keep the sends and flush them first.
    const progressSends: Promise<unknown>[] = [];
    const onProgress =
      token === undefined || !notify ? undefined : (p: RawItem) => void progressSends.push(notify({ method: 'notifications/progress', params: { ...p, progressToken: token } }).catch(() => undefined));
    const modern = conn.era === 'modern';
    const resume = link.rounds?.resume;
    // A round's retry goes back to the upstream connection (the process, for stdio) that asked.
    if (resume && (!modern || resume.server !== server || resume.connection !== conn.id)) throw invalidRequestState();
    const sent = modern ? modernParams(link, params) : params;
    const end = this.opts.sessions.begin(server, { session: link.session, send: link.send ?? noClient, startedAt: performance.now(), caller: principalKey(link.caller), ...(link.log ? { log: link.log } : {}) });
    try {
      const options = { caller: link.caller, ...(link.signal ? { signal: link.signal } : {}), timeoutMs: this.opts.upstreams.timeoutMs(server), ...(onProgress ? { onProgress } : {}) };
      let result = await conn.request(method, sent, options);
      if (isInputRequired(result)) {
        if (link.rounds) {
          if (progressSends.length) await Promise.all(progressSends);
          return link.rounds.wrap(server, conn.id ?? '', result);
        }
        result = await bridgeInputRounds(result, {
          send: link.send ?? noClient,
          retry: (answer) => conn.request(method, { ...sent, ...answer }, options),
          ...(link.signal ? { signal: link.signal } : {}),
          maxRounds: BRIDGE_MAX_ROUNDS,
          maxMs: BRIDGE_MAX_MS,
        });
      }
      if (progressSends.length) await Promise.all(progressSends);
      return exposeResultUris(result, this.opts.upstreams.prefix(server), this.opts.prefixed());
    } catch (err) {
      throw fromUpstreamError(err, server);
    } finally {
      end();
    }
  }

  /** A finding in a call, as a trust event (activity log and event bus); values never leave masked. */
  private sensitiveFound(link: RequestLink, entry: Entry, scan: CallScan<unknown>): void {
    this.opts.activity.adminChange({
      actor: SENSITIVE_DATA_ACTOR,
      action: 'trust.sensitive_data',
      target: `${entry.server}/${entry.original}`,
      after: { where: scan.findings[0]!.where, mode: scan.mode, caller: link.caller.name, ...(link.session ? { session_id: link.session.id } : {}), findings: scan.findings },
    });
  }

  private toolItem(entry: Entry): PolicyItem {
    return { kind: 'tool', server: entry.server, name: entry.exposed, original: entry.original };
  }

  /** Decide, and record the decision when it is a denial. */
  private allowed(link: RequestLink, action: PolicyAction, method: string, item: PolicyItem): boolean {
    const d = decide(link.caller, action, item);
    if (!d.allowed) {
      this.opts.activity.policyDecision({
        caller: link.caller,
        ...(link.session ? { sessionId: link.session.id } : {}),
        action: method,
        server: item.server,
        ...(item.kind === 'tool' ? { tool: item.original ?? item.name } : {}),
        allowed: false,
        reason: d.reason,
      });
    }
    return d.allowed;
  }

  private start(link: RequestLink, method: string, server: string) {
    return {
      caller: link.caller,
      method,
      server,
      ...(link.session ? { sessionId: link.session.id } : {}),
      ...(link.requestId !== undefined ? { requestId: link.requestId } : {}),
    };
  }

  private async recorded(link: RequestLink, method: string, server: string, args: unknown, run: () => Promise<RawItem>): Promise<RawItem> {
    const finish = this.opts.activity.mcpRequest({ ...this.start(link, method, server), arguments: args });
    try {
      const result = await run();
      finish(outcomeOf(result));
      return result;
    } catch (err) {
      finish(failureOf(err, link));
      throw err;
    }
  }
}

/** The error a retry gets whose requestState does not lead back to the upstream connection that issued it. */
function invalidRequestState(): ProtocolError {
  return new ProtocolError(-32602, 'Invalid or expired requestState', { reason: 'invalid_request_state' });
}

/**
 * A request's params for a 2026-era upstream: the caller's client capabilities in the `_meta`
 * envelope (the upstream decides what to ask from them; for a session, what it declared at
 * `initialize`), and, on a retry, the round's answers and the upstream's own state.
 */
function modernParams(link: RequestLink, params: RawItem): RawItem {
  // A caller without an MCP client (the REST API) can answer nothing: it declares no capabilities.
  const caps = link.rounds ? link.rounds.clientCapabilities : link.session ? (link.session.server.getClientCapabilities() as RawItem | undefined) : {};
  const meta = (params['_meta'] as RawItem | undefined) ?? {};
  const out: RawItem = caps ? { ...params, _meta: { ...meta, [CLIENT_CAPABILITIES_META]: caps } } : { ...params };
  const resume = link.rounds?.resume;
  const responses = resume?.inputResponses ?? link.rounds?.inputResponses;
  if (responses) out['inputResponses'] = responses;
  if (resume?.requestState !== undefined) out['requestState'] = resume.requestState;
  return out;
}

/** An upstream's server→client request during a call no MCP client made: nobody can answer it. */
const noClient: RelatedSend = async (req) => {
  throw new SwitchboardError('SWB_UPSTREAM_FAILED', `No MCP client can answer ${req.method} for a request made over the REST API`);
};

/** The findings of both sides of a call, summarised for its activity record. */
function sensitiveReason(args: CallScan<unknown>, res: CallScan<unknown> | undefined): { reason?: string } {
  const all = [...args.findings, ...(res?.findings ?? [])];
  if (!all.length) return {};
  const modes = [...new Set([args.findings.length ? `arguments: ${args.mode}` : '', res?.findings.length ? `result: ${res.mode}` : ''].filter(Boolean))];
  return { reason: `sensitive data (${modes.join(', ')}): ${describeFindings(all)}` };
}

function outcomeOf(result: RawItem): McpRequestOutcome {
  const resultBytes = Buffer.byteLength(JSON.stringify(result));
  if (result['isError'] !== true) return { status: 'ok', resultBytes, result };
  const text = Array.isArray(result['content']) ? (result['content'] as RawItem[]).find((c) => c['type'] === 'text')?.['text'] : undefined;
  return { status: 'error', resultBytes, result, ...(typeof text === 'string' ? { errorMessage: text.slice(0, 500) } : {}) };
}

function failureOf(err: unknown, link: RequestLink): McpRequestOutcome {
  const e = err as { name?: unknown; code?: unknown; message?: unknown };
  if (e?.name === 'AbortError' || link.signal?.aborted) return { status: 'cancelled' };
  if (err instanceof SwitchboardError) return { status: 'error', errorCode: err.code, errorMessage: err.message };
  // An upstream's JSON-RPC error passes through unchanged; its numeric code is all there is.
  return { status: 'error', ...(typeof e?.code === 'number' ? { errorCode: `jsonrpc:${e.code}` } : {}), ...(typeof e?.message === 'string' ? { errorMessage: e.message } : {}) };
}
