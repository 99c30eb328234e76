import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventBus, type SwitchboardEvent } from '../events/index.js';
import { fullAccess, type Principal } from '../shared/index.js';
import { openStore, type Store } from '../store/index.js';
import { createActivityLog } from './activity-log.js';

const alice: Principal = { kind: 'api_key', id: 'key_1', name: 'alice-ci', scopes: ['execute'] };
const admin = fullAccess('user', 'u1', 'root');

function dataDirText(dir: string): string {
  // Every file of the store (db, WAL, SHM) as text, to grep for values that must never be written.
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('\n');
}

describe('activity log (real SQLite store)', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-activity-'));
    store = await openStore(dir);
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('MCP requests are buffered, written in a batch with status, duration and caller, and emitted as events', async () => {
    const events = createEventBus();
    const seen: SwitchboardEvent[] = [];
    events.subscribe((e) => seen.push(e));
    const log = createActivityLog({ repo: store.activity, events, flushIntervalMs: 60_000, cleanupIntervalMs: 0 });
    const finish = log.mcpRequest({ caller: alice, sessionId: 'sess-1', method: 'tools/call', server: 'everything', tool: 'echo', arguments: { message: 'hi' }, requestId: 7 });
    assert.equal(seen[0]?.type, 'activity.tool_call.started');
    await new Promise((r) => setTimeout(r, 20));
    finish({ status: 'ok', resultBytes: 42, result: { content: [{ type: 'text', text: 'Echo: hi' }] } });
    finish({ status: 'error' }); // a second finish is ignored
    assert.equal(seen.length, 2);
    assert.equal(seen[1]?.type, 'activity.tool_call.completed');
    // Nothing is written until the flush.
    assert.equal((await store.activity.list({}, 0, 10)).total, 0);
    await log.flush();
    const { items, total } = await store.activity.list({}, 0, 10);
    assert.equal(total, 1);
    const row = items[0]!;
    assert.equal(row.type, 'tool_call');
    assert.equal(row.status, 'ok');
    assert.equal(row.server, 'everything');
    assert.equal(row.tool, 'echo');
    assert.equal(row.request_id, '7');
    assert.equal(row.session_id, 'sess-1');
    assert.deepEqual(row.caller, { kind: 'api_key', id: 'key_1', name: 'alice-ci' });
    assert.ok(row.duration_ms! >= 15, `duration ${row.duration_ms}`);
    assert.equal(row.result_bytes, 42);
    const detail = await store.activity.get(row.id);
    assert.deepEqual(detail?.arguments, { message: 'hi' });
    assert.deepEqual(detail?.result, { content: [{ type: 'text', text: 'Echo: hi' }] });
    assert.equal((seen[1]?.data as { id: string }).id, row.id);
    await log.close();
  });

  test('secrets never reach the database file or the events', async () => {
    const events = createEventBus();
    const seen: string[] = [];
    events.subscribe((e) => seen.push(JSON.stringify(e)));
    const log = createActivityLog({ repo: store.activity, events, cleanupIntervalMs: 0 });
    log.registerSecretValues(() => ['registered-secret-Q7x9']);
    const finish = log.mcpRequest({ caller: alice, method: 'tools/call', server: 's', tool: 't', arguments: { api_key: 'key-value-AAAA1111', query: 'use registered-secret-Q7x9 please', headers: { Authorization: 'Bearer tok-BBBB2222-long' } } });
    finish({ status: 'error', errorCode: 'SWB_UPSTREAM_FAILED', errorMessage: 'upstream said: bad key registered-secret-Q7x9' });
    log.adminChange({ actor: admin, action: 'servers.update', target: 'github', before: { env: { GITHUB_TOKEN: 'ghp-before-CCCC3333' } }, after: { env: { GITHUB_TOKEN: 'ghp-after-DDDD4444' } } });
    log.policyDecision({ caller: alice, action: 'tools/call', server: 's', tool: 'secret_tool', allowed: false, reason: 'tool_not_allowed' });
    await log.close();
    const all = dataDirText(dir) + seen.join('\n');
    for (const secret of ['key-value-AAAA1111', 'registered-secret-Q7x9', 'tok-BBBB2222-long', 'ghp-before-CCCC3333', 'ghp-after-DDDD4444']) {
      assert.equal(all.includes(secret), false, `${secret} leaked`);
    }
    // The records themselves are there, with the redaction marker.
    const { items } = await store.activity.list({ types: ['admin_change', 'policy_decision'] }, 0, 10);
    assert.deepEqual(items.map((i) => [i.type, i.status]).sort(), [['admin_change', 'ok'], ['policy_decision', 'denied']]);
    const change = await store.activity.get(items.find((i) => i.type === 'admin_change')!.id);
    assert.deepEqual(change?.after, { env: { GITHUB_TOKEN: '[REDACTED]' } });
    assert.ok(seen.some((s) => s.includes('activity.policy_decision')));
    assert.ok(seen.some((s) => s.includes('activity.admin_change')));
  });

  test('close records in-flight requests as cancelled and flushes; later records are ignored', async () => {
    const log = createActivityLog({ repo: store.activity, flushIntervalMs: 60_000, cleanupIntervalMs: 0 });
    const finish = log.mcpRequest({ caller: alice, method: 'prompts/get', server: 'p', tool: 'greet', requestId: 'in-flight' });
    await log.close();
    finish({ status: 'ok' });
    log.policyDecision({ caller: alice, action: 'x', allowed: false, reason: 'after-close' });
    const { items } = await store.activity.list({ q: 'in-flight' }, 0, 10);
    assert.equal(items.length, 1);
    assert.equal(items[0]!.status, 'cancelled');
    assert.equal(items[0]!.type, 'prompt_get');
    assert.equal((await store.activity.list({ q: 'after-close' }, 0, 10)).total, 0);
  });

  test('the buffer is bounded: the oldest unwritten records are dropped and counted', async () => {
    const log = createActivityLog({ repo: store.activity, flushIntervalMs: 60_000, maxBatch: 100, maxBuffer: 3, cleanupIntervalMs: 0 });
    for (let i = 0; i < 5; i++) log.policyDecision({ caller: alice, action: 'bounded', allowed: false, reason: `r${i}` });
    assert.equal(log.dropped, 2);
    await log.close();
    const { items } = await store.activity.list({ method: 'bounded' }, 0, 10);
    assert.deepEqual(items.map((i) => i.reason).sort(), ['r2', 'r3', 'r4']);
  });

  test('a full batch is written without waiting for the interval', async () => {
    const log = createActivityLog({ repo: store.activity, flushIntervalMs: 60_000, maxBatch: 4, cleanupIntervalMs: 0 });
    for (let i = 0; i < 4; i++) log.policyDecision({ caller: alice, action: 'batch', allowed: true, reason: 'ok' });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await store.activity.list({ method: 'batch' }, 0, 10)).total, 4);
    await log.close();
  });

  test('retention cleanup deletes records older than the setting, read at each run; 0 keeps everything', async () => {
    const old = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const base = { caller: null, session_id: null, method: 'retention', server: null, tool: null, target: null, duration_ms: null, result_bytes: null, request_id: null, error_code: null, error_message: null, reason: null };
    await store.activity.insert([
      { ...base, id: 'old-40', type: 'tool_call', at: old(40), status: 'ok' },
      { ...base, id: 'old-10', type: 'tool_call', at: old(10), status: 'ok' },
      { ...base, id: 'new-0', type: 'tool_call', at: old(0), status: 'ok' },
    ]);
    let days = 0;
    const log = createActivityLog({ repo: store.activity, retentionDays: () => days, cleanupIntervalMs: 0 });
    assert.equal(await log.cleanup(), 0);
    days = 30;
    assert.equal(await log.cleanup(), 1);
    days = 5;
    assert.equal(await log.cleanup(), 1);
    const left = (await store.activity.list({ method: 'retention' }, 0, 10)).items.map((i) => i.id);
    assert.deepEqual(left, ['new-0']);
    await log.close();
  });

  test('the background cleanup timer runs and stops on close', async () => {
    await store.activity.insert([{ id: 'timer-old', type: 'tool_call', at: new Date(Date.now() - 3 * 86_400_000).toISOString(), status: 'ok', caller: null, session_id: null, method: 'timer', server: null, tool: null, target: null, duration_ms: null, result_bytes: null, request_id: null, error_code: null, error_message: null, reason: null }]);
    let runs = 0;
    const log = createActivityLog({ repo: store.activity, retentionDays: () => (runs++, 1), firstCleanupMs: 10, cleanupIntervalMs: 20 });
    await new Promise((r) => setTimeout(r, 120));
    assert.equal((await store.activity.list({ method: 'timer' }, 0, 10)).total, 0);
    await log.close();
    const after = runs;
    assert.ok(after >= 2, `ran ${after} times`);
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(runs, after);
  });
});
