/**
 * Activity queries over known records in a real store: filters and paging, stats, JSONL and CSV exports,
 * retention through the settings, SSE heartbeats, scopes, and the OpenAPI entries.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { createActivityService } from '../../src/admin/index.js';
import { registerApi } from '../../src/api/index.js';
import { SwitchboardError, type Principal } from '../../src/shared/index.js';
import type { ActivityEntry } from '../../src/store/index.js';
import { config, startGateway, type Gateway } from './harness.js';

const KEY = 'e2e-activity-queries-key';

describe('activity queries, stats and exports (REST over the real store)', () => {
  let gw: Gateway;
  let app: FastifyInstance;
  const alice: Principal = { kind: 'api_key', id: 'key_alice', name: 'alice', scopes: ['read'] };
  const execOnly: Principal = { kind: 'api_key', id: 'key_exec', name: 'exec', scopes: ['execute'] };
  const get = async (url: string, who: 'alice' | 'exec' | 'none' = 'alice') => app.inject({ method: 'GET', url, headers: who === 'none' ? {} : { 'x-api-key': who } });
  const T0 = Date.parse('2030-01-01T10:00:00.000Z');
  const at = (min: number, sec = 0) => new Date(T0 + min * 60_000 + sec * 1000).toISOString();

  before(async () => {
    gw = await startGateway(config([]), { env: { SWITCHBOARD_API_KEY: KEY } });
    // A second face over the same admin service, with principals the bootstrap key cannot express.
    app = Fastify({ forceCloseConnections: true });
    await registerApi(app, {
      admin: { ...gw.admin, activity: createActivityService(gw.admin.deps, { heartbeatMs: 40 }) },
      authenticate: async (c) => {
        const key = c.headers['x-api-key'];
        if (key === 'alice') return alice;
        if (key === 'exec') return execOnly;
        return new SwitchboardError('SWB_AUTH_REQUIRED', 'Authentication required');
      },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = { caller: { kind: 'api_key', id: 'key_bob', name: 'bob' }, session_id: 'S1', method: 'tools/call', target: null, result_bytes: 10, request_id: null, error_code: null, error_message: null, reason: null };
    const rows: ActivityEntry[] = [];
    // alpha/search: 10 calls at minute 0..4 with durations 10..100, two errors
    for (let i = 0; i < 10; i++) rows.push({ ...base, id: `A${i}`, type: 'tool_call', at: at(Math.floor(i / 2), i), status: i < 2 ? 'error' : 'ok', server: 'alpha', tool: 'search', duration_ms: (i + 1) * 10, arguments: { query: `q${i}`, note: 'a,b "quoted"\nline' }, error_code: i < 2 ? 'SWB_UPSTREAM_FAILED' : null, error_message: i === 3 ? '=HYPERLINK("http://evil")' : null });
    rows.push({ ...base, id: 'B0', type: 'resource_read', at: at(2), status: 'ok', server: 'beta', tool: null, target: 'file:///x', duration_ms: 5, session_id: 'S2', caller: { kind: 'user', id: 'u1', name: 'carol' } });
    rows.push({ ...base, id: 'P0', type: 'policy_decision', at: at(3), status: 'denied', server: 'alpha', tool: 'delete', duration_ms: null, result_bytes: null, reason: 'tool_not_allowed' });
    rows.push({ ...base, id: 'M0', type: 'admin_change', at: at(4), status: 'ok', method: 'servers.create', server: null, tool: null, target: 'gamma', duration_ms: null, result_bytes: null, after: { name: 'gamma' } });
    await gw.store.activity.insert(rows);
  });
  after(async () => {
    await app?.close();
    await gw?.stop();
  });

  test('filters and the paging envelope', async () => {
    const range = `from=${at(0)}&to=${at(10)}`;
    const all = (await get(`/api/activity/logs?${range}`)).json();
    assert.equal(all.total, 13);
    assert.deepEqual(Object.keys(all).sort(), ['items', 'page', 'page_size', 'pages', 'total']);
    const p2 = (await get(`/api/activity/logs?${range}&page=2&page_size=5`)).json();
    assert.deepEqual([p2.page, p2.page_size, p2.pages, p2.items.length], [2, 5, 3, 5]);
    const ids = (q: string) => get(`/api/activity/logs?${range}&${q}`).then((r) => r.json().items.map((i: any) => i.id).sort());
    assert.deepEqual(await ids('type=policy_decision,admin_change'), ['M0', 'P0']);
    assert.deepEqual(await ids('status=error'), ['A0', 'A1']);
    assert.deepEqual(await ids('server=beta'), ['B0']);
    assert.deepEqual(await ids('tool=delete'), ['P0']);
    assert.deepEqual(await ids('caller=carol'), ['B0']);
    assert.deepEqual(await ids('caller=u1'), ['B0']);
    assert.deepEqual(await ids('session=S2'), ['B0']);
    assert.deepEqual(await ids('q=Q7'), ['A7']);
    assert.deepEqual(await ids('q=tool_not_ALLOWED'), ['P0']);
    assert.deepEqual(await ids('q=100%25'), []);
    assert.deepEqual((await get(`/api/activity/logs?from=${at(4)}&to=${at(4, 30)}`)).json().items.map((i: any) => i.id).sort(), ['A8', 'A9', 'M0']);
    // Newest first.
    const order = all.items.map((i: any) => i.at);
    assert.deepEqual(order, [...order].sort().reverse());
  });

  test('bad filter values are 400 in the envelope', async () => {
    for (const q of ['page=0', 'page_size=1000', 'page=x', 'type=bogus', 'status=maybe', 'from=yesterday', `from=${at(5)}&to=${at(1)}`, 'q=' + 'x'.repeat(300)]) {
      const res = await get(`/api/activity/logs?${q}`);
      assert.equal(res.statusCode, 400, q);
      assert.equal(res.json().error.code, 'SWB_HTTP_BAD_REQUEST', q);
    }
    assert.equal((await get('/api/activity/stats?bucket=week')).statusCode, 400);
    assert.equal((await get('/api/activity/export?format=xml')).statusCode, 400);
    assert.equal((await get('/api/activity/recent?limit=0')).statusCode, 400);
    const tooMany = await get(`/api/activity/stats?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z&bucket=minute`);
    assert.equal(tooMany.statusCode, 400);
    assert.equal(tooMany.json().error.code, 'SWB_INVALID_ARGUMENT');
  });

  test('stats: counts, percentiles, per server and tool, and a filled per-minute series', async () => {
    const res = await get(`/api/activity/stats?from=${at(0)}&to=${at(6)}`);
    assert.equal(res.statusCode, 200, res.body);
    const s = res.json();
    assert.equal(s.bucket, 'minute');
    assert.deepEqual([s.totals.calls, s.totals.errors, s.totals.ok, s.totals.denials], [11, 2, 9, 1]);
    assert.equal(s.totals.p50_ms, 50);
    assert.equal(s.totals.p95_ms, 100);
    assert.equal(s.totals.max_ms, 100);
    assert.equal(s.totals.error_rate, 0.182);
    const alpha = s.per_server.find((x: any) => x.server === 'alpha');
    assert.deepEqual([alpha.calls, alpha.errors, alpha.denials, alpha.p50_ms, alpha.p95_ms], [10, 2, 1, 50, 100]);
    const search = s.per_tool.find((x: any) => x.tool === 'search');
    assert.deepEqual([search.server, search.calls, search.avg_ms], ['alpha', 10, 55]);
    assert.equal(s.series.length, 6);
    assert.deepEqual(s.series.map((p: any) => p.calls), [2, 2, 3, 2, 2, 0]);
    assert.deepEqual(s.series.map((p: any) => p.denials), [0, 0, 0, 1, 0, 0]);
    assert.equal(s.series[0].t, at(0));
    const narrowed = (await get(`/api/activity/stats?from=${at(0)}&to=${at(6)}&server=beta`)).json();
    assert.deepEqual([narrowed.totals.calls, narrowed.totals.p50_ms], [1, 5]);
    const hourly = (await get(`/api/activity/stats?from=${at(0)}&to=${at(600)}`)).json();
    assert.equal(hourly.bucket, 'hour');
    assert.equal(hourly.series[0].calls, 11);
  });

  test('export as JSON Lines (default; `json` alias) with the same filters', async () => {
    const res = await get(`/api/activity/export?format=json&server=alpha&from=${at(0)}&to=${at(10)}`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/x-ndjson/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="switchboard-activity-.*\.jsonl"/);
    const lines = res.body.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 11);
    assert.deepEqual(lines.map((l) => l.at), lines.map((l) => l.at).sort(), 'oldest first');
    assert.deepEqual(lines.find((l) => l.id === 'A4').arguments, { query: 'q4', note: 'a,b "quoted"\nline' });
    const byDefault = await get(`/api/activity/export?server=alpha&from=${at(0)}&to=${at(10)}`);
    assert.equal(byDefault.body, res.body, 'jsonl is the default; json is its alias');
  });

  test('export as CSV: header, RFC 4180 quoting, formula injection neutralised', async () => {
    const res = await get(`/api/activity/export?format=csv&from=${at(0)}&to=${at(10)}`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    const body = res.body;
    assert.ok(body.startsWith('id,at,type,status,caller_kind,caller_id,caller_name,'));
    const rows = parseCsv(body);
    assert.equal(rows.length, 14);
    const header = rows[0]!;
    const a4 = rows.find((r) => r[0] === 'A4')!;
    assert.equal(a4.length, header.length);
    assert.deepEqual(JSON.parse(a4[header.indexOf('arguments')]!), { query: 'q4', note: 'a,b "quoted"\nline' });
    const a3 = rows.find((r) => r[0] === 'A3')!;
    assert.equal(a3[header.indexOf('error_message')], `'=HYPERLINK("http://evil")`);
    assert.ok(!/(^|,)"?=HYPERLINK/m.test(body), 'no cell starts with a formula');
    const m0 = rows.find((r) => r[0] === 'M0')!;
    assert.equal(m0[header.indexOf('method')], 'servers.create');
  });

  test('wrong scope → 403 and no credentials → 401 on every route', async () => {
    for (const url of ['/api/activity/logs', '/api/activity/logs/A0', '/api/activity/stats', '/api/activity/recent', '/api/activity/export', '/events']) {
      const forbidden = await get(url, 'exec');
      assert.equal(forbidden.statusCode, 403, url);
      assert.equal(forbidden.json().error.code, 'SWB_AUTH_FORBIDDEN', url);
      const anon = await get(url, 'none');
      assert.equal(anon.statusCode, 401, url);
    }
    assert.equal((await get('/api/activity/logs/A0')).json().id, 'A0');
  });

  test('SSE sends heartbeats and the no-buffering headers', async () => {
    const { port } = app.server.address() as { port: number };
    const ctl = new AbortController();
    const ok = await fetch(`http://127.0.0.1:${port}/events`, { headers: { 'x-api-key': 'alice' }, signal: ctl.signal });
    assert.equal(ok.headers.get('cache-control'), 'no-cache, no-transform');
    assert.equal(ok.headers.get('x-accel-buffering'), 'no');
    const reader = ok.body!.getReader();
    let text = '';
    const until = Date.now() + 5000;
    while (!/: heartbeat\n\n[\s\S]*: heartbeat\n\n/.test(text) && Date.now() < until) text += new TextDecoder().decode((await reader.read()).value);
    ctl.abort();
    assert.match(text, /^retry: 3000\n: connected\n\n/);
    assert.equal(text.match(/: heartbeat/g)?.length! >= 2, true, text);
  });

  test('retention follows the activity_retention_days setting (default 30; 0 keeps everything)', async () => {
    const days = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    const base = { caller: null, session_id: null, method: 'retention-e2e', server: null, tool: null, target: null, duration_ms: null, result_bytes: null, request_id: null, error_code: null, error_message: null, reason: null };
    await gw.store.activity.insert([
      { ...base, id: 'R40', type: 'tool_call', at: days(40), status: 'ok' },
      { ...base, id: 'R20', type: 'tool_call', at: days(20), status: 'ok' },
    ]);
    const left = async () => (await get('/api/activity/logs?method=retention-e2e')).json().items.map((i: any) => i.id);
    const admin = { kind: 'admin_token', id: 'admin', name: 'admin', scopes: ['admin'] } as const;
    await gw.admin.settings.update({ activity_retention_days: 0 }, { ...admin, scopes: [...admin.scopes] });
    assert.equal(await gw.activity.cleanup(), 0);
    assert.deepEqual(await left(), ['R20', 'R40']);
    await gw.admin.settings.update({ activity_retention_days: null }, { ...admin, scopes: [...admin.scopes] });
    assert.equal(await gw.activity.cleanup(), 1);
    assert.deepEqual(await left(), ['R20']);
    await gw.admin.settings.update({ activity_retention_days: 10 }, { ...admin, scopes: [...admin.scopes] });
    await gw.activity.cleanup();
    assert.deepEqual(await left(), []);
  });

  test('the routes are in the OpenAPI document with schemas', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const p of ['/api/activity/logs', '/api/activity/logs/{id}', '/api/activity/stats', '/api/activity/recent', '/api/activity/export', '/events']) {
      const op = doc.paths[p]?.get;
      assert.ok(op, p);
      assert.ok(op.summary && op.tags?.length && op.security?.length, p);
      assert.ok(op.responses['200'] && op.responses['401'], p);
    }
    assert.equal(doc.paths['/api/activity/stream'], undefined, 'the WebSocket is documented in docs/activity.md, not as an HTTP operation');
  });
});

/** A small RFC 4180 parser for the test (quoted cells, doubled quotes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}
