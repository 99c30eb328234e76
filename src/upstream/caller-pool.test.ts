import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchboardError } from '../shared/index.js';
import { CallerPool } from './caller-pool.js';
import type { UpstreamConnection } from './connection.js';

/** A fake connection that answers with its caller key; records closes. */
function fakes() {
  const opened: string[] = [];
  const closed: string[] = [];
  const open = async (key: string): Promise<UpstreamConnection> => {
    if (key.startsWith('bad')) throw new Error('refused');
    opened.push(key);
    return {
      capabilities: {},
      serverInfo: undefined,
      instructions: undefined,
      protocolVersion: undefined,
      pid: undefined,
      request: async (method) => ({ key, method }),
      notify: async () => undefined,
      listAll: async () => ({ tools: [], resources: [], resourceTemplates: [], prompts: [] }),
      close: async () => void closed.push(key),
    };
  };
  return { opened, closed, open };
}

describe('CallerPool', () => {
  it('opens one connection per key, lazily, and reuses it', async () => {
    const f = fakes();
    const pool = new CallerPool('s', f.open);
    const [a, b] = await Promise.all([pool.request('k:a', 'tools/call', {}, { timeoutMs: 100 }), pool.request('k:a', 'tools/call', {}, { timeoutMs: 100 })]);
    assert.deepEqual([a, b], [{ key: 'k:a', method: 'tools/call' }, { key: 'k:a', method: 'tools/call' }]);
    await pool.request('k:b', 'prompts/get', {}, { timeoutMs: 100 });
    assert.deepEqual(f.opened, ['k:a', 'k:b']);
    await pool.close();
    assert.deepEqual(f.closed.sort(), ['k:a', 'k:b']);
    await assert.rejects(pool.request('k:c', 'tools/call', {}, { timeoutMs: 100 }), (e: unknown) => e instanceof SwitchboardError && e.code === 'SWB_UPSTREAM_UNAVAILABLE');
  });

  it('caps the pool, closing the least recently used first', async () => {
    const f = fakes();
    const pool = new CallerPool('s', f.open, { max: 2 });
    for (const k of ['a', 'b', 'a', 'c']) await pool.request(k, 'tools/call', {}, { timeoutMs: 100 });
    assert.deepEqual(pool.keys(), ['a', 'c']);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(f.closed, ['b']);
    await pool.close();
  });

  it('closes idle connections', async () => {
    const f = fakes();
    const pool = new CallerPool('s', f.open, { idleMs: 40 });
    await pool.request('a', 'tools/call', {}, { timeoutMs: 100 });
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(pool.size, 0);
    assert.deepEqual(f.closed, ['a']);
    await pool.close();
  });

  it('a connection that cannot be opened fails that caller with a clear error, and is tried again next time', async () => {
    const f = fakes();
    const pool = new CallerPool('up', f.open);
    await assert.rejects(pool.request('bad:1', 'tools/call', {}, { timeoutMs: 100 }), (e: unknown) => e instanceof SwitchboardError && e.code === 'SWB_UPSTREAM_UNAVAILABLE' && /for this caller: refused/.test(e.message));
    assert.equal(pool.size, 0);
    assert.deepEqual(await pool.request('good', 'tools/call', {}, { timeoutMs: 100 }), { key: 'good', method: 'tools/call' });
    await pool.close();
  });
});
