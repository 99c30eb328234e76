import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { isInitializeRequest, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';
import { BoundedEventStore } from './event-store.js';
import type { GatewayCore } from './gateway.js';

export interface StreamableHttpOptions {
  /** Sessions silent for this long are closed (clients re-initialise on 404). */
  idleTimeoutMs: number;
}

/**
 * The 2025-era Streamable HTTP endpoint: one transport and one MCP server object per session id.
 * Host/Origin checks and authentication happen before this, in the HTTP layer.
 */
export class StreamableHttpEndpoint {
  private readonly transports = new Map<string, NodeStreamableHTTPServerTransport>();
  private readonly reaper: NodeJS.Timeout;

  constructor(
    private readonly core: GatewayCore,
    private readonly opts: StreamableHttpOptions,
  ) {
    this.reaper = setInterval(() => this.reapIdle(), Math.min(60_000, opts.idleTimeoutMs));
    this.reaper.unref();
  }

  get sessionCount(): number {
    return this.transports.size;
  }

  async handle(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const sid = req.headers['mcp-session-id'];
    if (typeof sid === 'string' && sid !== '') {
      const t = this.transports.get(sid);
      if (!t) return sendJsonRpcError(res, 404, -32001, 'Session not found; start a new session with initialize');
      if (req.method === 'GET') this.core.markReachable(sid);
      alignProtocolVersionHeader(req, this.core.sessions.get(sid)?.server.getNegotiatedProtocolVersion?.());
      await t.handleRequest(req, res, body);
      return;
    }
    if (req.method === 'POST' && isInitializeRequest(body)) {
      await this.open(req, res, body);
      return;
    }
    if (req.method === 'POST' && Array.isArray(body)) return sendJsonRpcError(res, 400, -32600, 'Batch requests are not supported');
    return sendJsonRpcError(res, 400, -32000, 'Bad Request: missing Mcp-Session-Id header (send initialize first)');
  }

  private async open(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const id = randomUUID();
    const session = this.core.createSession(id, 'streamable-http');
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      eventStore: new BoundedEventStore(),
      // Tells clients how soon to reconnect after the gateway closes a stream (priming event).
      retryInterval: 1000,
      onsessioninitialized: () => {
        this.transports.set(id, transport);
        this.core.register(session);
      },
      onsessionclosed: () => void this.drop(id),
    });
    transport.onclose = () => void this.drop(id);
    await session.server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  private async drop(id: string): Promise<void> {
    const t = this.transports.get(id);
    if (!t) return;
    this.transports.delete(id);
    await this.core.closeSession(id);
  }

  private reapIdle(): void {
    const cutoff = Date.now() - this.opts.idleTimeoutMs;
    for (const id of this.transports.keys()) {
      const s = this.core.sessions.get(id);
      if (s && s.lastSeen < cutoff) void this.transports.get(id)?.close();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.reaper);
    await Promise.all([...this.transports.values()].map((t) => t.close().catch(() => undefined)));
  }
}

/**
 * A session's negotiated version wins over a different but still supported MCP-Protocol-Version
 * header: some clients keep sending the version they first asked for, and the SDK would otherwise
 * shape streams (priming events, polling) for the wrong revision. Unsupported versions still fail.
 */
function alignProtocolVersionHeader(req: IncomingMessage, negotiated: string | undefined): void {
  const claimed = req.headers['mcp-protocol-version'];
  if (negotiated && typeof claimed === 'string' && claimed !== negotiated && SUPPORTED_PROTOCOL_VERSIONS.includes(claimed)) {
    req.headers['mcp-protocol-version'] = negotiated;
  }
}

/** A JSON-RPC error body with an HTTP status, for failures before any MCP session exists. */
export function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } }));
}
