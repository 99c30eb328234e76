import { SwitchboardError, type RawItem } from '../shared/index.js';
import type { RequestOptions, UpstreamConnection } from './connection.js';

export interface CallerPoolOptions {
  /** A caller's upstream session is closed after this long without a request. Default 5 minutes. */
  idleMs?: number;
  /** At most this many caller sessions per upstream; the least recently used idle one is closed for a new one. Default 64. */
  max?: number;
}

export const DEFAULT_CALLER_POOL: Required<CallerPoolOptions> = { idleMs: 5 * 60_000, max: 64 };

/**
 * The requests that act for a caller and so go over that caller's own upstream session. Lists,
 * subscriptions, the log level and pings stay on the shared connection (the catalogue is one for all).
 */
export const CALLER_METHODS: ReadonlySet<string> = new Set(['tools/call', 'resources/read', 'prompts/get', 'completion/complete']);

/** Opens one caller's connection; `onClosed` is called if it ends by itself later. */
export type OpenCallerConnection = (key: string, onClosed: () => void) => Promise<UpstreamConnection>;

interface Entry {
  readonly key: string;
  conn: UpstreamConnection | undefined;
  ready: Promise<UpstreamConnection>;
  lastUsed: number;
  /** Requests running on it: a busy connection is never evicted. */
  busy: number;
  gone: boolean;
}

/**
 * One upstream's sessions per caller identity, opened on first use, closed when idle for `idleMs`
 * and capped at `max` (least recently used first). The lookup on each request is a Map get; nothing
 * here does I/O except opening and closing connections.
 */
export class CallerPool {
  private readonly entries = new Map<string, Entry>();
  private readonly opts: Required<CallerPoolOptions>;
  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly server: string,
    private readonly open: OpenCallerConnection,
    opts: CallerPoolOptions = {},
  ) {
    this.opts = { ...DEFAULT_CALLER_POOL, ...opts };
  }

  get size(): number {
    return this.entries.size;
  }

  /** The caller keys with a session, least recently used first. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** The caller's connection, if it has one open (for tests and status). */
  connectionOf(key: string): UpstreamConnection | undefined {
    return this.entries.get(key)?.conn;
  }

  async request(key: string, method: string, params: RawItem | undefined, opts: RequestOptions): Promise<RawItem> {
    const entry = this.acquire(key);
    entry.busy++;
    try {
      const conn = entry.conn ?? (await entry.ready);
      return await conn.request(method, params, opts);
    } finally {
      entry.busy--;
      entry.lastUsed = Date.now();
    }
  }

  /** A notification for every caller session (roots/list_changed). */
  notifyAll(method: string, params?: RawItem): void {
    for (const e of this.entries.values()) void e.conn?.notify(method, params).catch(() => undefined);
  }

  /** Close every caller session (the upstream stopped, restarted or was reconfigured). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => this.retire(e)));
  }

  private acquire(key: string): Entry {
    const now = Date.now();
    const found = this.entries.get(key);
    if (found) {
      // Most recently used last: the Map's order is the eviction order.
      this.entries.delete(key);
      this.entries.set(key, found);
      found.lastUsed = now;
      return found;
    }
    if (this.closed) throw new SwitchboardError('SWB_UPSTREAM_UNAVAILABLE', `Upstream '${this.server}' is not connected`, { server: this.server });
    const entry: Entry = { key, conn: undefined, ready: undefined as never, lastUsed: now, busy: 0, gone: false };
    entry.ready = this.open(key, () => this.forget(entry)).then(
      (conn) => {
        if (entry.gone) {
          void conn.close().catch(() => undefined);
          throw new SwitchboardError('SWB_UPSTREAM_UNAVAILABLE', `Upstream '${this.server}' is not connected`, { server: this.server });
        }
        entry.conn = conn;
        return conn;
      },
      (err: unknown) => {
        // The next request of this caller tries again; nobody else is affected.
        this.forget(entry);
        throw new SwitchboardError('SWB_UPSTREAM_UNAVAILABLE', `Could not open a session with upstream '${this.server}' for this caller: ${err instanceof Error ? err.message : String(err)}`, {
          server: this.server,
        });
      },
    );
    entry.ready.catch(() => undefined);
    this.entries.set(key, entry);
    this.evictOverCap();
    this.sweep(true);
    return entry;
  }

  private evictOverCap(): void {
    if (this.entries.size <= this.opts.max) return;
    for (const e of this.entries.values()) {
      if (this.entries.size <= this.opts.max) break;
      // Busy sessions stay (closing one would fail its calls): the pool may run over its cap until they end.
      if (e.busy === 0 && e.conn) {
        this.forget(e);
        void this.retire(e);
      }
    }
  }

  /** Keep the idle sweep running while there are sessions. */
  private sweep(start = false): void {
    if (start) {
      if (this.sweeper || this.closed) return;
      const every = Math.max(10, Math.min(this.opts.idleMs / 2, 30_000));
      this.sweeper = setInterval(() => this.sweep(), every);
      this.sweeper.unref();
      return;
    }
    const cutoff = Date.now() - this.opts.idleMs;
    for (const e of this.entries.values()) {
      if (e.busy === 0 && e.conn && e.lastUsed <= cutoff) {
        this.forget(e);
        void this.retire(e);
      }
    }
    if (this.entries.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  private forget(entry: Entry): void {
    entry.gone = true;
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
  }

  private async retire(entry: Entry): Promise<void> {
    entry.gone = true;
    const conn = entry.conn ?? (await entry.ready.catch(() => undefined));
    await conn?.close().catch(() => undefined);
  }
}
