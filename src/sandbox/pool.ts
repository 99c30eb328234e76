/**
 * A warm pool of started sandbox processes. Each process serves exactly one call and is then killed,
 * so the pool only ever hands out processes no code has run in; it refills in the background.
 */
import { SwitchboardError } from '../shared/index.js';
import type { SandboxProcess } from './sandbox-process.js';

export interface PoolStats {
  ready: number;
  booting: number;
  busy: number;
  waiting: number;
  spawned: number;
  bootFailures: number;
  lastBootMs?: number;
}

interface Waiter {
  resolve: (p: SandboxProcess) => void;
  reject: (e: Error) => void;
}

const MAX_CONSECUTIVE_FAILURES = 3;

/** Keeps `size` processes ready and at most `maxProcesses` alive; callers queue beyond that. */
export class WarmPool {
  private readonly ready: SandboxProcess[] = [];
  private readonly waiters: Waiter[] = [];
  private booting = 0;
  private busy = 0;
  private spawned = 0;
  private bootFailures = 0;
  private consecutiveFailures = 0;
  private lastBootMs: number | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private lastError: Error | undefined;

  constructor(
    private readonly spawnOne: () => SandboxProcess,
    private readonly size: number,
    private readonly maxProcesses: number,
  ) {}

  /** Start filling; resolves when the first process is ready (or rejects when none can start). */
  async start(): Promise<void> {
    this.fill();
    const first = await this.acquireRaw();
    this.ready.unshift(first);
    this.busy -= 1;
  }

  /** A ready process, for exactly one job. The caller must kill it afterwards. */
  async acquire(signal?: AbortSignal): Promise<SandboxProcess> {
    if (signal?.aborted) throw new SwitchboardError('SWB_SANDBOX_UNAVAILABLE', 'the call was cancelled before it started');
    const proc = await this.acquireRaw(signal);
    // Refill when this process is gone, not now: spawning blocks the event loop for a few
    // milliseconds, which would land on the call that is just starting.
    void proc.exited.then(() => {
      this.busy -= 1;
      this.fill();
    });
    return proc;
  }

  private acquireRaw(signal?: AbortSignal): Promise<SandboxProcess> {
    if (this.closed) return Promise.reject(new SwitchboardError('SWB_SANDBOX_UNAVAILABLE', 'the sandbox is shut down'));
    while (this.ready.length) {
      const proc = this.ready.shift()!;
      if (proc.alive) {
        this.busy += 1;
        return Promise.resolve(proc);
      }
    }
    if (this.consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
      this.fill();
      return Promise.reject(this.unavailable());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (p) => {
          signal?.removeEventListener('abort', onAbort);
          this.busy += 1;
          resolve(p);
        },
        reject,
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new SwitchboardError('SWB_SANDBOX_UNAVAILABLE', 'the call was cancelled while waiting for a sandbox'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.fill();
    });
  }

  private unavailable(): SwitchboardError {
    return new SwitchboardError('SWB_SANDBOX_UNAVAILABLE', `the sandbox cannot start: ${this.lastError?.message ?? 'unknown error'}`.slice(0, 600));
  }

  private fill(): void {
    if (this.closed || this.retryTimer) return;
    const alive = () => this.ready.length + this.booting + this.busy;
    const wanted = () => this.ready.length + this.booting < this.size + this.waiters.length;
    while (wanted() && alive() < this.maxProcesses) this.boot();
  }

  private boot(): void {
    const proc = this.spawnOne();
    this.booting += 1;
    this.spawned += 1;
    proc.ready.then(
      ({ bootMs }) => {
        this.booting -= 1;
        this.consecutiveFailures = 0;
        this.lastBootMs = bootMs;
        if (this.closed) return proc.kill();
        const waiter = this.waiters.shift();
        if (waiter) waiter.resolve(proc);
        else {
          this.ready.push(proc);
          void proc.exited.then(() => {
            const i = this.ready.indexOf(proc);
            if (i >= 0) {
              this.ready.splice(i, 1);
              this.fill();
            }
          });
        }
      },
      (err: Error) => {
        this.booting -= 1;
        this.bootFailures += 1;
        this.consecutiveFailures += 1;
        this.lastError = err;
        proc.kill();
        if (this.consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
          for (const w of this.waiters.splice(0)) w.reject(this.unavailable());
        }
        // Back off before trying again so a broken host does not spin.
        const delay = Math.min(30_000, 250 * 2 ** Math.min(this.consecutiveFailures, 7));
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.fill();
        }, delay);
        this.retryTimer.unref();
      },
    );
  }

  stats(): PoolStats {
    return { ready: this.ready.length, booting: this.booting, busy: this.busy, waiting: this.waiters.length, spawned: this.spawned, bootFailures: this.bootFailures, ...(this.lastBootMs !== undefined ? { lastBootMs: this.lastBootMs } : {}) };
  }

  /** Kill every idle process and refuse new work; busy processes end with their jobs. */
  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const proc of this.ready.splice(0)) proc.kill();
    for (const w of this.waiters.splice(0)) w.reject(new SwitchboardError('SWB_SANDBOX_UNAVAILABLE', 'the sandbox is shut down'));
  }
}
