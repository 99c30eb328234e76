import { causedBy, RequestNotSentError, SessionGoneError, sessionSurvives, type McpSession } from './one-shot-client.js';

export interface SourceConnectionsOptions {
  /** A connection is closed after this long without a call. Default 2 minutes. */
  idleMs?: number;
}

export const DEFAULT_SOURCE_IDLE_MS = 2 * 60_000;

interface Entry {
  readonly key: string;
  readonly fingerprint: string;
  readonly group: string;
  readonly ready: Promise<McpSession>;
  session: McpSession | undefined;
  /** Calls running on it: it is closed only when none is left (unless it broke). */
  busy: number;
  idle: NodeJS.Timeout | undefined;
  /** Out of the pool: closed once the last call on it ends. */
  retired: boolean;
}

/**
 * One lasting MCP session per external source, shared by all calls forwarded to it. A connection is
 * opened on the first call, keyed by the source id and a fingerprint of what it connects with (URL,
 * transport, resolved headers), so an edited source or a rotated secret gets a new one; it is closed
 * after `idleMs` without calls, when `retire`d, or when it breaks. A call that fails on a reused
 * connection before its request left the host, or because the server forgot the session, is sent once
 * more on a fresh connection; a call that may have run is never sent again.
 */
export class SourceConnections {
  private readonly entries = new Map<string, Entry>();
  private readonly idleMs: number;
  private closed = false;
  /** Connections opened so far (for tests and status). */
  opened = 0;

  constructor(opts: SourceConnectionsOptions = {}) {
    this.idleMs = opts.idleMs ?? DEFAULT_SOURCE_IDLE_MS;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether `key` has a connection in the pool (opening or open). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /**
   * Run `fn` on the connection of `key` (opened with `open` if there is none for this fingerprint).
   * `group` names the owner (the hosted server) for `retireGroup`.
   */
  async use<T>(key: string, fingerprint: string, group: string, open: () => Promise<McpSession>, fn: (s: McpSession) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw new RequestNotSentError('the gateway is closing');
      const { entry, fresh } = this.acquire(key, fingerprint, group, open);
      entry.busy++;
      if (entry.idle) clearTimeout(entry.idle);
      entry.idle = undefined;
      let session: McpSession;
      try {
        session = entry.session ?? (await entry.ready);
      } catch (err) {
        this.release(entry);
        throw err;
      }
      try {
        return await fn(session);
      } catch (err) {
        const survives = !session.closed && sessionSurvives(err);
        if (!survives) this.retire(entry, true);
        // Only a connection that was already open is worth a second try, and only for a call that did not run.
        if (!survives && attempt === 0 && !fresh && (causedBy(err, RequestNotSentError) || causedBy(err, SessionGoneError))) continue;
        throw err;
      } finally {
        this.release(entry);
      }
    }
  }

  /** Close the connection of `key` (after its running calls end). */
  retireKey(key: string): void {
    const e = this.entries.get(key);
    if (e) this.retire(e, false);
  }

  /** Close every connection whose key `keep` rejects, or whose fingerprint differs from the one it gives. */
  retain(keep: (key: string, group: string) => string | undefined): void {
    for (const e of [...this.entries.values()]) if (keep(e.key, e.group) !== e.fingerprint) this.retire(e, false);
  }

  /** Close the connections of one owner (a hosted server stopped or deleted). */
  retireGroup(group: string): void {
    for (const e of [...this.entries.values()]) if (e.group === group) this.retire(e, false);
  }

  /** Close everything now; later calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => this.shut(e)));
  }

  private acquire(key: string, fingerprint: string, group: string, open: () => Promise<McpSession>): { entry: Entry; fresh: boolean } {
    const have = this.entries.get(key);
    if (have && have.fingerprint === fingerprint && !have.session?.closed) return { entry: have, fresh: false };
    if (have) this.retire(have, false);
    const entry: Entry = { key, fingerprint, group, ready: undefined as unknown as Promise<McpSession>, session: undefined, busy: 0, idle: undefined, retired: false };
    this.opened++;
    (entry as { ready: Promise<McpSession> }).ready = open().then(
      (s) => (entry.session = s),
      (err: unknown) => {
        this.retire(entry, true);
        throw err;
      },
    );
    // A failure to open is reported to the calls waiting on it; nobody else needs to see it.
    entry.ready.catch(() => undefined);
    this.entries.set(key, entry);
    return { entry, fresh: true };
  }

  private release(entry: Entry): void {
    entry.busy--;
    if (entry.busy > 0) return;
    if (entry.retired) {
      void this.shut(entry);
      return;
    }
    entry.idle = setTimeout(() => this.retire(entry, false), this.idleMs);
    entry.idle.unref();
  }

  /** Take `entry` out of the pool; close it now if `now` or nothing runs on it. */
  private retire(entry: Entry, now: boolean): void {
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    entry.retired = true;
    if (entry.idle) clearTimeout(entry.idle);
    entry.idle = undefined;
    if (now || entry.busy === 0) void this.shut(entry);
  }

  private async shut(entry: Entry): Promise<void> {
    if (entry.idle) clearTimeout(entry.idle);
    entry.idle = undefined;
    const s = entry.session ?? (await entry.ready.catch(() => undefined));
    await s?.close().catch(() => undefined);
  }
}
