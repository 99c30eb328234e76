import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { configsEqual, diffServers, loadConfigFile, type ServerConfig } from './index.js';

let dir: string;
let n = 0;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'swb-config-diff-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function servers(doc: unknown): Promise<ServerConfig[]> {
  const file = join(dir, `c-${++n}.json`);
  await writeFile(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return (await loadConfigFile(file, { env: {} })).servers;
}

const names = (list: ServerConfig[]): string[] => list.map((s) => s.name);

describe('diffServers', () => {
  it('sorts servers into added, removed, changed and unchanged by name', async () => {
    const prev = await servers({ mcpServers: { keep: { command: 'k' }, edit: { command: 'e', args: ['1'] }, gone: { command: 'g' }, flip: { command: 'f' } } });
    const next = await servers({ mcpServers: { fresh: { url: 'https://h/mcp' }, flip: { command: 'f', disabled: true }, edit: { command: 'e', args: ['2'] }, keep: { command: 'k' } } });
    const diff = diffServers(prev, next);
    assert.deepEqual(names(diff.added), ['fresh']);
    assert.deepEqual(names(diff.removed), ['gone']);
    assert.deepEqual(names(diff.changed), ['flip', 'edit']);
    assert.deepEqual(names(diff.unchanged), ['keep']);
    assert.deepEqual(diff.changed.find((s) => s.name === 'edit')?.args, ['2'], 'changed holds the new version');
  });

  it('compares the normalised form: spelling, formatting and map key order do not matter', async () => {
    const prev = await servers({ mcpServers: { a: { command: 'x', env: { A: '1', B: '2' }, enabled: true } } });
    const next = await servers('{"servers":{"a":{"type":"stdio","command":"x","env":{"B":"2","A":"1"}}}}');
    const diff = diffServers(prev, next);
    assert.deepEqual(names(diff.unchanged), ['a']);
    assert.equal(diff.changed.length + diff.added.length + diff.removed.length, 0);
  });

  it('sees a change in any field (headers, timeout, quarantine, alias, transport)', async () => {
    const base = { url: 'https://h/mcp', headers: { A: '1' } };
    const prev = await servers({ mcpServers: { h: base, t: base, q: base, al: base, tr: base } });
    const next = await servers({
      mcpServers: { h: { ...base, headers: { A: '2' } }, t: { ...base, timeoutMs: 5 }, q: { ...base, quarantined: true }, al: { ...base, alias: 'x' }, tr: { ...base, type: 'sse' } },
    });
    assert.deepEqual(names(diffServers(prev, next).changed), ['h', 't', 'q', 'al', 'tr']);
  });

  it('handles empty lists', async () => {
    const some = await servers({ mcpServers: { a: { command: 'x' } } });
    assert.deepEqual(names(diffServers([], some).added), ['a']);
    assert.deepEqual(names(diffServers(some, []).removed), ['a']);
    assert.deepEqual(diffServers([], []), { added: [], removed: [], changed: [], unchanged: [] });
  });
});

describe('configsEqual', () => {
  it('is true for the same normalised content and false otherwise', async () => {
    const load = async (doc: unknown) => {
      const file = join(dir, `c-${++n}.json`);
      await writeFile(file, JSON.stringify(doc));
      return loadConfigFile(file);
    };
    const a = await load({ http: { port: 8080 }, mcpServers: { a: { command: 'x' } } });
    const b = await load({ mcpServers: { a: { command: 'x' } } });
    const c = await load({ http: { port: 8081 }, mcpServers: { a: { command: 'x' } } });
    assert.equal(configsEqual(a, b), true);
    assert.equal(configsEqual(a, c), false);
  });
});
