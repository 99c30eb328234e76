/**
 * Sensitive data in tool calls (settings `sensitive_data`): a real gateway in front of real upstreams
 * (server-everything's echo sends its argument back, so one call exercises arguments and results;
 * server-memory shows a blocked call never reached the upstream). Every mode, every exposure face
 * (/mcp, /mcp/search call_tool, /mcp/p/<profile>, REST invoke), bad settings input, and the secret
 * never reaching the activity log or the data directory.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { BOOTSTRAP, expectError, filesContaining, startAdminGateway, type AdminGateway } from './admin-harness.js';
import { config, everything, memory, tempDir, textOf } from './harness.js';

/** A connection string with a password: not a shape the activity log's own redaction knows. */
const SECRET = 'postgres://app:S3cr3tPassw0rdXYZ@db.internal.example:5432/prod';
const MASK = '[REDACTED:connection-string]';
/** A card number (Luhn-valid), used where nothing is scanned. */
const CARD = '4242 4242 4242 4242';

let gw: AdminGateway;
let mcp: Client;
const clients: Client[] = [];

async function connect(path: string): Promise<Client> {
  const c = new Client({ name: 'sensitive-data-test', version: '1.0.0' });
  await c.connect(new StreamableHTTPClientTransport(new URL(`${gw.url}${path}`), { requestInit: { headers: { authorization: `Bearer ${BOOTSTRAP}` } } }));
  clients.push(c);
  return c;
}

async function policy(args: string, results: string): Promise<void> {
  const r = await gw.api('PATCH', '/api/settings', { sensitive_data: { arguments: args, results } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.settings.sensitive_data, { arguments: args, results });
}

const echo = (c: Client, message: string) => c.callTool({ name: 'everything__echo', arguments: { message } });

/** The newest tool_call record for everything/echo, with its detail (arguments, result, reason). */
async function lastEcho(): Promise<any> {
  await gw.activity.flush?.();
  const page = await gw.api('GET', '/api/activity/logs?type=tool_call&tool=echo&page_size=1');
  assert.equal(page.status, 200, page.text);
  return (await gw.api('GET', `/api/activity/logs/${page.body.items[0].id}`)).body;
}

/** trust.sensitive_data events recorded so far, newest first, with their details. */
async function trustEvents(): Promise<any[]> {
  await gw.activity.flush?.();
  const page = await gw.api('GET', '/api/activity/logs?type=admin_change&page_size=200');
  const mine = page.body.items.filter((i: any) => i.method === 'trust.sensitive_data');
  return Promise.all(mine.map(async (i: any) => (await gw.api('GET', `/api/activity/logs/${i.id}`)).body));
}

before(async () => {
  const dir = tempDir('sb-sensitive-');
  gw = await startAdminGateway(config([everything(), memory('memory', join(dir, 'memory.jsonl'))], { allowUnauthenticatedLoopback: false }));
  const p = await gw.api('POST', '/api/profiles', { name: 'echoes', tools: [{ match: 'everything/echo', name: 'say' }] });
  assert.equal(p.status, 201, p.text);
  mcp = await connect('/mcp');
});
after(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await gw?.stop();
});

describe('sensitive_data setting', () => {
  test('defaults to detect for arguments and results; a partial change keeps the other field', async () => {
    assert.deepEqual((await gw.api('GET', '/api/settings')).body.settings.sensitive_data, { arguments: 'detect', results: 'detect' });
    assert.deepEqual((await gw.api('GET', '/api/settings/security-policy')).body.sensitive_data, { arguments: 'detect', results: 'detect' });
    const r = await gw.api('PATCH', '/api/settings', { sensitive_data: { results: 'redact' } });
    assert.deepEqual(r.body.settings.sensitive_data, { arguments: 'detect', results: 'redact' });
    const reset = await gw.api('PATCH', '/api/settings/security-policy', { sensitive_data: null });
    assert.deepEqual(reset.body.sensitive_data, { arguments: 'detect', results: 'detect' });
  });

  test('bad values are refused with SWB_SETTINGS_INVALID naming the field, and change nothing', async () => {
    const before = (await gw.api('GET', '/api/settings')).body;
    for (const [body, path] of [
      [{ sensitive_data: { arguments: 'maybe' } }, 'sensitive_data.arguments'],
      [{ sensitive_data: { results: true } }, 'sensitive_data.results'],
      [{ sensitive_data: { argumnts: 'block' } }, 'sensitive_data.argumnts'],
      [{ sensitive_data: 'block' }, 'sensitive_data'],
      [{ sensitive_data: ['block'] }, 'sensitive_data'],
    ] as [unknown, string][]) {
      const r = await gw.api('PATCH', '/api/settings', body);
      expectError(r, 422, 'SWB_SETTINGS_INVALID');
      assert.ok(r.body.error.details.issues.some((i: { path: string }) => i.path === path), `${JSON.stringify(body)}: ${r.text}`);
    }
    expectError(await gw.api('PATCH', '/api/settings/security-policy', { sensitive_data: { arguments: 'BLOCK' } }), 422, 'SWB_SETTINGS_INVALID');
    assert.deepEqual((await gw.api('GET', '/api/settings')).body, before);
  });
});

describe('tools/call through the gateway', () => {
  test('detect: the call goes through unchanged; findings are recorded masked; the log keeps redacted copies', async () => {
    await policy('detect', 'detect');
    const eventsBefore = (await trustEvents()).length;
    assert.equal(textOf(await echo(mcp, `connect with ${SECRET}`)), `Echo: connect with ${SECRET}`);
    const rec = await lastEcho();
    assert.equal(rec.status, 'ok');
    assert.deepEqual(rec.arguments, { message: `connect with ${MASK}` });
    assert.ok(!JSON.stringify(rec.result).includes(SECRET) && JSON.stringify(rec.result).includes(MASK), JSON.stringify(rec.result));
    assert.match(rec.reason, /^sensitive data \(arguments: detect, result: detect\): connection-string at arguments\.message \(post…\(\d+ chars\)\); connection-string at result\.content\[0\]\.text/);
    const events = await trustEvents();
    assert.equal(events.length, eventsBefore + 2, 'one trust event per side');
    const [res, args] = events;
    assert.equal(args.target, 'everything/echo');
    assert.equal(args.caller.name, 'sensitive-data');
    assert.deepEqual(args.after.findings, [{ rule: 'sensitive-data.connection-string', kind: 'connection-string', where: 'arguments', path: 'arguments.message', evidence: args.after.findings[0].evidence }]);
    assert.match(args.after.findings[0].evidence, /^post…\(\d+ chars\)$/);
    assert.equal(args.after.mode, 'detect');
    assert.equal(res.after.findings[0].path, 'result.content[0].text');
  });

  test('a clean call records no finding and no reason', async () => {
    const eventsBefore = (await trustEvents()).length;
    assert.equal(textOf(await echo(mcp, 'nothing to see')), 'Echo: nothing to see');
    const rec = await lastEcho();
    assert.equal(rec.reason, null);
    assert.deepEqual(rec.arguments, { message: 'nothing to see' });
    assert.equal((await trustEvents()).length, eventsBefore);
  });

  test('redact arguments: the upstream receives the placeholder (echo shows what it got)', async () => {
    await policy('redact', 'off');
    assert.equal(textOf(await echo(mcp, `key ${SECRET} end`)), `Echo: key ${MASK} end`);
    const rec = await lastEcho();
    assert.deepEqual(rec.arguments, { message: `key ${MASK} end` });
    assert.match(rec.reason, /arguments: redact/);
  });

  test('redact results: the upstream receives the value, the client gets the placeholder', async () => {
    await policy('detect', 'redact');
    const r = await echo(mcp, `key ${SECRET} end`);
    assert.equal(textOf(r), `Echo: key ${MASK} end`);
    assert.notEqual(r.isError, true);
    const rec = await lastEcho();
    assert.match(rec.reason, /^sensitive data \(arguments: detect, result: redact\)/);
  });

  test('block arguments: refused before the upstream on every face, with SWB_TRUST_SENSITIVE_DATA', async () => {
    await policy('block', 'off');
    // /mcp: a tool error result (as MCP reports tool failures); the upstream never saw it.
    const r = await mcp.callTool({ name: 'memory__create_entities', arguments: { entities: [{ name: 'leak', entityType: 'x', observations: [SECRET] }] } });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /^SWB_TRUST_SENSITIVE_DATA: .*connection-string/);
    assert.ok(!textOf(r).includes(SECRET));
    const graph = textOf(await mcp.callTool({ name: 'memory__read_graph', arguments: {} }));
    assert.ok(!graph.includes('leak'), graph);
    await gw.activity.flush?.();
    const denied = (await gw.api('GET', '/api/activity/logs?type=tool_call&tool=create_entities&page_size=1')).body.items[0];
    assert.equal(denied.status, 'denied');
    assert.equal(denied.error_code, 'SWB_TRUST_SENSITIVE_DATA');
    assert.match(denied.reason, /arguments: block/);
    // /mcp/search call_tool
    const search = await connect('/mcp/search');
    const s = await search.callTool({ name: 'call_tool', arguments: { name: 'everything__echo', arguments: { message: SECRET } } });
    assert.equal(s.isError, true);
    assert.match(textOf(s), /SWB_TRUST_SENSITIVE_DATA/);
    // /mcp/p/<profile>
    const profile = await connect('/mcp/p/echoes');
    const pr = await profile.callTool({ name: 'say', arguments: { message: SECRET } });
    assert.equal(pr.isError, true);
    assert.match(textOf(pr), /SWB_TRUST_SENSITIVE_DATA/);
    // REST invoke: the error envelope, 403
    const rest = await gw.api('POST', '/api/servers/everything/invoke', { tool_name: 'echo', arguments: { message: SECRET } });
    expectError(rest, 403, 'SWB_TRUST_SENSITIVE_DATA');
    assert.deepEqual(rest.body.error.details.kinds, ['connection-string']);
    assert.equal(rest.body.error.details.where, 'arguments');
    assert.ok(!rest.text.includes(SECRET));
    // A clean call still goes through.
    assert.equal(textOf(await profile.callTool({ name: 'say', arguments: { message: 'fine' } })), 'Echo: fine');
  });

  test('block results: the result is withheld on every face', async () => {
    await policy('detect', 'block');
    const r = await echo(mcp, SECRET);
    assert.equal(r.isError, true);
    assert.match(textOf(r), /^SWB_TRUST_SENSITIVE_DATA: The result of everything__echo was withheld/);
    assert.ok(!JSON.stringify(r).includes(SECRET));
    const rec = await lastEcho();
    assert.equal(rec.status, 'denied');
    assert.ok(JSON.stringify(rec.result).includes(MASK), 'the log shows what was withheld, redacted');
    const rest = await gw.api('POST', '/api/servers/everything/invoke', { tool_name: 'echo', arguments: { message: SECRET } });
    expectError(rest, 403, 'SWB_TRUST_SENSITIVE_DATA');
    assert.equal(rest.body.error.details.where, 'result');
    const search = await connect('/mcp/search');
    assert.equal((await search.callTool({ name: 'call_tool', arguments: { name: 'everything__echo', arguments: { message: SECRET } } })).isError, true);
  });

  test('redact on the REST invoke face', async () => {
    await policy('redact', 'redact');
    const rest = await gw.api('POST', '/api/servers/everything/invoke', { tool_name: 'echo', arguments: { message: `a ${SECRET} b` } });
    assert.equal(rest.status, 200, rest.text);
    assert.ok(rest.text.includes(MASK) && !rest.text.includes(SECRET), rest.text);
  });

  test('off: nothing is scanned or recorded', async () => {
    await policy('off', 'off');
    const eventsBefore = (await trustEvents()).length;
    assert.equal(textOf(await echo(mcp, `card ${CARD}`)), `Echo: card ${CARD}`);
    const rec = await lastEcho();
    assert.equal(rec.reason, null);
    assert.deepEqual(rec.arguments, { message: `card ${CARD}` });
    assert.equal((await trustEvents()).length, eventsBefore);
  });

  test('the secret value never reached the activity log, its export or the data directory', async () => {
    await gw.activity.flush?.();
    const exported = await gw.api('GET', '/api/activity/export?format=jsonl');
    assert.equal(exported.status, 200);
    assert.ok(exported.text.includes(MASK));
    assert.ok(!exported.text.includes(SECRET), 'activity export');
    assert.ok(!exported.text.includes('S3cr3tPassw0rdXYZ'), 'not even the password alone');
    assert.deepEqual(filesContaining(gw.dataDir, 'S3cr3tPassw0rdXYZ'), []);
  });
});
