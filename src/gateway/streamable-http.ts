import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage } from '@modelcontextprotocol/server';
import type { Principal } from '../shared/index.js';
import { ALL_TOOLS, sameExposure, type Exposure } from './exposure.js';
import type { GatewayCore } from './gateway.js';
import { HttpSessionTransport } from './http-session-transport.js';
import { isJsonRpcMessage, sendJsonRpcError } from './json-rpc-response.js';
import { ModernEndpoint } from './modern/modern-endpoint.js';
import type { SealedSession } from './session-seal.js';
import type { SessionContinuity } from './session-state.js';
import { LOCAL_CALLER, sameCaller, type DownstreamSession } from './sessions.js';

export { sendJsonRpcError } from './json-rpc-response.js';

export interface StreamableHttpOptions {
  /** Sessions silent for this long are closed (clients re-initialise on 404). */
  idleTimeoutMs: number;
  /** Serves the stateless 2026-07-28 era on the same endpoint; without it only sessions are served. */
  modern?: ModernEndpoint;
  /** Sealed session ids and stored session state: sessions outlive this process and move between replicas. */
  continuity?: SessionContinuity;
}

/** Requests whose answer may change a session's stored state. */
const STATEFUL_METHODS = new Set(['logging/setLevel', 'resources/subscribe', 'resources/unsubscribe']);

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
  async handle(req: IncomingMessage, res: ServerResponse, body: unknown, principal: Principal = LOCAL_CALLER, exposure: Exposure = ALL_TOOLS): Promise<void> {
    if (exposure.mode === 'profile' && !this.core.hasProfile(exposure.profile)) return sendJsonRpcError(res, 404, -32602, `SWB_PROFILE_NOT_FOUND: No profile named '${exposure.profile}'`);
    // The era is chosen per request: a protocol version in `_meta` (no session) is the 2026 era.
    if (this.opts.modern && ModernEndpoint.claims(req, body)) {
      return this.opts.modern.handle(req, res, body, principal, exposure);
    }
    const sid = header(req, 'mcp-session-id');
    const version = header(req, 'mcp-protocol-version');
    if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return sendJsonRpcError(res, 400, -32000, `Bad Request: unsupported protocol version ${version} (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`);
    }
    switch (req.method) {
      case 'POST':
        return this.post(req, res, body, sid, principal, exposure);
      case 'GET': {
        if (!accepts(req, 'text/event-stream')) return sendJsonRpcError(res, 406, -32000, 'Not Acceptable: the client must accept text/event-stream');
        const t = await this.session(sid, res, principal, exposure);
        if (!t) return;
        this.core.markReachable(t.sessionId);
        t.handleGet(req, res);
        return;
      }
      case 'DELETE': {
        const t = await this.session(sid, res, principal, exposure);
        if (!t) return;
        await this.opts.continuity?.end(t.sessionId);
        await t.close();
        res.writeHead(200).end();
        return;
      }
      default:
        return sendJsonRpcError(res, 405, -32000, 'Method not allowed', { allow: 'GET, POST, DELETE' });
    }
  }

  private async post(req: IncomingMessage, res: ServerResponse, body: unknown, sid: string | undefined, principal: Principal, exposure: Exposure): Promise<void> {
    if (!accepts(req, 'application/json') || !accepts(req, 'text/event-stream')) {
      return sendJsonRpcError(res, 406, -32000, 'Not Acceptable: the client must accept both application/json and text/event-stream');
    }
    if (Array.isArray(body)) return sendJsonRpcError(res, 400, -32600, 'Invalid Request: batch requests are not supported');
    if (!isJsonRpcMessage(body)) return sendJsonRpcError(res, 400, -32600, 'Invalid Request: expected one JSON-RPC 2.0 message');
    const message = body as JSONRPCMessage & { method?: string };
    if (message.method === 'initialize') {
      if (sid) return sendJsonRpcError(res, 400, -32600, 'Invalid Request: initialize must not carry an Mcp-Session-Id');
      return this.open(message, res, principal, exposure);
    }
    if (!sid) return sendJsonRpcError(res, 400, -32000, 'Bad Request: missing Mcp-Session-Id header (send initialize first)');
    const t = await this.session(sid, res, principal, exposure);
    if (!t) return;
    const continuity = this.opts.continuity;
    // Written once answered, and only for the few methods that change what a rebuild needs.
    if (continuity && typeof message.method === 'string' && STATEFUL_METHODS.has(message.method)) res.on('finish', () => continuity.changed(sid));
    t.handlePost(message, res);
  }

  private async open(message: JSONRPCMessage, res: ServerResponse, principal: Principal, exposure: Exposure): Promise<void> {
    const minted = this.opts.continuity?.mint(principal, (message as { params?: unknown }).params, exposure);
    const id = minted?.sid ?? randomUUID();
    const { session, transport } = await this.create(id, principal, exposure);
    this.install(session, transport);
    if (minted) this.opts.continuity!.adopt(id, minted.sealed, session, transport);
    // A failed initialize (an error result still travels with HTTP 200) leaves no session behind.
    res.on('close', () => {
      if (!session.server.getClientVersion()) void transport.close();
    });
    transport.handlePost(message, res);
  }

  private async create(id: string, principal: Principal, exposure: Exposure): Promise<{ session: DownstreamSession; transport: HttpSessionTransport }> {
    const session = this.core.createSession(id, 'streamable-http', principal, exposure);
    const transport = new HttpSessionTransport(id);
    transport.onclose = () => void this.drop(id);
    await session.server.connect(transport);
    return { session, transport };
  }

  private install(session: DownstreamSession, transport: HttpSessionTransport): void {
    this.transports.set(session.id, transport);
    this.core.register(session);
  }

  private async session(sid: string | undefined, res: ServerResponse, principal: Principal, exposure: Exposure): Promise<HttpSessionTransport | undefined> {
    if (!sid) {
      sendJsonRpcError(res, 400, -32000, 'Bad Request: missing Mcp-Session-Id header');
      return undefined;
    }
    // A session opened by another process (before a restart, or on a replica) is rebuilt from its sealed id.
    const t = this.transports.get(sid) ?? (await this.revive(sid, principal, exposure));
    const s = t ? this.core.sessions.get(sid) : undefined;
    // Another key presenting a valid session id is told nothing about that session.
    // A session answers only on the path it was opened on (/mcp, /mcp/search, /mcp/p/<name>).
    if (!t || !s || !sameCaller(s.principal, principal) || !sameExposure(this.core.exposureOf(sid), exposure)) {
      sendJsonRpcError(res, 404, -32001, 'Session not found; start a new session with initialize');
      return undefined;
    }
    s.principal = principal;
    return t;
  }

  private revive(sid: string, principal: Principal, exposure: Exposure): Promise<HttpSessionTransport | undefined> {
    if (!this.opts.continuity) return Promise.resolve(undefined);
    return this.opts.continuity.revive(sid, principal, exposure, {
      create: (sealed: SealedSession) => this.create(sid, principal, sealed.exposure ?? ALL_TOOLS),
      install: (session, transport) => this.install(session, transport),
    });
  }

  private async drop(id: string): Promise<void> {
    this.opts.continuity?.forget(id);
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
    this.opts.continuity?.close();
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
