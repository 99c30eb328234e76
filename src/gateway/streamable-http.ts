import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage } from '@modelcontextprotocol/server';
import type { Principal } from '../shared/index.js';
import type { GatewayCore } from './gateway.js';
import { HttpSessionTransport } from './http-session-transport.js';
import { isJsonRpcMessage, sendJsonRpcError } from './json-rpc-response.js';
import { ModernEndpoint } from './modern/modern-endpoint.js';
import { LOCAL_CALLER, sameCaller } from './sessions.js';

export { sendJsonRpcError } from './json-rpc-response.js';

export interface StreamableHttpOptions {
  /** Sessions silent for this long are closed (clients re-initialise on 404). */
  idleTimeoutMs: number;
  /** Serves the stateless 2026-07-28 era on the same endpoint; without it only sessions are served. */
  modern?: ModernEndpoint;
}

/**
 * The 2025-era Streamable HTTP endpoint: header rules of the transport spec, session routing, and one
 * HttpSessionTransport + MCP server object per session. Host/Origin checks and authentication happen
 * before this, in the HTTP layer.
 */
export class StreamableHttpEndpoint {
  private readonly transports = new Map<string, HttpSessionTransport>();
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

  /**
   * One HTTP request on /mcp from an authenticated principal. A session answers only the identity
   * that opened it; anyone else gets the same 404 as for an unknown session. Without a principal
   * (an HTTP layer that authenticates with bootstrap keys only) the caller has full access.
   */
  async handle(req: IncomingMessage, res: ServerResponse, body: unknown, principal: Principal = LOCAL_CALLER): Promise<void> {
    // The era is chosen per request: a protocol version in `_meta` (no session) is the 2026 era.
    if (this.opts.modern && ModernEndpoint.claims(req, body)) return this.opts.modern.handle(req, res, body, principal);
    const sid = header(req, 'mcp-session-id');
    const version = header(req, 'mcp-protocol-version');
    if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return sendJsonRpcError(res, 400, -32000, `Bad Request: unsupported protocol version ${version} (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`);
    }
    switch (req.method) {
      case 'POST':
        return this.post(req, res, body, sid, principal);
      case 'GET': {
        if (!accepts(req, 'text/event-stream')) return sendJsonRpcError(res, 406, -32000, 'Not Acceptable: the client must accept text/event-stream');
        const t = this.session(sid, res, principal);
        if (!t) return;
        this.core.markReachable(t.sessionId);
        t.handleGet(req, res);
        return;
      }
      case 'DELETE': {
        const t = this.session(sid, res, principal);
        if (!t) return;
        await t.close();
        res.writeHead(200).end();
        return;
      }
      default:
        return sendJsonRpcError(res, 405, -32000, 'Method not allowed', { allow: 'GET, POST, DELETE' });
    }
  }

  private async post(req: IncomingMessage, res: ServerResponse, body: unknown, sid: string | undefined, principal: Principal): Promise<void> {
    if (!accepts(req, 'application/json') || !accepts(req, 'text/event-stream')) {
      return sendJsonRpcError(res, 406, -32000, 'Not Acceptable: the client must accept both application/json and text/event-stream');
    }
    if (Array.isArray(body)) return sendJsonRpcError(res, 400, -32600, 'Invalid Request: batch requests are not supported');
    if (!isJsonRpcMessage(body)) return sendJsonRpcError(res, 400, -32600, 'Invalid Request: expected one JSON-RPC 2.0 message');
    const message = body as JSONRPCMessage & { method?: string };
    if (message.method === 'initialize') {
      if (sid) return sendJsonRpcError(res, 400, -32600, 'Invalid Request: initialize must not carry an Mcp-Session-Id');
      return this.open(message, res, principal);
    }
    if (!sid) return sendJsonRpcError(res, 400, -32000, 'Bad Request: missing Mcp-Session-Id header (send initialize first)');
    const t = this.session(sid, res, principal);
    if (t) t.handlePost(message, res);
  }

  private async open(message: JSONRPCMessage, res: ServerResponse, principal: Principal): Promise<void> {
    const id = randomUUID();
    const session = this.core.createSession(id, 'streamable-http', principal);
    const transport = new HttpSessionTransport(id);
    transport.onclose = () => void this.drop(id);
    await session.server.connect(transport);
    this.transports.set(id, transport);
    this.core.register(session);
    // A failed initialize (an error result still travels with HTTP 200) leaves no session behind.
    res.on('close', () => {
      if (!session.server.getClientVersion()) void transport.close();
    });
    transport.handlePost(message, res);
  }

  private session(sid: string | undefined, res: ServerResponse, principal: Principal): HttpSessionTransport | undefined {
    if (!sid) {
      sendJsonRpcError(res, 400, -32000, 'Bad Request: missing Mcp-Session-Id header');
      return undefined;
    }
    const t = this.transports.get(sid);
    const s = t ? this.core.sessions.get(sid) : undefined;
    // Another key presenting a valid session id is told nothing about that session.
    if (!t || !s || !sameCaller(s.principal, principal)) {
      sendJsonRpcError(res, 404, -32001, 'Session not found; start a new session with initialize');
      return undefined;
    }
    s.principal = principal;
    return t;
  }

  private async drop(id: string): Promise<void> {
    if (!this.transports.delete(id)) return;
    await this.core.closeSession(id);
  }

  private reapIdle(): void {
    const cutoff = Date.now() - this.opts.idleTimeoutMs;
    for (const [id, t] of this.transports) {
      const s = this.core.sessions.get(id);
      if (s && s.lastSeen < cutoff) void t.close();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.reaper);
    await Promise.all([...this.transports.values()].map((t) => t.close().catch(() => undefined)));
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function accepts(req: IncomingMessage, type: string): boolean {
  const accept = req.headers.accept;
  if (!accept) return false;
  return accept.includes(type) || accept.includes('*/*');
}
