import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SdkError, SdkErrorCode, SdkHttpError, type JSONRPCMessage, type Transport, type TransportSendOptions } from '@modelcontextprotocol/client';
import { formatBytes, SseParser } from './sse-parser.js';

/** How to reach one Streamable HTTP upstream. */
export interface NodeHttpClientOptions {
  /** Sent with every request (e.g. Authorization). Headers the transport sets itself cannot be overridden. */
  headers?: Record<string, string>;
  /** Connections kept to the upstream at most (requests beyond it queue). Default 64. */
  maxSockets?: number;
  /** Largest JSON body or single SSE event accepted. Default 64 MiB. */
  maxMessageBytes?: number;
  /** GET + Last-Event-ID attempts when a request's SSE stream ends before its response. Default 2. */
  maxResumeAttempts?: number;
  /** Reconnect delay of the standalone GET stream: first retry, then doubling up to the maximum. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Bound on the DELETE that ends the session in close(). Default 2000 ms. */
  closeTimeoutMs?: number;
}

type State = 'idle' | 'open' | 'closing' | 'closed';
type RequestId = string | number;

/** A response stream (POST SSE, JSON body, or the standalone GET stream) and what it still owes us. */
interface Stream {
  /** The request whose response this stream carries; undefined for the standalone GET stream. */
  readonly requestId: RequestId | undefined;
  answered: boolean;
  lastEventId: string;
  retryMs: number | undefined;
  resumes: number;
  /** Why the stream may not be resumed (an oversized event); set once. */
  fatal: string | undefined;
  /** The last failure while resuming, for the final error message. */
  lastFailure: string | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onToken: ((token: string) => void) | undefined;
}

const DEFAULT_MAX_SOCKETS = 64;
const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const DEFAULT_RESUME_ATTEMPTS = 2;
const DEFAULT_RECONNECT_MIN_MS = 1000;
const DEFAULT_RECONNECT_MAX_MS = 30_000;
const DEFAULT_CLOSE_TIMEOUT_MS = 2000;
/** A standalone stream that stayed up this long resets the reconnect backoff. */
const STABLE_STREAM_MS = 5000;
const MAX_REDIRECTS = 5;
/** Bytes of an error body read for the message, and how long we wait for them. */
const ERROR_BODY_BYTES = 4096;
const ERROR_BODY_MS = 1000;
const ACCEPT_POST = 'application/json, text/event-stream';
const ACCEPT_SSE = 'text/event-stream';
/** JSON-RPC code of the error the transport reports for a request whose response was lost. */
const RESPONSE_LOST_CODE = -32603;

/** Header names the transport owns; neither configured nor per-request headers may set them. */
const RESERVED_HEADERS = new Set(['accept', 'connection', 'content-length', 'content-type', 'last-event-id', 'mcp-protocol-version', 'mcp-session-id', 'transfer-encoding']);

/**
 * The upstream no longer knows our session (it expired, or the server restarted). The request it
 * refused was not processed, so it may be sent again once a new session is initialised.
 */
export class UpstreamSessionLost extends SdkHttpError {}

/** Whether an error (from a request, or the transport's onerror) means the upstream session is gone. */
export function isSessionLost(err: unknown): boolean {
  return err instanceof UpstreamSessionLost;
}

/**
 * MCP client transport for the 2025-era Streamable HTTP transport (spec 2025-11-25), written against
 * node:http(s) with one keep-alive agent per transport, in place of the SDK's fetch-based
 * StreamableHTTPClientTransport (web streams, a TextDecoderStream and an EventSource parser per
 * response, and abort listeners piling up on one long-lived signal).
 *
 * Every message is a POST. `send()` resolves once the upstream has accepted it (response headers
 * received); the JSON-RPC response, and whatever the upstream sends before it, arrive through
 * `onmessage`, so the SDK's own timeouts and cancellation keep working. A request's SSE stream that
 * ends before its response is resumed with GET + Last-Event-ID; when that is impossible the request is
 * answered with a JSON-RPC error rather than left to time out. After `notifications/initialized` a
 * standalone GET stream carries server-initiated messages and is reconnected with backoff.
 */
export class NodeHttpClientTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];

  private readonly request: typeof httpRequest;
  private readonly agent: HttpAgent;
  private readonly protocol: string;
  private readonly hostname: string;
  private readonly port: string;
  private readonly path: string;
  private readonly origin: string;
  private readonly headers: Record<string, string>;
  private readonly maxSockets: number;
  private readonly maxMessageBytes: number;
  private readonly maxResumes: number;
  private readonly reconnectMinMs: number;
  private readonly reconnectMaxMs: number;
  private readonly closeTimeoutMs: number;

  private state: State = 'idle';
  private _sessionId: string | undefined;
  private protocolVersion: string | undefined;
  private sessionGone = false;
  /** A notification was dispatched in the current synchronous turn (see deliver()). */
  private notifiedThisTurn = false;
  /** Every request in flight (POSTs until their response has been read, open GET streams). */
  private readonly active = new Set<ClientRequest>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private standalone: Stream | undefined;
  private standaloneState: 'off' | 'opening' | 'open' | 'waiting' | 'unsupported' = 'off';
  private standaloneAttempts = 0;
  private closing: Promise<void> | undefined;

  constructor(url: URL | string, options: NodeHttpClientOptions = {}) {
    const u = typeof url === 'string' ? new URL(url) : url;
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`Streamable HTTP needs an http: or https: URL, not ${u.protocol}`);
    this.protocol = u.protocol;
    this.hostname = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    this.port = u.port;
    this.path = `${u.pathname}${u.search}`;
    this.origin = u.origin;
    this.maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.maxResumes = options.maxResumeAttempts ?? DEFAULT_RESUME_ATTEMPTS;
    this.reconnectMinMs = options.reconnectMinMs ?? DEFAULT_RECONNECT_MIN_MS;
    this.reconnectMaxMs = options.reconnectMaxMs ?? DEFAULT_RECONNECT_MAX_MS;
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    this.headers = ownHeaders(options.headers);
    const agentOptions = { keepAlive: true, maxSockets: this.maxSockets, scheduling: 'lifo' as const, noDelay: true };
    this.agent = u.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.request = u.protocol === 'https:' ? (httpsRequest as typeof httpRequest) : httpRequest;
  }

  get sessionId(): string | undefined {
    return this._sessionId;
  }

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error('NodeHttpClientTransport already started (Client.connect() calls start() itself)');
    this.state = 'open';
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (this.state !== 'open') throw new SdkError(SdkErrorCode.NotConnected, 'Not connected');
    const m = message as { method?: unknown; id?: unknown };
    const isRequest = typeof m.method === 'string' && (typeof m.id === 'string' || typeof m.id === 'number');
    const requestId = isRequest ? (m.id as RequestId) : undefined;
    if (options?.resumptionToken) {
      this.resume(newStream(requestId, options.resumptionToken, options.requestSignal, options.onresumptiontoken));
      return;
    }
    const body = JSON.stringify(message);
    const headers = this.baseHeaders(ACCEPT_POST, m.method !== 'initialize');
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(body);
    if (options?.headers) for (const [k, v] of Object.entries(options.headers)) if (!RESERVED_HEADERS.has(k.toLowerCase())) headers[k.toLowerCase()] = v;
    const modern = isRequest ? modernHeaders(message) : undefined;
    if (modern) Object.assign(headers, modern);
    const sessionUsed = headers['mcp-session-id'] !== undefined;
    // Requests hold their connection until the response; if they hold all of them, an answer to a
    // server request (which such a request may be waiting for) must not queue behind them.
    const agent = isRequest || this.active.size < this.maxSockets ? this.agent : false;
    const res = await this.open('POST', headers, body, agent, options?.requestSignal);
    if (this.state !== 'open') {
      res.destroy();
      throw closedError();
    }
    const status = res.statusCode ?? 0;
    if (modern && !sessionUsed && (status === 400 || status === 404)) {
      // A 2026-era server answers a refused request with its JSON-RPC error as the body of a 4xx.
      const text = await readBody(res);
      const error = rpcErrorFor(text, requestId!);
      if (error) {
        this.onmessage?.(error);
        return;
      }
      throw new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, `Upstream answered POST ${describeMessage(m)} with HTTP ${status} ${res.statusMessage ?? ''}: ${excerpt(text)}`, { status, statusText: res.statusMessage ?? '', text });
    }
    if (status < 200 || status >= 300) throw await this.httpError(res, `POST ${describeMessage(m)}`, sessionUsed);
    if (m.method === 'initialize') {
      const sid = res.headers['mcp-session-id'];
      if (typeof sid === 'string' && sid !== '') this._sessionId = sid;
    }
    if (requestId === undefined || status === 202) {
      // 202: accepted; for a request (not expected) the response would come on the standalone stream.
      res.resume();
      if (m.method === 'notifications/initialized') this.openStandalone();
      return;
    }
    const type = mediaType(res.headers['content-type']);
    const stream = newStream(requestId, '', options?.requestSignal, options?.onresumptiontoken);
    if (type === 'text/event-stream') this.readSse(res, stream, () => this.requestStreamEnded(stream));
    else if (type === 'application/json') this.readJson(res, stream);
    else {
      res.destroy();
      throw new SdkError(SdkErrorCode.ClientHttpUnexpectedContent, `Unexpected content type ${JSON.stringify(res.headers['content-type'] ?? '')} in the answer to ${describeMessage(m)}`, {
        contentType: res.headers['content-type'],
      });
    }
  }

  /** Abort everything in flight, end the session with DELETE (best effort, bounded), call onclose once. */
  async close(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') return this.closing;
    const wasOpen = this.state === 'open';
    this.state = 'closing';
    this.closing = this.shutdown(wasOpen);
    return this.closing;
  }

  private async shutdown(wasOpen: boolean): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const req of this.active) req.destroy();
    this.active.clear();
    const sid = this._sessionId;
    if (wasOpen && sid !== undefined && !this.sessionGone) await this.deleteSession(sid);
    this.agent.destroy();
    this.state = 'closed';
    this.onclose?.();
  }

  /** Headers of every request: configured ones, then ours. */
  private baseHeaders(accept: string, withSession = true): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = { ...this.headers, accept };
    if (withSession && this._sessionId !== undefined) headers['mcp-session-id'] = this._sessionId;
    if (this.protocolVersion !== undefined) headers['mcp-protocol-version'] = this.protocolVersion;
    return headers;
  }

  /**
   * Issue one request and resolve with its response (any status). Follows redirects that stay on the
   * same origin and keep the method, as the SDK transport did, and retries once on a fresh connection
   * when a reused keep-alive socket turns out to have been closed by the server meanwhile.
   */
  private open(method: 'GET' | 'POST', headers: OutgoingHttpHeaders, body: string | undefined, agent: HttpAgent | false = this.agent, signal?: AbortSignal): Promise<IncomingMessage> {
    return new Promise<IncomingMessage>((resolve, reject) => {
      let path = this.path;
      let redirects = 0;
      let retried = false;
      const attempt = (): void => {
        const req = this.request({ protocol: this.protocol, hostname: this.hostname, port: this.port, path, method, headers, agent, ...(signal ? { signal } : {}) });
        this.active.add(req);
        let responded = false;
        req.once('close', () => this.active.delete(req));
        req.once('response', (res) => {
          responded = true;
          const status = res.statusCode ?? 0;
          if (status >= 300 && status < 400 && redirects < MAX_REDIRECTS && (method === 'GET' || status === 307 || status === 308)) {
            const next = this.sameOriginPath(res.headers.location, path);
            if (next !== undefined) {
              res.resume();
              redirects++;
              path = next;
              attempt();
              return;
            }
          }
          resolve(res);
        });
        req.on('error', (err: NodeJS.ErrnoException) => {
          if (responded) return; // Failures after the headers surface on the response.
          if (!retried && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE') && this.state === 'open') {
            retried = true;
            attempt();
            return;
          }
          if (this.state !== 'open') reject(closedError());
          else if (signal?.aborted) reject(err);
          else reject(new SdkError(SdkErrorCode.SendFailed, `${method} to ${this.origin} failed: ${err.message}`, err.code ? { errno: err.code } : undefined, { cause: err }));
        });
        req.end(body);
      };
      attempt();
    });
  }

  /** The path of a redirect target on our origin, or undefined when it leaves it. */
  private sameOriginPath(location: string | undefined, from: string): string | undefined {
    if (!location) return undefined;
    try {
      const target = new URL(location, `${this.origin}${from}`);
      return target.origin === this.origin && !target.username && !target.password ? `${target.pathname}${target.search}` : undefined;
    } catch {
      return undefined;
    }
  }

  /** The error for a non-2xx answer; a 404 on a session means the session is gone, which ends this transport. */
  private async httpError(res: IncomingMessage, what: string, sessionUsed: boolean): Promise<Error> {
    const status = res.statusCode ?? 0;
    const statusText = res.statusMessage ?? '';
    const text = await readExcerpt(res);
    const detail = text ? `: ${text}` : '';
    if (status === 401 || status === 403) {
      return new SdkHttpError(status === 401 ? SdkErrorCode.ClientHttpAuthentication : SdkErrorCode.ClientHttpForbidden, `Upstream refused ${what} with HTTP ${status} ${statusText}${detail}`, { status, statusText, text });
    }
    // The spec says 404; many SDK-based servers answer an unknown session with a 400 that says so.
    if (sessionUsed && (status === 404 || (status === 400 && /session/i.test(text)))) return this.sessionLost(what, status, statusText);
    const location = status >= 300 && status < 400 ? res.headers.location : undefined;
    const why = location ? `: redirect to ${location} not followed (it leaves ${this.origin} or changes the method); use that URL as the endpoint` : detail;
    return new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, `Upstream answered ${what} with HTTP ${status} ${statusText}${why}`, { status, statusText, text });
  }

  /** The upstream forgot our session (404): report it once, and close so the owner can reconnect. */
  private sessionLost(what: string, status: number, statusText: string): SdkHttpError {
    const err = new UpstreamSessionLost(
      SdkErrorCode.ClientHttpNotImplemented,
      `Session not found: the upstream answered ${what} with HTTP ${status} for session ${this._sessionId ?? '?'} (expired, or the server restarted); a new session is needed`,
      { status, statusText },
    );
    if (this.state === 'open' && !this.sessionGone) {
      this.sessionGone = true;
      this.onerror?.(err);
      // After the caller has seen the rejection, so that it, not "connection closed", is what it gets.
      setImmediate(() => void this.close());
    }
    return err;
  }

  /** A plain JSON answer to a request: one message, or an array of them. */
  private readJson(res: IncomingMessage, stream: Stream): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let ended = false;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.maxMessageBytes) {
        stream.fatal = `the JSON answer is larger than ${formatBytes(this.maxMessageBytes)}`;
        res.destroy();
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => {
      ended = true;
      if (this.state !== 'open') return;
      if (stream.fatal) return this.responseLost(stream, stream.fatal);
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      this.deliverText(text, stream);
      if (!stream.answered) this.responseLost(stream, 'the JSON answer did not contain the response');
    });
    res.on('error', noop);
    res.on('close', () => {
      if (!ended && this.state === 'open' && !stream.signal?.aborted) this.responseLost(stream, stream.fatal ?? 'the connection closed before the whole answer arrived');
    });
  }

  /** Feed an SSE response into a fresh parser; `ended` runs once the response is over, however it ended. */
  private readSse(res: IncomingMessage, stream: Stream, ended: () => void): void {
    const parser = new SseParser(this.maxMessageBytes, stream.lastEventId);
    parser.onEvent = (type, data) => {
      if (type === 'message' && this.state === 'open') this.deliverText(data, stream);
    };
    parser.onRetry = (ms) => (stream.retryMs = ms);
    if (stream.onToken) parser.onId = stream.onToken;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      try {
        parser.push(chunk);
      } catch (err) {
        stream.fatal = (err as Error).message;
        res.destroy();
      }
    });
    res.on('error', noop);
    res.on('close', () => {
      stream.lastEventId = parser.lastEventId;
      ended();
    });
  }

  /** A request's SSE stream is over: done if it carried the response, otherwise resume it or give up. */
  private requestStreamEnded(stream: Stream): void {
    if (this.state !== 'open' || stream.answered || stream.signal?.aborted) return;
    if (stream.fatal) return this.responseLost(stream, stream.fatal);
    if (stream.lastEventId === '') return this.responseLost(stream, 'the upstream closed the response stream before the response, without an event id to resume from');
    if (stream.resumes >= this.maxResumes) {
      return this.responseLost(stream, `the response stream ended before the response and ${stream.resumes} resumption attempt(s) did not bring it${stream.lastFailure ? ` (${stream.lastFailure})` : ''}`);
    }
    const delay = Math.min(stream.retryMs ?? this.reconnectMinMs * 2 ** stream.resumes, this.reconnectMaxMs);
    this.later(delay, () => this.resume(stream));
  }

  /** GET with Last-Event-ID: the upstream replays what we missed on `stream` and carries on. */
  private resume(stream: Stream): void {
    if (this.state !== 'open') return;
    stream.resumes++;
    const headers = this.baseHeaders(ACCEPT_SSE);
    headers['last-event-id'] = stream.lastEventId;
    const sessionUsed = headers['mcp-session-id'] !== undefined;
    this.open('GET', headers, undefined, this.agent, stream.signal).then(
      async (res) => {
        if (this.state !== 'open') return void res.destroy();
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300 && mediaType(res.headers['content-type']) === 'text/event-stream') {
          this.readSse(res, stream, () => this.requestStreamEnded(stream));
          return;
        }
        const err = await this.httpError(res, 'GET (resuming a response stream)', sessionUsed);
        if (this.sessionGone) return; // close() fails every pending request.
        stream.lastFailure = err.message;
        if (status >= 500 || status === 408 || status === 429) this.requestStreamEnded(stream);
        else this.responseLost(stream, `resuming the response stream failed: ${err.message}`);
      },
      (err: Error) => {
        if (this.state !== 'open') return;
        stream.lastFailure = err.message;
        this.requestStreamEnded(stream);
      },
    ).catch((err: unknown) => this.onerror?.(err as Error));
  }

  /** The response to `stream`'s request cannot arrive: say so, and answer the request with an error. */
  private responseLost(stream: Stream, why: string): void {
    if (stream.answered || stream.requestId === undefined) return;
    stream.answered = true;
    const message = `Upstream response lost: ${why}`;
    this.onerror?.(new Error(`${message} (request ${String(stream.requestId)})`));
    this.dispatch({ jsonrpc: '2.0', id: stream.requestId, error: { code: RESPONSE_LOST_CODE, message } } as JSONRPCMessage);
  }

  /** Open the standalone GET stream for server-initiated messages (after initialisation; 405 = not offered). */
  private openStandalone(): void {
    if (this.state !== 'open' || this.standaloneState !== 'off') return;
    this.standaloneState = 'opening';
    const stream = (this.standalone ??= newStream(undefined, '', undefined, undefined));
    const headers = this.baseHeaders(ACCEPT_SSE);
    if (stream.lastEventId !== '') headers['last-event-id'] = stream.lastEventId;
    const sessionUsed = headers['mcp-session-id'] !== undefined;
    this.open('GET', headers, undefined).then(
      async (res) => {
        if (this.state !== 'open') return void res.destroy();
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300 && mediaType(res.headers['content-type']) === 'text/event-stream') {
          this.standaloneState = 'open';
          const openedAt = Date.now();
          this.readSse(res, stream, () => {
            if (Date.now() - openedAt >= STABLE_STREAM_MS) this.standaloneAttempts = 0;
            this.standaloneReconnect(stream);
          });
          return;
        }
        if (status === 405) {
          res.resume();
          this.standaloneState = 'unsupported';
          return;
        }
        const err = await this.httpError(res, 'GET (event stream)', sessionUsed);
        if (this.sessionGone) return;
        this.onerror?.(err);
        if (status >= 500 || status === 408 || status === 429 || (status >= 200 && status < 300)) this.standaloneReconnect(stream);
        else this.standaloneState = 'unsupported';
      },
      (err: Error) => {
        if (this.state !== 'open') return;
        this.onerror?.(err);
        this.standaloneReconnect(stream);
      },
    ).catch((err: unknown) => this.onerror?.(err as Error));
  }

  private standaloneReconnect(stream: Stream): void {
    if (this.state !== 'open') return;
    const backoff = this.reconnectMinMs * 2 ** Math.min(this.standaloneAttempts++, 16);
    const delay = Math.min(Math.max(backoff, stream.retryMs ?? 0), this.reconnectMaxMs);
    this.standaloneState = 'waiting';
    this.later(delay, () => {
      this.standaloneState = 'off';
      this.openStandalone();
    });
  }

  /** Parse one JSON text (a message or an array of them) and deliver it. */
  private deliverText(text: string, stream: Stream | undefined): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.onerror?.(new Error(`Upstream sent invalid JSON: ${excerpt(text)}`));
      return;
    }
    if (Array.isArray(parsed)) for (const item of parsed) this.deliver(item, stream);
    else this.deliver(parsed, stream);
  }

  private deliver(m: unknown, stream: Stream | undefined): void {
    const msg = m as { jsonrpc?: unknown; id?: unknown; method?: unknown } | null;
    if (!msg || typeof msg !== 'object' || msg.jsonrpc !== '2.0') {
      this.onerror?.(new Error(`Upstream sent something that is not a JSON-RPC 2.0 message: ${excerpt(JSON.stringify(m) ?? String(m))}`));
      return;
    }
    if (msg.method === undefined) {
      // Compared as the SDK does (it looks responses up by Number(id)).
      if (stream !== undefined && stream.requestId !== undefined && (msg.id === stream.requestId || String(msg.id) === String(stream.requestId))) stream.answered = true;
      if (this.notifiedThisTurn) {
        // The SDK runs notification handlers a microtask late but forgets a request's progress
        // handler as soon as its response is dispatched: a progress notification parsed from the
        // same chunk as the response would be lost. Let the notification handlers run first.
        setImmediate(() => this.state === 'open' && this.dispatch(msg as JSONRPCMessage));
        return;
      }
    } else if (msg.id === undefined && !this.notifiedThisTurn) {
      this.notifiedThisTurn = true;
      queueMicrotask(() => (this.notifiedThisTurn = false));
    }
    this.dispatch(msg as JSONRPCMessage);
  }

  private dispatch(message: JSONRPCMessage): void {
    try {
      this.onmessage?.(message);
    } catch (err) {
      this.onerror?.(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** DELETE the session; never throws, never takes longer than closeTimeoutMs. */
  private deleteSession(sid: string): Promise<void> {
    return new Promise<void>((resolve) => {
      const headers: OutgoingHttpHeaders = { ...this.headers, 'mcp-session-id': sid };
      if (this.protocolVersion !== undefined) headers['mcp-protocol-version'] = this.protocolVersion;
      let req: ClientRequest | undefined;
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        req?.destroy();
        resolve();
      }, this.closeTimeoutMs);
      try {
        req = this.request({ protocol: this.protocol, hostname: this.hostname, port: this.port, path: this.path, method: 'DELETE', headers, agent: this.agent }, (res) => {
          res.on('error', noop);
          res.on('close', done);
          res.resume();
        });
        req.on('error', done);
        req.end();
      } catch {
        done();
      }
    });
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }
}


function newStream(requestId: RequestId | undefined, lastEventId: string, signal: AbortSignal | undefined, onToken: ((token: string) => void) | undefined): Stream {
  return { requestId, answered: false, lastEventId, retryMs: undefined, resumes: 0, fatal: undefined, lastFailure: undefined, signal, onToken };
}

/** Configured headers, lower-cased, without the ones the transport owns. */
function ownHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const name = k.toLowerCase();
    if (!RESERVED_HEADERS.has(name)) out[name] = v;
  }
  return out;
}

function mediaType(contentType: string | undefined): string {
  if (!contentType) return '';
  const semi = contentType.indexOf(';');
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

/** Up to ERROR_BODY_BYTES of a body, collapsed to one short line; gives up after ERROR_BODY_MS. */
function readExcerpt(res: IncomingMessage): Promise<string> {
  return readBody(res).then((text) => excerpt(text));
}

/** The start of an error body (up to ERROR_BODY_BYTES, waiting at most ERROR_BODY_MS), as sent. */
function readBody(res: IncomingMessage): Promise<string> {
  return new Promise<string>((resolve) => {
    let text = '';
    const finish = () => {
      clearTimeout(timer);
      res.removeListener('data', onData);
      if (!res.complete) res.destroy();
      resolve(text);
    };
    const onData = (chunk: string) => {
      text += chunk;
      if (text.length >= ERROR_BODY_BYTES) finish();
    };
    const timer = setTimeout(finish, ERROR_BODY_MS);
    res.setEncoding('utf8');
    res.on('data', onData);
    res.once('end', finish);
    res.once('close', finish);
    res.on('error', noop);
  });
}

const PROTOCOL_VERSION_META = 'io.modelcontextprotocol/protocolVersion';
/** The body field each 2026-era method mirrors in `Mcp-Name`. */
const MCP_NAME_SOURCE: Record<string, string> = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri', 'tasks/get': 'taskId', 'tasks/update': 'taskId', 'tasks/cancel': 'taskId' };

/**
 * The standard headers of a 2026-era request, derived from its body (`MCP-Protocol-Version` from the
 * `_meta` envelope, `Mcp-Method`, and `Mcp-Name` where the method mirrors a name); undefined for a
 * message without an envelope (every 2025-era message), which stays untouched.
 */
function modernHeaders(message: JSONRPCMessage): Record<string, string> | undefined {
  const m = message as { method?: string; params?: Record<string, unknown> };
  const version = (m.params?.['_meta'] as Record<string, unknown> | undefined)?.[PROTOCOL_VERSION_META];
  if (typeof version !== 'string' || typeof m.method !== 'string') return undefined;
  const out: Record<string, string> = { 'mcp-protocol-version': version, 'mcp-method': m.method };
  const field = MCP_NAME_SOURCE[m.method];
  const value = field ? m.params?.[field] : undefined;
  if (typeof value === 'string') out['mcp-name'] = headerValue(value);
  return out;
}

/** A header-safe value: printable ASCII as is, anything else in the `=?base64?…?=` form. */
function headerValue(s: string): string {
  const plain = s.length > 0 && s === s.trim() && !(s.startsWith('=?base64?') && s.endsWith('?=')) && /^[\t\x20-\x7e]*$/.test(s);
  return plain ? s : `=?base64?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}

/** The JSON-RPC error response for `id` in an error body, if that is what it is. */
function rpcErrorFor(text: string, id: RequestId): JSONRPCMessage | undefined {
  try {
    const parsed = JSON.parse(text) as { jsonrpc?: unknown; id?: unknown; error?: { code?: unknown; message?: unknown } };
    if (parsed && parsed.id === id && typeof parsed.error?.code === 'number') {
      return { jsonrpc: '2.0', id, error: { code: parsed.error.code, message: typeof parsed.error.message === 'string' ? parsed.error.message : '', ...('data' in parsed.error ? { data: (parsed.error as { data?: unknown }).data } : {}) } } as JSONRPCMessage;
    }
  } catch {
    /* not JSON */
  }
  return undefined;
}

function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function describeMessage(m: { method?: unknown; id?: unknown }): string {
  if (typeof m.method === 'string') return m.method;
  return m.id !== undefined ? `response to request ${String(m.id)}` : 'message';
}


function closedError(): SdkError {
  return new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed');
}

function noop(): void {}
