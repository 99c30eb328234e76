/**
 * The sandbox contract end to end with real sandbox processes: results, globals, `http` over IPC to
 * a real server, errors, limits validation, cancellation, and validate/schema analysis.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SwitchboardError } from '../shared/index.js';
import { createEgressClient, createSandbox, DEFAULT_ALLOWED_MODULES, type Sandbox, type SandboxJob } from './index.js';

let sandbox: Sandbox;
let server: Server;
let port = 0;

const job = (code: string, extra: Partial<SandboxJob> = {}): SandboxJob => ({ code, arguments: {}, secrets: {}, allowedModules: [...DEFAULT_ALLOWED_MODULES], mode: 'run', ...extra });

before(async () => {
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: req.url, token: req.headers['x-token'] ?? null }));
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

describe('sandbox: the tool contract', () => {
  test('a dict return becomes structuredContent plus JSON text; arguments and secrets arrive', async () => {
    const r = await sandbox.run(job('async def main(city: str, days: int = 1):\n    return {"city": city, "days": days, "key": secrets["API_KEY"], "args": arguments}', { arguments: { city: 'Oslo' }, secrets: { API_KEY: 'k-123' } }));
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.structuredContent, { city: 'Oslo', days: 1, key: 'k-123', args: { city: 'Oslo' } });
    assert.deepEqual(JSON.parse(r.text), r.structuredContent);
  });

  test('other values become text; print is captured, never on the host stdio', async () => {
    const results = await Promise.all([
      sandbox.run(job('async def main():\n    print("hello", 42)\n    return "plain text"')),
      sandbox.run(job('async def main():\n    return [1, "two", None]')),
      sandbox.run(job('async def main():\n    return None')),
      sandbox.run(job('import datetime as dt\nasync def main():\n    return dt.date(2024, 1, 2)')),
    ]);
    const [text, list, none, date] = results;
    assert.ok(text!.ok && list!.ok && none!.ok && date!.ok, JSON.stringify(results));
    assert.equal(text.text, 'plain text');
    assert.equal(text.stdout, 'hello 42\n');
    assert.equal(text.structuredContent, undefined);
    assert.deepEqual(list.value, [1, 'two', null]);
    assert.equal(list.text, '[1, "two", null]');
    assert.equal(none.text, '');
    assert.equal(date.text, '"2024-01-02"');
  });

  test('the globals: json, datetime, whitelisted imports, and a read-only secrets mapping', async () => {
    const code = [
      'import hashlib, base64, re, math',
      'from collections import Counter',
      'async def main():',
      '    try:',
      '        secrets["X"] = "y"',
      '        writable = True',
      '    except TypeError:',
      '        writable = False',
      '    return {"json": json.dumps({"a": 1}), "now": isinstance(datetime.datetime.now().year, int), "sha": hashlib.sha256(b"x").hexdigest()[:8],',
      '            "b64": base64.b64encode(b"hi").decode(), "re": bool(re.match(r"\\d+", "12")), "pi": round(math.pi, 2), "count": Counter("aab")["a"], "secrets_writable": writable}',
    ].join('\n');
    const r = await sandbox.run(job(code, { secrets: { X: 'x' } }));
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.structuredContent, { json: '{"a": 1}', now: true, sha: '2d711642', b64: 'aGk=', re: true, pi: 3.14, count: 2, secrets_writable: false });
  });

  test('whitelisted modules may import what they need internally (date.today() loads time), the tool still cannot', async () => {
    const code = [
      'from datetime import date, datetime as dt',
      'async def main():',
      '    return {"today": date.today().year > 2000, "now": dt.now().year > 2000, "ts": dt.fromtimestamp(0).year == 1970 or dt.fromtimestamp(0).year == 1969}',
    ].join('\n');
    const r = await sandbox.run(job(code));
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.structuredContent, { today: true, now: true, ts: true });
    const direct = await sandbox.run(job('async def main():\n    date = datetime.date.today()\n    import time\n    return time.time()'));
    assert.equal(direct.ok, false);
    assert.match(JSON.stringify(direct), /module 'time' is not in this deployment's module whitelist/);
  });

  test('a plain def main works too', async () => {
    const r = await sandbox.run(job('def main(a: int, b: int):\n    return a + b', { arguments: { a: 2, b: 3 } }));
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value, 5);
  });

  test('http goes through the host: allowed host reachable, headers sent, json() works', async () => {
    const code = `async def main():\n    r = await http.get("http://127.0.0.1:${port}/hello", headers={"X-Token": "t1"}, params={"q": "1"})\n    return {"status": r.status_code, "body": r.json(), "ok": r.ok}`;
    const r = await sandbox.run(job(code, { egress: { allowedHosts: [{ host: '127.0.0.1', port }], allowPublic: false } }));
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.structuredContent, { status: 200, body: { path: '/hello?q=1', token: 't1' }, ok: true });
    assert.equal(r.httpRequests, 1);
  });

  test('a refused request raises http.HttpError inside the tool', async () => {
    const code = 'async def main():\n    try:\n        await http.get("http://169.254.169.254/latest/meta-data/")\n    except http.HttpError as e:\n        return "refused: " + str(e)\n    return "reached"';
    const [withPolicy, without] = await Promise.all([
      sandbox.run(job(code, { egress: { allowedHosts: [], allowPublic: true } })),
      sandbox.run(job(code.replace('169.254.169.254', `127.0.0.1:${port}`))),
    ]);
    assert.ok(withPolicy.ok && without.ok);
    assert.match(withPolicy.text, /^refused: .*metadata/);
    assert.match(without.text, /^refused: this tool has no network access/);
  });

  test('exceptions report the type, message and the tool line', async () => {
    const r = await sandbox.run(job('async def main():\n    x = 1\n    raise ValueError("bad value")'));
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.kind, 'exception');
    assert.match(!r.ok ? r.error.message : '', /^ValueError: bad value\n {2}line 3, in main$/);
  });

  test('invalid code is refused with a clear kind; oversized code never reaches a process', async () => {
    const [syntax, noMain, big] = await Promise.all([
      sandbox.run(job('async def main(:\n    pass')),
      sandbox.run(job('x = 1')),
      sandbox.run(job(`# ${'x'.repeat(200 * 1024)}\nasync def main():\n    return 1`)),
    ]);
    assert.deepEqual([syntax, noMain, big].map((r) => !r.ok && r.error.kind), ['invalid_code', 'invalid_code', 'invalid_code']);
    assert.match(!big.ok ? big.error.message : '', /limit is 102400/);
    assert.equal(big.durationMs, 0);
  });

  test('limits out of bounds are refused with SWB_VALIDATION_FAILED', async () => {
    await assert.rejects(sandbox.run(job('async def main():\n    return 1', { limits: { timeoutMs: 301_000 } })), (e: unknown) => e instanceof SwitchboardError && e.code === 'SWB_VALIDATION_FAILED' && /timeoutMs/.test(e.message));
    assert.throws(() => createSandbox({ limits: { memoryMb: 1 } }), /memoryMb/);
  });

  test('an aborted signal cancels a running call', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const r = await sandbox.run(job('async def main():\n    while True:\n        pass'), controller.signal);
    assert.equal(!r.ok && r.error.kind, 'cancelled');
  });
});

describe('sandbox: analysis (validate-code and the schema of main)', () => {
  test('the schema table: hints, Optional, unions, list[str], dict[str, int], Literal, defaults, docstring', async () => {
    const code = [
      'from typing import Optional, Union, Literal, List, Dict, Any',
      'async def main(name: str, count: int, ratio: float, flag: bool, tags: list[str], weights: dict[str, int],',
      '               maybe: Optional[str], either: Union[int, str], mode: Literal["fast", "slow"], legacy: List[int],',
      '               mapping: Dict[str, Any], pipe: int | None = None, limit: int = 10, label: str = "x", extra=None, *, kw: bool = False):',
      '    """Look things up.',
      '',
      '    Longer explanation.',
      '',
      '    Args:',
      '        name: The name to find.',
      '        count (int): How many results,',
      '            at most 50.',
      '    Returns:',
      '        A dict.',
      '    """',
      '    return {}',
    ].join('\n');
    const a = await sandbox.analyze(code, { allowedModules: [...DEFAULT_ALLOWED_MODULES] });
    assert.ok(a.valid, JSON.stringify(a.errors));
    assert.equal(a.description, 'Look things up.\n\nLonger explanation.');
    const props = (a.inputSchema as { properties: Record<string, unknown> }).properties;
    assert.deepEqual(props, {
      name: { type: 'string', description: 'The name to find.' },
      count: { type: 'integer', description: 'How many results, at most 50.' },
      ratio: { type: 'number' },
      flag: { type: 'boolean' },
      tags: { type: 'array', items: { type: 'string' } },
      weights: { type: 'object', additionalProperties: { type: 'integer' } },
      maybe: { type: ['string', 'null'] },
      either: { type: ['integer', 'string'] },
      mode: { type: 'string', enum: ['fast', 'slow'] },
      legacy: { type: 'array', items: { type: 'integer' } },
      mapping: { type: 'object' },
      pipe: { type: ['integer', 'null'], default: null },
      limit: { type: 'integer', default: 10 },
      label: { type: 'string', default: 'x' },
      extra: { default: null },
      kw: { type: 'boolean', default: false },
    });
    assert.deepEqual((a.inputSchema as { required: string[] }).required, ['name', 'count', 'ratio', 'flag', 'tags', 'weights', 'maybe', 'either', 'mode', 'legacy', 'mapping']);
    assert.equal((a.inputSchema as { additionalProperties: boolean }).additionalProperties, false);
  });

  test('NumPy and reST docstrings give per-parameter text too', async () => {
    const [numpy, rest] = await Promise.all([
      sandbox.analyze('async def main(q: str, n: int = 1):\n    """Search.\n\n    Parameters\n    ----------\n    q : str\n        The query.\n    n : int\n        Page size.\n    """\n    return q'),
      sandbox.analyze('async def main(q: str):\n    """Search.\n\n    :param q: The query\n        text.\n    """\n    return q'),
    ]);
    const p = (a: typeof numpy) => (a.inputSchema as { properties: Record<string, { description?: string }> }).properties;
    assert.equal(numpy.description, 'Search.');
    assert.equal(p(numpy).q?.description, 'The query.');
    assert.equal(p(numpy).n?.description, 'Page size.');
    assert.equal(rest.description, 'Search.');
    assert.equal(p(rest).q?.description, 'The query text.');
  });

  test('validate reports syntax, contract, imports and introspection with lines', async () => {
    const [syntax, contract, imports, sync] = await Promise.all([
      sandbox.analyze('async def main(:\n    pass'),
      sandbox.analyze('def helper():\n    return 1'),
      sandbox.analyze('import os\nimport requests\nimport json\nasync def main():\n    """Doc."""\n    return ().__class__.__subclasses__()', { allowedModules: ['json'] }),
      sandbox.analyze('def main():\n    """Doc."""\n    return 1'),
    ]);
    assert.deepEqual([syntax.valid, syntax.errors[0]?.kind, syntax.errors[0]?.line], [false, 'syntax', 1]);
    assert.deepEqual([contract.valid, contract.errors[0]?.kind], [false, 'contract']);
    assert.equal(imports.valid, false);
    assert.deepEqual(imports.imports, ['os', 'requests', 'json']);
    assert.deepEqual(imports.errors.map((e) => [e.kind, e.line]), [['forbidden_import', 1], ['forbidden_import', 2], ['forbidden', 6], ['forbidden', 6]]);
    assert.match(imports.errors[0]!.message, /always forbidden/);
    assert.match(imports.errors[1]!.message, /not in this deployment's module whitelist/);
    assert.equal(sync.valid, true);
    assert.match(sync.warnings[0]!.message, /async def/);
  });

  test('oversized code is refused before any process starts', async () => {
    const a = await sandbox.analyze('x' .repeat(2000), { maxCodeBytes: 1024 });
    assert.deepEqual([a.valid, a.errors[0]?.kind], [false, 'size']);
  });
});
