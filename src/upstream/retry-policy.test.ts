import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RETRY, RetryPolicy, type RetryDecision, type RetryOptions } from './retry-policy.js';

const HOUR = 3_600_000;

function opts(over: Partial<RetryOptions> = {}): RetryOptions {
  return { baseMs: 100, capMs: 10_000, breakerThreshold: 1000, breakerCooldownMs: 300_000, maxAttemptsPerHour: 1000, ...over };
}

function delayOf(d: RetryDecision): number {
  assert.equal(d.kind, 'retry', `expected a retry, got ${JSON.stringify(d)}`);
  return (d as { delayMs: number }).delayMs;
}

/** A random source that replays `values` in a loop. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe('RetryPolicy backoff', () => {
  test('the delay doubles per consecutive failure, with equal jitter inside [exp/2, exp]', () => {
    // random() = 0 gives the floor of each window, random() → 1 its ceiling.
    const low = new RetryPolicy(opts(), Date.now, () => 0);
    const high = new RetryPolicy(opts(), Date.now, () => 0.999_999_9);
    const lows = Array.from({ length: 6 }, () => delayOf(low.failed()));
    const highs = Array.from({ length: 6 }, () => delayOf(high.failed()));
    assert.deepEqual(lows, [50, 100, 200, 400, 800, 1600]);
    assert.deepEqual(highs, [100, 200, 400, 800, 1600, 3200]);
  });

  test('with real randomness every delay stays inside its window', () => {
    for (let run = 0; run < 200; run++) {
      const p = new RetryPolicy(opts({ baseMs: 30, capMs: 5000 }));
      for (let n = 1; n <= 10; n++) {
        const exp = Math.min(5000, 30 * 2 ** (n - 1));
        const d = delayOf(p.failed());
        assert.ok(d >= Math.floor(exp / 2) && d <= exp, `failure ${n}: ${d} not in [${exp / 2}, ${exp}]`);
      }
    }
  });

  test('jitter spreads delays (a herd does not retry in lock-step)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) seen.add(delayOf(new RetryPolicy(opts({ baseMs: 1000 })).failed()));
    assert.ok(seen.size > 10, `only ${seen.size} distinct first delays out of 50`);
  });

  test('the exponential part is capped at capMs (and the jittered delay never exceeds it)', () => {
    const p = new RetryPolicy(opts({ baseMs: 100, capMs: 1000 }), Date.now, sequence(0, 0.999_999_9));
    const delays = Array.from({ length: 12 }, () => delayOf(p.failed()));
    assert.ok(delays.every((d) => d <= 1000), `over the cap: ${delays}`);
    // From the 5th failure on (100·2⁴ = 1600 > 1000) the window is [500, 1000].
    for (const d of delays.slice(4)) assert.ok(d >= 500 && d <= 1000, `capped window violated: ${d}`);
    assert.equal(Math.max(...delays), 1000);
  });

  test('the cap holds for very long failure streaks (no overflow to Infinity/NaN)', () => {
    const p = new RetryPolicy(opts({ baseMs: 1000, capMs: 60_000, breakerThreshold: 10_000 }), Date.now, () => 0.5);
    let last = 0;
    for (let i = 0; i < 2000; i++) last = delayOf(p.failed());
    assert.ok(Number.isFinite(last) && last >= 30_000 && last <= 60_000, String(last));
  });
});

describe('RetryPolicy circuit breaker', () => {
  test('opens after breakerThreshold consecutive failures: the delay becomes the cool-down', () => {
    const p = new RetryPolicy(opts({ baseMs: 100, capMs: 10_000, breakerThreshold: 4, breakerCooldownMs: 123_456 }), Date.now, () => 0);
    const delays = Array.from({ length: 3 }, () => delayOf(p.failed()));
    assert.deepEqual(delays, [50, 100, 200]);
    assert.equal(p.circuitOpen, false);
    assert.equal(p.consecutiveFailures, 3);
    assert.equal(delayOf(p.failed()), 123_456, 'the threshold-th failure opens the circuit');
    assert.equal(p.circuitOpen, true);
    // A failed trial re-opens it for another cool-down rather than falling back to short delays.
    assert.equal(delayOf(p.failed()), 123_456);
    assert.equal(delayOf(p.failed()), 123_456);
  });

  test('a success closes the circuit and restarts the backoff from baseMs', () => {
    const p = new RetryPolicy(opts({ baseMs: 100, breakerThreshold: 3, breakerCooldownMs: 99_999 }), Date.now, () => 0);
    for (let i = 0; i < 3; i++) p.failed();
    assert.equal(p.circuitOpen, true);
    p.succeeded();
    assert.equal(p.circuitOpen, false);
    assert.equal(p.consecutiveFailures, 0);
    assert.equal(delayOf(p.failed()), 50);
    assert.equal(delayOf(p.failed()), 100);
  });

  test('a success in the middle of a streak resets the doubling', () => {
    const p = new RetryPolicy(opts({ baseMs: 100 }), Date.now, () => 0);
    p.failed();
    p.failed();
    assert.equal(delayOf(p.failed()), 200);
    p.succeeded();
    assert.equal(delayOf(p.failed()), 50);
  });

  test('reset() forgets both the streak and the attempt budget', () => {
    let now = 0;
    const p = new RetryPolicy(opts({ breakerThreshold: 2, maxAttemptsPerHour: 2 }), () => now, () => 0);
    assert.equal(p.recordAttempt(), true);
    assert.equal(p.recordAttempt(), true);
    assert.equal(p.recordAttempt(), false);
    p.failed();
    p.failed();
    assert.equal(p.circuitOpen, true);
    now += 1000;
    p.reset();
    assert.equal(p.circuitOpen, false);
    assert.equal(p.recordAttempt(), true);
    assert.equal(delayOf(p.failed()), 50);
  });

  test('defaults are sane: base < cap < cool-down, breaker and budget positive', () => {
    assert.ok(DEFAULT_RETRY.baseMs > 0 && DEFAULT_RETRY.baseMs < DEFAULT_RETRY.capMs);
    assert.ok(DEFAULT_RETRY.capMs <= DEFAULT_RETRY.breakerCooldownMs);
    assert.ok(DEFAULT_RETRY.breakerThreshold >= 2);
    assert.ok(DEFAULT_RETRY.maxAttemptsPerHour >= DEFAULT_RETRY.breakerThreshold);
  });
});

describe('RetryPolicy hourly attempt budget (injected clock)', () => {
  test('refuses the (max+1)th attempt within an hour, allows again once the window slides', () => {
    let now = 1_000_000;
    const p = new RetryPolicy(opts({ maxAttemptsPerHour: 3 }), () => now);
    const t0 = now;
    assert.equal(p.recordAttempt(), true); // t0
    now = t0 + 10 * 60_000;
    assert.equal(p.recordAttempt(), true); // t0+10m
    now = t0 + 20 * 60_000;
    assert.equal(p.recordAttempt(), true); // t0+20m
    now = t0 + 30 * 60_000;
    assert.equal(p.recordAttempt(), false, 'the 4th attempt in the hour is refused');
    // A refused attempt does not use up budget, and the window is rolling, not a fixed hour.
    now = t0 + HOUR - 1;
    assert.equal(p.recordAttempt(), false, 'still inside the hour of the first attempt');
    now = t0 + HOUR;
    assert.equal(p.recordAttempt(), true, 'the first attempt has left the window');
    now = t0 + HOUR + 1;
    assert.equal(p.recordAttempt(), false, 'full again (t0+10m, t0+20m, t0+1h)');
    now = t0 + HOUR + 10 * 60_000;
    assert.equal(p.recordAttempt(), true, 'the second attempt has left the window');
    now = t0 + 3 * HOUR;
    for (let i = 0; i < 3; i++) assert.equal(p.recordAttempt(), true, `fresh hour, attempt ${i + 1}`);
    assert.equal(p.recordAttempt(), false);
  });

  test('a budget of one allows exactly one attempt per rolling hour', () => {
    let now = 0;
    const p = new RetryPolicy(opts({ maxAttemptsPerHour: 1 }), () => now);
    assert.equal(p.recordAttempt(), true);
    for (const t of [1, 60_000, HOUR - 1]) {
      now = t;
      assert.equal(p.recordAttempt(), false, `at ${t}`);
    }
    now = HOUR;
    assert.equal(p.recordAttempt(), true);
  });

  test('the budget is independent of success (successful attempts count too)', () => {
    let now = 0;
    const p = new RetryPolicy(opts({ maxAttemptsPerHour: 2 }), () => now);
    assert.equal(p.recordAttempt(), true);
    p.succeeded();
    now = 1;
    assert.equal(p.recordAttempt(), true);
    p.succeeded();
    now = 2;
    assert.equal(p.recordAttempt(), false);
  });
});
