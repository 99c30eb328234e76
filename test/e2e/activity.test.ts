/**
 * The activity log end to end: real /mcp calls through the gateway to a real upstream, the
 * activity routes, the live SSE and WebSocket streams, the CLI, and redaction checked against the DB files.
 * Queries, stats and exports over known data are in activity-queries.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import WebSocket from 'ws';
import { config, connectClient, everything, ROOT, startGateway, textOf, waitFor, type Gateway } from './harness.js';

const KEY = 'e2e-activity-bootstrap-key';
const auth = { authorization: `Bearer ${KEY}` };
const SECRET = 'registered-secret-e2e-9Zq';
const CLI = [`--import`, 'tsx', join(ROOT, 'src/cli/run.ts')];
const cliEnv = { ...process.env, SWITCHBOARD_API_KEY: KEY, SWITCHBOARD_CONFIG: '' };

/** Run the CLI without blocking this process's event loop (the gateway under test lives in it). */
async function cli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, env: cliEnv, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => (stdout += d));
  proc.stderr.on('data', (d) => (stderr += d));
  const status = await new Promise<number>((res) => proc.on('close', (code) => res(code ?? -1)));
  return { status, stdout, stderr };
}

function dataDirText(dir: string): string {
  return readdirSync(dir)
    .filter((f) => f.startsWith('switchboard.db'))
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('\n');
}

/** Read an SSE stream until `until` matches a parsed event, or time runs out. */
async function readSse(res: Response, until: (e: { type: string; data: any }) => boolean, timeoutMs = 10_000): Promise<{ type: string; data: any }[]> {
  const got: { type: string; data: any }[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const { value, done } = await Promise.race([reader.read(), new Promise<never>((_, rej) => setTimeout(() => rej(new Error('SSE read timed out')), deadline - Date.now()))]);
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = frame.split('\n').find((l) => l.startsWith('data: '));
        if (!data) continue;
        const e = JSON.parse(data.slice(6));
        got.push(e);
        if (until(e)) return got;
      }
    }
    throw new Error(`no matching event; got ${got.map((e) => e.type).join(', ')}`);
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

describe('activity log through a running gateway', () => {
  let gw: Gateway;
  let client: Client;
  let echo: string;
  let sum: string;
  const api = (path: string, init: RequestInit = {}) => fetch(`${gw.url}${path}`, { ...init, headers: { ...auth, ...(init.headers ?? {}) } });
  const json = async (path: string) => {
    const res = await api(path);
    assert.equal(res.status, 200, `${path}: ${res.status} ${await res.clone().text()}`);
    return (await res.json()) as any;
  };

  before(async () => {
    gw = await startGateway(config([everything()], { allowUnauthenticatedLoopback: false }), { env: { SWITCHBOARD_API_KEY: KEY } });
    gw.activity.registerSecretValues(() => [SECRET]);
    client = await connectClient(gw.url, { headers: auth });
    const tools = (await client.listTools()).tools.map((t) => t.name);
    echo = tools.find((n) => n.endsWith('echo'))!;
    sum = tools.find((n) => n.endsWith('get-sum'))!;
    assert.ok(echo && sum, `tools: ${tools.join(', ')}`);
  });
  after(async () => {
    await client?.close();
    await gw?.stop();
  });

  test('a tool call on /mcp is recorded with status, duration, caller, arguments and result', async () => {
    assert.equal(textOf(await client.callTool({ name: echo, arguments: { message: 'hello activity' } })), 'Echo: hello activity');
    const page = await json(`/api/activity/logs?type=tool_call&q=hello%20activity`);
    assert.equal(page.total, 1);
    const rec = page.items[0];
    assert.equal(rec.status, 'ok');
    assert.equal(rec.server, 'everything');
    assert.equal(rec.tool, 'echo');
    assert.equal(rec.method, 'tools/call');
    assert.equal(rec.caller.kind, 'bootstrap');
    assert.equal(typeof rec.duration_ms, 'number');
    assert.ok(rec.result_bytes > 0);
    assert.ok(rec.session_id, 'session recorded');
    assert.equal(rec.arguments, undefined, 'list items carry no payloads');
    const detail = await json(`/api/activity/logs/${rec.id}`);
    assert.deepEqual(detail.arguments, { message: 'hello activity' });
    assert.match(JSON.stringify(detail.result), /Echo: hello activity/);
  });

  test('a failing call is recorded as an error; the detail of an unknown id is 404', async () => {
    await client.callTool({ name: sum, arguments: { a: 'not a number', b: 1 } }).catch(() => undefined);
    await waitFor(async () => (await json('/api/activity/logs?status=error&tool=get-sum')).total === 1, 5000, 'error record');
    const res = await api('/api/activity/logs/NOPE');
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as any).error.code, 'SWB_ITEM_NOT_FOUND');
  });

  test('secrets in arguments and results never reach the database files', async () => {
    await client.callTool({ name: echo, arguments: { message: `key ${SECRET} and ghp_abcdefghijklmnopqrstuvwxyz0123456789` } });
    await gw.activity.flush();
    const text = dataDirText(gw.dataDir);
    assert.equal(text.includes(SECRET), false, 'registered secret value written');
    assert.equal(text.includes('ghp_abcdefghijklmnopqrstuvwxyz0123456789'), false, 'token written');
    const page = await json('/api/activity/logs?q=REDACTED');
    assert.ok(page.total >= 1);
  });

  test('SSE /events (with ?apikey=) receives activity.tool_call.completed for a call on /mcp', async () => {
    const ctl = new AbortController();
    const res = await fetch(`${gw.url}/events?apikey=${KEY}&types=activity.*`, { signal: ctl.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(res.headers.get('x-accel-buffering'), 'no');
    const reading = readSse(res, (e) => e.type === 'activity.tool_call.completed' && e.data.arguments?.message === 'over sse');
    await client.callTool({ name: echo, arguments: { message: 'over sse' } });
    const got = await reading;
    const started = got.find((e) => e.type === 'activity.tool_call.started' && e.data.arguments?.message === 'over sse');
    assert.ok(started, 'started event first');
    const done = got.at(-1)!;
    assert.equal(done.data.status, 'ok');
    assert.equal(done.data.tool, 'echo');
    assert.equal(typeof done.data.duration_ms, 'number');
    ctl.abort();
    // The record the event announced is the one the API serves.
    assert.equal((await json(`/api/activity/logs/${done.data.id}`)).id, done.data.id);
  });

  test('SSE ?types= filters, and an unknown type is a 400', async () => {
    const ctl = new AbortController();
    const res = await fetch(`${gw.url}/events?types=servers.changed,activity.admin_change`, { headers: auth, signal: ctl.signal });
    assert.equal(res.status, 200);
    const reading = readSse(res, () => true, 1500).catch((err: Error) => err);
    await client.callTool({ name: echo, arguments: { message: 'filtered out' } });
    const out = await reading;
    assert.ok(out instanceof Error && /no matching event|timed out/.test(out.message), 'no activity.tool_call event on a filtered stream');
    ctl.abort();
    const bad = await fetch(`${gw.url}/events?types=activity.nope`, { headers: auth });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as any).error.code, 'SWB_HTTP_BAD_REQUEST');
  });

  test('SSE subscribers that disconnect are removed', async () => {
    const baseline = gw.events.listenerCount;
    const ctl = new AbortController();
    const res = await fetch(`${gw.url}/events`, { headers: auth, signal: ctl.signal });
    await res.body!.getReader().read();
    assert.equal(gw.events.listenerCount, baseline + 1);
    ctl.abort();
    await waitFor(() => gw.events.listenerCount === baseline, 5000, 'SSE listener removed');
  });

  test('WebSocket /api/activity/stream sends activity events; closed sockets unsubscribe', async () => {
    const baseline = gw.events.listenerCount;
    const ws = new WebSocket(`${gw.url.replace('http', 'ws')}/api/activity/stream?apikey=${KEY}`);
    const messages: any[] = [];
    ws.on('message', (m) => messages.push(JSON.parse(String(m))));
    await new Promise<void>((res, rej) => (ws.once('open', () => res()), ws.once('error', rej)));
    await waitFor(() => gw.events.listenerCount === baseline + 1, 5000, 'WS listener');
    await client.callTool({ name: echo, arguments: { message: 'over websocket' } });
    await waitFor(() => messages.some((m) => m.type === 'activity.tool_call.completed' && m.data.arguments?.message === 'over websocket'), 5000, 'WS event');
    ws.close();
    await waitFor(() => gw.events.listenerCount === baseline, 5000, 'WS listener removed');
  });

  test('WebSocket upgrade without credentials is refused with 401', async () => {
    const ws = new WebSocket(`${gw.url.replace('http', 'ws')}/api/activity/stream`);
    const status = await new Promise<number>((res) => {
      ws.once('unexpected-response', (_req, r) => res(r.statusCode ?? 0));
      ws.once('open', () => res(101));
      ws.once('error', () => res(-1));
    });
    assert.equal(status, 401);
    ws.terminate();
  });

  test('recent returns the latest records newest first', async () => {
    const body = await json('/api/activity/recent?limit=2&type=tool_call');
    assert.equal(body.items.length, 2);
    assert.ok(body.items[0].at >= body.items[1].at);
  });

  test('CLI: activity tail reads the data directory and a running gateway', async () => {
    await gw.activity.flush();
    const fromDir = await cli(['activity', 'tail', '--data', gw.dataDir, '--tool', 'echo', '--limit', '3', '--json']);
    assert.equal(fromDir.status, 0, fromDir.stderr);
    const lines = fromDir.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 3);
    assert.ok(lines.every((l) => l.tool === 'echo' && l.type === 'tool_call'));
    assert.ok(lines[0].at <= lines[2].at, 'oldest first');
    const overRest = await cli(['activity', 'tail', '--url', gw.url, '--limit', '2', '--server', 'everything']);
    assert.equal(overRest.status, 0, overRest.stderr);
    const text = overRest.stdout.trim().split('\n');
    assert.equal(text.length, 2);
    assert.match(text[1]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z\s+ok\s+\d+ms\s+tools\/call everything\/echo\s+\[bootstrap key\]$/);
    const missing = await cli(['activity', 'tail', '--data', join(gw.dataDir, 'nope')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /SWB_STORE_UNAVAILABLE: No activity log/);
    const badLimit = await cli(['activity', 'tail', '--data', gw.dataDir, '--limit', '0']);
    assert.equal(badLimit.status, 1);
    assert.match(badLimit.stderr, /SWB_INVALID_ARGUMENT/);
  });

  test('CLI: activity tail --follow streams new records from /events until interrupted', async () => {
    const proc = spawn(process.execPath, [...CLI, 'activity', 'tail', '--follow', '--url', gw.url, '--limit', '1', '--tool', 'echo'], { cwd: ROOT, env: cliEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
    try {
      await waitFor(() => out.split('\n').filter(Boolean).length >= 1, 30_000, `backlog line (stderr: ${err})`);
      await waitFor(() => gw.events.listenerCount > 0, 5000, 'CLI subscribed');
      await client.callTool({ name: sum, arguments: { a: 1, b: 2 } }); // filtered out by --tool
      await client.callTool({ name: echo, arguments: { message: 'followed' } });
      await waitFor(() => out.split('\n').filter(Boolean).length >= 2, 10_000, 'followed line');
      assert.ok(!out.includes('get-sum'), out);
    } finally {
      proc.kill('SIGINT');
    }
    assert.equal(await exited, 0, err);
  });

  test('no credentials → 401 on every route; ?apikey= is refused outside the streams', async () => {
    for (const path of ['/api/activity/logs', '/api/activity/logs/x', '/api/activity/stats', '/api/activity/recent', '/api/activity/export', '/events']) {
      const res = await fetch(`${gw.url}${path}`);
      assert.equal(res.status, 401, path);
      assert.equal(((await res.json()) as any).error.code, 'SWB_AUTH_REQUIRED', path);
      if (path === '/events') continue;
      const withQueryKey = await fetch(`${gw.url}${path}?apikey=${KEY}`);
      assert.equal(withQueryKey.status, 401, `${path} with ?apikey=`);
    }
  });

  test('SSE carries servers.changed, tools.indexed and the admin change of a server restart', async () => {
    const ctl = new AbortController();
    const res = await fetch(`${gw.url}/events?types=servers.changed,tools.indexed,activity.admin_change`, { headers: auth, signal: ctl.signal });
    const reading = readSse(res, (e) => e.type === 'tools.indexed' && e.data.server === 'everything' && e.data.tools > 0, 20_000);
    const restart = await api('/api/servers/everything/restart', { method: 'POST' });
    assert.equal(restart.status, 200, await restart.text());
    const got = await reading;
    ctl.abort();
    assert.ok(got.some((e) => e.type === 'servers.changed' && e.data.server === 'everything'), got.map((e) => e.type).join());
    await gw.settled(20_000);
  });
});
