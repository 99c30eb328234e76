/**
 * JavaScript tools in the sandbox, with real sandbox processes: QuickJS inside the same locked-down
 * process as Python tools. Results, globals, `http` over IPC to a real server (and loopback refused),
 * read-only secrets, console capture and its cap, the limits (timeout, memory), the escape routes that
 * must not exist, and the analysis (syntax, contract, JSDoc schema).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEgressClient, createSandbox, type Sandbox, type SandboxJob } from './index.js';

let sandbox: Sandbox;
let server: Server;
let port = 0;

const js = (code: string, extra: Partial<SandboxJob> = {}): SandboxJob => ({ code, language: 'javascript', arguments: {}, secrets: {}, allowedModules: [], mode: 'run', ...extra });

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path: req.url, method: req.method, token: req.headers['x-token'] ?? null, body }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  sandbox = createSandbox({ poolSize: 2, egress: createEgressClient({ allowAddress: (a, p) => a === '127.0.0.1' && p === port }) });
  await sandbox.start();
});
after(async () => {
  await sandbox.close();
  server.close();
});

describe('javascript tools: the contract', () => {
  test('export default async function main: an object return becomes structuredContent; arguments and secrets arrive', async () => {
    const code = 'export default async function main({ a, b }) {\n  return { sum: a + b, key: secrets.API_KEY, args: arguments[0] };\n}\n';
    const r = await sandbox.run(js(code, { arguments: { a: 2, b: 3 }, secrets: { API_KEY: 'k-1' } }));
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.structuredContent, { sum: 5, key: 'k-1', args: { a: 2, b: 3 } });
    assert.deepEqual(JSON.parse(r.text), r.structuredContent);
  });

  test('a plain async function main(args) works; strings, arrays and undefined map like Python', async () => {
    const [text, list, none] = await Promise.all([
      sandbox.run(js('async function main(args) { return "hi " + args.name; }', { arguments: { name: 'Ada' } })),
      sandbox.run(js('async function main() { return [1, "two", null]; }')),
      sandbox.run(js('async function main() {}')),
    ]);
    assert.ok(text.ok && list.ok && none.ok, JSON.stringify([text, list, none]));
    assert.equal(text.text, 'hi Ada');
    assert.equal(text.structuredContent, undefined);
    assert.deepEqual(list.value, [1, 'two', null]);
    assert.equal(list.text, '[1,"two",null]');
    assert.equal(none.text, '');
  });

  test('secrets and arguments are frozen: writes fail', async () => {
    const code = `export default async function main() {
  const attempts = {};
  try { secrets.X = 'y'; attempts.set = 'allowed'; } catch (e) { attempts.set = e.name; }
  try { delete secrets.X; attempts.del = 'allowed'; } catch (e) { attempts.del = e.name; }
  try { globalThis.secrets = {}; attempts.global = 'allowed'; } catch (e) { attempts.global = e.name; }
  return { attempts, x: secrets.X };
}`;
    const r = await sandbox.run(js(code, { secrets: { X: 'x' } }));
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.structuredContent, { attempts: { set: 'TypeError', del: 'TypeError', global: 'TypeError' }, x: 'x' });
  });

  test('console.log is captured as stdout, never on the host stdio', async () => {
    const r = await sandbox.run(js('export default async function main() { console.log("hello", 42, { a: 1 }); console.error("err"); return "done"; }'));
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.stdout, 'hello 42 {"a":1}\nerr\n');
  });

  test('console output past the cap ends the call with output_too_large', async () => {
    const r = await sandbox.run(js('export default async function main() { for (;;) console.log("x".repeat(1000)); }', { mode: 'test' }));
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.kind, 'output_too_large');
    assert.ok(Buffer.byteLength(r.stdout) <= 10 * 1024 + 20);
  });

  test('http goes through the host: allowed host reachable, json() works, POST json body', async () => {
    const code = `export default async function main() {
  const r = await http.get("http://127.0.0.1:${port}/hello", { headers: { "X-Token": "t1" }, params: { q: "1" } });
  const p = await http.post("http://127.0.0.1:${port}/p", { json: { n: 1 } });
  return { status: r.status_code, body: r.json(), ok: r.ok, post: p.json().body, method: p.json().method };
}`;
    const r = await sandbox.run(js(code, { egress: { allowedHosts: [{ host: '127.0.0.1', port }], allowPublic: false } }));
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.structuredContent, { status: 200, body: { path: '/hello?q=1', method: 'GET', token: 't1', body: '' }, ok: true, post: '{"n":1}', method: 'POST' });
    assert.equal(r.httpRequests, 2);
  });

  test('loopback, metadata and tools without network access are refused with http.HttpError', async () => {
    const code = (url: string) => `export default async function main() {
  try { await http.get(${JSON.stringify(url)}); return "reached"; } catch (e) { return (e instanceof http.HttpError ? "refused: " : "other: ") + e.message; }
}`;
    const [loopback, metadata, none] = await Promise.all([
      sandbox.run(js(code('http://127.0.0.1:1/x'), { egress: { allowedHosts: [], allowPublic: true } })),
      sandbox.run(js(code('http://169.254.169.254/latest/meta-data/'), { egress: { allowedHosts: [], allowPublic: true } })),
      sandbox.run(js(code(`http://127.0.0.1:${port}/x`))),
    ]);
    assert.ok(loopback.ok && metadata.ok && none.ok, JSON.stringify([loopback, metadata, none]));
    assert.match(loopback.text, /^refused: .*(loopback|not allowed|blocked)/i);
    assert.match(metadata.text, /^refused: .*metadata/);
    assert.match(none.text, /^refused: this tool has no network access/);
  });

  test('exceptions report the type, message and the tool line; syntax errors are invalid_code', async () => {
    const [thrown, syntax, noMain] = await Promise.all([
      sandbox.run(js('export default async function main() {\n  throw new RangeError("bad value");\n}')),
      sandbox.run(js('export default async function main( {')),
      sandbox.run(js('const x = 1;')),
    ]);
    assert.ok(!thrown.ok && !syntax.ok && !noMain.ok);
    assert.equal(thrown.error.kind, 'exception');
    assert.match(thrown.error.message, /RangeError: bad value[\s\S]*tool\.js:2/);
    assert.equal(syntax.error.kind, 'invalid_code');
    assert.equal(noMain.error.kind, 'invalid_code');
    assert.match(noMain.error.message, /no main/);
  });
});

describe('javascript tools: limits', () => {
  test('an endless loop is killed at the wall-time limit', async () => {
    const started = performance.now();
    const r = await sandbox.run(js('export default async function main() { for (;;) {} }', { limits: { timeoutMs: 1500 } }));
    assert.equal(!r.ok && r.error.kind, 'timeout');
    assert.ok(performance.now() - started < 10_000);
  });

  test('a memory blow-up fails cleanly with kind memory, and the next call works', async () => {
    const r = await sandbox.run(js('export default async function main() { const a = []; for (;;) a.push("x".repeat(1 << 20) + a.length); }', { limits: { memoryMb: 64 } }));
    assert.equal(!r.ok && r.error.kind, 'memory', JSON.stringify(r));
    const next = await sandbox.run(js('export default async function main() { return 1; }'));
    assert.ok(next.ok);
  });

  test('deep recursion fails cleanly', async () => {
    const r = await sandbox.run(js('function f(n) { return f(n + 1) + 1; }\nexport default async function main() { return f(0); }'));
    assert.equal(r.ok, false);
    assert.ok(!r.ok && ['recursion', 'exception'].includes(r.error.kind), JSON.stringify(r));
  });

  test('a fresh context per call: globals set by one call are gone in the next', async () => {
    const first = await sandbox.run(js('export default async function main() { globalThis.leak = 42; Object.prototype.polluted = 1; return 1; }'));
    const second = await sandbox.run(js('export default async function main() { return { leak: typeof globalThis.leak, polluted: typeof ({}).polluted }; }'));
    assert.ok(first.ok && second.ok);
    assert.deepEqual(second.structuredContent, { leak: 'undefined', polluted: 'undefined' });
  });
});

describe('javascript tools: no way out of the VM', () => {
  test('no process, require, import(), Function-constructor gadget, WebAssembly or filesystem', async () => {
    const code = `export default async function main() {
  const out = {};
  out.process = typeof process;
  out.require = typeof require;
  out.webassembly = typeof WebAssembly;
  out.std = typeof std + "/" + typeof os;
  out.fetch = typeof fetch;
  try { out.gadget = String(globalThis.constructor.constructor('return typeof process')()); } catch (e) { out.gadget = e.name; }
  try { out.gadget2 = String((async () => {}).constructor('return this')()); } catch (e) { out.gadget2 = e.name; }
  try { await import('fs'); out.importFs = 'loaded'; } catch (e) { out.importFs = e.name; }
  try { await import('node:child_process'); out.importCp = 'loaded'; } catch (e) { out.importCp = e.name; }
  try { await import('/etc/passwd'); out.importFile = 'loaded'; } catch (e) { out.importFile = e.name; }
  return out;
}`;
    const r = await sandbox.run(js(code));
    assert.ok(r.ok, JSON.stringify(r));
    const out = r.structuredContent!;
    assert.equal(out.process, 'undefined');
    assert.equal(out.require, 'undefined');
    assert.equal(out.webassembly, 'undefined');
    assert.equal(out.std, 'undefined/undefined');
    assert.equal(out.fetch, 'undefined');
    assert.equal(out.gadget, 'undefined');
    assert.notEqual(out.importFs, 'loaded');
    assert.notEqual(out.importCp, 'loaded');
    assert.notEqual(out.importFile, 'loaded');
  });

  test('a static import fails the call before any code runs', async () => {
    const r = await sandbox.run(js('import fs from "fs";\nexport default async function main() { return fs.readFileSync("/etc/passwd", "utf8"); }'));
    assert.equal(r.ok, false);
    assert.ok(!r.ok && ['invalid_code', 'exception'].includes(r.error.kind), JSON.stringify(r));
    assert.doesNotMatch(!r.ok ? r.error.message : '', /root:/);
  });
});

describe('javascript tools: analysis', () => {
  test('the JSDoc of main gives the description and the input schema', async () => {
    const code = `/**
 * Add two numbers.
 * @param {object} args
 * @param {number} args.a - The first number.
 * @param {integer} [args.b=2] - The second number.
 * @param {'up'|'down'} args.dir - Direction.
 * @param {string[]} [args.tags] - Labels.
 */
export default async function main({ a, b = 2, dir, tags }) { return a + b; }`;
    const a = await sandbox.analyze(code, { language: 'javascript' });
    assert.ok(a.valid, JSON.stringify(a));
    assert.equal(a.description, 'Add two numbers.');
    assert.deepEqual(a.inputSchema, {
      type: 'object',
      properties: {
        a: { type: 'number', description: 'The first number.' },
        b: { type: 'integer', description: 'The second number.', default: 2 },
        dir: { type: 'string', enum: ['up', 'down'], description: 'Direction.' },
        tags: { type: 'array', items: { type: 'string' }, description: 'Labels.' },
      },
      required: ['a', 'dir'],
      additionalProperties: false,
    });
  });

  test('without JSDoc the schema is an open object; syntax, contract and imports are reported', async () => {
    const [plain, syntax, noMain, imports] = await Promise.all([
      sandbox.analyze('export default async function main(args) { return args; }', { language: 'javascript' }),
      sandbox.analyze('export default async function main( {', { language: 'javascript' }),
      sandbox.analyze('const x = 1;', { language: 'javascript' }),
      sandbox.analyze('import fs from "fs";\nexport default async function main() {}', { language: 'javascript' }),
    ]);
    assert.ok(plain.valid);
    assert.deepEqual(plain.inputSchema, { type: 'object', additionalProperties: true });
    assert.equal(syntax.valid, false);
    assert.equal(syntax.errors[0]!.kind, 'syntax');
    assert.equal(noMain.valid, false);
    assert.equal(noMain.errors[0]!.kind, 'contract');
    assert.equal(imports.valid, false);
    assert.ok(imports.errors.some((e) => e.kind === 'forbidden_import'));
  });
});
