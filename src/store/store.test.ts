import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from './index.js';
import { MIGRATIONS } from './migrations.js';

/** Every registered migration, in key order (the order the Migrator applies them). */
const ALL_MIGRATIONS = Object.keys(MIGRATIONS).sort();

test('opens a SQLite file in WAL mode, applies migrations, and reopens idempotently', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-store-'));
  try {
    const store = await openStore(join(dir, 'data'));
    assert.deepEqual(await store.migrations(), ALL_MIGRATIONS);
    store.recordUpstreamState('a', 'starting');
    store.recordUpstreamState('a', 'ready');
    assert.deepEqual((await store.upstreamEvents('a')).map((e) => e.state), ['ready', 'starting']);
    await store.close();
    assert.ok(statSync(join(dir, 'data', 'switchboard.db')).size > 0);
    assert.equal(statSync(join(dir, 'data')).mode & 0o777, 0o700);
    const again = await openStore(join(dir, 'data'));
    assert.deepEqual(await again.migrations(), ALL_MIGRATIONS);
    assert.equal((await again.upstreamEvents('a')).length, 2, 'data survives a reopen');
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unusable data directory is a clear SWB_STORE_UNAVAILABLE error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-store-'));
  try {
    const blocker = join(dir, 'file');
    (await import('node:fs')).writeFileSync(blocker, 'not a directory');
    await assert.rejects(openStore(join(blocker, 'data')), (err: Error & { code?: string }) => err.code === 'SWB_STORE_UNAVAILABLE' && /Cannot open the data directory/.test(err.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
