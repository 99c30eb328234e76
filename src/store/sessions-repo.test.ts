import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from './store.js';

test('session state: single changes from two processes merge, end is final, changes are found by time, prune forgets', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sessions-'));
  const store = await openStore(dir);
  const other = await openStore(dir);
  try {
    const a = store.sessions;
    const b = other.sessions;
    assert.equal(await a.get('k1'), undefined);
    const t0 = Date.now();
    // Two replicas change the same session at once: both changes stay.
    await Promise.all([a.setLogLevel('k1', 'error'), b.subscribe('k1', 'x://one'), b.subscribe('k1', 'x://two'), a.subscribe('k1', 'x://one')]);
    await b.unsubscribe('k1', 'x://two');
    const got = (await a.get('k1'))!;
    assert.equal(got.logLevel, 'error');
    assert.deepEqual(got.subscriptions, ['x://one']);
    assert.equal(got.ended, false);
    await a.subscribe('k1', 'x://two');
    assert.equal((await b.get('k1'))!.logLevel, 'error', 'a subscription keeps the level');

    const seen = await b.changedSince(t0);
    assert.deepEqual(seen.map((r) => [r.key, r.logLevel, r.subscriptions, r.ended]), [['k1', 'error', ['x://one', 'x://two'], false]]);
    assert.deepEqual(await b.changedSince(Date.now() + 1000), []);

    await b.end('k1');
    await a.setLogLevel('k1', 'debug');
    const ended = (await a.get('k1'))!;
    assert.equal(ended.ended, true, 'a late change from another replica does not revive an ended session');
    assert.deepEqual(ended.subscriptions, []);
    await a.end('never-stored');
    assert.equal((await a.get('never-stored'))!.ended, true);

    assert.equal(await a.prune(Date.now() + 1), 2);
    assert.equal(await a.get('k1'), undefined);
    assert.deepEqual(await a.changedSince(0), []);
  } finally {
    await other.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
