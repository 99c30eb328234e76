import { CLIENT_CAPABILITIES_META_KEY, LOG_LEVEL_META_KEY, MissingRequiredClientCapabilityError, ProtocolError, Server, type ServerContext } from '@modelcontextprotocol/server';
import type { Principal, RawItem } from '../../shared/index.js';
import { toProtocolError } from '../errors.js';
import { ALL_TOOLS, type Exposure } from '../exposure.js';
import type { RequestLink, RoundHooks } from '../gated-requests.js';
import type { GatewayCore } from '../gateway.js';
import { LOG_LEVELS, type LogLevel } from '../sessions.js';
import type { HeldCall, HeldCalls, InputRequest, RoundOutcome } from './held-calls.js';
import type { StateSeal } from './state-seal.js';

/** What the gateway offers a 2026-era client (`logging`: upstream log messages, at the level a request's `_meta` asks for). */
export const MODERN_CAPABILITIES = {
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
  completions: {},
  logging: {},
};

/** Cache hints on cacheable results: lists depend on the caller's key, so they are private. */
export const MODERN_CACHE_HINTS = {
  'tools/list': { ttlMs: 30_000, cacheScope: 'private' },
  'prompts/list': { ttlMs: 30_000, cacheScope: 'private' },
  'resources/list': { ttlMs: 30_000, cacheScope: 'private' },
  'resources/templates/list': { ttlMs: 30_000, cacheScope: 'private' },
  'resources/read': { ttlMs: 0, cacheScope: 'private' },
  'server/discover': { ttlMs: 60_000, cacheScope: 'private' },
} as const;

/** The purpose the request states of input-required rounds are sealed under. */
const STATE_PURPOSE = 'mrtr';
const RESERVED_META = 'io.modelcontextprotocol/';
const LIST_METHODS = ['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'completion/complete'] as const;
const ROUND_METHODS = ['tools/call', 'prompts/get', 'resources/read'] as const;
const CAPABILITY_OF: Record<string, string> = { 'elicitation/create': 'elicitation', 'sampling/createMessage': 'sampling', 'roots/list': 'roots' };

/**
 * What a sealed requestState says. `held`: a call parked in this gateway; `upstream`: a 2026-era
 * upstream's own round — its state (`s`, if it gave one), the upstream (`u`) and the connection (`x`,
 * which names the process of a stdio upstream) its retry must reach.
 */
type SealedState = { k: 'held'; h: string; r: number; c: string; m: string } | { k: 'upstream'; s: string | null; c: string; m: string; n: string; u: string; x: string };

export interface ModernRequestsOptions {
  core: GatewayCore;
  seal: StateSeal;
  held: HeldCalls;
  version: string;
  instructions?: string;
}

/**
 * Serves one 2026-era request: a fresh SDK `Server` per request (the SDK's per-request serving
 * entry validates the envelope, answers server/discover and stamps `resultType` and cache hints),
 * whose handlers are the gateway's shared catalogue dispatch. A 2025-era upstream's sampling,
 * elicitation or roots request during a call becomes an input-required result; the call waits in
 * `HeldCalls` for the client's retry.
 */
export class ModernRequests {
  constructor(private readonly opts: ModernRequestsOptions) {}

  /** The server object for one request of `principal`, on the endpoint of `exposure` (/mcp, /mcp/search, /mcp/p/<name>). */
  createServer(principal: Principal, exposure: Exposure = ALL_TOOLS): Server {
    const { seal } = this.opts;
    const server = new Server(
      { name: 'switchboard', version: this.opts.version },
      {
        capabilities: MODERN_CAPABILITIES,
        ...(this.opts.instructions ? { instructions: this.opts.instructions } : {}),
        cacheHints: MODERN_CACHE_HINTS,
        requestState: {
          verify: (state: string) => {
            const payload = seal.open(STATE_PURPOSE, state) as SealedState | undefined;
            if (!payload || payload.c !== callerKey(principal)) throw new Error('requestState was not issued by this gateway to this caller');
            return payload;
          },
        },
      },
    );
    for (const method of LIST_METHODS) {
      server.setRequestHandler(method, ((req: { params?: RawItem }, ctx: ServerContext) => this.guard(() => this.serveList(principal, exposure, method, req.params, ctx))) as never);
    }
    for (const method of ROUND_METHODS) {
      server.setRequestHandler(method, ((req: { params?: RawItem }, ctx: ServerContext) => this.guard(() => this.serveRound(principal, exposure, method, req.params, ctx))) as never);
    }
    return server;
  }

  private async guard(run: () => Promise<RawItem>): Promise<RawItem> {
    try {
      return await run();
    } catch (err) {
      throw toProtocolError(err);
    }
  }

  private async serveList(principal: Principal, exposure: Exposure, method: string, params: RawItem | undefined, ctx: ServerContext): Promise<RawItem> {
    const result = await this.opts.core.serveExposed(this.link(principal, ctx), exposure, method, upstreamParams(params, ctx));
    // List pages are shared objects reused across requests; the encoder must not decorate them.
    return { ...result };
  }

  /** tools/call, prompts/get, resources/read: the methods whose result may be input-required. */
  private async serveRound(principal: Principal, exposure: Exposure, method: string, params: RawItem | undefined, ctx: ServerContext): Promise<RawItem> {
    const caller = callerKey(principal);
    const state = ctx.mcpReq.requestState<SealedState>();
    const exchange = { notify: ctx.mcpReq.notify as never, progressToken: ctx.mcpReq._meta?.progressToken };
    if (state?.k === 'held') {
      const call = this.opts.held.get(state.h);
      if (!call || call.caller !== caller || call.method !== method || call.round !== state.r) {
        throw new ProtocolError(-32602, 'Invalid or expired requestState', { reason: 'invalid_request_state' });
      }
      call.answer(ctx.mcpReq.inputResponses ?? {});
      return this.finishRound(call, await call.next(exchange, ctx.mcpReq.signal), ctx, principal);
    }
    const forwarded = upstreamParams(params, ctx);
    const name = nameOf(method, params);
    const responses = ctx.mcpReq.inputResponses as RawItem | undefined;
    let resume: RoundHooks['resume'];
    if (state?.k === 'upstream') {
      if (state.m !== method || state.n !== name) throw new ProtocolError(-32602, 'Invalid or expired requestState', { reason: 'invalid_request_state' });
      // The upstream's own round: its state and the client's answers go back to the connection that asked.
      resume = { server: state.u, connection: state.x, ...(state.s !== null ? { requestState: state.s } : {}), ...(responses ? { inputResponses: responses } : {}) };
    }
    const rounds: RoundHooks = {
      clientCapabilities: (envelopeOf(ctx)[CLIENT_CAPABILITIES_META_KEY] ?? {}) as RawItem,
      ...(resume ? { resume } : responses ? { inputResponses: responses } : {}),
      wrap: (server, connection, result) => {
        const inner = typeof result['requestState'] === 'string' ? result['requestState'] : null;
        const sealed = this.opts.seal.seal(STATE_PURPOSE, { k: 'upstream', s: inner, c: caller, m: method, n: name, u: server, x: connection } satisfies SealedState);
        return { ...result, requestState: sealed };
      },
    };
    const call = this.opts.held.create(caller, method);
    const level = envelopeOf(ctx)[LOG_LEVEL_META_KEY] as LogLevel | undefined;
    call.start(exchange, ({ send, notify, signal }) => {
      const link: RequestLink = {
        ...this.link(principal, ctx),
        signal,
        send: ((req: InputRequest) => send(req)) as never,
        notify,
        rounds,
        ...(level ? { log: (p: RawItem) => void (passes(level, p['level']) ? notify({ method: 'notifications/message', params: p }) : undefined) } : {}),
      };
      return this.opts.core.serveExposed(link, exposure, method, forwarded);
    });
    return this.finishRound(call, await call.next(exchange, ctx.mcpReq.signal), ctx, principal);
  }

  private finishRound(call: HeldCall, outcome: RoundOutcome, ctx: ServerContext, principal: Principal): RawItem {
    const caller = callerKey(principal);
    if (outcome.kind !== 'input') this.opts.held.drop(call);
    if (outcome.kind === 'failed') throw outcome.error;
    // A final result, or a 2026-era upstream's own input_required round (its state already sealed by `wrap`).
    if (outcome.kind === 'done') return outcome.result;
    const declared = (envelopeOf(ctx)[CLIENT_CAPABILITIES_META_KEY] ?? {}) as RawItem;
    const missing: RawItem = {};
    for (const req of Object.values(outcome.requests)) {
      const cap = CAPABILITY_OF[req.method];
      if (cap && declared[cap] === undefined) missing[cap] = {};
    }
    if (Object.keys(missing).length > 0) {
      // The client cannot answer what the upstream asked: the upstream call ends here.
      call.cancel('the client lacks a capability the upstream needs');
      this.opts.held.drop(call);
      throw new MissingRequiredClientCapabilityError({ requiredCapabilities: missing as never }, `The upstream asked for ${Object.keys(missing).join(', ')}, which this request's client capabilities do not declare`);
    }
    return {
      resultType: 'input_required',
      inputRequests: outcome.requests,
      requestState: this.opts.seal.seal(STATE_PURPOSE, { k: 'held', h: call.id, r: call.round, c: caller, m: call.method } satisfies SealedState),
    };
  }

  private link(principal: Principal, ctx: ServerContext): RequestLink {
    return { caller: principal, requestId: ctx.mcpReq.id, signal: ctx.mcpReq.signal, notify: ctx.mcpReq.notify as never };
  }
}

/** Identity a sealed state is bound to: another key cannot resume someone else's call. */
function callerKey(p: Principal): string {
  return `${p.kind}:${p.id}`;
}

/** The reserved `io.modelcontextprotocol/*` keys the request carried. */
function envelopeOf(ctx: ServerContext): RawItem {
  return (ctx.mcpReq.envelope ?? {}) as RawItem;
}

function nameOf(method: string, params: RawItem | undefined): string {
  const v = method === 'resources/read' ? params?.['uri'] : params?.['name'];
  return typeof v === 'string' ? v : '';
}

/** The request's params as an upstream gets them: without the 2026 envelope and round fields. */
function upstreamParams(params: RawItem | undefined, ctx: ServerContext): RawItem | undefined {
  if (!params) return params;
  const { _meta: _drop, inputResponses: _ir, requestState: _rs, ...rest } = params;
  const meta: RawItem = {};
  for (const [k, v] of Object.entries(ctx.mcpReq._meta ?? {})) if (!k.startsWith(RESERVED_META)) meta[k] = v;
  return Object.keys(meta).length > 0 ? { ...rest, _meta: meta } : rest;
}

function passes(level: LogLevel, messageLevel: unknown): boolean {
  const i = LOG_LEVELS.indexOf(messageLevel as LogLevel);
  return i === -1 || i >= LOG_LEVELS.indexOf(level);
}
