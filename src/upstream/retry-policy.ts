/**
 * When to try again: exponential backoff with jitter and a cap, a circuit breaker after consecutive
 * failures, and a budget of attempts per hour. Pure bookkeeping; the supervisor owns the timers.
 */
export interface RetryOptions {
  baseMs: number;
  capMs: number;
  /** Consecutive failures that open the circuit. */
  breakerThreshold: number;
  /** How long an open circuit waits before one trial attempt. */
  breakerCooldownMs: number;
  /** Connection attempts allowed in any rolling hour. */
  maxAttemptsPerHour: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  baseMs: 1000,
  capMs: 60_000,
  breakerThreshold: 8,
  breakerCooldownMs: 5 * 60_000,
  maxAttemptsPerHour: 60,
};

export type RetryDecision = { kind: 'retry'; delayMs: number } | { kind: 'give_up'; reason: string };

export class RetryPolicy {
  private consecutive = 0;
  private readonly attempts: number[] = [];
  constructor(
    private readonly opts: RetryOptions,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** Record that an attempt starts; false when the hourly budget is spent. */
  recordAttempt(): boolean {
    const t = this.now();
    while (this.attempts.length && this.attempts[0]! <= t - 3_600_000) this.attempts.shift();
    if (this.attempts.length >= this.opts.maxAttemptsPerHour) return false;
    this.attempts.push(t);
    return true;
  }

  succeeded(): void {
    this.consecutive = 0;
  }

  /** After a failure: how long to wait, or whether to stop retrying. */
  failed(): RetryDecision {
    this.consecutive++;
    if (this.consecutive >= this.opts.breakerThreshold) {
      // Circuit open: one trial after the cool-down; a further failure re-opens it.
      return { kind: 'retry', delayMs: this.opts.breakerCooldownMs };
    }
    const exp = Math.min(this.opts.capMs, this.opts.baseMs * 2 ** (this.consecutive - 1));
    // "Equal jitter": at least half the delay, so a herd of upstreams never retries in lock-step.
    return { kind: 'retry', delayMs: Math.round(exp / 2 + (this.random() * exp) / 2) };
  }

  get consecutiveFailures(): number {
    return this.consecutive;
  }

  get circuitOpen(): boolean {
    return this.consecutive >= this.opts.breakerThreshold;
  }

  reset(): void {
    this.consecutive = 0;
    this.attempts.length = 0;
  }
}
