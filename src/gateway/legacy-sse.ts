import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';
import type { Principal } from '../shared/index.js';
import type { GatewayCore } from './gateway.js';
import { sendJsonRpcError } from './json-rpc-response.js';
import { LOCAL_CALLER, sameCaller } from './sessions.js';

const KEEPALIVE_MS = 15_000;

/** The deprecated HTTP+SSE transport (2024-11-05): GET /sse streams, POST /messages?sessionId= sends. */
class SseServerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private keepAlive: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly sessionId: string,
    private readonly res: ServerResponse,
    private readonly endpoint: string,
  ) {}

  async start(): Promise<void> {
    this.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    this.res.write(`event: endpoint\ndata: ${this.endpoint}?sessionId=${this.sessionId}\n\n`);
    this.keepAlive = setInterval(() => this.res.write(': keep-alive\n\n'), KEEPALIVE_MS);
    this.keepAlive.unref();
    this.res.on('close', () => void this.close());
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) throw new Error('SSE stream closed');
    this.res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  receive(message: JSONRPCMessage): void {
    this.onmessage?.(message);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    this.res.end();
    this.onclose?.();
  }
}

/** Serves old clients that still speak HTTP+SSE, through the same gateway core as /mcp. */
export class LegacySseEndpoint {
  private readonly transports = new Map<string, SseServerTransport>();

  constructor(
    private readonly core: GatewayCore,
    private readonly messagesPath: string,
  ) {}

  get sessionCount(): number {
    return this.transports.size;
  }

  /** GET /sse: a new session bound to the principal that opened it (full access when none is given). */
  async open(_req: IncomingMessage, res: ServerResponse, principal: Principal = LOCAL_CALLER): Promise<void> {
    const id = randomUUID();
    const transport = new SseServerTransport(id, res, this.messagesPath);
    const session = this.core.createSession(id, 'sse', principal);
    this.transports.set(id, transport);
    this.core.register(session);
    transport.onclose = () => {
      this.transports.delete(id);
      void this.core.closeSession(id);
    };
    await session.server.connect(transport);
  }

  /**
   * POST /messages?sessionId=…: accept the message (202) and answer on the SSE stream. Only the
   * identity that opened the stream may post to it; anyone else gets the unknown-session 404.
   */
  post(sessionId: string | undefined, body: unknown, res: ServerResponse, principal: Principal = LOCAL_CALLER): void {
    const t = sessionId ? this.transports.get(sessionId) : undefined;
    const s = sessionId ? this.core.sessions.get(sessionId) : undefined;
    if (!t || !s || !sameCaller(s.principal, principal)) return sendJsonRpcError(res, 404, -32001, 'Session not found; open a new stream on /sse');
    s.principal = principal;
    if (!body || typeof body !== 'object' || Array.isArray(body) || (body as { jsonrpc?: unknown }).jsonrpc !== '2.0') {
      return sendJsonRpcError(res, 400, -32600, 'Invalid Request: expected one JSON-RPC 2.0 message');
    }
    res.writeHead(202).end('Accepted');
    t.receive(body as JSONRPCMessage);
  }

  async close(): Promise<void> {
    await Promise.all([...this.transports.values()].map((t) => t.close()));
  }
}
