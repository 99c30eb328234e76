import { Client, SdkError, SdkErrorCode, SSEClientTransport, type Transport } from '@modelcontextprotocol/client';
import { z } from 'zod';
import type { ServerConfig } from '../config/index.js';
import type { Principal, RawItem, SourceListing } from '../shared/index.js';
import { isSessionLost, NodeHttpClientTransport } from './http-client-transport.js';
import { ProcessGroupStdioTransport } from './stdio-transport.js';
import type { StderrLog } from './stderr-log.js';
import { ProgressRouter, UNBOUNDED_MS } from './progress-router.js';

const RAW = z.any();
const MAX_PAGES = 100;

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
  /** Replaced by a newer session: its end is expected and reported to nobody. */
  retired: boolean;
}

/**
 * Connect to an upstream; rejects with the transport's error if the handshake fails. A Streamable HTTP
 * upstream that forgets our session (it restarted, or expired it) gets a new one transparently: the
 * request it refused is sent again once, on the new session, and the owner hears `onRenewed`.
 */
export async function connectUpstream(cfg: ServerConfig, hooks: UpstreamHooks, stderr: StderrLog | undefined): Promise<UpstreamConnection> {
  let closing = false;
  const progress = new ProgressRouter();

  const open = async (): Promise<Link> => {
    const transport = createTransport(cfg, stderr);
    const client = new Client(CLIENT_INFO, {
      capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } },
    });
    const self: Link = { client, transport, retired: false };
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
      await client.connect(transport, { timeout: cfg.timeoutMs });
    } catch (err) {
      // A failed handshake must not leave the transport running: an SSE client would otherwise keep
      // reconnecting in the background for ever.
      self.retired = true;
      await client.close().catch(() => undefined);
      await transport.close().catch(() => undefined);
      throw err;
    }
    connected = true;
    // The SDK dispatches notifications a microtask late but drops a request's progress handler as soon
    // as its response arrives, losing a final progress sent just before the result. Progress is routed
    // here instead, by tokens the gateway issues, and only forgotten after the caller has the result.
    client.setNotificationHandler('notifications/progress', (n) => progress.deliver(n.params as RawItem));
    return self;
  };

  let link = await open();
  let renewing: Promise<Link> | undefined;
  /** A new session in place of `from` (shared by everyone who saw it fail); the first caller starts it. */
  const renew = (from: Link): Promise<Link> => {
    if (link !== from) return Promise.resolve(link);
    if (!renewing) {
      from.retired = true;
      renewing = (async () => {
        try {
          if (closing) throw new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed');
          const next = await open();
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

  const send = async (client: Client, method: string, params: RawItem | undefined, opts: RequestOptions): Promise<RawItem> => {
    if (!opts.onProgress) {
      return (await client.request({ method, ...(params ? { params } : {}) } as never, RAW, { signal: opts.signal, timeout: opts.timeoutMs })) as RawItem;
    }
    const tracked = progress.track(opts.onProgress, opts.timeoutMs, opts.signal);
    try {
      const withToken = { ...params, _meta: { ...((params?.['_meta'] as RawItem | undefined) ?? {}), progressToken: tracked.token } };
      return (await client.request({ method, params: withToken } as never, RAW, { signal: tracked.signal, timeout: UNBOUNDED_MS })) as RawItem;
    } catch (err) {
      throw tracked.timedOut() ? new SdkError(SdkErrorCode.RequestTimeout, `Request timed out after ${opts.timeoutMs} ms without progress`) : err;
    } finally {
      tracked.done();
    }
  };

  const request = async (method: string, params: RawItem | undefined, opts: RequestOptions): Promise<RawItem> => {
    const from = link;
    try {
      return await send(from.client, method, params, opts);
    } catch (err) {
      // The upstream refused the request without running it: once more, on a new session.
      if (!isSessionLost(err) || opts.signal?.aborted) throw err;
      const next = await renew(from).catch(() => Promise.reject(err));
      return send(next.client, method, params, opts);
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
    get pid() {
      return link.transport instanceof ProcessGroupStdioTransport ? link.transport.pid : undefined;
    },
    request,
    notify: (method, params) => link.client.notification({ method, ...(params ? { params } : {}) } as never),
    listAll: (timeoutMs) => listAll(request, (link.client.getServerCapabilities() ?? {}) as RawItem, timeoutMs),
    async close() {
      closing = true;
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
