/**
 * MCP sessions with a remote server (Streamable HTTP or SSE) for the external sources of hosted
 * servers: a short one (connect, do one thing, close) for discovery, and a lasting one that the
 * source-connection pool keeps per source for forwarded calls. Every HTTP request of a session (the
 * first one, each POST, the event stream, a same-origin redirect) goes through a fetch that asks the
 * caller where it may connect and then connects to exactly that checked address, so a name cannot be
 * re-resolved elsewhere between the check and the connection. Each message the server sends is
 * capped in size.
 */
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { setMaxListeners } from 'node:events';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { pipeline, Readable, Transform } from 'node:stream';
import { Client, ProtocolError, SdkError, SdkErrorCode, SSEClientTransport, StreamableHTTPClientTransport, type FetchLike, type Transport } from '@modelcontextprotocol/client';
import { z } from 'zod';
import type { RawItem } from '../shared/index.js';
import { CLIENT_INFO } from './connection.js';

const RAW = z.any();
const MAX_PAGES = 50;
/** How long a kept-alive socket may wait for its next request (the agent's socket timeout only closes idle sockets). */
const FREE_SOCKET_MS = 2000;

/** Where one HTTP request may connect: the checked address, or a throw (the request is not sent). */
export type AddressGate = (url: URL) => Promise<{ address: string; family: number }>;

export interface OneShotTarget {
  url: string;
  transport: 'streamable-http' | 'sse';
  /** Sent with every request (secrets already filled in). */
  headers: Record<string, string>;
  /** Bound on the handshake and on each request. */
  timeoutMs: number;
  gate: AddressGate;
}

/** What a short session can do. */
export interface OneShotSession {
  readonly serverInfo: RawItem | undefined;
  /** Every page of tools/list (an empty list when the server offers no tools). */
  listTools(): Promise<RawItem[]>;
  /** tools/call; the result exactly as the server sent it. */
  callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal, timeoutMs?: number): Promise<RawItem>;
}

/** The request never left the host (refused connection, a dead kept-alive socket, a closed session): safe to send again. */
export class RequestNotSentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RequestNotSentError';
  }
}

/** The server no longer knows the session (HTTP 404 to a request of an initialized session): the request did not run. */
export class SessionGoneError extends Error {
  constructor(status: number) {
    super(`the server no longer knows this session (HTTP ${status})`);
    this.name = 'SessionGoneError';
  }
}

/** A message from the server was larger than the cap. */
export class MessageTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the source sent a message larger than ${limit} bytes`);
    this.name = 'MessageTooLargeError';
  }
}

/** Whether `err` (or an error it wraps) is of class `type`. */
export function causedBy(err: unknown, type: abstract new (...args: never[]) => Error): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 8 && e instanceof Error; depth++) {
    if (e instanceof type) return true;
    e = (e as Error).cause;
  }
  return false;
}

/**
 * Whether a failed request leaves the session usable: a JSON-RPC error from the server, or a
 * request that timed out or was cancelled. Anything else (transport errors, a gone session, an
 * oversized message) means the session should be dropped.
 */
export function sessionSurvives(err: unknown): boolean {
  if (causedBy(err, MessageTooLargeError) || causedBy(err, SessionGoneError) || causedBy(err, RequestNotSentError)) return false;
  if (err instanceof ProtocolError) return true;
  return err instanceof SdkError && err.code === SdkErrorCode.RequestTimeout;
}

/** Per-request header naming the call a POST carries; read and removed by pinnedFetch, never sent. */
export const CALL_TAG_HEADER = 'x-switchboard-call';

export interface PinnedFetchOptions {
  /** Sockets to reuse (keep-alive); only for a gate that always answers the same address. Default: a new socket per request. */
  agent?: HttpAgent | HttpsAgent;
  /** Cap on one message: a JSON body, or one event of an event stream. */
  maxMessageBytes?: number;
  /** Called when a body passes the cap, with the call tag of its request (if it had one). */
  onTooLarge?: (tag: string | undefined) => void;
}

/** A fetch that connects only to the address `gate` approved for each URL; redirects are returned, not followed. */
export function pinnedFetch(gate: AddressGate, opts: PinnedFetchOptions = {}): FetchLike {
  return async (input, init = {}) => {
    const url = new URL(typeof input === 'string' ? input : input.href);
    const { address, family } = await gate(url);
    const method = (init.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => void (headers[k] = v));
    const tag = headers[CALL_TAG_HEADER];
    delete headers[CALL_TAG_HEADER];
    let body: Buffer | undefined;
    if (init.body != null) {
      if (typeof init.body === 'string') body = Buffer.from(init.body, 'utf8');
      else if (init.body instanceof Uint8Array) body = Buffer.from(init.body);
      else if (init.body instanceof ArrayBuffer) body = Buffer.from(new Uint8Array(init.body));
      else throw new TypeError('unsupported request body');
    }
    if (body) headers['content-length'] = String(body.length);
    const lookup = ((_host: string, o: { all?: boolean }, cb: (...args: unknown[]) => void) => {
      if (o && o.all) cb(null, [{ address, family }]);
      else cb(null, address, family);
    }) as unknown as LookupFunction;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // Concurrent requests of one session share the transport's signal: many listeners on it are expected.
    if (init.signal) setMaxListeners(0, init.signal);
    const exchange = () =>
      new Promise<IncomingMessage>((resolve, reject) => {
        const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
        let connected = false;
        const req: ClientRequest = send(url, { method, headers, agent: opts.agent ?? false, lookup, ...(init.signal ? { signal: init.signal } : {}), ...(url.protocol === 'https:' && !isIP(host) ? { servername: host } : {}) });
        req.on('socket', (s: Socket) => {
          if (s.connecting) s.once('connect', () => void (connected = true));
          else connected = true;
        });
        req.on('response', resolve);
        req.on('error', (err: NodeJS.ErrnoException) => {
          // Only a request whose connection never opened surely did not reach the server. A reset on a
          // reused socket might have come after the server read the request: that one may have run.
          reject(!init.signal?.aborted && !connected ? new RequestNotSentError(`could not send the request: ${err.message}`, { cause: err }) : err);
        });
        req.end(body);
      });
    const res = await exchange();
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) out.append(k, one);
    }
    const status = res.statusCode ?? 502;
    const empty = method === 'HEAD' || status === 204 || status === 205 || status === 304;
    if (empty) res.resume();
    const stream = empty ? null : (Readable.toWeb(opts.maxMessageBytes ? capped(res, opts.maxMessageBytes, () => opts.onTooLarge?.(tag)) : res) as ReadableStream<Uint8Array>);
    return new Response(stream, { status: status < 200 || status > 599 ? 502 : status, statusText: res.statusMessage ?? '', headers: out });
  };
}

/** `res` with each message capped at `limit` bytes: the whole body, or each event of an event stream. */
function capped(res: IncomingMessage, limit: number, onTooLarge: () => void): Readable {
  const sse = /text\/event-stream/i.test(String(res.headers['content-type'] ?? ''));
  let current = 0;
  let lineLength = 0;
  let previous = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (!sse) {
        current += chunk.length;
      } else {
        // An event ends at an empty line ("\n" or "\r\n" on its own).
        for (let pos = 0; pos < chunk.length; ) {
          const nl = chunk.indexOf(0x0a, pos);
          const end = nl < 0 ? chunk.length : nl + 1;
          lineLength += end - pos;
          current += end - pos;
          if (current > limit) break;
          if (nl >= 0) {
            const before = nl > 0 ? chunk[nl - 1] : previous;
            if (lineLength === 1 || (lineLength === 2 && before === 0x0d)) current = 0;
            lineLength = 0;
          }
          pos = end;
        }
        previous = chunk[chunk.length - 1] ?? previous;
      }
      if (current > limit) {
        onTooLarge();
        cb(new MessageTooLargeError(limit));
        return;
      }
      cb(null, chunk);
    },
  });
  pipeline(res, guard, () => undefined);
  return guard;
}

/** A session that stays open: the pool's unit. */
export interface McpSession extends OneShotSession {
  /** Ended: closed here, by the server, or found broken. */
  readonly closed: boolean;
  close(): Promise<void>;
}

export interface McpSessionOptions {
  /** Reuse sockets (keep-alive) within the session; the gate must then answer one address per origin. */
  keepAlive?: boolean;
  /** Cap on each message from the server; a call whose result passes it fails with MessageTooLargeError. */
  maxMessageBytes?: number;
  /** Called once when the session ends for any reason. */
  onClosed?: () => void;
}

/** Open a session (connect and initialize) that stays open until `close()` or until it breaks. */
export async function openMcpSession(target: OneShotTarget, opts: McpSessionOptions = {}): Promise<McpSession> {
  const url = new URL(target.url);
  // Idle sockets are closed well before servers usually close them (5 s and more), so a request is
  // rarely sent on a socket the server is closing (a reset there is not retried: the call may have run).
  const sockets = { keepAlive: true, timeout: FREE_SOCKET_MS };
  const agent = opts.keepAlive ? (url.protocol === 'https:' ? new HttpsAgent(sockets) : new HttpAgent(sockets)) : undefined;
  let closed = false;
  let initialized = false;
  /** Calls whose own message passed the cap, by tag; a message with no tag breaks the session. */
  const tooLarge = new Set<string>();
  const running = new Map<string, AbortController>();
  let broken: Error | undefined;
  let seq = 0;
  let client: Client;
  const end = () => {
    if (closed) return;
    closed = true;
    opts.onClosed?.();
  };
  const base = pinnedFetch(target.gate, {
    ...(agent ? { agent } : {}),
    ...(opts.maxMessageBytes ? { maxMessageBytes: opts.maxMessageBytes } : {}),
    onTooLarge: (tag) => {
      const call = tag === undefined ? undefined : running.get(tag);
      if (tag !== undefined && call) {
        tooLarge.add(tag);
        call.abort(new MessageTooLargeError(opts.maxMessageBytes!));
        return;
      }
      broken = new MessageTooLargeError(opts.maxMessageBytes!);
      end();
      void client?.close().catch(() => undefined);
    },
  });
  const fetch: FetchLike = async (input, init) => {
    const res = await base(input, init);
    // After the handshake a 404 means the server has forgotten the session (it restarted, or expired it).
    if (initialized && res.status === 404 && (init?.method ?? 'GET').toUpperCase() !== 'DELETE') {
      await res.body?.cancel().catch(() => undefined);
      end();
      throw new SessionGoneError(404);
    }
    return res;
  };
  const transport: StreamableHTTPClientTransport | SSEClientTransport =
    target.transport === 'sse' ? new SSEClientTransport(url, { fetch, requestInit: { headers: target.headers } }) : new StreamableHTTPClientTransport(url, { fetch, requestInit: { headers: target.headers } });
  client = new Client(CLIENT_INFO, { capabilities: {} });
  client.onclose = end;
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= shutdown());
  const shutdown = async () => {
    end();
    for (const c of running.values()) c.abort(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'));
    // Tell a Streamable HTTP server the session is over (bounded; a refusal or an error is ignored).
    if (initialized && transport instanceof StreamableHTTPClientTransport && transport.sessionId && !broken) {
      await Promise.race([transport.terminateSession().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
    }
    await client.close().catch(() => undefined);
    await transport.close().catch(() => undefined);
    agent?.destroy();
  };
  try {
    await client.connect(transport, { timeout: target.timeoutMs });
    initialized = true;
  } catch (err) {
    await close();
    throw broken ?? err;
  }
  /** One request, tagged so that a too-large answer fails only this request. */
  const request = async (method: string, params: RawItem | undefined, signal?: AbortSignal, timeoutMs = target.timeoutMs): Promise<RawItem> => {
    if (closed) throw broken ?? new RequestNotSentError('the session is closed');
    const tag = String(++seq);
    const own = new AbortController();
    const forward = () => own.abort(signal?.reason);
    if (signal?.aborted) forward();
    else signal?.addEventListener('abort', forward, { once: true });
    running.set(tag, own);
    try {
      return (await client.request({ method, ...(params ? { params } : {}) } as never, RAW, { timeout: timeoutMs, signal: own.signal, headers: { [CALL_TAG_HEADER]: tag } })) as RawItem;
    } catch (err) {
      if (tooLarge.has(tag)) throw new MessageTooLargeError(opts.maxMessageBytes!);
      if (broken) throw broken;
      throw err;
    } finally {
      running.delete(tag);
      tooLarge.delete(tag);
      signal?.removeEventListener('abort', forward);
    }
  };
  return {
    serverInfo: client.getServerVersion() as RawItem | undefined,
    get closed() {
      return closed;
    },
    close,
    async listTools() {
      if (!client.getServerCapabilities()?.tools) return [];
      const out: RawItem[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await request('tools/list', cursor ? { cursor } : undefined);
        const items = res['tools'];
        if (Array.isArray(items)) for (const it of items) if (it && typeof it === 'object') out.push(it as RawItem);
        const next = res['nextCursor'];
        if (typeof next !== 'string' || next === '' || next === cursor) break;
        cursor = next;
      }
      return out;
    },
    callTool: (name, args, signal, timeoutMs) => request('tools/call', { name, arguments: args }, signal, timeoutMs),
  };
}

/** Open a session, run `fn`, close the session whatever happened (failures to connect reject). */
export async function withMcpSession<T>(target: OneShotTarget, fn: (session: OneShotSession) => Promise<T>, opts: McpSessionOptions = {}): Promise<T> {
  const session = await openMcpSession(target, opts);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
