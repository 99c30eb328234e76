/**
 * Each isolation layer, tested on its own from inside a real sandbox process: empty environment,
 * Node's permission model (reads, writes, spawn, eval), no network, no view of other processes, an
 * unprivileged user; and how a missing layer is reported and can be required.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SwitchboardError } from '../shared/index.js';
import { describeLayers, detectIsolation, readableRuntime, runtimePaths, sandboxCommand, type IsolationSupport, type RuntimePaths } from './isolation.js';
import { SandboxProcess } from './sandbox-process.js';
import { createSandbox, probeSandbox, sandboxLayers } from './index.js';

const support = detectIsolation();
const root = process.getuid?.() === 0;

describe('sandbox isolation layers', () => {
  test('the process layer: separate process, empty environment, cannot signal the gateway', async () => {
    const facts = await probeSandbox();
    assert.notEqual(facts.pid, process.pid);
    assert.equal(facts.envKeys, 0);
    assert.notEqual(facts.attempts.signalHost, 'allowed');
  });

  test("Node's permission model: no host files, no writes, no child processes, no eval", async () => {
    const facts = await probeSandbox();
    assert.equal(facts.permissionModel, true);
    assert.deepEqual([facts.fsWrite, facts.readsOutside, facts.childProcess, facts.worker], [false, false, false, false]);
    assert.equal(facts.attempts.readHostFile, 'ERR_ACCESS_DENIED');
    assert.equal(facts.attempts.writeFile, 'ERR_ACCESS_DENIED');
    assert.equal(facts.attempts.spawn, 'ERR_ACCESS_DENIED');
    assert.equal(facts.attempts.codeFromString, 'EvalError');
  });

  test('the network namespace: no interfaces, and a listening host port is unreachable', { skip: !support.netns && 'unshare --net unavailable' }, async () => {
    const server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const facts = await probeSandbox(10_000, { connectHost: '127.0.0.1', connectPort: (server.address() as AddressInfo).port });
      assert.deepEqual(facts.interfaces, []);
      assert.match(facts.attempts.connect, /ECONNREFUSED|ENETUNREACH|EHOSTUNREACH|ETIMEDOUT/);
    } finally {
      server.close();
    }
  });

  test('the PID namespace and the unprivileged user', { skip: !support.pidns && 'unshare --pid unavailable' }, async () => {
    const facts = await probeSandbox();
    assert.equal(facts.pid, 1);
    assert.equal(facts.attempts.signalHost, 'ESRCH');
    if (root) assert.equal(facts.uid, 65534);
  });

  test('a runtime installed under a private directory is copied where nobody can read it, and a sandbox boots from the copy', { skip: !(root && support.dropUser) && 'needs a root gateway that drops to nobody' }, async () => {
    // A checkout in a 0700 directory (a home or mktemp dir): nobody cannot traverse it.
    const installed = runtimePaths();
    const priv = mkdtempSync(join(tmpdir(), 'sb-private-'));
    try {
      const at = (dir: string, name: string) => (cpSync(dir, join(priv, 'node_modules', name), { recursive: true }), join(priv, 'node_modules', name));
      const hidden: RuntimePaths = {
        node: installed.node,
        pyodideDir: at(installed.pyodideDir, 'pyodide'),
        runtimeDir: at(installed.runtimeDir, 'runtime'),
        quickjs: { coreDir: at(installed.quickjs!.coreDir, 'quickjs-emscripten-core'), ffiDir: at(installed.quickjs!.ffiDir, '@jitl/quickjs-ffi-types'), variantDir: at(installed.quickjs!.variantDir, '@jitl/quickjs-wasmfile-release-sync') },
      };
      const nobodyReads = (file: string) => spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', 'test', '-r', file]).status === 0;
      assert.equal(nobodyReads(join(hidden.pyodideDir, 'pyodide.asm.wasm')), false, 'the private copy is unreadable to nobody');
      const usable = readableRuntime(hidden);
      assert.notEqual(usable.pyodideDir, hidden.pyodideDir);
      assert.match(usable.pyodideDir, /switchboard-runtime-/);
      assert.ok(nobodyReads(join(usable.pyodideDir, 'pyodide.asm.wasm')) && nobodyReads(join(usable.runtimeDir, 'runner.mjs')));
      const proc = new SandboxProcess(sandboxCommand(support, usable, { cpuSeconds: 60, maxOpenFiles: 64 }, { mode: 'serve' }), { bootTimeoutMs: 60_000, maxFrameBytes: 1 << 20 });
      await proc.ready;
      proc.kill();
      await proc.exited;
      assert.equal(readableRuntime(installed), installed, 'a readable install is used where it is');
    } finally {
      rmSync(priv, { recursive: true, force: true });
    }
  });

  test('the command puts every layer around the runner, and reads only Pyodide, the runner and the QuickJS package files', () => {
    const paths = runtimePaths();
    const { command, args } = sandboxCommand(support, paths, { cpuSeconds: 60, maxOpenFiles: 64 }, { mode: 'serve', snapshotFile: '/tmp/x/interpreter.snapshot' });
    const argv = [command, ...args].join(' ');
    if (support.netns) assert.match(argv, /^unshare .*--net/);
    if (support.prlimit) assert.match(argv, /prlimit --cpu=70 --nofile=64 --core=0 --/);
    if (support.dropUser) assert.match(argv, /setpriv --reuid=65534 --regid=65534 --clear-groups --no-new-privs/);
    const reads = args.filter((a) => a.startsWith('--allow-fs-read=')).map((a) => a.slice('--allow-fs-read='.length));
    assert.ok(paths.quickjs, 'quickjs-emscripten is installed');
    assert.deepEqual(reads, [`${paths.pyodideDir}/`, `${paths.runtimeDir}/`, '/tmp/x/interpreter.snapshot', `${paths.quickjs.coreDir}/`, `${paths.quickjs.ffiDir}/`, `${paths.quickjs.variantDir}/`]);
    for (const dir of Object.values(paths.quickjs)) assert.match(dir, /\/node_modules\/(quickjs-emscripten-core|@jitl\/quickjs-ffi-types|@jitl\/quickjs-wasmfile-release-sync)$/);
    assert.ok(args.includes('--disallow-code-generation-from-strings'));
    assert.ok(!args.some((a) => a.startsWith('--allow-fs-write') || a === '--allow-child-process' || a === '--allow-worker' || a === '--allow-addons'));
  });

  test('sandboxLayers() reports every layer this host supports as active, confirmed by a probe', async () => {
    const layers = await sandboxLayers();
    const byName = Object.fromEntries(layers.map((l) => [l.name, l]));
    for (const name of ['process', 'node-permission-model', 'python-guard']) assert.equal(byName[name]?.active, true, `${name}: ${byName[name]?.detail}`);
    assert.equal(byName['network-namespace']?.active, support.netns);
    assert.equal(byName['pid-namespace']?.active, support.pidns);
    assert.equal(byName['resource-limits']?.active, support.prlimit);
  });

  test('a missing layer is reported as unavailable, and can be required', async () => {
    const bare: IsolationSupport = { unshareFlags: [], netns: false, pidns: false, dropUser: false, prlimit: false, permissionFlag: '--experimental-permission' };
    const layers = describeLayers(bare, false);
    const net = layers.find((l) => l.name === 'network-namespace')!;
    assert.equal(net.active, false);
    assert.match(net.detail, /unavailable/);
    const { command, args } = sandboxCommand(bare, runtimePaths(), { cpuSeconds: 1, maxOpenFiles: 64 }, { mode: 'serve' });
    assert.equal(command, process.execPath);
    assert.ok(args.includes('--experimental-permission'));
    const strict = createSandbox({ requireLayers: ['network-namespace', 'no-such-layer'], poolSize: 1 });
    await assert.rejects(strict.start(), (e: unknown) => e instanceof SwitchboardError && e.code === 'SWB_SANDBOX_UNAVAILABLE' && /no-such-layer/.test(e.message));
    await strict.close();
  });
});
