import { randomUUID } from 'node:crypto';
import { ProtocolError } from '@modelcontextprotocol/server';
import type { RawItem } from '../../shared/index.js';

/** An embedded request of an input-required result (what a 2025-era upstream asked its client). */
export interface InputRequest {
  method: string;
  params?: RawItem;
}

/** Where the call stands when a round ends. */
export type RoundOutcome = { kind: 'done'; result: RawItem } | { kind: 'failed'; error: unknown } | { kind: 'input'; requests: Record<string, InputRequest> };

/** The exchange currently attached to a held call: where its progress goes. */
export interface Exchange {
  notify?: (n: { method: string; params?: RawItem }) => Promise<void>;
  progressToken?: unknown;
}

export interface HeldCallsOptions {
  /** How long a call waits for the client's retry after an input-required answer. */
  holdMs: number;
  /** After an upstream request arrives, how long to wait for siblings so one answer carries them all. */
  gatherMs: number;
}

interface Pending {
  request: InputRequest;
  resolve: (value: RawItem) => void;
  reject: (err: unknown) => void;
}

const KEY_PREFIX: Record<string, string> = { 'elicitation/create': 'elicitation', 'sampling/createMessage': 'sampling', 'roots/list': 'roots' };

/**
 * One upstream call that outlives the HTTP exchanges of a 2026-era client: the upstream (a 2025-era
 * server) asked for sampling, elicitation or roots in the middle of it, the client was answered with
 * an input-required result, and the upstream's request waits here for the client's retry.
 */
export class HeldCall {
  readonly id = randomUUID();
  /** Cancels the upstream call (hold timeout, client gone, capability missing). */
  readonly abort = new AbortController();
  /** The round the next retry must name; a stale or replayed state is refused. */
  round = 0;
  private readonly pending = new Map<string, Pending>();
  private settled: RoundOutcome | undefined;
  private wake: (() => void) | undefined;
  private counter = 0;
  private exchange: Exchange = {};
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly caller: string,
    readonly method: string,
    private readonly opts: HeldCallsOptions,
    private readonly onExpire: (call: HeldCall) => void,
  ) {}

  /**
   * Start the call for the first exchange; `run` gets the link hooks that route the upstream's
   * requests and progress here.
   */
  start(exchange: Exchange, run: (hooks: { send: (req: InputRequest) => Promise<RawItem>; notify: NonNullable<Exchange['notify']>; signal: AbortSignal }) => Promise<RawItem>): void {
    this.exchange = exchange;
    run({ send: (req) => this.ask(req), notify: (n) => this.notifyExchange(n), signal: this.abort.signal }).then(
      (result) => this.settle({ kind: 'done', result }),
      (error: unknown) => this.settle({ kind: 'failed', error }),
    );
  }

  /** The upstream's server→client request: parked under a fresh key until a retry answers it. */
  private ask(upstreamRequest: InputRequest): Promise<RawItem> {
    const key = `${KEY_PREFIX[upstreamRequest.method] ?? 'input'}_${++this.counter}`;
    const request = withoutProgressToken(upstreamRequest);
    return new Promise<RawItem>((resolve, reject) => {
      this.pending.set(key, { request, resolve, reject });
      this.wake?.();
    });
  }

  private notifyExchange(n: { method: string; params?: RawItem }): Promise<void> {
    const { notify, progressToken } = this.exchange;
    if (!notify) return Promise.resolve();
    // Progress belongs to whichever retry is attached now, under that retry's token.
    if (n.method === 'notifications/progress') {
      if (progressToken === undefined) return Promise.resolve();
      return notify({ method: n.method, params: { ...n.params, progressToken } });
    }
    return notify(n);
  }

  private settle(outcome: RoundOutcome): void {
    this.settled = outcome;
    for (const p of this.pending.values()) p.reject(new ProtocolError(-32603, 'The call ended before the client answered'));
    this.pending.clear();
    this.wake?.();
  }

  /** Keys the current round asked for and that are still unanswered. */
  openKeys(): string[] {
    return [...this.pending.keys()];
  }

  /** Answer parked upstream requests from a retry's `inputResponses`; returns the keys answered. */
  answer(responses: Record<string, unknown>): string[] {
    const answered: string[] = [];
    for (const [key, p] of this.pending) {
      const value = responses[key];
      if (!isAnswerFor(p.request.method, value)) continue;
      this.pending.delete(key);
      p.resolve(value as RawItem);
      answered.push(key);
    }
    return answered;
  }

  /**
   * Wait for the end of this round: the call's result, or the upstream asking for input (requests
   * that arrive together are gathered into one answer). The exchange's signal cancels the call.
   */
  next(exchange: Exchange, signal: AbortSignal): Promise<RoundOutcome> {
    this.exchange = exchange;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return new Promise<RoundOutcome>((resolve) => {
      let gather: NodeJS.Timeout | undefined;
      const finish = (o: RoundOutcome) => {
        if (gather) clearTimeout(gather);
        signal.removeEventListener('abort', onAbort);
        this.wake = undefined;
        this.exchange = {};
        if (o.kind === 'input') this.hold();
        resolve(o);
      };
      const onAbort = () => {
        this.cancel('the client closed the request');
        finish({ kind: 'failed', error: Object.assign(new Error('Request cancelled'), { name: 'AbortError' }) });
      };
      this.wake = () => {
        if (this.settled) return finish(this.settled);
        if (this.pending.size === 0) return;
        if (gather) clearTimeout(gather);
        gather = setTimeout(() => finish({ kind: 'input', requests: Object.fromEntries([...this.pending].map(([k, p]) => [k, p.request])) }), this.opts.gatherMs);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.wake();
    });
  }

  /** Keep the call for the client's retry, but not for ever. */
  private hold(): void {
    this.round++;
    this.timer = setTimeout(() => {
      this.cancel('the client did not retry in time');
      this.onExpire(this);
    }, this.opts.holdMs);
    this.timer.unref();
  }

  /** Give up: fail the parked upstream requests and cancel the upstream call. */
  cancel(reason: string): void {
    if (this.timer) clearTimeout(this.timer);
    for (const p of this.pending.values()) p.reject(new ProtocolError(-32603, `Input not provided: ${reason}`));
    this.pending.clear();
    this.abort.abort(new Error(reason));
  }
}

/** Calls held between rounds, by id. */
export class HeldCalls {
  private readonly calls = new Map<string, HeldCall>();

  constructor(private readonly opts: HeldCallsOptions) {}

  create(caller: string, method: string): HeldCall {
    const call = new HeldCall(caller, method, this.opts, (c) => this.calls.delete(c.id));
    this.calls.set(call.id, call);
    return call;
  }

  get(id: string): HeldCall | undefined {
    return this.calls.get(id);
  }

  drop(call: HeldCall): void {
    this.calls.delete(call.id);
  }

  get size(): number {
    return this.calls.size;
  }

  close(): void {
    for (const c of this.calls.values()) c.cancel('the gateway is shutting down');
    this.calls.clear();
  }
}

/** Whether a client's input response has the shape the parked request's result needs. */
export function isAnswerFor(method: string, value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as RawItem;
  switch (method) {
    case 'elicitation/create':
      return v['action'] === 'accept' || v['action'] === 'decline' || v['action'] === 'cancel';
    case 'sampling/createMessage':
      return typeof v['role'] === 'string' && v['content'] !== undefined;
    case 'roots/list':
      return Array.isArray(v['roots']);
    default:
      return true;
  }
}

/** The upstream's progress token names its request to the gateway; it means nothing to the client. */
function withoutProgressToken(req: InputRequest): InputRequest {
  const meta = req.params?.['_meta'] as RawItem | undefined;
  if (!meta || !('progressToken' in meta)) return req;
  const { progressToken: _t, ...rest } = meta;
  const { _meta: _m, ...params } = req.params!;
  return { method: req.method, params: Object.keys(rest).length > 0 ? { ...params, _meta: rest } : params };
}
