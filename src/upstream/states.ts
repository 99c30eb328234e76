/**
 * The one state union for an upstream, and the table of legal moves. REST, CLI, /health and the UI
 * all render this union; health is derived from it (see health.ts), never stored beside it.
 */
export type UpstreamState =
  | 'disabled' // turned off by the operator
  | 'stopped' // not running, may be started
  | 'starting' // connecting / initialising
  | 'ready' // connected, catalogue fetched
  | 'degraded' // connected, but listing or health checks fail
  | 'backoff' // lost or failed; waiting to retry
  | 'error' // gave up (circuit open, attempt budget spent, or a permanent failure)
  | 'needs_auth' // the upstream refused our credentials; no automatic retry
  | 'stopping';

const TRANSITIONS: { readonly [S in UpstreamState]: readonly UpstreamState[] } = {
  disabled: ['starting', 'stopped'],
  stopped: ['starting', 'disabled'],
  starting: ['ready', 'degraded', 'backoff', 'error', 'needs_auth', 'stopping'],
  ready: ['degraded', 'backoff', 'stopping'],
  degraded: ['ready', 'backoff', 'stopping'],
  backoff: ['starting', 'error', 'stopping'],
  error: ['starting', 'stopping'],
  needs_auth: ['starting', 'stopping'],
  stopping: ['stopped', 'disabled'],
};

export function canTransition(from: UpstreamState, to: UpstreamState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws on an illegal move: a bug in the supervisor, never a user error. */
export function assertTransition(from: UpstreamState, to: UpstreamState): void {
  if (!canTransition(from, to)) throw new Error(`illegal upstream transition ${from} -> ${to}`);
}

export const UPSTREAM_STATES = Object.keys(TRANSITIONS) as UpstreamState[];
