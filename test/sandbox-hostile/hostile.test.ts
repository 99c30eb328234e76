/**
 * Hostile code against the real sandbox: every escape route from the hosted-tools issue fails, every
 * exhaustion is stopped with a clear error and a healthy host, and nothing a call leaves behind is
 * visible to the next call. Runs on the warm pool, two calls at a time.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, DEFAULT_ALLOWED_MODULES, type Sandbox, type SandboxJob, type SandboxResult } from '../../src/sandbox/index.js';

let sandbox: Sandbox;
let dataDir: string;
const SECRET = 'sk-live-do-not-leak';

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'swb-hostile-data-'));
  writeFileSync(join(dataDir, 'switchboard.db'), 'master-key-material');
  sandbox = createSandbox({ poolSize: 2, limits: { timeoutMs: 5000 } });
  await sandbox.start();
});
after(async () => {
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const job = (code: string, extra: Partial<SandboxJob> = {}): SandboxJob => ({ code, arguments: {}, secrets: { TOKEN: SECRET }, allowedModules: [...DEFAULT_ALLOWED_MODULES], mode: 'run', ...extra });
const tool = (body: string) => `async def main():\n${body.split('\n').map((l) => `    ${l}`).join('\n')}`;

/** Run tools two at a time (the pool size) and return their results in order. */
async function runAll(codes: string[], extra: Partial<SandboxJob> = {}): Promise<SandboxResult[]> {
  const out: SandboxResult[] = [];
  for (let i = 0; i < codes.length; i += 2) out.push(...(await Promise.all(codes.slice(i, i + 2).map((c) => sandbox.run(job(c, extra))))));
  return out;
}

/** The escape failed: the call errored, or returned without anything the route was after. */
function assertBlocked(code: string, r: SandboxResult, kinds: string[]): void {
  assert.ok(!r.ok, `escaped:\n${code}\n→ ${JSON.stringify(r).slice(0, 400)}`);
  assert.ok(kinds.includes(r.error.kind), `${code}\n→ kind ${r.error.kind}: ${r.error.message}`);
  assert.ok(!r.error.message.includes(SECRET) && !r.stdout.includes(SECRET));
}

describe('hostile code: escape routes fail', () => {
  test('the JS bridge: js, pyodide_js, pyodide.ffi, pyodide.code are gone', async () => {
    const codes = [
      'import js\nasync def main():\n    return str(js)',
      'import pyodide_js\nasync def main():\n    return 1',
      'from pyodide.ffi import to_js\nasync def main():\n    return 1',
      'import pyodide.code\nasync def main():\n    return 1',
      'from _pyodide import _base\nasync def main():\n    return 1',
      'import _pyodide_core\nasync def main():\n    return 1',
      tool('import js\nreturn 1'),
    ];
    const results = await runAll(codes);
    codes.forEach((c, i) => assertBlocked(c, results[i]!, ['forbidden_import']));
  });

  test('os, sys, subprocess, ctypes, socket, importlib and friends cannot be imported', async () => {
    const names = ['os', 'sys', 'subprocess', 'ctypes', 'socket', 'importlib', 'builtins', 'gc', 'inspect', 'pickle', 'marshal', 'shutil', 'pathlib', 'asyncio', 'io', 'posix', 'select', 'threading', 'types'];
    const codes = names.map((m) => tool(`import ${m}\nreturn 1`));
    // Even if an admin whitelists them.
    const results = await runAll(codes, { allowedModules: [...DEFAULT_ALLOWED_MODULES, ...names] });
    codes.forEach((c, i) => assertBlocked(c, results[i]!, ['forbidden_import']));
  });

  test('whitelisted modules do not hand out forbidden ones (json.codecs.sys, typing.sys, uuid.os, …)', async () => {
    const routes = ['json.codecs.sys', 'typing.sys', 'uuid.os', 'datetime.sys', 'collections.sys', 'functools.recursive_repr.__globals__', 're.enum.sys', 'dataclasses.sys', 'hashlib._hashlib', 'random']; // random: not whitelisted
    const codes = routes.map((r) => `import json, typing, uuid, datetime, collections, functools, re, dataclasses, hashlib\nasync def main():\n    return str(${r})`);
    const results = await runAll(codes);
    codes.forEach((c, i) => assertBlocked(c, results[i]!, ['exception', 'forbidden', 'forbidden_import']));
    assert.match((results[0] as { error: { message: string } }).error.message, /has no attribute 'codecs'/);
    assert.match((results[2] as { error: { message: string } }).error.message, /has no attribute 'os'/);
  });

  test('os.system through any path fails', async () => {
    const codes = [
      tool('import uuid\nreturn uuid.os.system("id")'),
      tool('import json\nreturn json.codecs.sys.modules["os"].system("id")'),
      tool('return __import__("os").system("id")'),
      tool('import typing\nreturn typing.ForwardRef("__import__(\'os\').system(\'id\')").evaluate()'),
      tool('import typing\ndef f(x: "__import__(\'os\').system(\'id\')"): pass\nreturn typing.get_type_hints(f)'),
    ];
    const results = await runAll(codes);
    codes.forEach((c, i) => assertBlocked(c, results[i]!, ['exception', 'forbidden', 'forbidden_import']));
  });

  test('object-graph walks, frames, __builtins__ and reflection are refused', async () => {
    const codes = [
      tool('return [c.__name__ for c in ().__class__.__base__.__subclasses__()]'),
      tool('return object.__subclasses__()'),
      tool('return type(()).mro()[-1]'),
      tool('return getattr((), "__class__")'),
      tool('return vars()'),
      tool('return globals()'),
      tool('return __builtins__'),
      tool('return main.__globals__'),
      tool('def g():\n    yield 1\nit = g()\nreturn it.gi_frame.f_back.f_globals'),
      tool('try:\n    1 / 0\nexcept Exception as e:\n    return e.__traceback__.tb_frame.f_globals'),
      tool('return eval("1+1")'),
      tool('return exec("x=1")'),
      tool('return compile("1", "x", "eval")'),
      tool('import string\nreturn str(string.Formatter().get_field("0.__class__.__base__", [()], {}))'),
      tool('return [x for x in (1,)].__class__'),
      tool('return main.__code__.co_consts'),
      tool('class A:\n    pass\nreturn A.__dict__'),
      tool('return print.__self__'),
    ];
    const results = await runAll(codes);
    codes.forEach((c, i) => assertBlocked(c, results[i]!, ['forbidden', 'exception']));
  });

  test('host files, /proc/self/environ and the data directory cannot be read or written', async () => {
    const target = join(dataDir, 'switchboard.db');
    const codes = [
      tool(`return open(${JSON.stringify(target)}).read()`),
      tool('return open("/proc/self/environ").read()'),
      tool('return open("/etc/passwd").read()'),
      tool(`return open(${JSON.stringify(join(dataDir, 'planted'))}, "w").write("x")`),
      tool('import zoneinfo\nreturn str(zoneinfo.ZoneInfo("../../etc/passwd"))'),
    ];
    const results = await runAll(codes);
    codes.forEach((c, i) => assertBlocked(c, results[i]!, ['forbidden', 'exception']));
    assert.deepEqual(readdirSync(dataDir).sort(), ['switchboard.db']);
  });

  test('network: no sockets, and http refuses loopback, metadata and private hosts', async () => {
    const codes = [
      tool('import socket\nreturn 1'),
      tool('return await http.get("http://127.0.0.1:22/")'),
      tool('return await http.get("http://169.254.169.254/latest/meta-data/")'),
      tool('return await http.get("http://[::ffff:127.0.0.1]/")'),
      tool('return await http.get("http://0x7f000001/")'),
      tool('return await http.get("file:///etc/passwd")'),
    ];
    const results = await runAll(codes, { egress: { allowedHosts: [], allowPublic: true } });
    codes.forEach((c, i) => assertBlocked(c, results[i]!, ['forbidden_import', 'exception']));
    for (const r of results.slice(1)) assert.match((r as { error: { message: string } }).error.message, /^HttpError: /);
  });

  test('a forged host call gets nothing more than http would', async () => {
    const code = tool('c = http.get("http://example.com/")\nHostCall = type(c.send(None))\nc.close()\nreturn await HostCall({"op": "http", "method": "GET", "url": "http://127.0.0.1:1/", "headers": {}, "body": None})');
    const [r] = await runAll([code], { egress: { allowedHosts: [], allowPublic: true } });
    assert.ok(r!.ok, JSON.stringify(r));
    assert.deepEqual((r!.value as { ok: boolean }).ok, false);
    assert.equal((r!.value as { error: { code: string } }).error.code, 'SWB_EGRESS_BLOCKED');
  });
});

describe('hostile code: exhaustion is stopped and the host stays healthy', () => {
  test('memory: 1 GB, a growing list and a 600 MB return value fail cleanly; 4 GB cannot even be requested', async () => {
    const codes = [
      tool('return len(b"x" * (1024 ** 3))'),
      tool('keep = []\nwhile True:\n    keep.append(bytearray(10 ** 6))'),
      tool('return "x" * (600 * 1024 * 1024)'),
      tool('return len(bytearray(4 * 1024 ** 3))'),
    ];
    const results = await runAll(codes);
    codes.slice(0, 3).forEach((c, i) => assertBlocked(c, results[i]!, ['memory']));
    assertBlocked(codes[3]!, results[3]!, ['exception', 'memory']);
    assert.match((results[3] as { error: { message: string } }).error.message, /OverflowError|MemoryError/);
  });

  test('an endless loop hits the wall-clock limit; CPU is limited separately', async () => {
    const started = performance.now();
    const [loop, cpu] = await Promise.all([
      sandbox.run(job(tool('while True:\n    pass'), { limits: { timeoutMs: 1500 } })),
      sandbox.run(job(tool('n = 0\nwhile True:\n    n += 1'), { limits: { timeoutMs: 8000, cpuSeconds: 1 } })),
    ]);
    assert.equal(!loop.ok && loop.error.kind, 'timeout');
    assert.match(!loop.ok ? loop.error.message : '', /longer than 1500 ms/);
    assert.equal(!cpu.ok && cpu.error.kind, 'cpu');
    assert.ok(performance.now() - started < 7000);
  });

  test('stdout floods, deep recursion, giant exceptions and results are bounded', async () => {
    const codes = [
      tool('while True:\n    print("x" * 1000)'),
      tool('def f(n):\n    return f(n + 1)\nreturn f(0)'),
      tool('raise ValueError("y" * 50_000_000)'),
      tool('return "z" * (5 * 1024 * 1024)'),
    ];
    const results = await runAll(codes);
    assertBlocked(codes[0]!, results[0]!, ['output_too_large']);
    assert.ok(results[0]!.stdout.length <= 1024 * 1024 + 64);
    assertBlocked(codes[1]!, results[1]!, ['recursion']);
    assertBlocked(codes[2]!, results[2]!, ['exception']);
    assert.ok(Buffer.byteLength((results[2] as { error: { message: string } }).error.message) <= 8 * 1024);
    assertBlocked(codes[3]!, results[3]!, ['output_too_large']);
    const test = await sandbox.run(job(tool('print("a" * 20000)\nreturn 1'), { mode: 'test' }));
    assertBlocked('test-mode print', test, ['output_too_large']);
  });

  test('after all of that the pool serves normal calls and the host is fine', async () => {
    const rss = process.memoryUsage().rss;
    const [a, b] = await Promise.all([sandbox.run(job(tool('return {"ok": True}'))), sandbox.run(job(tool('return 2 + 2')))]);
    assert.ok(a.ok && b.ok);
    assert.ok(process.memoryUsage().rss < rss + 200 * 1024 * 1024, 'the gateway process did not absorb the tools’ memory');
    assert.equal(sandbox.stats().bootFailures, 0);
  });
});

describe('hostile code: nothing persists into the next call', () => {
  test('patched modules, class attributes, stashed secrets and planted state are gone', async () => {
    const first = await sandbox.run(
      job(
        tool(
          [
            'import json, collections',
            'json.dumps = lambda *a, **k: "pwned"',
            'json.JSONEncoder.planted = True',
            'datetime.planted = secrets["TOKEN"]',
            'json.stash = secrets["TOKEN"]',
            'return json.dumps({})',
          ].join('\n'),
        ),
      ),
    );
    assert.ok(first.ok && first.text === 'pwned', JSON.stringify(first));
    const second = await sandbox.run(
      job(tool('import json, collections\nreturn {"dumps": json.dumps({}), "class": hasattr(json.JSONEncoder, "planted"), "dt": hasattr(datetime, "planted"), "stash": hasattr(json, "stash"), "secrets": dict(secrets)}'), { secrets: { OTHER: 'b' } }),
    );
    assert.ok(second.ok, JSON.stringify(second));
    assert.deepEqual(second.structuredContent, { dumps: '{}', class: false, dt: false, stash: false, secrets: { OTHER: 'b' } });
    assert.ok(!JSON.stringify(second).includes(SECRET));
  });
});
