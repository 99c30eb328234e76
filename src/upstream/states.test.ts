import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveHealth, type HealthInput } from './health.js';
import { assertTransition, canTransition, UPSTREAM_STATES, type UpstreamState } from './states.js';

/** Spelled out here on purpose: adding a state must be a conscious change to this test too. */
const EXPECTED: UpstreamState[] = ['disabled', 'stopped', 'starting', 'ready', 'degraded', 'backoff', 'error', 'needs_auth', 'stopping'];

describe('upstream state table', () => {
  test('every state has an entry, and only known states appear as targets', () => {
    assert.deepEqual([...UPSTREAM_STATES].sort(), [...EXPECTED].sort());
    for (const from of UPSTREAM_STATES) {
      for (const to of UPSTREAM_STATES) assert.equal(typeof canTransition(from, to), 'boolean');
      assert.ok(UPSTREAM_STATES.some((to) => canTransition(from, to)), `${from} is a dead end`);
    }
  });

  test('illegal transitions throw, naming both ends', () => {
    const illegal: [UpstreamState, UpstreamState][] = [
      ['disabled', 'ready'],
      ['stopped', 'ready'],
      ['stopped', 'backoff'],
      ['stopped', 'error'],
      ['stopping', 'ready'],
      ['stopping', 'starting'],
      ['ready', 'starting'],
      ['ready', 'needs_auth'],
      ['error', 'ready'],
      ['needs_auth', 'ready'],
      ['backoff', 'ready'],
      ['disabled', 'stopping'],
    ];
    for (const [from, to] of illegal) {
      assert.equal(canTransition(from, to), false, `${from} -> ${to} should be illegal`);
      assert.throws(() => assertTransition(from, to), (err: Error) => err.message.includes(`${from} -> ${to}`), `${from} -> ${to}`);
    }
  });

  test('the moves the supervisor makes are legal', () => {
    const legal: [UpstreamState, UpstreamState][] = [
      ['stopped', 'starting'],
      ['disabled', 'starting'],
      ['starting', 'ready'],
      ['starting', 'degraded'],
      ['starting', 'backoff'],
      ['starting', 'needs_auth'],
      ['starting', 'error'],
      ['ready', 'degraded'],
      ['degraded', 'ready'],
      ['ready', 'backoff'],
      ['degraded', 'backoff'],
      ['backoff', 'starting'],
      ['backoff', 'error'],
      ['error', 'starting'],
      ['needs_auth', 'starting'],
      ['stopping', 'stopped'],
      ['stopping', 'disabled'],
      ['stopped', 'disabled'],
    ];
    for (const [from, to] of legal) assert.doesNotThrow(() => assertTransition(from, to), `${from} -> ${to}`);
  });

  test('stop() is always possible: every running or waiting state may move to stopping', () => {
    for (const s of UPSTREAM_STATES) {
      if (s === 'stopped' || s === 'disabled' || s === 'stopping') continue;
      assert.ok(canTransition(s, 'stopping'), `${s} -> stopping`);
    }
  });

  test('self-transitions are not in the table (the supervisor skips them)', () => {
    for (const s of UPSTREAM_STATES) assert.equal(canTransition(s, s), false, s);
  });

  test('every state is reachable from stopped', () => {
    const seen = new Set<UpstreamState>(['stopped']);
    const queue: UpstreamState[] = ['stopped'];
    while (queue.length) {
      const from = queue.shift()!;
      for (const to of UPSTREAM_STATES) if (canTransition(from, to) && !seen.has(to)) seen.add(to), queue.push(to);
    }
    assert.deepEqual([...seen].sort(), [...UPSTREAM_STATES].sort());
  });
});

describe('deriveHealth', () => {
  const base = (state: UpstreamState, over: Partial<HealthInput> = {}): HealthInput => ({ state, quarantined: false, toolCount: 0, attempts: 1, ...over });

  test('each state maps to its level, admin_state and action', () => {
    const expected: Record<UpstreamState, [string, string, string]> = {
      disabled: ['unhealthy', 'disabled', 'enable'],
      stopped: ['unhealthy', 'enabled', 'restart'],
      starting: ['degraded', 'enabled', 'wait'],
      ready: ['healthy', 'enabled', ''],
      degraded: ['degraded', 'enabled', 'view_logs'],
      backoff: ['unhealthy', 'enabled', 'view_logs'],
      error: ['unhealthy', 'enabled', 'restart'],
      needs_auth: ['unhealthy', 'enabled', 'set_secret'],
      stopping: ['degraded', 'enabled', 'wait'],
    };
    for (const state of UPSTREAM_STATES) {
      const h = deriveHealth(base(state, { lastError: 'boom' }));
      assert.deepEqual([h.level, h.admin_state, h.action], expected[state], state);
      assert.ok(h.summary.length > 0, `${state} has a summary`);
    }
  });

  test('only ready is healthy, and it hides stale errors', () => {
    for (const state of UPSTREAM_STATES) assert.equal(deriveHealth(base(state)).level === 'healthy', state === 'ready', state);
    const ready = deriveHealth(base('ready', { lastError: 'old failure', toolCount: 1 }));
    assert.equal(ready.detail, '');
    assert.equal(ready.summary, 'Connected (1 tool)');
    assert.equal(deriveHealth(base('ready', { toolCount: 7 })).summary, 'Connected (7 tools)');
  });

  test('the last error becomes the detail of a failing state', () => {
    for (const state of ['backoff', 'error', 'needs_auth', 'degraded'] as const) {
      assert.equal(deriveHealth(base(state, { lastError: 'Cannot start upstream command "x"' })).detail, 'Cannot start upstream command "x"', state);
    }
    assert.equal(deriveHealth(base('error')).detail, '');
  });

  test('backoff says when the next attempt comes, never "0s"', () => {
    assert.match(deriveHealth(base('backoff', { retryInMs: 4200 })).summary, /retrying in 5s/);
    assert.match(deriveHealth(base('backoff', { retryInMs: 0 })).summary, /retrying in 1s/);
    assert.match(deriveHealth(base('backoff')).summary, /retrying in 1s/);
  });

  test('starting counts attempts after the first', () => {
    assert.equal(deriveHealth(base('starting', { attempts: 1 })).summary, 'Connecting');
    assert.equal(deriveHealth(base('starting', { attempts: 3 })).summary, 'Connecting (attempt 3)');
  });

  test('quarantined wins over every state', () => {
    for (const state of UPSTREAM_STATES) {
      const h = deriveHealth(base(state, { quarantined: true, toolCount: 5, lastError: 'e' }));
      assert.equal(h.admin_state, 'quarantined', state);
      assert.equal(h.level, 'unhealthy', state);
      assert.equal(h.action, 'approve', state);
    }
  });
});
