import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONRPCMessage, Transport, TransportSendOptions } from '@modelcontextprotocol/server';
import { sendJsonRpcError } from './json-rpc-response.js';
import { serializeMessage } from './reusable-results.js';

/** SSE events kept per session for Last-Event-ID resumption. */
const REPLAY_EVENTS = 1000;
const KEEPALIVE_MS = 15_000;
/** Client reconnect delay announced in priming events. */
const RETRY_MS = 1000;
/** Priming events (an id with empty data) are understood from this revision on. */
const PRIMING_SINCE = '2025-11-25';

interface Stream {
  id: string;
  res: ServerResponse | undefined;
  /** True once the response is an SSE stream (something was sent before the result). */
  sse: boolean;
  keepAlive?: NodeJS.Timeout;
}

interface StoredEvent {
  seq: number;
  stream: string;
  frame: string;
}

/**
 * One 2025-era Streamable HTTP session, written directly against Node's http objects. A request is
 * answered with plain JSON unless something must reach the client before its result (progress, a
 * sampling request, a log line); then the response becomes an SSE stream with a priming event, as the
 * SDK does for the 2026 era. Every SSE event is kept in a bounded buffer so a client can resume a lost
 * stream with Last-Event-ID. The SDK `Server` on top of it still does all of the protocol.
 */
export class HttpSessionTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private protocolVersion = '2025-03-26';
  /** Pending requests by JSON-RPC id, each with the response it will be written to. */
  private readonly pending = new Map<string, Stream>();
  private standalone: Stream | undefined;
  private readonly events: StoredEvent[] = [];
  private seq = 0;
  private streamSeq = 0;
  private closed = false;
  /** Answers to requests the gateway delivered itself (see replay()), by JSON-RPC id. */
  private readonly internal = new Map<string, (answer: JSONRPCMessage | undefined) => void>();

  constructor(readonly sessionId: string) {}

  async start(): Promise<void> {}

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  get negotiatedVersion(): string {
    return this.protocolVersion;
  }

  /** A POSTed JSON-RPC message (already parsed and shape-checked by the endpoint). */
  handlePost(message: JSONRPCMessage, res: ServerResponse): void {
    const m = message as { id?: unknown; method?: unknown };
    if (typeof m.method === 'string' && m.id !== undefined && m.id !== null) {
      const key = idKey(m.id);
      if (this.pending.has(key)) return sendJsonRpcError(res, 409, -32600, `Request id ${String(m.id)} is already in flight in this session`);
      const stream: Stream = { id: `p${++this.streamSeq}`, res, sse: false };
      this.pending.set(key, stream);
      res.on('close', () => {
        if (stream.res === res) stream.res = undefined;
        clearInterval(stream.keepAlive);
      });
    } else {
      res.writeHead(202).end();
    }
    this.onmessage?.(message);
  }

  /** GET: the standalone stream for messages outside any request, or the resumption of a lost one. */
  handleGet(req: IncomingMessage, res: ServerResponse): void {
    const lastEventId = req.headers['last-event-id'];
    if (typeof lastEventId === 'string' && lastEventId !== '') return this.resume(lastEventId, res);
    if (this.standalone?.res) return sendJsonRpcError(res, 409, -32000, 'Conflict: only one standalone SSE stream is allowed per session');
    this.standalone = { id: 's', res, sse: false };
    this.openSse(this.standalone);
    const stream = this.standalone;
    res.on('close', () => {
      clearInterval(stream.keepAlive);
      if (this.standalone === stream) this.standalone = undefined;
    });
  }

  /**
   * Deliver a message on the gateway's own behalf (rebuilding a session in another process); a
   * request's answer comes back here and never reaches the client.
   */
  replay(message: JSONRPCMessage): Promise<JSONRPCMessage | undefined> {
    const m = message as { id?: unknown; method?: unknown };
    if (m.id === undefined) {
      this.onmessage?.(message);
      return Promise.resolve(undefined);
    }
    return new Promise((resolve) => {
      this.internal.set(idKey(m.id), resolve);
      this.onmessage?.(message);
    });
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (this.closed) return;
    const m = message as { id?: unknown; method?: unknown };
    const isResponse = m.method === undefined && m.id !== undefined;
    if (isResponse) {
      const key = idKey(m.id);
      const own = this.internal.get(key);
      if (own) {
        this.internal.delete(key);
        return own(message);
      }
      const stream = this.pending.get(key);
      if (!stream) return;
      this.pending.delete(key);
      this.finish(stream, message);
      return;
    }
    const related = options?.relatedRequestId !== undefined ? this.pending.get(idKey(options.relatedRequestId)) : undefined;
    if (related) {
      if (!related.sse) this.openSse(related);
      this.write(related, message);
      return;
    }
    // Outside any request: the standalone stream, kept for replay when the client is not listening.
    this.write(this.standalone ?? { id: 's', res: undefined, sse: true }, message);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.pending.values(), ...(this.standalone ? [this.standalone] : [])]) {
      clearInterval(s.keepAlive);
      if (s.res && !s.res.writableEnded) s.res.end();
    }
    this.pending.clear();
    for (const answer of this.internal.values()) answer(undefined);
    this.internal.clear();
    this.standalone = undefined;
    this.onclose?.();
  }

  private finish(stream: Stream, message: JSONRPCMessage): void {
    clearInterval(stream.keepAlive);
    if (stream.sse) {
      this.write(stream, message);
      if (stream.res && !stream.res.writableEnded) stream.res.end();
      return;
    }
    const res = stream.res;
    if (!res || res.writableEnded) return;
    res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': this.sessionId });
    res.end(serializeMessage(message));
  }

  private openSse(stream: Stream): void {
    stream.sse = true;
    const res = stream.res;
    if (!res || res.headersSent) return;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no', 'mcp-session-id': this.sessionId });
    if (this.protocolVersion >= PRIMING_SINCE) res.write(`id: ${this.record(stream.id, '')}\nretry: ${RETRY_MS}\ndata: \n\n`);
    else res.write(': stream open\n\n');
    stream.keepAlive = setInterval(() => stream.res?.write(': keep-alive\n\n'), KEEPALIVE_MS);
    stream.keepAlive.unref();
  }

  private write(stream: Stream, message: JSONRPCMessage): void {
    const data = serializeMessage(message);
    const id = this.record(stream.id, data);
    const res = stream.res;
    if (res && !res.writableEnded) res.write(`event: message\nid: ${id}\ndata: ${data}\n\n`);
  }

  /** Keep an SSE event for replay; returns its id (`<stream>.<seq>`). */
  private record(streamId: string, data: string): string {
    const seq = ++this.seq;
    this.events.push({ seq, stream: streamId, frame: data });
    if (this.events.length > REPLAY_EVENTS) this.events.splice(0, this.events.length - REPLAY_EVENTS);
    return `${streamId}.${seq}`;
  }

  private resume(lastEventId: string, res: ServerResponse): void {
    const dot = lastEventId.lastIndexOf('.');
    const streamId = lastEventId.slice(0, dot);
    const after = Number(lastEventId.slice(dot + 1));
    if (dot <= 0 || !Number.isInteger(after)) return sendJsonRpcError(res, 400, -32000, 'Bad Request: malformed Last-Event-ID');
    const pending = [...this.pending.values()].find((s) => s.id === streamId);
    const stream: Stream = pending ?? (streamId === 's' ? (this.standalone = { id: 's', res, sse: false }) : { id: streamId, res, sse: false });
    stream.res = res;
    stream.sse = false;
    this.openSse(stream);
    for (const e of this.events) {
      if (e.stream === streamId && e.seq > after && e.frame !== '') res.write(`event: message\nid: ${streamId}.${e.seq}\ndata: ${e.frame}\n\n`);
    }
    // A resumed request stream ends with its result; a finished one has nothing more to say.
    if (!pending && streamId !== 's') {
      clearInterval(stream.keepAlive);
      res.end();
      return;
    }
    res.on('close', () => {
      clearInterval(stream.keepAlive);
      if (stream.res === res) stream.res = undefined;
      if (this.standalone === stream && streamId === 's') this.standalone = undefined;
    });
  }
}

function idKey(id: unknown): string {
  return typeof id === 'number' ? `n${id}` : `s${String(id)}`;
}
