import { randomUUID } from 'node:crypto';
import { Client, LOG_LEVEL_META_KEY, SdkError, SdkErrorCode, SSEClientTransport, type McpSubscription, type Transport } from '@modelcontextprotocol/client';
import { z } from 'zod';
import type { ServerConfig } from '../config/index.js';
import type { Principal, RawItem, SourceListing } from '../shared/index.js';
import { isSessionLost, NodeHttpClientTransport } from './http-client-transport.js';
import { ProcessGroupStdioTransport } from './stdio-transport.js';
import type { StderrLog } from './stderr-log.js';
import { ProgressRouter, UNBOUNDED_MS } from './progress-router.js';

const RAW = z.any();
const MAX_PAGES = 100;
/**
 * Longest a stdio upstream gets to answer the server/discover probe (counted from the spawn). Silence
 * there means a 2025-era server (some ignore requests before `initialize`); a 2026-era server slower to
 * start than this is spoken to in the 2025 era, which it also serves.
 */
const STDIO_PROBE_MS = 3_000;
const RESERVED_META = 'io.modelcontextprotocol/';

/** The protocol era an upstream speaks: 2025 (`initialize` and a session) or 2026-07-28 (`server/discover`, stateless). */
export type ProtocolEra = 'legacy' | 'modern';

export interface ConnectOptions {
  /**
   * `auto` probes with `server/discover` and falls back to `initialize`; `legacy` goes straight to
   * `initialize`. Default `legacy` (the gateway's own upstreams ask for `auto`).
   */
  negotiate?: 'auto' | 'legacy';
}

/** A JSON-RPC message from the upstream that the gateway must route to a downstream session. */
export interface UpstreamHooks {
  /** sampling/createMessage, elicitation/create, roots/list… from the upstream. */
  onServerRequest(method: string, params: RawItem | undefined, signal: AbortSignal): Promise<RawItem>;
  /** Any notification from the upstream (list_changed, message, resources/updated, …). */
  onNotification(method: string, params: RawItem | undefined): void;
  /** The connection ended (process exit, stream closed). Not called after close(). */
  onClosed(reason: string): void;
  /** The upstream forgot our session and a new one replaced it: what the old one held (subscriptions, log level, the listing) needs renewing. */
  onRenewed?(): void;
}

export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  /** When set, progress notifications for this request are delivered here. */
  onProgress?: (progress: RawItem) => void;
  /** Who the gateway forwards for; in-process sources (hosted servers, management tools) act on it, upstreams ignore it. */
  caller?: Principal;
}

/** One live MCP client connection to an upstream. */
export interface UpstreamConnection {
  readonly capabilities: RawItem;
  readonly serverInfo: RawItem | undefined;
  readonly instructions: string | undefined;
  readonly protocolVersion: string | undefined;
  /** The era the probe found (absent: an in-process source, which is neither). */
  readonly era?: ProtocolEra;
  /**
   * Names this connection (this process, this session): a new one after a reconnect or a restart. A
   * 2026-era round's retry must reach the connection that asked for the input.
   */
  readonly id?: string;
  readonly pid: number | undefined;
  request(method: string, params: RawItem | undefined, opts: RequestOptions): Promise<RawItem>;
  notify(method: string, params?: RawItem): Promise<void>;
  /** Fetch every page of every list the upstream supports. */
  listAll(timeoutMs: number): Promise<SourceListing>;
  close(): Promise<void>;
}

export const CLIENT_INFO = { name: 'switchboard', version: '0.1.0' };

/** One MCP session with the upstream: a client and its transport. */
interface Link {
  client: Client;
  transport: Transport;
  id: string;
  era: ProtocolEra;
  /** A 2026-era upstream's listen stream (list changes, resource updates). */
  listen?: McpSubscription;
  /** Replaced by a newer session: its end is expected and reported to nobody. */
  retired: boolean;
}

type Prior = { kind: 'legacy' } | { kind: 'modern'; discover: NonNullable<ReturnType<Client['getDiscoverResult']>> };

/**
 * Connect to an upstream; rejects with the transport's error if the handshake fails. A Streamable HTTP
 * upstream that forgets our session (it restarted, or expired it) gets a new one transparently: the
 * request it refused is sent again once, on the new session, and the owner hears `onRenewed`.
 */
export async function connectUpstream(cfg: ServerConfig, hooks: UpstreamHooks, stderr: StderrLog | undefined, options: ConnectOptions = {}): Promise<UpstreamConnection> {
  let closing = false;
  const progress = new ProgressRouter();
  // An SSE upstream is a 2024-era server by definition: no probe.
  const negotiate = options.negotiate === 'auto' && cfg.transport !== 'sse';
  /** The last probe's verdict: a renewed session (same upstream, same process) does not probe again. */
  let verdict: Prior | undefined;
  /** 2026-era upstreams: what `logging/setLevel` and `resources/subscribe` asked for, carried per request and by the listen stream. */
  let logLevel: string | undefined;
  const resourceSubs = new Set<string>();

  const open = async (prior?: Prior): Promise<Link> => {
    const transport = createTransport(cfg, stderr);
    const client = new Client(CLIENT_INFO, {
      capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } },
      ...(negotiate ? { versionNegotiation: { mode: 'auto' as const, probe: { timeoutMs: cfg.transport === 'stdio' ? Math.min(cfg.timeoutMs, STDIO_PROBE_MS) : cfg.timeoutMs } } } : {}),
      // A 2026-era upstream's input_required results come back to the gateway as they are: it decides
      // whether the client answers them (2026 clients) or it asks the client itself (2025 sessions).
      inputRequired: { autoFulfill: false },
    });
    const self: Link = { client, transport, id: randomUUID(), era: 'legacy', retired: false };
    let connected = false;
    client.fallbackRequestHandler = async (req, ctx) => (await hooks.onServerRequest(req.method, req.params as RawItem | undefined, ctx.mcpReq.signal)) as never;
    client.fallbackNotificationHandler = async (n) => hooks.onNotification(n.method, n.params as RawItem | undefined);
    client.onclose = () => {
      // Until connect() resolves, its rejection is the one report of a failure, and the one that carries
      // the cause (a 401, a spawn error); a second report would count the attempt twice.
      if (!closing && connected && !self.retired) hooks.onClosed('connection closed');
    };
    client.onerror = (err) => {
      // Other transport errors surface as failed requests or onclose. A lost session (noticed on the
      // event stream, a ping or a call) is renewed at once, before the transport closes the old one.
      if (connected && isSessionLost(err)) void renew(self).catch(() => undefined);
    };
    try {
      await client.connect(transport, { timeout: cfg.timeoutMs, ...(prior ? { prior } : {}) });
    } catch (err) {
      // A failed handshake must not leave the transport running: an SSE client would otherwise keep
      // reconnecting in the background for ever.
      self.retired = true;
      await client.close().catch(() => undefined);
      await transport.close().catch(() => undefined);
      throw err;
    }
    connected = true;
    self.era = client.getProtocolEra() === 'modern' ? 'modern' : 'legacy';
    const discover = client.getDiscoverResult();
    verdict = self.era === 'modern' && discover ? { kind: 'modern', discover } : { kind: 'legacy' };
    // The SDK dispatches notifications a microtask late but drops a request's progress handler as soon
    // as its response arrives, losing a final progress sent just before the result. Progress is routed
    // here instead, by tokens the gateway issues, and only forgotten after the caller has the result.
    client.setNotificationHandler('notifications/progress', (n) => progress.deliver(n.params as RawItem));
    if (self.era === 'modern') await listen(self);
    return self;
  };

  /**
   * A 2026-era upstream sends list changes and resource updates only on a `subscriptions/listen`
   * stream: one per connection, reopened with the new filter when the resource subscriptions change.
   */
  const listen = async (target: Link): Promise<void> => {
    const caps = (target.client.getServerCapabilities() ?? {}) as Record<string, { listChanged?: boolean; subscribe?: boolean } | undefined>;
    const filter = {
      ...(caps['tools']?.listChanged ? { toolsListChanged: true } : {}),
      ...(caps['prompts']?.listChanged ? { promptsListChanged: true } : {}),
      ...(caps['resources']?.listChanged ? { resourcesListChanged: true } : {}),
      ...(resourceSubs.size > 0 ? { resourceSubscriptions: [...resourceSubs] } : {}),
    };
    const previous = target.listen;
    target.listen = undefined;
    if (Object.keys(filter).length > 0) {
      try {
        const sub = await target.client.listen(filter, { timeout: Math.min(cfg.timeoutMs, 10_000) });
        target.listen = sub;
        // A stream the upstream dropped (not one replaced or closed here) is opened again, after a pause.
        void sub.closed.then((how) => {
          if (how !== 'remote' || closing || target.retired || target.listen !== sub) return;
          setTimeout(() => {
            if (!closing && !target.retired && target.listen === sub) void listen(target);
          }, 1000).unref();
        });
      } catch {
        /* an upstream without listen support: no notifications outside requests */
      }
    }
    await previous?.close().catch(() => undefined);
  };

  const openFirst = async (): Promise<Link> => {
    try {
      return await open();
    } catch (err) {
      // A stdio server that exits on a request before `initialize` cannot be probed in place: it is a
      // 2025-era server, started again without the probe.
      if (!negotiate || cfg.transport !== 'stdio' || closing || !(err instanceof SdkError) || err.code !== SdkErrorCode.EraNegotiationFailed) throw err;
      return open({ kind: 'legacy' });
    }
  };

  let link = await openFirst();
  let renewing: Promise<Link> | undefined;
  /** A new session in place of `from` (shared by everyone who saw it fail); the first caller starts it. */
  const renew = (from: Link): Promise<Link> => {
    if (link !== from) return Promise.resolve(link);
    if (!renewing) {
      from.retired = true;
      renewing = (async () => {
        try {
          if (closing) throw new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed');
          const next = await open(verdict);
          if (closing) {
            await next.client.close().catch(() => undefined);
            throw new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed');
          }
          link = next;
          hooks.onRenewed?.();
          return link;
        } catch (err) {
          if (!closing) hooks.onClosed(`the upstream forgot our session and a new one could not be opened: ${err instanceof Error ? err.message : String(err)}`);
          throw err;
        } finally {
          renewing = undefined;
          void from.client.close().catch(() => undefined);
        }
      })();
    }
    return renewing;
  };

  const send = async (target: Link, method: string, params: RawItem | undefined, opts: RequestOptions): Promise<RawItem> => {
    const { client } = target;
    if (target.era === 'modern') {
      const adapted = await modernEquivalent(target, method, params, opts);
      if (adapted) return adapted;
      params = withLogLevel(params, logLevel ?? (client.getServerCapabilities()?.logging ? 'debug' : undefined));
    }
    // allowInputRequired: a 2026-era upstream's input_required result is returned, not fulfilled here.
    const base = { allowInputRequired: true } as const;
    if (!opts.onProgress) {
      return lift(target, (await client.request({ method, ...(params ? { params } : {}) } as never, RAW, { ...base, signal: opts.signal, timeout: opts.timeoutMs })) as RawItem);
    }
    const tracked = progress.track(opts.onProgress, opts.timeoutMs, opts.signal);
    try {
      const withToken = { ...params, _meta: { ...((params?.['_meta'] as RawItem | undefined) ?? {}), progressToken: tracked.token } };
      return lift(target, (await client.request({ method, params: withToken } as never, RAW, { ...base, signal: tracked.signal, timeout: UNBOUNDED_MS })) as RawItem);
    } catch (err) {
      throw tracked.timedOut() ? new SdkError(SdkErrorCode.RequestTimeout, `Request timed out after ${opts.timeoutMs} ms without progress`) : err;
    } finally {
      tracked.done();
    }
  };

  /**
   * The 2025-era methods the gateway uses on every upstream, in 2026-era terms: `ping` becomes a
   * `server/discover`, the log level travels in each request's `_meta`, and resource subscriptions
   * move to the listen stream. Undefined for any other method.
   */
  const modernEquivalent = async (target: Link, method: string, params: RawItem | undefined, opts: RequestOptions): Promise<RawItem | undefined> => {
    switch (method) {
      case 'ping':
        await target.client.discover({ signal: opts.signal, timeout: opts.timeoutMs });
        return {};
      case 'logging/setLevel':
        if (typeof params?.['level'] === 'string') logLevel = params['level'];
        return {};
      case 'resources/subscribe':
      case 'resources/unsubscribe': {
        const uri = params?.['uri'];
        if (typeof uri !== 'string') return undefined;
        const had = resourceSubs.has(uri);
        if (method === 'resources/subscribe') resourceSubs.add(uri);
        else resourceSubs.delete(uri);
        if (had !== resourceSubs.has(uri)) await listen(target);
        return {};
      }
      default:
        return undefined;
    }
  };

  const request = async (method: string, params: RawItem | undefined, opts: RequestOptions): Promise<RawItem> => {
    const from = link;
    try {
      return await send(from, method, params, opts);
    } catch (err) {
      // The upstream refused the request without running it: once more, on a new session.
      if (!isSessionLost(err) || opts.signal?.aborted) throw err;
      const next = await renew(from).catch(() => Promise.reject(err));
      return send(next, method, params, opts);
    }
  };

  return {
    get capabilities() {
      return (link.client.getServerCapabilities() ?? {}) as RawItem;
    },
    get serverInfo() {
      return link.client.getServerVersion() as RawItem | undefined;
    },
    get instructions() {
      return link.client.getInstructions();
    },
    get protocolVersion() {
      return link.client.getNegotiatedProtocolVersion?.();
    },
    get era() {
      return link.era;
    },
    get id() {
      return link.id;
    },
    get pid() {
      return link.transport instanceof ProcessGroupStdioTransport ? link.transport.pid : undefined;
    },
    request,
    // A 2026-era client sends no notifications of its own (roots travel as input responses).
    notify: async (method, params) => (link.era === 'modern' ? undefined : link.client.notification({ method, ...(params ? { params } : {}) } as never)),
    listAll: (timeoutMs) => listAll(request, (link.client.getServerCapabilities() ?? {}) as RawItem, timeoutMs),
    async close() {
      closing = true;
      await link.listen?.close().catch(() => undefined);
      await link.client.close().catch(() => undefined);
    },
  };
}

function createTransport(cfg: ServerConfig, stderr: StderrLog | undefined): Transport {
  switch (cfg.transport) {
    case 'stdio':
      return new ProcessGroupStdioTransport({ command: cfg.command!, args: cfg.args, env: cfg.env, ...(cfg.cwd ? { cwd: cfg.cwd } : {}), ...(stderr ? { stderrLog: stderr } : {}) });
    case 'streamable-http':
      return new NodeHttpClientTransport(new URL(cfg.url!), { headers: cfg.headers });
    case 'sse':
      return new SSEClientTransport(new URL(cfg.url!), { requestInit: { headers: cfg.headers } });
  }
}

/** A request's params with the 2026-era log level in `_meta`, unless the caller set one. */
function withLogLevel(params: RawItem | undefined, level: string | undefined): RawItem | undefined {
  if (!level) return params;
  const meta = (params?.['_meta'] as RawItem | undefined) ?? {};
  if (LOG_LEVEL_META_KEY in meta) return params;
  return { ...params, _meta: { ...meta, [LOG_LEVEL_META_KEY]: level } };
}

/**
 * A 2026-era upstream's result as the gateway passes it on: without the upstream's own
 * `io.modelcontextprotocol/*` result metadata (its server identity), which the gateway's server
 * stamps for itself.
 */
function lift(target: Link, result: RawItem): RawItem {
  if (target.era !== 'modern' || !result || typeof result !== 'object') return result;
  const meta = result['_meta'] as RawItem | undefined;
  if (!meta || typeof meta !== 'object') return result;
  const kept = Object.fromEntries(Object.entries(meta).filter(([k]) => !k.startsWith(RESERVED_META)));
  const { _meta: _drop, ...rest } = result;
  return Object.keys(kept).length > 0 ? { ...rest, _meta: kept } : rest;
}

type Requester = (method: string, params: RawItem | undefined, opts: RequestOptions) => Promise<RawItem>;

async function listAll(request: Requester, caps: RawItem, timeoutMs: number): Promise<SourceListing> {
  const [tools, resources, resourceTemplates, prompts] = await Promise.all([
    caps['tools'] ? listPaged(request, 'tools/list', 'tools', timeoutMs) : [],
    caps['resources'] ? listPaged(request, 'resources/list', 'resources', timeoutMs) : [],
    caps['resources'] ? listPaged(request, 'resources/templates/list', 'resourceTemplates', timeoutMs).catch(() => []) : [],
    caps['prompts'] ? listPaged(request, 'prompts/list', 'prompts', timeoutMs) : [],
  ]);
  return { tools, resources, resourceTemplates, prompts };
}

async function listPaged(request: Requester, method: string, key: string, timeoutMs: number): Promise<RawItem[]> {
  const out: RawItem[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await request(method, cursor ? { cursor } : undefined, { timeoutMs });
    const items = res[key];
    if (Array.isArray(items)) for (const it of items) if (it && typeof it === 'object') out.push(it as RawItem);
    const next = res['nextCursor'];
    if (typeof next !== 'string' || next === '' || next === cursor) break;
    cursor = next;
  }
  return out;
}
