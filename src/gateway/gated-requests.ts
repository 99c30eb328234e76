import type { ActivityRecorder, McpRequestOutcome } from '../activity/index.js';
import type { Catalog, CatalogSnapshot, Entry } from '../catalog/index.js';
import { decide, filterVisible, viewSignature, type PolicyAction, type PolicyItem, type PolicyKind } from '../policy/index.js';
import { SwitchboardError, type Principal, type RawItem } from '../shared/index.js';
import { fromUpstreamError, toolErrorResult } from './errors.js';
import { ListPages } from './list-pages.js';
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
}

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
}

/** A denied item must be indistinguishable from an unknown one, so both come from these. */
const unknownTool = (name: string) => new SwitchboardError('SWB_TOOL_NOT_FOUND', `Unknown tool: ${name}`, { name });
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
    const finish = this.opts.activity.mcpRequest({ ...this.start(link, 'tools/call', entry.server), tool: entry.original, arguments: p.arguments ?? {} });
    try {
      const result = await this.forward(link, entry.server, 'tools/call', { ...p, name: entry.original });
      finish(outcomeOf(result));
      return result;
    } catch (err) {
      finish(failureOf(err, link));
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
    const end = this.opts.sessions.begin(server, { session: link.session, send: link.send ?? noClient, startedAt: performance.now(), ...(link.log ? { log: link.log } : {}) });
    try {
      const result = await conn.request(method, params, { caller: link.caller, ...(link.signal ? { signal: link.signal } : {}), timeoutMs: this.opts.upstreams.timeoutMs(server), ...(onProgress ? { onProgress } : {}) });
      if (progressSends.length) await Promise.all(progressSends);
      return exposeResultUris(result, this.opts.upstreams.prefix(server), this.opts.prefixed());
    } catch (err) {
      throw fromUpstreamError(err, server);
    } finally {
      end();
    }
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

/** An upstream's server→client request during a call no MCP client made: nobody can answer it. */
const noClient: RelatedSend = async (req) => {
  throw new SwitchboardError('SWB_UPSTREAM_FAILED', `No MCP client can answer ${req.method} for a request made over the REST API`);
};

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
