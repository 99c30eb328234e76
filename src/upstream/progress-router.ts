import type { RawItem } from '../shared/index.js';

/** Longest timer Node accepts; used to switch off the SDK's own timeout when we keep our own. */
export const UNBOUNDED_MS = 2_147_483_647;

export interface TrackedRequest {
  token: string;
  /** Aborts on the caller's signal or when no progress arrived within the timeout. */
  signal: AbortSignal;
  timedOut(): boolean;
  done(): void;
}

/**
 * Progress notifications from one upstream connection, routed by the tokens the gateway put on its
 * requests. Each request's timeout restarts whenever progress arrives, so long jobs that report
 * progress are not cut off.
 */
export class ProgressRouter {
  private next = 0;
  private readonly handlers = new Map<string, (p: RawItem) => void>();

  track(onProgress: (p: RawItem) => void, timeoutMs: number, outer: AbortSignal | undefined): TrackedRequest {
    const token = `sb-${++this.next}`;
    const timer = new AbortController();
    let expired = false;
    let handle: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(handle);
      handle = setTimeout(() => {
        expired = true;
        timer.abort(new Error('timeout'));
      }, timeoutMs);
    };
    arm();
    this.handlers.set(token, (p) => {
      arm();
      onProgress(p);
    });
    return {
      token,
      signal: outer ? AbortSignal.any([outer, timer.signal]) : timer.signal,
      timedOut: () => expired,
      done: () => {
        clearTimeout(handle);
        this.handlers.delete(token);
      },
    };
  }

  /** Deliver one notifications/progress; unknown tokens (late or foreign) are ignored. */
  deliver(params: RawItem | undefined): void {
    if (!params) return;
    const { progressToken, ...rest } = params;
    this.handlers.get(String(progressToken))?.(rest);
  }
}
