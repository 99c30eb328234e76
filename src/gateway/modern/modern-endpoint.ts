import type { IncomingMessage, ServerResponse } from 'node:http';
import { classifyInboundRequest, createMcpHandler, type McpHttpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { Principal, RawItem } from '../../shared/index.js';
import type { GatewayCore, GatewayEvent } from '../gateway.js';
import { ALL_TOOLS, type Exposure } from '../exposure.js';
import { HeldCalls } from './held-calls.js';
import { ModernRequests } from './modern-requests.js';
import { StateSeal } from './state-seal.js';

export interface ModernEndpointOptions {
  /** AES-256 keys for sealed request state: the first seals, all open (see loadStateKeys). */
  stateKeys: Buffer[];
  version: string;
  instructions?: string;
  /** SSE comment keep-alive interval on long responses and listen streams. */
  keepAliveMs?: number;
  /** How long a call whose upstream asked for input waits for the client's retry. */
  holdMs?: number;
  /** Window in which an upstream's input requests are gathered into one input-required answer. */
  gatherMs?: number;
  onError?: (err: Error) => void;
}

type NodeHandler = (req: IncomingMessage, res: ServerResponse, body?: unknown) => Promise<void>;

/**
 * The 2026-07-28 face of /mcp: stateless requests that carry their protocol version in `_meta`.
 * Served by the SDK's per-request entry (envelope and header validation, server/discover,
 * subscriptions/listen, SSE keep-alives) over the gateway's shared catalogue dispatch. The 2025
 * session endpoint hands over every POST that `claims` says is not its own.
 */
export class ModernEndpoint {
  private readonly handler: McpHttpHandler;
  private readonly node: NodeHandler;
  private readonly held: HeldCalls;
  private readonly unobserve: () => void;

  constructor(
    private readonly core: GatewayCore,
    opts: ModernEndpointOptions,
  ) {
    this.held = new HeldCalls({ holdMs: opts.holdMs ?? 5 * 60_000, gatherMs: opts.gatherMs ?? 25 });
    const requests = new ModernRequests({ core, seal: new StateSeal(opts.stateKeys), held: this.held, version: opts.version, ...(opts.instructions ? { instructions: opts.instructions } : {}) });
    this.handler = createMcpHandler(({ authInfo }) => requests.createServer(principalOf(authInfo?.extra), exposureOf(authInfo?.extra)), {
      legacy: 'reject',
      keepAliveMs: opts.keepAliveMs ?? 15_000,
      onerror: (err) => opts.onError?.(err),
    });
    this.node = toNodeHandler({ fetch: (request, o) => this.fetch(request, o) }) as NodeHandler;
    this.unobserve = core.observe((e) => this.publish(e));
  }

  /** Whether a request belongs to this era (or is a 2026-era request malformed enough to be refused here). */
  static claims(req: IncomingMessage, body: unknown): boolean {
    if (req.method !== 'POST') return false;
    const outcome = classifyInboundRequest({
      httpMethod: 'POST',
      body,
      ...header(req, 'mcp-protocol-version', 'protocolVersionHeader'),
      ...header(req, 'mcp-method', 'mcpMethodHeader'),
      ...header(req, 'mcp-name', 'mcpNameHeader'),
    });
    return outcome.kind !== 'legacy';
  }

  /** One 2026-era HTTP exchange from an authenticated principal, on the endpoint of `exposure`. */
  async handle(req: IncomingMessage, res: ServerResponse, body: unknown, principal: Principal, exposure: Exposure = ALL_TOOLS): Promise<void> {
    (req as IncomingMessage & { auth?: unknown }).auth = { token: '', clientId: `${principal.kind}:${principal.id}`, scopes: [...principal.scopes], extra: { principal, exposure } };
    const message = body as { method?: unknown; params?: RawItem } | undefined;
    if (message?.method === 'subscriptions/listen') body = await this.openListen(message, principal, res);
    await this.node(req, res, body);
  }

  /**
   * A listen stream's resource subscriptions are fanned out to the owning upstreams for as long as
   * the stream is open; URIs the caller may not read are dropped from the filter (so the
   * acknowledgement does not list them), exactly as if they did not exist.
   */
  private async openListen(message: { params?: RawItem }, principal: Principal, res: ServerResponse): Promise<unknown> {
    const filter = message.params?.['notifications'] as RawItem | undefined;
    const uris = Array.isArray(filter?.['resourceSubscriptions']) ? (filter['resourceSubscriptions'] as unknown[]).filter((u): u is string => typeof u === 'string') : [];
    if (uris.length === 0) return message;
    const held: string[] = [];
    for (const uri of new Set(uris)) {
      try {
        await this.core.holdSubscription({ caller: principal }, uri);
        held.push(uri);
      } catch {
        /* unknown, forbidden or unreachable: not honoured */
      }
    }
    res.once('close', () => {
      for (const uri of held) void this.core.releaseSubscription(uri).catch(() => undefined);
    });
    return { ...message, params: { ...message.params, notifications: { ...filter, resourceSubscriptions: held } } };
  }

  private async fetch(request: Request, options?: { authInfo?: unknown; parsedBody?: unknown }): Promise<Response> {
    const response = await this.handler.fetch(request, options as never);
    if (!response.headers.get('content-type')?.includes('text/event-stream')) return response;
    // Reverse proxies (nginx) buffer responses unless told not to, which would hold back progress and keep-alives.
    const headers = new Headers(response.headers);
    headers.set('x-accel-buffering', 'no');
    headers.set('cache-control', 'no-cache, no-transform');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }

  /** Upstream notifications and catalogue changes, onto the open listen streams. */
  private publish(e: GatewayEvent): void {
    const n = this.handler.notify;
    switch (e.method) {
      case 'notifications/tools/list_changed':
        return n.toolsChanged();
      case 'notifications/prompts/list_changed':
        return n.promptsChanged();
      case 'notifications/resources/list_changed':
        return n.resourcesChanged();
      case 'notifications/resources/updated':
        if (typeof e.params?.['uri'] === 'string') this.handler.bus.publish({ kind: 'resource_updated', uri: e.params['uri'], params: e.params as never });
        return;
    }
  }

  /** Calls waiting for a client's retry (for tests and health). */
  get heldCalls(): number {
    return this.held.size;
  }

  async close(): Promise<void> {
    this.unobserve();
    this.held.close();
    await this.handler.close();
  }
}

function header<K extends string>(req: IncomingMessage, name: string, key: K): { [P in K]?: string } {
  const v = req.headers[name];
  return (typeof v === 'string' ? { [key]: v } : {}) as { [P in K]?: string };
}

function exposureOf(extra: unknown): Exposure {
  return (extra as { exposure?: Exposure } | undefined)?.exposure ?? ALL_TOOLS;
}

function principalOf(extra: unknown): Principal {
  const p = (extra as { principal?: Principal } | undefined)?.principal;
  if (!p) throw new Error('2026-era request reached the gateway without a principal');
  return p;
}
