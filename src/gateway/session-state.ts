import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import type { Principal, RawItem } from '../shared/index.js';
import { ALL_TOOLS, sameExposure, type Exposure } from './exposure.js';
import type { HttpSessionTransport } from './http-session-transport.js';
import type { StateSeal } from './modern/state-seal.js';
import { openSessionId, sealSessionId, type SealedSession } from './session-seal.js';
import { LOG_LEVELS, sameCaller, type DownstreamSession, type LogLevel } from './sessions.js';

/** A session's mutable state as stored. */
export interface StoredSession {
  key: string;
  logLevel: string | null;
  subscriptions: string[];
  ended: boolean;
}

/**
 * Where sessions' mutable state lives (the store's `sessions` repo implements it). Writes are single
 * changes, so replicas changing one session concurrently do not undo each other.
 */
export interface SessionStateStore {
  get(key: string): Promise<StoredSession | undefined>;
  setLogLevel(key: string, level: string): Promise<void>;
  subscribe(key: string, uri: string): Promise<void>;
  unsubscribe(key: string, uri: string): Promise<void>;
  end(key: string): Promise<void>;
  changedSince(sinceMs: number): Promise<StoredSession[]>;
  prune(beforeMs: number): Promise<number>;
}

export interface SessionContinuityOptions {
  seal: StateSeal;
  store: SessionStateStore;
  /** Sealed ids older than this are not served again. Default 7 days. */
  maxAgeMs?: number;
  /** How often other replicas' changes (log level, subscriptions, ends) are picked up; 0: never. Default 2 s. */
  syncIntervalMs?: number;
  /** Store failures (never on the request path; the session carries on in memory). */
  onError?: (err: Error) => void;
}

/** What the endpoint does to bring a session object to life, split so a rebuild can replay initialize in between. */
export interface SessionFactory {
  /** A new session object and its transport, connected but not yet reachable by requests. */
  create(sealed: SealedSession): Promise<{ session: DownstreamSession; transport: HttpSessionTransport }>;
  /** Make it reachable (the endpoint's session table, the core's registry). */
  install(session: DownstreamSession, transport: HttpSessionTransport): void;
}

/** The mutable part of a session: written on setLevel/subscribe/unsubscribe only. */
interface StoredState {
  level?: LogLevel;
  subs: Set<string>;
}

interface Live {
  sid: string;
  key: string;
  session: DownstreamSession;
  transport: HttpSessionTransport;
  /** What the store holds for it as far as this process knows, so only changes are written. */
  saved: StoredState;
  /** Local writes in flight, and when the last one finished: a sync read older than that is stale. */
  writing: number;
  wroteAt: number;
}

const DEFAULT_MAX_AGE_MS = 7 * 24 * 3600_000;
const DEFAULT_SYNC_MS = 2000;
/** Rows are re-read this far back on every sync: clocks of replicas and commit order may disagree a little. */
const SYNC_OVERLAP_MS = 5000;
const PRUNE_EVERY_MS = 3600_000;
const noState = (): StoredState => ({ subs: new Set() });

/**
 * Sessions that survive a restart and move between replicas. The session id is sealed (AES-256-GCM,
 * see session-seal.ts) with who opened it and what the client sent in `initialize`; the few things
 * that change later (log level, subscriptions) go to the store, written only when they change. A
 * gateway that gets a request for a session it does not hold rebuilds it: a new SDK `Server`, the
 * client's `initialize` replayed into it (so the SDK holds the same capabilities and version), then the
 * stored level and subscriptions replayed through the normal dispatch (policy included). The request
 * path itself never touches the store.
 */
export class SessionContinuity {
  private readonly bySid = new Map<string, Live>();
  private readonly byKey = new Map<string, Live>();
  private readonly reviving = new Map<string, Promise<HttpSessionTransport | undefined>>();
  private readonly maxAgeMs: number;
  private readonly timer: NodeJS.Timeout | undefined;
  private lastSync = Date.now();
  private lastPrune = 0;
  private syncing = false;
  private replaySeq = 0;

  constructor(private readonly opts: SessionContinuityOptions) {
    this.maxAgeMs = opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    const every = opts.syncIntervalMs ?? DEFAULT_SYNC_MS;
    if (every > 0) {
      this.timer = setInterval(() => void this.sync(), every);
      this.timer.unref();
    }
  }

  /** A sealed id for a session an `initialize` request is opening. */
  mint(principal: Principal, initParams: unknown, exposure: Exposure): { sid: string; sealed: SealedSession } {
    const p = (initParams && typeof initParams === 'object' ? initParams : {}) as RawItem;
    const obj = (v: unknown): RawItem => (v && typeof v === 'object' && !Array.isArray(v) ? (v as RawItem) : {});
    const base = {
      caller: { kind: principal.kind, id: principal.id },
      protocolVersion: typeof p['protocolVersion'] === 'string' ? p['protocolVersion'] : '2025-03-26',
      capabilities: obj(p['capabilities']),
      clientInfo: obj(p['clientInfo']),
      ...(exposure.mode !== 'all' ? { exposure } : {}),
    };
    const sid = sealSessionId(this.opts.seal, base);
    return { sid, sealed: openSessionId(this.opts.seal, sid)! };
  }

  /** Track a live session (opened here or rebuilt) so its state can be saved and synced. */
  adopt(sid: string, sealed: SealedSession, session: DownstreamSession, transport: HttpSessionTransport, saved = noState()): void {
    const live: Live = { sid, key: sealed.key, session, transport, saved, writing: 0, wroteAt: 0 };
    this.bySid.set(sid, live);
    this.byKey.set(sealed.key, live);
  }

  /** The session left this process (closed, idle, shut down); its stored state stays. */
  forget(sid: string): void {
    const live = this.bySid.get(sid);
    if (!live) return;
    this.bySid.delete(sid);
    if (this.byKey.get(live.key) === live) this.byKey.delete(live.key);
  }

  /**
   * Rebuild a session this process does not hold from its sealed id, for `principal` on the path
   * showing `exposure`. Undefined (the caller answers with the unknown-session 404) when the id was not
   * sealed by our keys, belongs to another caller or path, is too old, or the session was ended.
   */
  revive(sid: string, principal: Principal, exposure: Exposure, factory: SessionFactory): Promise<HttpSessionTransport | undefined> {
    let pending = this.reviving.get(sid);
    if (!pending) {
      pending = this.rebuild(sid, principal, exposure, factory).finally(() => this.reviving.delete(sid));
      this.reviving.set(sid, pending);
    }
    // Concurrent requests for the same session share one rebuild; the caller check is still theirs.
    return pending.then((t) => {
      const live = t ? this.bySid.get(sid) : undefined;
      return live && sameCaller(live.session.principal, principal) ? t : undefined;
    });
  }

  private async rebuild(sid: string, principal: Principal, exposure: Exposure, factory: SessionFactory): Promise<HttpSessionTransport | undefined> {
    const sealed = openSessionId(this.opts.seal, sid);
    if (!sealed || !sameCaller(sealed.caller as Principal, principal) || !sameExposure(sealed.exposure ?? ALL_TOOLS, exposure)) return undefined;
    if (Date.now() - sealed.createdAt > this.maxAgeMs) return undefined;
    let stored: StoredSession | undefined;
    try {
      stored = await this.opts.store.get(sealed.key);
    } catch (err) {
      // Without the store we cannot tell an ended session from a live one: refuse, the client re-initialises.
      this.opts.onError?.(err as Error);
      return undefined;
    }
    if (stored?.ended) return undefined;
    const { session, transport } = await factory.create(sealed);
    session.principal = principal;
    const init = await transport.replay({
      jsonrpc: '2.0',
      id: this.replayId(),
      method: 'initialize',
      params: { protocolVersion: sealed.protocolVersion, capabilities: sealed.capabilities, clientInfo: sealed.clientInfo },
    } as JSONRPCMessage);
    if (!init || !('result' in init)) {
      await transport.close().catch(() => undefined);
      return undefined;
    }
    await transport.replay({ jsonrpc: '2.0', method: 'notifications/initialized' } as JSONRPCMessage);
    const state = normalise(stored);
    factory.install(session, transport);
    this.adopt(sid, sealed, session, transport, state);
    await this.apply(this.bySid.get(sid)!, state);
    return transport;
  }

  /**
   * After a request that may change the stored part (setLevel, subscribe, unsubscribe) has been
   * answered: write what differs from what the store holds, one change at a time.
   */
  changed(sid: string): void {
    const live = this.bySid.get(sid);
    if (!live) return;
    const { session, saved } = live;
    const writes: (() => Promise<void>)[] = [];
    if (session.logLevel && session.logLevel !== saved.level) {
      const level = session.logLevel;
      saved.level = level;
      writes.push(() => this.opts.store.setLogLevel(live.key, level));
    }
    for (const uri of session.subscriptions) {
      if (saved.subs.has(uri)) continue;
      saved.subs.add(uri);
      writes.push(() => this.opts.store.subscribe(live.key, uri));
    }
    for (const uri of [...saved.subs]) {
      if (session.subscriptions.has(uri)) continue;
      saved.subs.delete(uri);
      writes.push(() => this.opts.store.unsubscribe(live.key, uri));
    }
    if (writes.length === 0) return;
    live.writing++;
    void (async () => {
      try {
        for (const w of writes) await w();
      } catch (err) {
        this.opts.onError?.(err as Error);
      } finally {
        live.writing--;
        live.wroteAt = Date.now();
      }
    })();
  }

  /** The client ended the session (DELETE): no gateway may serve it again. */
  async end(sid: string): Promise<void> {
    const key = this.bySid.get(sid)?.key ?? openSessionId(this.opts.seal, sid)?.key;
    if (!key) return;
    try {
      await this.opts.store.end(key);
    } catch (err) {
      this.opts.onError?.(err as Error);
    }
  }

  /** Pick up what other replicas changed: level and subscription changes, and sessions they ended. */
  async sync(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    const started = Date.now();
    try {
      const rows = await this.opts.store.changedSince(this.lastSync - SYNC_OVERLAP_MS);
      this.lastSync = started;
      for (const row of rows) {
        const live = this.byKey.get(row.key);
        if (!live) continue;
        if (row.ended) {
          void live.transport.close();
          continue;
        }
        // Our own change may be on its way to the store, or landed after this read: the next round sees it.
        if (live.writing > 0 || live.wroteAt >= started) continue;
        const state = normalise(row);
        if (sameState(state, live.saved)) continue;
        await this.apply(live, state);
      }
      if (started - this.lastPrune > PRUNE_EVERY_MS) {
        this.lastPrune = started;
        await this.opts.store.prune(started - this.maxAgeMs);
      }
    } catch (err) {
      this.opts.onError?.(err as Error);
    } finally {
      this.syncing = false;
    }
  }

  /** Bring a live session to `state` through its own dispatch, so level propagation and the policy gate apply. */
  private async apply(live: Live, state: StoredState): Promise<void> {
    const { session, transport } = live;
    // The protocol cannot unset a level, so a stored level only ever changes to another one.
    if (state.level && state.level !== session.logLevel) await this.request(transport, 'logging/setLevel', { level: state.level });
    for (const uri of state.subs) if (!session.subscriptions.has(uri)) await this.request(transport, 'resources/subscribe', { uri });
    for (const uri of [...session.subscriptions]) if (!state.subs.has(uri)) await this.request(transport, 'resources/unsubscribe', { uri });
    // A subscription that could not be restored stays in the store (and is tried again when the
    // session's row next changes); it is not taken for one the client gave up.
    live.saved = { ...(state.level ? { level: state.level } : {}), subs: new Set([...state.subs].filter((u) => session.subscriptions.has(u))) };
  }

  private async request(transport: HttpSessionTransport, method: string, params: RawItem): Promise<void> {
    // A refused replay (an upstream that is not back yet, a subscription the caller may no longer
    // hold) leaves that part of the state out; the session itself carries on.
    await transport.replay({ jsonrpc: '2.0', id: this.replayId(), method, params } as JSONRPCMessage);
  }

  private replayId(): string {
    return `switchboard-replay-${++this.replaySeq}`;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

/** Stored state as this code reads it; an unknown level is ignored. */
function normalise(row: StoredSession | undefined): StoredState {
  const level = row?.logLevel;
  return {
    ...(level && (LOG_LEVELS as readonly string[]).includes(level) ? { level: level as LogLevel } : {}),
    subs: new Set(row?.subscriptions ?? []),
  };
}

function sameState(a: StoredState, b: StoredState): boolean {
  return a.level === b.level && a.subs.size === b.subs.size && [...a.subs].every((u) => b.subs.has(u));
}
