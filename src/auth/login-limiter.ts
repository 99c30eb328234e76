/** Limits on password guessing. */
export interface LoginLimits {
  /** Failed logins from one client address within `ipWindowMs` before it must wait. */
  ipFailures: number;
  ipWindowMs: number;
  /** Consecutive failed logins for one user name before the account locks. */
  userFailures: number;
  lockoutMs: number;
}

export const DEFAULT_LOGIN_LIMITS: Readonly<LoginLimits> = Object.freeze({ ipFailures: 20, ipWindowMs: 15 * 60_000, userFailures: 5, lockoutMs: 15 * 60_000 });

/** Entries kept per map; the oldest go first, so a flood of addresses or names cannot grow memory. */
const MAX_ENTRIES = 10_000;

interface Window {
  count: number;
  /** When the window (or the lock) ends, ms since epoch. */
  until: number;
}

function remember(map: Map<string, Window>, key: string, w: Window): void {
  map.delete(key);
  map.set(key, w);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
}

/**
 * In-memory counters for login failures per client address, and per user name for names that have no
 * account (real accounts keep their counter and lock in the store, so a lock holds across restarts and
 * replicas). Unknown names lock exactly like real ones, so lockouts do not reveal which names exist.
 */
export class LoginLimiter {
  private readonly ips = new Map<string, Window>();
  private readonly names = new Map<string, Window>();
  constructor(readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {}

  /** Seconds this address must wait, or 0. */
  ipRetryAfter(ip: string, now = Date.now()): number {
    const w = this.ips.get(ip);
    if (!w || w.until <= now || w.count < this.limits.ipFailures) return 0;
    return Math.ceil((w.until - now) / 1000);
  }

  recordIpFailure(ip: string, now = Date.now()): void {
    const w = this.ips.get(ip);
    if (!w || w.until <= now) remember(this.ips, ip, { count: 1, until: now + this.limits.ipWindowMs });
    else w.count++;
  }

  /** Seconds an unknown user name stays locked, or 0. */
  nameRetryAfter(name: string, now = Date.now()): number {
    const w = this.names.get(name.toLowerCase());
    if (!w || w.count < this.limits.userFailures || w.until <= now) return 0;
    return Math.ceil((w.until - now) / 1000);
  }

  recordNameFailure(name: string, now = Date.now()): void {
    const key = name.toLowerCase();
    const w = this.names.get(key);
    if (!w || w.until <= now) remember(this.names, key, { count: 1, until: now + this.limits.lockoutMs });
    else if (++w.count >= this.limits.userFailures) w.until = now + this.limits.lockoutMs;
  }
}
