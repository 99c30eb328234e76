import type { Server } from '@modelcontextprotocol/server';
import { fullAccess, type Principal, type RawItem } from '../shared/index.js';

export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Sends a request related to a downstream request (rides on that request's response stream). */
export type RelatedSend = (request: { method: string; params?: RawItem }, schema: never, options?: { signal?: AbortSignal }) => Promise<unknown>;

/** One client connection to the gateway (a Streamable HTTP session, an SSE connection or stdio). */
export interface DownstreamSession {
  readonly id: string;
  readonly transport: 'streamable-http' | 'sse' | 'stdio' | 'in-process';
  readonly server: Server;
  readonly createdAt: number;
  /**
   * Who opened the session. Requests on it must come from the same identity (kind and id); the
   * object is refreshed from each request so a change to the key's scopes applies at once.
   */
  principal: Principal;
  lastSeen: number;
  logLevel: LogLevel | undefined;
  /** Whether messages outside a request can reach the client now. */
  reachable: boolean;
  /** Exposed resource URIs this session subscribed to. */
  readonly subscriptions: Set<string>;
}

/** A downstream request currently being served by an upstream. */
export interface InFlight {
  /** Absent for a call the gateway makes for a non-MCP face (no client to route requests to). */
  readonly session: DownstreamSession | undefined;
  readonly send: RelatedSend;
  readonly startedAt: number;
  /** Who made the call (principalKey): an upstream session of that caller's own routes only to its calls. */
  readonly caller?: string;
  /** Receives the upstream's log messages while the call runs (2026-era requests that set a log level). */
  readonly log?: (params: RawItem) => void;
}

/**
 * Live sessions and the calls they have in flight per upstream. Upstream connections are shared, so
 * this is what lets a sampling or elicitation request from an upstream reach the session whose call
 * caused it.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, DownstreamSession>();
  private readonly inflight = new Map<string, Set<InFlight>>();

  add(s: DownstreamSession): void {
    this.sessions.set(s.id, s);
  }
  remove(id: string): DownstreamSession | undefined {
    const s = this.sessions.get(id);
    this.sessions.delete(id);
    return s;
  }
  get(id: string): DownstreamSession | undefined {
    return this.sessions.get(id);
  }
  all(): DownstreamSession[] {
    return [...this.sessions.values()];
  }
  get size(): number {
    return this.sessions.size;
  }

  /** Mark a call as running on an upstream; returns the function that ends it. */
  begin(server: string, entry: InFlight): () => void {
    let set = this.inflight.get(server);
    if (!set) this.inflight.set(server, (set = new Set()));
    set.add(entry);
    return () => {
      set!.delete(entry);
    };
  }

  /** The calls in flight on an upstream. */
  inflightOn(server: string): Iterable<InFlight> {
    return this.inflight.get(server) ?? [];
  }

  /**
   * The call an upstream's server→client request most likely belongs to: the newest call in flight on
   * that upstream. Exact when one session at a time uses the upstream (the common case); see
   * docs/sessions.md for the limits of this attribution.
   */
  culprit(server: string, caller?: string): InFlight | undefined {
    let best: InFlight | undefined;
    for (const f of this.inflight.get(server) ?? []) if ((caller === undefined || f.caller === caller) && (!best || f.startedAt >= best.startedAt)) best = f;
    return best;
  }

  /** The lowest log level any session asked for (what upstreams must emit). */
  minimumLogLevel(): LogLevel | undefined {
    let min: number | undefined;
    for (const s of this.sessions.values()) {
      if (!s.logLevel) continue;
      const i = LOG_LEVELS.indexOf(s.logLevel);
      if (min === undefined || i < min) min = i;
    }
    return min === undefined ? undefined : LOG_LEVELS[min];
  }
}

/** The caller of sessions that need no credentials: stdio and in-process clients run as the operator. */
export const LOCAL_CALLER: Principal = Object.freeze(fullAccess('local', 'local', 'local'));

/** Whether two principals are the same caller (a session may only be used by the identity that opened it). */
export function sameCaller(a: Principal, b: Principal): boolean {
  return a.kind === b.kind && a.id === b.id;
}

/** Whether a message at `level` passes a session's filter (no filter set: everything passes). */
export function passesLevel(session: DownstreamSession, level: unknown): boolean {
  if (!session.logLevel) return true;
  const i = LOG_LEVELS.indexOf(level as LogLevel);
  return i === -1 || i >= LOG_LEVELS.indexOf(session.logLevel);
}
