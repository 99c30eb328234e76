import { Server, ProtocolError } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { exposeUri, paginate, type Catalog } from '../catalog/index.js';
import { SwitchboardError, type RawItem } from '../shared/index.js';
import type { UpstreamConnection } from '../upstream/index.js';
import { fromUpstreamError, invalidParams, toProtocolError, toolErrorResult } from './errors.js';
import { CallToolParams, CompleteParams, GetPromptParams, ListParams, SetLevelParams, UriParams, parseParams } from './params.js';
import { exposeResultUris } from './rewrite-uris.js';
import { markReusable } from './reusable-results.js';
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
}

export const GATEWAY_CAPABILITIES = {
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
  completions: {},
  logging: {},
};

type Ctx = { sessionId?: string; mcpReq: { id: unknown; signal: AbortSignal; send: RelatedSend; notify: (n: { method: string; params?: RawItem }) => Promise<void>; _meta?: RawItem } };

/**
 * The client-facing MCP surface: one dispatch for every method, over a warm catalogue snapshot, with
 * calls forwarded as raw JSON to the owning upstream.
 */
export class GatewayCore {
  readonly sessions = new SessionRegistry();
  private readonly subscriptions = new Map<string, number>();
  private readonly pageSize: number;
  private pages: { version: number; byKey: Map<string, RawItem>; issued: Set<string> } = { version: -1, byKey: new Map(), issued: new Set() };

  constructor(private readonly opts: GatewayOptions) {
    this.pageSize = opts.pageSize ?? 1000;
    opts.catalog.onChange((kinds) => {
      for (const kind of kinds) this.broadcast(`notifications/${kind}/list_changed`);
    });
  }

  /** Create the MCP server object for a new downstream session. */
  createSession(id: string, transport: DownstreamSession['transport']): DownstreamSession {
    const server = new Server({ name: 'switchboard', version: this.opts.version }, { capabilities: GATEWAY_CAPABILITIES, ...(this.opts.instructions ? { instructions: this.opts.instructions } : {}) });
    const session: DownstreamSession = {
      id,
      transport,
      server,
      createdAt: Date.now(),
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
    const s = this.sessions.remove(id);
    if (!s) return;
    for (const uri of s.subscriptions) await this.releaseSubscription(uri).catch(() => undefined);
    await s.server.close().catch(() => undefined);
  }

  private async dispatch(session: DownstreamSession, method: string, params: RawItem | undefined, ctx: Ctx): Promise<RawItem> {
    const snap = this.opts.catalog.snapshot();
    switch (method) {
      case 'tools/list':
        return this.list(() => snap.tools.map((e) => e.item), 'tools', params, method, snap.version);
      case 'prompts/list':
        return this.list(() => snap.prompts.map((e) => e.item), 'prompts', params, method, snap.version);
      case 'resources/list':
        return this.list(() => snap.resources.map((e) => e.item), 'resources', params, method, snap.version);
      case 'resources/templates/list':
        return this.list(() => snap.resourceTemplates.map((e) => e.item), 'resourceTemplates', params, method, snap.version);
      case 'tools/call':
        return this.callTool(session, parseParams(CallToolParams, params, method), ctx);
      case 'prompts/get': {
        const p = parseParams(GetPromptParams, params, method);
        const entry = snap.promptsByName.get(p.name);
        if (!entry) throw invalidParams(`Unknown prompt: ${p.name}`);
        return this.forward(session, entry.server, method, { ...p, name: entry.original }, ctx);
      }
      case 'resources/read': {
        const p = parseParams(UriParams, params, method);
        const target = this.opts.catalog.resolveUri(p.uri);
        if (!target) throw new ProtocolError(-32002, `Resource not found: ${p.uri}`, { uri: p.uri });
        return this.forward(session, target.server, method, { ...p, uri: target.uri }, ctx);
      }
      case 'resources/subscribe':
      case 'resources/unsubscribe':
        return this.subscribe(session, method, parseParams(UriParams, params, method).uri);
      case 'completion/complete':
        return this.complete(session, parseParams(CompleteParams, params, method), ctx);
      case 'logging/setLevel':
        session.logLevel = parseParams(SetLevelParams, params, method).level;
        this.propagateLogLevel();
        return {};
      default:
        throw new ProtocolError(-32601, `Method not found: ${method}`);
    }
  }

  /** One page of a list; pages are built once per catalogue version and shared by every session. */
  private list(entries: () => RawItem[], key: string, params: RawItem | undefined, method: string, version: number): RawItem {
    const p = parseParams(ListParams, params, method);
    if (this.pages.version !== version) this.pages = { version, byKey: new Map(), issued: new Set() };
    const cacheKey = `${key}\0${p?.cursor ?? ''}`;
    const cached = this.pages.byKey.get(cacheKey);
    if (cached) return cached;
    try {
      const { page, nextCursor } = paginate(entries(), p?.cursor, this.pageSize, version);
      const result = markReusable(nextCursor ? { [key]: page, nextCursor } : { [key]: page });
      // Only the first page and cursors this gateway issued are cached, so the cache stays as small
      // as the catalogue however many made-up cursors a client sends.
      if (p?.cursor === undefined || this.pages.issued.has(p.cursor)) this.pages.byKey.set(cacheKey, result);
      if (nextCursor) this.pages.issued.add(nextCursor);
      return result;
    } catch (err) {
      if (err instanceof SwitchboardError) throw invalidParams(err.message);
      throw err;
    }
  }

  /** tools/call: resolve → forward → map failures; tool failures are results, not protocol errors. */
  private async callTool(session: DownstreamSession, p: z.infer<typeof CallToolParams>, ctx: Ctx): Promise<RawItem> {
    const entry = this.opts.catalog.snapshot().toolsByName.get(p.name);
    if (!entry) throw invalidParams(`Unknown tool: ${p.name}`);
    try {
      return await this.forward(session, entry.server, 'tools/call', { ...p, name: entry.original }, ctx);
    } catch (err) {
      if (err instanceof SwitchboardError) return toolErrorResult(err);
      throw err;
    }
  }

  /** Send a request to the owning upstream with progress, cancellation and server→client routing. */
  private async forward(session: DownstreamSession, server: string, method: string, params: RawItem, ctx: Ctx): Promise<RawItem> {
    const conn = this.opts.upstreams.connection(server);
    if (!conn) throw new SwitchboardError('SWB_UPSTREAM_UNAVAILABLE', `Upstream '${server}' is not connected`, { server });
    const token = (params['_meta'] as RawItem | undefined)?.['progressToken'];
    // Progress must reach the client before the result does: keep the sends and flush them first.
    const progressSends: Promise<unknown>[] = [];
    const onProgress =
      token === undefined
        ? undefined
        : (p: RawItem) => void progressSends.push(ctx.mcpReq.notify({ method: 'notifications/progress', params: { ...p, progressToken: token } }).catch(() => undefined));
    const end = this.sessions.begin(server, { session, send: ctx.mcpReq.send, startedAt: performance.now() });
    try {
      const result = await conn.request(method, params, { signal: ctx.mcpReq.signal, timeoutMs: this.opts.upstreams.timeoutMs(server), ...(onProgress ? { onProgress } : {}) });
      if (progressSends.length) await Promise.all(progressSends);
      return exposeResultUris(result, this.opts.upstreams.prefix(server), this.opts.prefixed());
    } catch (err) {
      throw fromUpstreamError(err, server);
    } finally {
      end();
    }
  }

  private async complete(session: DownstreamSession, p: z.infer<typeof CompleteParams>, ctx: Ctx): Promise<RawItem> {
    const snap = this.opts.catalog.snapshot();
    if (p.ref.type === 'ref/prompt') {
      const entry = snap.promptsByName.get(p.ref.name);
      if (!entry) throw invalidParams(`Unknown prompt: ${p.ref.name}`);
      return this.forward(session, entry.server, 'completion/complete', { ...p, ref: { ...p.ref, name: entry.original } }, ctx);
    }
    const tpl = snap.resourceTemplates.find((t) => t.exposed === (p.ref as { uri: string }).uri);
    const target = tpl ? { server: tpl.server, uri: tpl.original } : this.opts.catalog.resolveUri(p.ref.uri);
    if (!target) throw invalidParams(`Unknown resource template: ${p.ref.uri}`);
    return this.forward(session, target.server, 'completion/complete', { ...p, ref: { ...p.ref, uri: target.uri } }, ctx);
  }

  private async subscribe(session: DownstreamSession, method: string, uri: string): Promise<RawItem> {
    const target = this.opts.catalog.resolveUri(uri);
    if (!target) throw new ProtocolError(-32002, `Resource not found: ${uri}`, { uri });
    if (method === 'resources/subscribe') {
      if (session.subscriptions.has(uri)) return {};
      session.subscriptions.add(uri);
      const n = this.subscriptions.get(uri) ?? 0;
      this.subscriptions.set(uri, n + 1);
      if (n === 0) await this.upstreamSubscription(target.server, 'resources/subscribe', target.uri);
    } else if (session.subscriptions.delete(uri)) {
      await this.releaseSubscription(uri);
    }
    return {};
  }

  private async releaseSubscription(uri: string): Promise<void> {
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

  /** A server→client request from an upstream (sampling, elicitation, roots). */
  async handleUpstreamRequest(server: string, method: string, params: RawItem | undefined, signal: AbortSignal): Promise<RawItem> {
    const culprit = this.sessions.culprit(server);
    const req = { method, ...(params ? { params } : {}) };
    if (culprit) return (await culprit.send(req, RAW as never, { signal })) as RawItem;
    // No call in flight (e.g. roots/list after connect): ask the most recently active session that
    // can answer this kind of request.
    const capability = method === 'roots/list' ? 'roots' : method === 'sampling/createMessage' ? 'sampling' : method === 'elicitation/create' ? 'elicitation' : undefined;
    const fallback = this.sessions
      .all()
      .filter((s) => s.reachable && (!capability || (s.server.getClientCapabilities() as RawItem | undefined)?.[capability]))
      .sort((a, b) => b.lastSeen - a.lastSeen)[0];
    if (!fallback) {
      if (method === 'roots/list') return { roots: [] };
      throw new ProtocolError(-32603, `SWB_UPSTREAM_UNAVAILABLE: no client session can answer ${method}`);
    }
    return (await fallback.server.request(req as never, RAW, { signal, timeout: UNSOLICITED_TIMEOUT_MS })) as RawItem;
  }

  /** A notification from an upstream (list_changed is handled through the catalogue). */
  handleUpstreamNotification(server: string, method: string, params: RawItem | undefined): void {
    if (method === 'notifications/message') {
      const p = params ?? {};
      const logger = typeof p['logger'] === 'string' ? `${server}/${p['logger']}` : server;
      for (const s of this.sessions.all()) if (passesLevel(s, p['level'])) void s.server.notification({ method, params: { ...p, logger } } as never).catch(() => undefined);
      return;
    }
    if (method === 'notifications/resources/updated' && typeof params?.['uri'] === 'string') {
      const exposed = exposeUri(this.opts.upstreams.prefix(server), params['uri'], this.opts.prefixed());
      for (const s of this.sessions.all()) {
        if (s.subscriptions.has(exposed)) void s.server.notification({ method, params: { ...params, uri: exposed } } as never).catch(() => undefined);
      }
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
