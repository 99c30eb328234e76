import type { ServerConfig } from '../config/index.js';
import { principalKey, type RawItem, type SourceListing } from '../shared/index.js';
import { CALLER_METHODS, CallerPool, type CallerPoolOptions } from './caller-pool.js';
import { connectUpstream, type ProtocolEra, type UpstreamConnection, type UpstreamHooks } from './connection.js';
import { deriveHealth, type Health } from './health.js';
import { DEFAULT_RETRY, RetryPolicy, type RetryOptions } from './retry-policy.js';
import { assertTransition, type UpstreamState } from './states.js';
import { StderrLog } from './stderr-log.js';

/** What a supervisor tells its owner. */
export interface SupervisorEvents {
  /** The upstream is connected and its catalogue fetched (also after a list_changed re-fetch). */
  onListing(server: string, listing: SourceListing): void;
  /** The upstream is gone (stopped, lost, disabled): its items leave the catalogue. */
  onDown(server: string): void;
  onStateChange(server: string, state: UpstreamState): void;
  /**
   * Routing of server→client traffic to downstream sessions. `caller` (a principalKey) is set when it
   * came over that caller's own upstream session (sessionScope `caller`): it belongs to that caller only.
   */
  onServerRequest(server: string, method: string, params: RawItem | undefined, signal: AbortSignal, caller?: string): Promise<RawItem>;
  onNotification(server: string, method: string, params: RawItem | undefined, caller?: string): void;
}

export interface SupervisorOptions {
  retry?: Partial<RetryOptions>;
  /** Interval of liveness pings while ready; 0 disables. */
  pingIntervalMs?: number;
  /** Idle time and cap of the per-caller upstream sessions (sessionScope `caller`). */
  callerPool?: CallerPoolOptions;
}

const LIST_CHANGED = new Set(['notifications/tools/list_changed', 'notifications/resources/list_changed', 'notifications/prompts/list_changed']);

/**
 * Keeps one upstream connected: connects, fetches its catalogue, watches it, and reconnects with
 * backoff when it is lost. All state changes go through the transition table in states.ts.
 */
export class UpstreamSupervisor {
  readonly stderr = new StderrLog();
  private _state: UpstreamState;
  private conn: UpstreamConnection | undefined;
  /** sessionScope `caller`: the callers' own sessions, and the connection the gateway sees (routing into them). */
  private pool: CallerPool | undefined;
  private routed: UpstreamConnection | undefined;
  private listing: SourceListing | undefined;
  private readonly retry: RetryPolicy;
  private timer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private retryAt = 0;
  private attempts = 0;
  private attemptStartedAt = 0;
  private generation = 0;
  private lastError: string | undefined;
  private refetching: Promise<void> | undefined;

  constructor(
    private cfg: ServerConfig,
    private readonly events: SupervisorEvents,
    private readonly opts: SupervisorOptions = {},
  ) {
    this._state = cfg.enabled ? 'stopped' : 'disabled';
    this.retry = new RetryPolicy({ ...DEFAULT_RETRY, ...opts.retry });
  }

  get name(): string {
    return this.cfg.name;
  }
  get config(): ServerConfig {
    return this.cfg;
  }
  get state(): UpstreamState {
    return this._state;
  }
  /** The live connection, only while ready or degraded. */
  get connection(): UpstreamConnection | undefined {
    return this._state === 'ready' || this._state === 'degraded' ? (this.routed ?? this.conn) : undefined;
  }

  /**
   * Whose upstream session a caller's request uses: `caller` (each identity its own; the default for
   * HTTP upstreams) or `shared`. stdio servers are one process, so always shared.
   */
  get sessionScope(): 'caller' | 'shared' {
    return this.cfg.transport === 'stdio' ? 'shared' : (this.cfg.sessionScope ?? 'caller');
  }

  /** The caller sessions open now (principal keys, least recently used first); empty unless pooled. */
  callerSessions(): string[] {
    return this.pool?.keys() ?? [];
  }

  /** One caller's own upstream connection, if open (tests). */
  callerConnection(key: string): UpstreamConnection | undefined {
    return this.pool?.connectionOf(key);
  }

  health(): Health {
    return deriveHealth({
      state: this._state,
      quarantined: this.cfg.quarantined,
      toolCount: this.listing?.tools.length ?? 0,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      retryInMs: Math.max(0, this.retryAt - Date.now()),
      attempts: this.attempts,
    });
  }

  status(): { name: string; state: UpstreamState; health: Health; transport: string; pid?: number; tools: number; resources: number; prompts: number; protocolVersion?: string; protocolEra?: ProtocolEra; serverInfo?: RawItem } {
    const c = this.connection;
    return {
      name: this.cfg.name,
      state: this._state,
      health: this.health(),
      transport: this.cfg.transport,
      ...(c?.pid ? { pid: c.pid } : {}),
      tools: this.listing?.tools.length ?? 0,
      resources: this.listing?.resources.length ?? 0,
      prompts: this.listing?.prompts.length ?? 0,
      ...(c?.protocolVersion ? { protocolVersion: c.protocolVersion } : {}),
      ...(c?.era ? { protocolEra: c.era } : {}),
      ...(c?.serverInfo ? { serverInfo: c.serverInfo } : {}),
    };
  }

  /** Start (or restart after error/needs_auth) with a fresh retry budget. */
  start(): void {
    if (this.cfg.quarantined) return;
    if (this._state === 'disabled' && !this.cfg.enabled) return;
    if (this._state === 'ready' || this._state === 'degraded' || this._state === 'starting' || this._state === 'backoff') return;
    this.retry.reset();
    this.attempts = 0;
    void this.attempt();
  }

  async stop(disable = false): Promise<void> {
    this.generation++;
    this.clearTimers();
    const wasUp = this.conn !== undefined;
    if (this._state !== 'stopped' && this._state !== 'disabled') {
      if (this._state !== 'stopping') this.move('stopping');
      const conn = this.conn;
      const pool = this.dropPool();
      this.conn = undefined;
      this.listing = undefined;
      if (wasUp) this.events.onDown(this.cfg.name);
      await Promise.all([conn?.close(), pool?.close()]);
      this.move(disable ? 'disabled' : 'stopped');
    } else if (disable && this._state === 'stopped') {
      this.move('disabled');
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    this.start();
  }

  /** Apply a changed config: restart only if it is running. */
  async reconfigure(cfg: ServerConfig): Promise<void> {
    this.cfg = cfg;
    if (!cfg.enabled || cfg.quarantined) {
      await this.stop(!cfg.enabled);
      return;
    }
    await this.stop();
    this.start();
  }

  private async attempt(): Promise<void> {
    const gen = ++this.generation;
    if (!this.retry.recordAttempt()) {
      this.fail('Too many connection attempts in the last hour; restart it by hand', true);
      return;
    }
    this.attempts++;
    this.attemptStartedAt = Date.now();
    this.move('starting');
    let conn: UpstreamConnection;
    try {
      // Every (re)connect probes the era afresh (server/discover, else initialize); the connection keeps
      // the verdict for as long as it lives (status, routing of 2026-era rounds, renewed sessions).
      conn = await connectUpstream(this.cfg, this.hooks(gen), this.cfg.transport === 'stdio' ? this.stderr : undefined, { negotiate: 'auto' });
    } catch (err) {
      if (gen !== this.generation) return;
      this.fail(this.withStderr(describe(err)), false, isAuthError(err));
      return;
    }
    if (gen !== this.generation) {
      await conn.close();
      return;
    }
    this.conn = conn;
    this.usePool(conn, gen);
    try {
      this.listing = await conn.listAll(this.cfg.timeoutMs);
    } catch (err) {
      if (gen !== this.generation) return;
      this.lastError = `Connected, but listing failed: ${describe(err)}`;
      this.listing = { tools: [], resources: [], resourceTemplates: [], prompts: [] };
      this.move('degraded');
      this.events.onListing(this.cfg.name, this.listing);
      this.schedulePing(gen);
      return;
    }
    if (gen !== this.generation) return;
    this.retry.succeeded();
    this.lastError = undefined;
    this.move('ready');
    this.events.onListing(this.cfg.name, this.listing);
    this.schedulePing(gen);
  }

  private fail(message: string, permanent: boolean, auth = false): void {
    // The failed connection's pending work (a listing in flight, a late close) must not act any more.
    this.generation++;
    this.lastError = message;
    const conn = this.conn;
    const pool = this.dropPool();
    this.conn = undefined;
    void pool?.close();
    if (this.listing) {
      this.listing = undefined;
      this.events.onDown(this.cfg.name);
    }
    void conn?.close();
    this.clearTimers();
    if (auth) {
      this.move('needs_auth');
      return;
    }
    const decision = permanent ? ({ kind: 'give_up', reason: message } as const) : this.retry.failed();
    if (decision.kind === 'give_up') {
      this.move('error');
      return;
    }
    this.move('backoff');
    this.retryAt = Date.now() + decision.delayMs;
    const gen = this.generation;
    this.timer = setTimeout(() => {
      if (gen === this.generation) void this.attempt();
    }, decision.delayMs);
    this.timer.unref();
  }

  private hooks(gen: number): UpstreamHooks {
    return {
      onServerRequest: (method, params, signal) => this.events.onServerRequest(this.cfg.name, method, params, signal),
      onNotification: (method, params) => {
        if (gen !== this.generation) return;
        if (LIST_CHANGED.has(method)) void this.refetch(gen);
        this.events.onNotification(this.cfg.name, method, params);
      },
      onClosed: (reason) => {
        if (gen !== this.generation) return;
        this.fail(this.withStderr(reason), false);
      },
      // A new upstream session (the old one was forgotten): re-list, which also renews subscriptions and the log level.
      onRenewed: () => {
        if (gen === this.generation) void this.refetch(gen);
      },
    };
  }

  /**
   * sessionScope `caller` on a 2025-era HTTP upstream: a pool of caller sessions next to the shared
   * connection, which keeps the catalogue (discovery, lists, list_changed), subscriptions and the log
   * level. A 2026-era upstream is stateless: there is no session to keep apart, so no pool.
   */
  private usePool(shared: UpstreamConnection, gen: number): void {
    if (this.sessionScope !== 'caller' || shared.era === 'modern') return;
    const name = this.cfg.name;
    const cfg = this.cfg;
    const pool = new CallerPool(
      name,
      (key, onClosed) =>
        connectUpstream(
          cfg,
          {
            onServerRequest: (method, params, signal) => this.events.onServerRequest(name, method, params, signal, key),
            onNotification: (method, params) => {
              // The catalogue is the shared connection's; a caller session's list changes add nothing.
              if (gen !== this.generation || LIST_CHANGED.has(method)) return;
              this.events.onNotification(name, method, params, key);
            },
            // A caller session that ends by itself is dropped; the caller's next request opens another.
            onClosed: () => onClosed(),
          },
          undefined,
          // The shared connection's probe already found a 2025-era server.
          { negotiate: 'legacy' },
        ),
      this.opts.callerPool,
    );
    this.pool = pool;
    this.routed = routeByCaller(shared, pool);
  }

  private dropPool(): CallerPool | undefined {
    const pool = this.pool;
    this.pool = undefined;
    this.routed = undefined;
    return pool;
  }

  /** Re-fetch after list_changed; coalesces bursts into one fetch at a time. */
  private async refetch(gen: number): Promise<void> {
    if (this.refetching) return this.refetching;
    this.refetching = (async () => {
      try {
        const conn = this.conn;
        if (!conn) return;
        const listing = await conn.listAll(this.cfg.timeoutMs);
        if (gen !== this.generation) return;
        this.listing = listing;
        this.events.onListing(this.cfg.name, listing);
      } catch (err) {
        if (gen === this.generation) this.lastError = `Re-listing failed: ${describe(err)}`;
      } finally {
        this.refetching = undefined;
      }
    })();
    return this.refetching;
  }

  private schedulePing(gen: number): void {
    const every = this.opts.pingIntervalMs ?? 30_000;
    if (!every) return;
    this.pingTimer = setInterval(() => {
      const conn = this.conn;
      if (!conn || gen !== this.generation) return;
      conn.request('ping', undefined, { timeoutMs: Math.min(10_000, this.cfg.timeoutMs) }).then(
        () => {
          if (gen !== this.generation || !this.lastError?.startsWith('Ping')) return;
          this.lastError = undefined;
          if (this._state === 'degraded') this.move('ready');
        },
        (err) => {
          if (gen !== this.generation) return;
          // One missed ping is a hiccup; two in a row mean the upstream is gone even if its
          // transport has not noticed (an SSE client keeps retrying silently): reconnect.
          if (this.lastError?.startsWith('Ping failed')) {
            this.fail(`Lost contact: ${describe(err)}`, false);
            return;
          }
          this.lastError = `Ping failed: ${describe(err)}`;
          if (this._state === 'ready') this.move('degraded');
        },
      );
    }, every);
    this.pingTimer.unref();
  }

  /** A failure message with the last lines the process wrote to stderr (why a server died, usually). */
  private withStderr(message: string): string {
    // Lines from before this attempt belong to an earlier failure.
    const tail = this.stderr
      .lines(3)
      .filter((l) => l.ts >= this.attemptStartedAt)
      .map((l) => l.line)
      .join(' | ');
    return tail ? `${message}: ${tail}` : message;
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.timer = this.pingTimer = undefined;
  }

  private move(to: UpstreamState): void {
    if (this._state === to) return;
    assertTransition(this._state, to);
    this._state = to;
    this.events.onStateChange(this.cfg.name, to);
  }
}

/** The shared connection as the gateway sees it: a caller's own requests go over that caller's session. */
function routeByCaller(shared: UpstreamConnection, pool: CallerPool): UpstreamConnection {
  return {
    get capabilities() {
      return shared.capabilities;
    },
    get serverInfo() {
      return shared.serverInfo;
    },
    get instructions() {
      return shared.instructions;
    },
    get protocolVersion() {
      return shared.protocolVersion;
    },
    get era() {
      return shared.era;
    },
    get id() {
      return shared.id;
    },
    get pid() {
      return shared.pid;
    },
    request: (method, params, opts) => (opts.caller && CALLER_METHODS.has(method) ? pool.request(principalKey(opts.caller), method, params, opts) : shared.request(method, params, opts)),
    notify: async (method, params) => {
      pool.notifyAll(method, params);
      return shared.notify(method, params);
    },
    listAll: (timeoutMs) => shared.listAll(timeoutMs),
    close: () => shared.close(),
  };
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

function isAuthError(err: unknown): boolean {
  const e = err as { code?: unknown; status?: unknown; name?: string; message?: string } | undefined;
  if (!e) return false;
  if (e.name === 'UnauthorizedError') return true;
  const status = typeof e.status === 'number' ? e.status : typeof e.code === 'number' ? e.code : undefined;
  if (status === 401 || status === 403) return true;
  return /\b(401|403)\b|unauthori[sz]ed|forbidden/i.test(e.message ?? '');
}
