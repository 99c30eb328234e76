import { Server, ProtocolError } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { ActivityRecorder } from '../activity/index.js';
import { exposeUri, type Catalog } from '../catalog/index.js';
import { principalKey, SwitchboardError, type McpOperations, type Principal, type RawItem, type Settings, type ToolSearch } from '../shared/index.js';
import type { UpstreamConnection } from '../upstream/index.js';
import { fromUpstreamError, invalidParams, toProtocolError } from './errors.js';
import { ALL_TOOLS, type Exposure } from './exposure.js';
import { ProfileExposure, type ProfileLookup } from './exposure-profile.js';
import { SearchExposure } from './exposure-search.js';
import { GatedRequests, type ListName, type RequestLink } from './gated-requests.js';
import { createMcpOperations } from './operations.js';
import { CallToolParams, CompleteParams, GetPromptParams, ListParams, SetLevelParams, UriParams, parseParams } from './params.js';
import { passesLevel, SessionRegistry, type DownstreamSession, type RelatedSend } from './sessions.js';

const RAW = z.any();
/** How long an upstream's request to a client outside any call may wait for an answer. */
const UNSOLICITED_TIMEOUT_MS = 30_000;

/** What the gateway needs to know about upstreams (the upstream module implements it). */
export interface UpstreamDirectory {
  connection(server: string): UpstreamConnection | undefined;
  timeoutMs(server: string): number;
  /** Alias or name: the prefix of names and URIs. */
  prefix(server: string): string;
  readyServers(): string[];
}

export interface GatewayOptions {
  catalog: Catalog;
  upstreams: UpstreamDirectory;
  prefixed: () => boolean;
  /** Items per page on list results. */
  pageSize?: number;
  instructions?: string;
  version: string;
  /** Where MCP requests and policy denials are recorded. */
  activity: ActivityRecorder;
  /** Tool search behind /mcp/search's search_tools (through the caller's gate). */
  search?: ToolSearch;
  /** Named profiles served on /mcp/p/<name>. */
  profiles?: ProfileLookup;
  /** The `sensitive_data` policy for tools/call arguments and results (read per call); absent: no scanning. */
  sensitiveData?: () => Settings['sensitive_data'];
}

export const GATEWAY_CAPABILITIES = {
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
  completions: {},
  logging: {},
};

/** An upstream notification or catalogue change, as stateless 2026-era streams need it (exposed URIs, prefixed loggers). */
export interface GatewayEvent {
  method: string;
  params?: RawItem;
  /** The upstream it came from; absent for catalogue list changes. */
  server?: string;
}

type Ctx = { sessionId?: string; mcpReq: { id: unknown; signal: AbortSignal; send: RelatedSend; notify: (n: { method: string; params?: RawItem }) => Promise<void>; _meta?: RawItem } };

/**
 * The client-facing MCP surface: one dispatch for every method, over a warm catalogue snapshot, with
 * calls forwarded as raw JSON to the owning upstream.
 */
export class GatewayCore {
  readonly sessions = new SessionRegistry();
  /** The same gate, recipes and activity log for faces other than an MCP session (REST, search). */
  readonly operations: McpOperations;
  private readonly subscriptions = new Map<string, number>();
  private readonly gated: GatedRequests;
  private readonly observers = new Set<(e: GatewayEvent) => void>();
  /** Sessions opened on /mcp/search or a profile (absent: all tools). */
  private readonly exposures = new Map<string, Exposure>();
  private readonly searchMode: SearchExposure;
  private readonly profileMode: ProfileExposure | undefined;

  constructor(private readonly opts: GatewayOptions) {
    this.gated = new GatedRequests({ catalog: opts.catalog, upstreams: opts.upstreams, sessions: this.sessions, activity: opts.activity, prefixed: opts.prefixed, pageSize: opts.pageSize ?? 1000, ...(opts.sensitiveData ? { sensitiveData: opts.sensitiveData } : {}) });
    this.operations = createMcpOperations(this.gated);
    this.searchMode = new SearchExposure(opts.catalog, this.gated, opts.search);
    this.profileMode = opts.profiles ? new ProfileExposure(opts.catalog, this.gated, opts.profiles) : undefined;
    opts.catalog.onChange((kinds) => {
      for (const kind of kinds) this.broadcast(`notifications/${kind}/list_changed`);
      for (const kind of kinds) this.tell({ method: `notifications/${kind}/list_changed` });
    });
  }

  /** Observe upstream notifications and list changes beyond sessions (2026-era listen streams and calls). */
  observe(listener: (e: GatewayEvent) => void): () => void {
    this.observers.add(listener);
    return () => void this.observers.delete(listener);
  }

  private tell(e: GatewayEvent): void {
    for (const o of this.observers) o(e);
  }

  /**
   * Hold an upstream subscription to an exposed resource URI for someone other than a session (a
   * 2026-era listen stream), after the caller's policy check; give it back with releaseSubscription.
   */
  async holdSubscription(link: RequestLink, uri: string): Promise<void> {
    const target = this.gated.resolveResource(link, uri, 'subscribe', 'subscriptions/listen');
    const n = this.subscriptions.get(uri) ?? 0;
    this.subscriptions.set(uri, n + 1);
    if (n === 0) {
      try {
        await this.upstreamSubscription(target.server, 'resources/subscribe', target.uri);
      } catch (err) {
        await this.releaseSubscription(uri).catch(() => undefined);
        throw err;
      }
    }
  }

  /** Create the MCP server object for a new downstream session, bound to the principal that opened it. */
  createSession(id: string, transport: DownstreamSession['transport'], principal: Principal, exposure: Exposure = ALL_TOOLS): DownstreamSession {
    if (exposure.mode !== 'all') this.exposures.set(id, exposure);
    const server = new Server({ name: 'switchboard', version: this.opts.version }, { capabilities: GATEWAY_CAPABILITIES, ...(this.opts.instructions ? { instructions: this.opts.instructions } : {}) });
    const session: DownstreamSession = {
      id,
      transport,
      server,
      createdAt: Date.now(),
      principal,
      lastSeen: Date.now(),
      logLevel: undefined,
      subscriptions: new Set(),
      // A Streamable HTTP client can only receive unsolicited messages once it opens its GET stream.
      reachable: transport !== 'streamable-http',
    };
    server.fallbackRequestHandler = async (req, ctx) => {
      session.lastSeen = Date.now();
      try {
        return (await this.dispatch(session, req.method, req.params as RawItem | undefined, ctx as unknown as Ctx)) as never;
      } catch (err) {
        throw toProtocolError(err);
      }
    };
    // The SDK answers logging/setLevel itself when logging is declared; the gateway needs the level
    // per session to filter forwarded upstream messages, so it takes the method over.
    server.removeRequestHandler('logging/setLevel');
    server.oninitialized = () => {
      if (session.reachable) this.announceRoots(session);
    };
    server.fallbackNotificationHandler = async (n) => {
      session.lastSeen = Date.now();
      if (n.method === 'notifications/roots/list_changed') this.toAllUpstreams('notifications/roots/list_changed');
    };
    return session;
  }

  register(session: DownstreamSession): void {
    this.sessions.add(session);
  }

  /** The session can now receive messages outside a request (its GET stream opened). */
  markReachable(id: string): void {
    const s = this.sessions.get(id);
    if (!s || s.reachable) return;
    s.reachable = true;
    if (s.server.getClientCapabilities()) this.announceRoots(s);
  }

  /** Upstreams may have asked for roots before this client could answer: let them ask again. */
  private announceRoots(session: DownstreamSession): void {
    if (session.server.getClientCapabilities()?.roots) this.toAllUpstreams('notifications/roots/list_changed');
  }

  /** Forget a session and release what it held upstream. */
  async closeSession(id: string): Promise<void> {
    this.exposures.delete(id);
    const s = this.sessions.remove(id);
    if (!s) return;
    for (const uri of s.subscriptions) await this.releaseSubscription(uri).catch(() => undefined);
    await s.server.close().catch(() => undefined);
  }

  private async dispatch(session: DownstreamSession, method: string, params: RawItem | undefined, ctx: Ctx): Promise<RawItem> {
    const link: RequestLink = { caller: session.principal, session, requestId: ctx.mcpReq.id as string | number, signal: ctx.mcpReq.signal, send: ctx.mcpReq.send, notify: ctx.mcpReq.notify };
    switch (method) {
      case 'resources/subscribe':
      case 'resources/unsubscribe':
        return this.subscribe(link, method, parseParams(UriParams, params, method).uri);
      case 'logging/setLevel':
        session.logLevel = parseParams(SetLevelParams, params, method).level;
        this.propagateLogLevel();
        return {};
      default:
        return this.serveExposed(link, this.exposureOf(session.id), method, params);
    }
  }

  /**
   * A request as an exposure serves it: /mcp/search and /mcp/p/<name> answer tools/list and tools/call
   * their own way; everything else (and every method on /mcp) is the catalogue's. Both protocol eras
   * come through here.
   */
  async serveExposed(link: RequestLink, exposure: Exposure, method: string, params: RawItem | undefined): Promise<RawItem> {
    if (exposure.mode !== 'all' && (method === 'tools/list' || method === 'tools/call')) return this.exposed(link, exposure, method, params);
    return this.serveCatalogRequest(link, method, params);
  }

  /**
   * The methods both protocol eras share (lists, call, get, read, complete), for any caller: a
   * session's request or a stateless 2026-era request. Unknown methods are -32601.
   */
  async serveCatalogRequest(link: RequestLink, method: string, params: RawItem | undefined): Promise<RawItem> {
    switch (method) {
      case 'tools/list':
        return this.list(link, 'tools', params, method);
      case 'prompts/list':
        return this.list(link, 'prompts', params, method);
      case 'resources/list':
        return this.list(link, 'resources', params, method);
      case 'resources/templates/list':
        return this.list(link, 'resourceTemplates', params, method);
      case 'tools/call':
        return this.gated.callTool(link, parseParams(CallToolParams, params, method), 'result');
      case 'prompts/get':
        return this.gated.getPrompt(link, parseParams(GetPromptParams, params, method));
      case 'resources/read':
        return this.gated.readResource(link, parseParams(UriParams, params, method));
      case 'completion/complete':
        return this.gated.complete(link, parseParams(CompleteParams, params, method));
      default:
        throw new ProtocolError(-32601, `Method not found: ${method}`);
    }
  }

  /** How a session sees tools (all of them unless it was opened on /mcp/search or a profile). */
  exposureOf(sessionId: string): Exposure {
    return this.exposures.get(sessionId) ?? ALL_TOOLS;
  }

  /** Whether /mcp/p/<name> has a profile to serve. */
  hasProfile(name: string): boolean {
    return this.profileMode?.exists(name) ?? false;
  }

  /**
   * A profile changed: its sessions' tool lists did too. 2026-era listen streams do not say which
   * path they listen on, so they all hear it (a spare refetch on /mcp, never a missed change).
   */
  profileChanged(name: string): void {
    for (const [id, e] of this.exposures) {
      if (e.mode === 'profile' && e.profile === name) void this.sessions.get(id)?.server.notification({ method: 'notifications/tools/list_changed' } as never).catch(() => undefined);
    }
    this.tell({ method: 'notifications/tools/list_changed' });
  }

  /** tools/list and tools/call in the search and profile modes; the same gate and recipes underneath. */
  private async exposed(link: RequestLink, exposure: Exposure, method: string, params: RawItem | undefined): Promise<RawItem> {
    if (method === 'tools/list') {
      parseParams(ListParams, params, method);
      if (exposure.mode === 'search') return this.searchMode.list();
      return this.profileMode && exposure.mode === 'profile' ? this.profileMode.list(link.caller, exposure.profile) : { tools: [] };
    }
    const p = parseParams(CallToolParams, params, method);
    if (exposure.mode === 'search') return this.searchMode.call(link, p);
    if (!this.profileMode || exposure.mode !== 'profile') throw new SwitchboardError('SWB_TOOL_NOT_FOUND', `Unknown tool: ${p.name}`, { name: p.name });
    return this.profileMode.call(link, exposure.profile, p);
  }

  /** One page of a list as this session's principal may see it; pages are shared per catalogue version and view. */
  private list(link: RequestLink, list: ListName, params: RawItem | undefined, method: string): RawItem {
    const p = parseParams(ListParams, params, method);
    try {
      return this.gated.listPage(link.caller, list, p?.cursor);
    } catch (err) {
      if (err instanceof SwitchboardError) throw invalidParams(err.message);
      throw err;
    }
  }

  private async subscribe(link: RequestLink, method: string, uri: string): Promise<RawItem> {
    const session = link.session!;
    if (method === 'resources/subscribe') {
      const target = this.gated.resolveResource(link, uri, 'subscribe', method);
      if (session.subscriptions.has(uri)) return {};
      session.subscriptions.add(uri);
      const n = this.subscriptions.get(uri) ?? 0;
      this.subscriptions.set(uri, n + 1);
      if (n === 0) await this.upstreamSubscription(target.server, 'resources/subscribe', target.uri);
    } else if (session.subscriptions.delete(uri)) {
      // Unsubscribing only gives up what this session holds, so it needs no decision.
      await this.releaseSubscription(uri);
    }
    return {};
  }

  /** Give back one hold on an upstream resource subscription (the last one unsubscribes upstream). */
  async releaseSubscription(uri: string): Promise<void> {
    const n = (this.subscriptions.get(uri) ?? 1) - 1;
    if (n > 0) {
      this.subscriptions.set(uri, n);
      return;
    }
    this.subscriptions.delete(uri);
    const target = this.opts.catalog.resolveUri(uri);
    if (target) await this.upstreamSubscription(target.server, 'resources/unsubscribe', target.uri);
  }

  private async upstreamSubscription(server: string, method: string, uri: string): Promise<void> {
    const conn = this.opts.upstreams.connection(server);
    if (!conn) throw new SwitchboardError('SWB_UPSTREAM_UNAVAILABLE', `Upstream '${server}' is not connected`, { server });
    try {
      await conn.request(method, { uri }, { timeoutMs: this.opts.upstreams.timeoutMs(server) });
    } catch (err) {
      throw fromUpstreamError(err, server);
    }
  }

  /** An upstream connected (again): re-establish the subscriptions sessions hold on it. */
  async resubscribe(server: string): Promise<void> {
    for (const uri of this.subscriptions.keys()) {
      const target = this.opts.catalog.resolveUri(uri);
      if (target?.server === server) await this.upstreamSubscription(server, 'resources/subscribe', target.uri).catch(() => undefined);
    }
    const level = this.sessions.minimumLogLevel();
    const conn = this.opts.upstreams.connection(server);
    if (level && conn?.capabilities['logging']) await conn.request('logging/setLevel', { level }, { timeoutMs: 10_000 }).catch(() => undefined);
  }

  /**
   * A server→client request from an upstream (sampling, elicitation, roots). `caller` is set when it
   * came over that caller's own upstream session: only that caller's calls and sessions may answer it.
   */
  async handleUpstreamRequest(server: string, method: string, params: RawItem | undefined, signal: AbortSignal, caller?: string): Promise<RawItem> {
    const culprit = this.sessions.culprit(server, caller);
    const req = { method, ...(params ? { params } : {}) };
    if (culprit) return (await culprit.send(req, RAW as never, { signal })) as RawItem;
    // No call in flight (e.g. roots/list after connect): ask the most recently active session that
    // can answer this kind of request.
    const capability = method === 'roots/list' ? 'roots' : method === 'sampling/createMessage' ? 'sampling' : method === 'elicitation/create' ? 'elicitation' : undefined;
    const fallback = this.sessions
      .all()
      .filter((s) => s.reachable && (caller === undefined || principalKey(s.principal) === caller) && (!capability || (s.server.getClientCapabilities() as RawItem | undefined)?.[capability]))
      .sort((a, b) => b.lastSeen - a.lastSeen)[0];
    if (!fallback) {
      if (method === 'roots/list') return { roots: [] };
      throw new ProtocolError(-32603, `SWB_UPSTREAM_UNAVAILABLE: no client session can answer ${method}`);
    }
    return (await fallback.server.request(req as never, RAW, { signal, timeout: UNSOLICITED_TIMEOUT_MS })) as RawItem;
  }

  /** A notification from an upstream (list_changed is handled through the catalogue). */
  handleUpstreamNotification(server: string, method: string, params: RawItem | undefined, caller?: string): void {
    // From a caller's own upstream session: for that caller's sessions and calls only.
    const mine = (s: DownstreamSession) => caller === undefined || principalKey(s.principal) === caller;
    if (method === 'notifications/message') {
      const p = params ?? {};
      const logger = typeof p['logger'] === 'string' ? `${server}/${p['logger']}` : server;
      for (const s of this.sessions.all()) if (mine(s) && passesLevel(s, p['level'])) void s.server.notification({ method, params: { ...p, logger } } as never).catch(() => undefined);
      for (const f of this.sessions.inflightOn(server)) if (caller === undefined || f.caller === caller) f.log?.({ ...p, logger });
      return;
    }
    if (method === 'notifications/resources/updated' && typeof params?.['uri'] === 'string') {
      const exposed = exposeUri(this.opts.upstreams.prefix(server), params['uri'], this.opts.prefixed());
      for (const s of this.sessions.all()) {
        if (mine(s) && s.subscriptions.has(exposed)) void s.server.notification({ method, params: { ...params, uri: exposed } } as never).catch(() => undefined);
      }
      // 2026-era listen streams hold their subscriptions on the shared connection, not a caller's.
      if (caller === undefined) this.tell({ method, params: { ...params, uri: exposed }, server });
    }
  }

  private broadcast(method: string): void {
    for (const s of this.sessions.all()) void s.server.notification({ method } as never).catch(() => undefined);
  }

  private toAllUpstreams(method: string): void {
    for (const name of this.opts.upstreams.readyServers()) void this.opts.upstreams.connection(name)?.notify(method).catch(() => undefined);
  }

  private propagateLogLevel(): void {
    const level = this.sessions.minimumLogLevel();
    if (!level) return;
    for (const name of this.opts.upstreams.readyServers()) {
      const conn = this.opts.upstreams.connection(name);
      if (conn?.capabilities['logging']) void conn.request('logging/setLevel', { level }, { timeoutMs: 10_000 }).catch(() => undefined);
    }
  }
}
