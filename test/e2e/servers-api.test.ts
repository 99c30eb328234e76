/**
 * The servers and system REST routes against a running gateway with real upstreams: CRUD, admin state,
 * quarantine, disabled tools on /mcp, test connectivity, invoke, bulk operations, and for every route
 * the answers without credentials (401), with too few scopes (403), for an unknown server (404) and
 * for bad input (400/422).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { fullAccess } from '../../src/shared/index.js';
import { config, connectClient, everything, ROOT, startGateway, tempDir, waitFor, type Gateway } from './harness.js';

const KEY = 'e2e-servers-bootstrap-key';
const memoryPkg = join(ROOT, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');
const memoryDef = (file: string) => ({ command: process.execPath, args: [memoryPkg], env: { MEMORY_FILE_PATH: file } });

type Who = 'none' | 'reader' | 'writer' | 'admin';

describe('servers and system API', () => {
  let gw: Gateway;
  let client: Client;
  const keys: Record<Who, Record<string, string>> = { none: {}, reader: {}, writer: {}, admin: { authorization: `Bearer ${KEY}` } };
  const dir = tempDir('sb-servers-');

  async function call(who: Who, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${gw.url}${path}`, {
      method,
      headers: { ...keys[who], ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
  async function ok(who: Who, method: string, path: string, body?: unknown, status = 200): Promise<any> {
    const r = await call(who, method, path, body);
    assert.equal(r.status, status, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
  const server = (name: string) => ok('admin', 'GET', `/api/servers/${name}`);
  const mcpTools = async () => (await client.listTools()).tools.map((t) => t.name);
  const until = (name: string, pred: (s: any) => boolean, what: string) => waitFor(async () => pred(await server(name)), 20_000, what);

  before(async () => {
    gw = await startGateway(config([everything()], { allowUnauthenticatedLoopback: false }), { env: { SWITCHBOARD_API_KEY: KEY } });
    const root = fullAccess('local', 'test', 'test');
    keys.reader = { 'x-api-key': (await gw.admin.keys.create(root, { name: 'reader', scopes: ['read'] })).secret };
    keys.writer = { 'x-api-key': (await gw.admin.keys.create(root, { name: 'writer', scopes: ['read', 'write', 'execute'] })).secret };
    client = await connectClient(gw.url, { headers: keys.admin });
  });
  after(async () => {
    await client?.close();
    await gw?.stop();
  });

  test('every route answers 401 without credentials and 403 without the scope', async () => {
    const routes: [string, string, Who, unknown?][] = [
      ['GET', '/api/servers', 'reader'],
      ['POST', '/api/servers', 'writer', { name: 'x', command: 'node' }],
      ['GET', '/api/servers/everything', 'reader'],
      ['PUT', '/api/servers/everything', 'writer', { command: 'node' }],
      ['PATCH', '/api/servers/everything', 'writer', { enabled: true }],
      ['DELETE', '/api/servers/everything', 'writer'],
      ['POST', '/api/servers/everything/enable', 'writer'],
      ['POST', '/api/servers/everything/disable', 'writer'],
      ['POST', '/api/servers/everything/start', 'writer'],
      ['POST', '/api/servers/everything/stop', 'writer'],
      ['POST', '/api/servers/everything/restart', 'writer'],
      ['POST', '/api/servers/everything/quarantine', 'admin', {}],
      ['POST', '/api/servers/everything/approve', 'admin'],
      ['GET', '/api/servers/everything/status', 'reader'],
      ['GET', '/api/servers/everything/logs', 'reader'],
      ['GET', '/api/servers/everything/tools', 'reader'],
      ['PUT', '/api/servers/everything/tools/disabled', 'writer', { disabled_tools: [] }],
      ['POST', '/api/servers/everything/test', 'writer', {}],
      ['POST', '/api/servers/everything/invoke', 'writer', { tool_name: 'echo' }],
      ['GET', '/api/servers/everything/allowed-hosts', 'reader'],
      ['PUT', '/api/servers/everything/allowed-hosts', 'writer', { allowed_hosts: [] }],
      ['POST', '/api/servers/everything/allowed-hosts', 'writer', { host: 'x.io' }],
      ['DELETE', '/api/servers/everything/allowed-hosts?host=x.io', 'writer'],
      ['POST', '/api/servers/enable_all', 'admin'],
      ['POST', '/api/servers/disable_all', 'admin'],
      ['POST', '/api/servers/restart_all', 'admin'],
      ['POST', '/api/servers/reconnect', 'admin'],
      ['GET', '/api/v1/status', 'reader'],
      ['GET', '/api/info', 'reader'],
      ['GET', '/api/diagnostics', 'reader'],
      ['GET', '/api/doctor', 'reader'],
      ['GET', '/api/sessions', 'reader'],
      ['GET', '/api/dashboard', 'reader'],
      ['GET', '/health/detail', 'reader'],
      ['GET', '/health/services', 'reader'],
    ];
    const weaker: Record<Who, Who | undefined> = { none: undefined, reader: undefined, writer: 'reader', admin: 'writer' };
    for (const [method, path, needs, body] of routes) {
      const anon = await call('none', method, path, body);
      assert.equal(anon.status, 401, `${method} ${path} without credentials`);
      assert.equal(anon.body.error.code, 'SWB_AUTH_REQUIRED');
      const lesser = weaker[needs];
      if (!lesser) continue;
      const denied = await call(lesser, method, path, body);
      assert.equal(denied.status, 403, `${method} ${path} as ${lesser}: ${JSON.stringify(denied.body)}`);
      assert.equal(denied.body.error.code, 'SWB_AUTH_FORBIDDEN');
    }
  });

  test('an unknown server is 404 on every per-server route', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', ''],
      ['PUT', '', { command: 'node' }],
      ['PATCH', '', { enabled: false }],
      ['DELETE', ''],
      ['POST', '/enable'],
      ['POST', '/disable'],
      ['POST', '/start'],
      ['POST', '/stop'],
      ['POST', '/restart'],
      ['POST', '/quarantine', {}],
      ['POST', '/approve'],
      ['GET', '/status'],
      ['GET', '/logs'],
      ['GET', '/tools'],
      ['PUT', '/tools/disabled', { disabled_tools: ['a'] }],
      ['POST', '/test', {}],
      ['POST', '/invoke', { tool_name: 'echo' }],
      ['GET', '/allowed-hosts'],
      ['PUT', '/allowed-hosts', { allowed_hosts: ['x.io'] }],
      ['POST', '/allowed-hosts', { host: 'x.io' }],
      ['DELETE', '/allowed-hosts?host=x.io'],
    ];
    for (const [method, suffix, body] of routes) {
      const r = await call('admin', method, `/api/servers/nope${suffix}`, body);
      assert.equal(r.status, 404, `${method} /api/servers/nope${suffix}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, 'SWB_SERVER_NOT_FOUND');
    }
  });

  test('bad input is 400 (shape) or 422 (values) in the one envelope', async () => {
    const cases: [string, string, unknown, number][] = [
      ['POST', '/api/servers', { name: 'bad name', command: 'node' }, 400],
      ['POST', '/api/servers', { name: 'x', command: 'node', bogus: 1 }, 400],
      ['POST', '/api/servers', { name: 'x', command: 'node', url: 'http://127.0.0.1:1/mcp' }, 422],
      ['POST', '/api/servers', { name: 'x' }, 422],
      ['POST', '/api/servers', { name: 'x', url: 'ftp://example.com' }, 422],
      ['POST', '/api/servers', { name: 'x', command: 'node', env: { T: '${env:SURELY_NOT_SET_42}' } }, 422],
      ['GET', '/api/servers?page=0', undefined, 400],
      ['GET', '/api/servers?admin_state=sleepy', undefined, 400],
      ['PATCH', '/api/servers/everything', { enabled: 'yes' }, 400],
      ['POST', '/api/servers/everything/quarantine', { quarantined: 'no' }, 400],
      ['GET', '/api/servers/everything/logs?lines=0', undefined, 400],
      ['PUT', '/api/servers/everything/tools/disabled', { disabled_tools: 'echo' }, 400],
      ['POST', '/api/servers/everything/test', { timeout_ms: 5 }, 400],
      ['POST', '/api/servers/everything/invoke', { arguments: {} }, 400],
      ['PUT', '/api/servers/everything/allowed-hosts', { allowed_hosts: ['http://x.io/path'] }, 422],
      ['POST', '/api/servers/everything/allowed-hosts', { host: 'x.io:99999' }, 422],
      ['GET', '/api/sessions?page_size=100000', undefined, 400],
      ['POST', '/api/servers', { name: 'x', url: 'http://127.0.0.1:1/mcp', session_scope: 'per-user' }, 400],
      ['POST', '/api/servers', { name: 'x', command: 'node', session_scope: 'caller' }, 422],
    ];
    for (const [method, path, body, status] of cases) {
      const r = await call('admin', method, path, body);
      assert.equal(r.status, status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
      assert.match(r.body.error.code, status === 400 ? /^SWB_HTTP_BAD_REQUEST$/ : /^SWB_VALIDATION_FAILED$/);
    }
  });

  test('config-file servers are listed with live state; they cannot be edited or deleted, only disabled or quarantined', async () => {
    const list = await ok('reader', 'GET', '/api/servers');
    assert.equal(list.total, 1);
    assert.equal(list.items[0].name, 'everything');
    assert.equal(list.items[0].source, 'config');
    assert.equal(list.items[0].state, 'ready');
    assert.equal(list.items[0].health.level, 'healthy');
    for (const [method, body] of [['PUT', { command: 'node' }], ['PATCH', { args: ['x'] }], ['DELETE', undefined]] as const) {
      const r = await call('admin', method, '/api/servers/everything', body);
      assert.equal(r.status, 409, method);
      assert.equal(r.body.error.code, 'SWB_SERVER_IN_CONFIG');
      assert.match(r.body.error.hint, /config file/);
    }
    const dup = await call('admin', 'POST', '/api/servers', { name: 'everything', command: 'node' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'SWB_STATE_CONFLICT');
  });

  test('a server added through the API comes up and its tools appear on /mcp; update, then delete it', async () => {
    const created = await ok('admin', 'POST', '/api/servers', { name: 'mem', ...memoryDef(join(dir, 'mem.jsonl')), description: 'memory' }, 201);
    assert.equal(created.source, 'api');
    assert.equal(created.quarantined, false);
    assert.deepEqual(created.env, { MEMORY_FILE_PATH: '********' }, 'literal env values are masked');
    await until('mem', (s) => s.state === 'ready', 'mem ready');
    await waitFor(async () => (await mcpTools()).includes('mem__read_graph'), 10_000, 'mem tools on /mcp');
    const again = await call('admin', 'POST', '/api/servers', { name: 'mem', command: 'node' });
    assert.equal(again.status, 409);
    // Send the masked value back: the stored one is kept; the alias changes the tool prefix.
    const put = await ok('admin', 'PUT', '/api/servers/mem', { ...memoryDef('x'), env: { MEMORY_FILE_PATH: '********' }, alias: 'notes' });
    assert.equal(put.alias, 'notes');
    await waitFor(async () => (await mcpTools()).includes('notes__read_graph'), 15_000, 'renamed tools');
    const patched = await ok('writer', 'PATCH', '/api/servers/mem', { alias: null, description: 'changed' });
    assert.equal(patched.description, 'changed');
    assert.equal(patched.quarantined, true, 'a definition change by a non-admin sends the server back to quarantine');
    assert.equal(patched.quarantine.reason, 'definition changed by a non-admin');
    await waitFor(async () => !(await mcpTools()).some((t) => t.startsWith('notes__') || t.startsWith('mem__')), 10_000, 'tools gone');
    assert.deepEqual(await ok('writer', 'DELETE', '/api/servers/mem'), { deleted: 'mem' });
    assert.equal((await call('admin', 'GET', '/api/servers/mem')).status, 404);
  });

  test('session_scope: remote servers default to caller, can be set to shared, and stdio servers have none', async () => {
    const created = await ok('admin', 'POST', '/api/servers', { name: 'remote1', url: 'http://127.0.0.1:1/mcp', enabled: false }, 201);
    assert.equal(created.session_scope, 'caller');
    const shared = await ok('admin', 'PATCH', '/api/servers/remote1', { session_scope: 'shared' });
    assert.equal(shared.session_scope, 'shared');
    assert.equal((await ok('admin', 'PATCH', '/api/servers/remote1', { session_scope: null })).session_scope, 'caller');
    // Switching to a local command drops the remote-only setting instead of failing on it.
    const local = await ok('admin', 'PATCH', '/api/servers/remote1', { session_scope: 'shared' }).then(() => ok('admin', 'PATCH', '/api/servers/remote1', { command: 'node' }));
    assert.equal(local.session_scope, null);
    assert.deepEqual(await ok('admin', 'DELETE', '/api/servers/remote1'), { deleted: 'remote1' });
  });

  test('a server added by a non-admin is quarantined: not started, not listed, not testable by them, until an admin approves', async () => {
    const created = await ok('writer', 'POST', '/api/servers', { name: 'pending', ...memoryDef(join(dir, 'p.jsonl')) }, 201);
    assert.equal(created.quarantined, true);
    assert.equal(created.health.admin_state, 'quarantined');
    assert.equal(created.quarantine.by, 'writer');
    const dash = await ok('reader', 'GET', '/api/dashboard');
    assert.equal(dash.approvals.pending, 1);
    assert.equal((await ok('reader', 'GET', '/api/servers?admin_state=quarantined')).items[0].name, 'pending');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await server('pending')).state, 'stopped');
    assert.ok(!(await mcpTools()).some((t) => t.startsWith('pending__')));
    assert.equal((await call('writer', 'POST', '/api/servers/pending/test', {})).status, 403);
    assert.equal((await call('writer', 'POST', '/api/servers/pending/start')).body.error.code, 'SWB_SERVER_QUARANTINED');
    assert.equal((await call('writer', 'POST', '/api/servers/pending/approve')).status, 403);
    const approved = await ok('admin', 'POST', '/api/servers/pending/approve');
    assert.equal(approved.quarantined, false);
    assert.equal(approved.approved.by, 'bootstrap key');
    await waitFor(async () => (await mcpTools()).includes('pending__read_graph'), 20_000, 'approved tools on /mcp');
    const q = await ok('admin', 'POST', '/api/servers/pending/quarantine', { reason: 'suspicious' });
    assert.equal(q.quarantine.reason, 'suspicious');
    await waitFor(async () => !(await mcpTools()).includes('pending__read_graph'), 10_000, 'quarantined tools gone');
    const lifted = await ok('admin', 'POST', '/api/servers/pending/quarantine', { quarantined: false });
    assert.equal(lifted.quarantined, false);
    await ok('admin', 'DELETE', '/api/servers/pending');
  });

  test('disabled tools disappear from /mcp tools/list for everyone and are refused', async () => {
    const before = await ok('reader', 'GET', '/api/servers/everything/tools');
    assert.ok(before.tools.length > 5);
    const echo = before.tools.find((t: any) => t.name === 'echo');
    assert.equal(echo.disabled, false);
    assert.equal(echo.exposed_name, 'everything__echo');
    const after = await ok('writer', 'PUT', '/api/servers/everything/tools/disabled', { disabled_tools: ['echo'] });
    assert.deepEqual(after.disabled_tools, ['echo']);
    assert.equal(after.tools.find((t: any) => t.name === 'echo').disabled, true);
    assert.ok(!(await mcpTools()).includes('everything__echo'));
    assert.ok((await mcpTools()).includes('everything__get-sum'));
    const refused = await client.callTool({ name: 'everything__echo', arguments: { message: 'x' } }).then(
      (r) => r,
      (e: Error) => e,
    );
    assert.ok(refused instanceof Error ? /echo/.test(refused.message) : refused.isError === true, 'calling a disabled tool fails');
    const invoke = await call('writer', 'POST', '/api/servers/everything/invoke', { tool_name: 'echo', arguments: { message: 'x' } });
    assert.equal(invoke.status, 404);
    assert.equal(invoke.body.error.code, 'SWB_TOOL_NOT_FOUND');
    await ok('writer', 'PUT', '/api/servers/everything/tools/disabled', { disabled_tools: [] });
    assert.ok((await mcpTools()).includes('everything__echo'));
  });

  test('invoke calls a tool through the gateway and reports elapsed_ms', async () => {
    const r = await ok('writer', 'POST', '/api/servers/everything/invoke', { tool_name: 'echo', arguments: { message: 'hello there' } });
    assert.equal(r.status, 'ok');
    assert.equal(r.exposed_name, 'everything__echo');
    assert.ok(Number.isInteger(r.elapsed_ms));
    assert.match(JSON.stringify(r.result.content), /hello there/);
    const unknown = await call('writer', 'POST', '/api/servers/everything/invoke', { tool_name: 'no-such-tool' });
    assert.equal(unknown.status, 404);
  });

  test('test connectivity against the real upstream and a broken one', async () => {
    const good = await ok('writer', 'POST', '/api/servers/everything/test', {});
    assert.equal(good.connected, true);
    assert.equal(good.status, 'ok');
    assert.ok(good.tools_count > 5 && good.tools.length === good.tools_count);
    assert.ok(good.elapsed_ms >= 0);
    await ok('admin', 'POST', '/api/servers', { name: 'broken', command: '/no/such/binary-sb', enabled: false }, 201);
    const bad = await ok('admin', 'POST', '/api/servers/broken/test', {});
    assert.equal(bad.connected, false);
    assert.equal(bad.status, 'error');
    assert.match(bad.error, /ENOENT|no such|not found/i);
    const disabledStart = await call('writer', 'POST', '/api/servers/broken/start');
    assert.equal(disabledStart.body.error.code, 'SWB_SERVER_DISABLED');
    await ok('admin', 'DELETE', '/api/servers/broken');
  });

  test('enable, disable, stop, start, restart, status and logs', async () => {
    const disabled = await ok('writer', 'POST', '/api/servers/everything/disable');
    assert.equal(disabled.enabled, false);
    await until('everything', (s) => s.state === 'disabled', 'disabled');
    assert.ok(!(await mcpTools()).some((t) => t.startsWith('everything__')));
    await ok('writer', 'POST', '/api/servers/everything/enable');
    await until('everything', (s) => s.state === 'ready', 'ready again');
    await ok('writer', 'POST', '/api/servers/everything/stop');
    assert.equal((await server('everything')).state, 'stopped');
    await ok('writer', 'POST', '/api/servers/everything/start');
    await until('everything', (s) => s.state === 'ready', 'started');
    const pid = (await server('everything')).pid;
    await ok('writer', 'POST', '/api/servers/everything/restart');
    await until('everything', (s) => s.state === 'ready' && s.pid !== pid, 'restarted');
    const status = await ok('reader', 'GET', '/api/servers/everything/status');
    assert.equal(status.connected, true);
    assert.ok(status.protocol_version);
    assert.ok(status.server_info);
    const logs = await ok('reader', 'GET', '/api/servers/everything/logs?lines=20');
    assert.ok(logs.events.some((e: any) => e.state === 'ready') && logs.events.some((e: any) => e.state === 'disabled'));
    assert.ok(Array.isArray(logs.lines));
  });

  test('allowed hosts: replace, add, remove, read', async () => {
    assert.deepEqual((await ok('writer', 'PUT', '/api/servers/everything/allowed-hosts', { allowed_hosts: ['API.github.com', 'x.io:8443'] })).allowed_hosts, ['api.github.com', 'x.io:8443']);
    assert.deepEqual((await ok('writer', 'POST', '/api/servers/everything/allowed-hosts', { host: '*.example.org' })).allowed_hosts, ['api.github.com', 'x.io:8443', '*.example.org']);
    assert.deepEqual((await ok('writer', 'DELETE', '/api/servers/everything/allowed-hosts?host=X.io:8443')).allowed_hosts, ['api.github.com', '*.example.org']);
    assert.deepEqual((await ok('reader', 'GET', '/api/servers/everything/allowed-hosts')).allowed_hosts, ['api.github.com', '*.example.org']);
  });

  test('bulk operations: restart_all, reconnect, disable_all, enable_all', async () => {
    await ok('admin', 'POST', '/api/servers', { name: 'mem2', ...memoryDef(join(dir, 'm2.jsonl')) }, 201);
    await until('mem2', (s) => s.state === 'ready', 'mem2 ready');
    const pids = [(await server('everything')).pid, (await server('mem2')).pid];
    assert.deepEqual((await ok('admin', 'POST', '/api/servers/restart_all')).servers.sort(), ['everything', 'mem2']);
    await until('mem2', (s) => s.state === 'ready' && s.pid !== pids[1], 'mem2 restarted');
    await until('everything', (s) => s.state === 'ready' && s.pid !== pids[0], 'everything restarted');
    assert.deepEqual((await ok('admin', 'POST', '/api/servers/reconnect')).servers, [], 'nothing to reconnect when all are connected');
    assert.deepEqual((await ok('admin', 'POST', '/api/servers/disable_all')).servers.sort(), ['everything', 'mem2']);
    await waitFor(async () => (await ok('admin', 'GET', '/api/servers')).items.every((s: any) => s.state === 'disabled'), 10_000, 'all disabled');
    assert.deepEqual(await mcpTools(), []);
    assert.deepEqual((await ok('admin', 'POST', '/api/servers/enable_all')).servers.sort(), ['everything', 'mem2']);
    await waitFor(async () => (await ok('admin', 'GET', '/api/servers')).items.every((s: any) => s.state === 'ready'), 20_000, 'all ready');
    await ok('admin', 'DELETE', '/api/servers/mem2');
  });

  test('system reports: status, info, diagnostics, doctor, sessions, dashboard, health', async () => {
    const status = await ok('reader', 'GET', '/api/v1/status');
    assert.equal(status.status, 'running');
    assert.equal(status.servers.total, 1);
    assert.ok(status.tools.total > 5);
    const info = await ok('reader', 'GET', '/api/info');
    assert.equal(info.endpoints.mcp, `${gw.url}/mcp`);
    assert.equal(info.data_dir, gw.store.dataDir);
    const diag = await ok('reader', 'GET', '/api/diagnostics');
    assert.ok(diag.store.migrations.includes('0003_servers'));
    assert.deepEqual(diag.conflicts, []);
    const doctor = await ok('reader', 'GET', '/api/doctor');
    assert.equal(doctor.ok, true, JSON.stringify(doctor));
    // The sandbox's isolation layers follow, one check each (see hosted-tools.test.ts).
    assert.deepEqual(doctor.checks.map((c: any) => c.check).filter((c: string) => !c.startsWith('sandbox ')), ['config', 'data directory', 'server everything']);
    const sessions = await ok('reader', 'GET', '/api/sessions');
    assert.ok(sessions.total >= 1);
    assert.ok(sessions.items.some((s: any) => s.transport));
    const dash = await ok('reader', 'GET', '/api/dashboard');
    assert.equal(dash.servers.by_health.healthy, 1);
    assert.equal(dash.approvals.pending, 0);
    const detail = await ok('reader', 'GET', '/health/detail');
    assert.equal(detail.status, 'ok');
    assert.equal(detail.servers[0].name, 'everything');
    const services = await ok('reader', 'GET', '/health/services');
    assert.equal(services.servers_count, 1);
    assert.ok(services.memory_total_mb > 0 && services.process_rss_mb > 0 && services.cpu_percent >= 0);
    const health = await fetch(`${gw.url}/health`);
    assert.equal(health.status, 200, '/health stays public');
  });

  test('every change is announced on the event bus and recorded as an admin change with before/after', async () => {
    const seen: { type: string; data: any }[] = [];
    const off = gw.events.subscribe((e) => void seen.push({ type: e.type, data: e.data }));
    try {
      await ok('writer', 'POST', '/api/servers/everything/disable');
      await ok('writer', 'POST', '/api/servers/everything/enable');
      await until('everything', (s) => s.state === 'ready', 'ready');
    } finally {
      off();
    }
    const changes = seen.filter((e) => e.type === 'servers.changed' && e.data.action);
    assert.deepEqual(changes.map((e) => e.data.action), ['servers.disable', 'servers.enable']);
    const audit = seen.filter((e) => e.type === 'activity.admin_change').map((e) => e.data);
    const disable = audit.find((a: any) => a.method === 'servers.disable');
    assert.ok(disable, JSON.stringify(audit));
    const parsed = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as { enabled: boolean; name: string };
    assert.equal(parsed(disable.before).enabled, true);
    assert.equal(parsed(disable.after).enabled, false);
    assert.equal(parsed(disable.after).name, 'everything');
  });
});
