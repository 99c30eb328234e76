import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { SwitchboardError } from '../shared/errors.js';
import { diffServers, loadConfigFile, watchConfig, type ConfigWatcher, type SwitchboardConfig } from './index.js';

const QUIET_MS = 600;
let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'swb-config-watch-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Save the way editors do: write a temporary file, then rename it over the config. */
async function save(file: string, doc: unknown): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  await rename(tmp, file);
}

async function waitFor<T>(get: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A watcher on a fresh file in its own directory, recording every callback. */
async function setup(doc: unknown, options: { initial?: boolean; debounceMs?: number } = {}) {
  const dir = await mkdtemp(join(root, 'w-'));
  const file = join(dir, 'switchboard.json');
  await save(file, doc);
  const initial = options.initial === false ? undefined : await loadConfigFile(file);
  const changes: SwitchboardConfig[] = [];
  const errors: SwitchboardError[] = [];
  const watcher: ConfigWatcher = watchConfig(file, (c) => changes.push(c), (e) => errors.push(e), {
    ...(initial ? { initial } : {}),
    debounceMs: options.debounceMs ?? 50,
  });
  return { file, initial, changes, errors, watcher };
}

const two = { mcpServers: { a: { command: 'a' }, b: { command: 'b', args: ['1'] } } };
const twoEdited = { mcpServers: { a: { command: 'a' }, b: { command: 'b', args: ['2'] } } };

describe('watchConfig', () => {
  it('reports a changed server with the new configuration', async () => {
    const { file, initial, changes, errors, watcher } = await setup(two, { debounceMs: 200 });
    try {
      await save(file, twoEdited);
      const next = await waitFor(() => changes[0], 'onChange');
      assert.deepEqual(next.servers.find((s) => s.name === 'b')?.args, ['2']);
      assert.ok(initial);
      const diff = diffServers(initial.servers, next.servers);
      assert.deepEqual(diff.changed.map((s) => s.name), ['b']);
      assert.deepEqual(diff.unchanged.map((s) => s.name), ['a']);
      await sleep(QUIET_MS);
      assert.equal(changes.length, 1, 'one save, one onChange (debounced)');
      assert.deepEqual(errors, []);
    } finally {
      watcher.close();
    }
  });

  it('reports broken JSON through onError only, then recovers on the next good save', async () => {
    const { file, changes, errors, watcher } = await setup(two);
    try {
      await save(file, '{ "mcpServers": { "a": ');
      const err = await waitFor(() => errors[0], 'onError');
      assert.equal(err.code, 'SWB_CONFIG_UNREADABLE');
      assert.match(err.message, /Invalid JSON/);
      await sleep(QUIET_MS);
      assert.equal(changes.length, 0, 'no onChange for a broken file');

      await save(file, { mcpServers: { a: { command: 'a', url: 'https://h/mcp' } } });
      const invalid = await waitFor(() => errors[1], 'second onError');
      assert.equal(invalid.code, 'SWB_CONFIG_INVALID');
      assert.match(invalid.message, /mcpServers\.a: has both "command" and "url"/);
      await sleep(QUIET_MS);
      assert.equal(changes.length, 0, 'no onChange for an invalid config');

      await save(file, twoEdited);
      const next = await waitFor(() => changes[0], 'onChange after recovery');
      assert.deepEqual(next.servers.map((s) => s.name), ['a', 'b']);
    } finally {
      watcher.close();
    }
  });

  it('does not call onChange when the normalised content is unchanged', async () => {
    const { file, changes, errors, watcher } = await setup(two);
    try {
      await save(file, JSON.stringify(two)); // same content, different formatting
      await save(file, { servers: { a: { type: 'stdio', command: 'a' }, b: { command: 'b', args: ['1'] } } }); // another spelling
      await sleep(QUIET_MS);
      assert.deepEqual(changes, []);
      assert.deepEqual(errors, []);
    } finally {
      watcher.close();
    }
  });

  it('also sees in-place writes and reports a deleted file as an error', async () => {
    const { file, changes, errors, watcher } = await setup(two);
    try {
      await writeFile(file, JSON.stringify(twoEdited));
      await waitFor(() => changes[0], 'onChange after an in-place write');
      await unlink(file);
      const err = await waitFor(() => errors[0], 'onError after delete');
      assert.equal(err.code, 'SWB_CONFIG_UNREADABLE');
      assert.match(err.message, /file not found/);
    } finally {
      watcher.close();
    }
  });

  it('without an initial config, reads the baseline itself and reports only later changes', async () => {
    const { file, changes, watcher } = await setup(two, { initial: false });
    try {
      await sleep(200); // let the baseline read finish
      await save(file, JSON.stringify(two));
      await sleep(QUIET_MS);
      assert.equal(changes.length, 0, 'same content as the baseline');
      await save(file, twoEdited);
      await waitFor(() => changes[0], 'onChange');
    } finally {
      watcher.close();
    }
  });

  it('stops calling back after close()', async () => {
    const { file, changes, errors, watcher } = await setup(two);
    await save(file, twoEdited);
    watcher.close(); // before the debounce fires
    await sleep(QUIET_MS);
    await save(file, '{ broken');
    await save(file, { mcpServers: {} });
    await sleep(QUIET_MS);
    assert.deepEqual(changes, []);
    assert.deepEqual(errors, []);
    watcher.close(); // closing twice is harmless
  });

  it('does not keep the process alive on its own', async () => {
    const dir = await mkdtemp(join(root, 'alive-'));
    const file = join(dir, 'switchboard.json');
    await writeFile(file, JSON.stringify(two));
    const moduleUrl = new URL('./index.ts', import.meta.url).href;
    const script = `const { watchConfig } = await import(${JSON.stringify(moduleUrl)}); watchConfig(${JSON.stringify(file)}, () => {}, () => {});`;
    const cwd = fileURLToPath(new URL('../..', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill(), 10_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    assert.equal(code, 0, `child did not exit by itself (stderr: ${stderr})`);
  });
});
