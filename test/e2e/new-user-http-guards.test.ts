/**
 * Found by walking through the README as a new user and then throwing hostile requests at the gateway:
 * a Host/Origin that merely starts with "127." passed the DNS-rebinding guard, and errors raised by
 * Fastify's router (bad percent-encoding, an over-long path segment) or by Node's HTTP parser (two
 * Content-Length headers, oversized headers) came back in Fastify's own shape instead of the one
 * envelope. Every answer here must be the envelope, and the gateway must keep serving.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { config, connectClient, everything, startGateway, textOf, type Gateway } from './harness.js';

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

/** fetch() cannot set Host; a raw request can. */
function raw(url: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path, method, headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Bytes straight onto a socket, for requests Node's own client refuses to send; the whole answer. */
function rawSocket(url: string, bytes: string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(u.port), u.hostname, () => s.write(bytes));
    let text = '';
    s.setTimeout(5000, () => s.destroy(new Error('no answer within 5 s')));
    s.on('data', (d) => (text += d));
    s.on('end', () => resolve(text));
    s.on('error', reject);
  });
}

const envelope = (text: string) => JSON.parse(text) as { error: { code: string; message: string; hint: string } };

describe('new user: hostile HTTP gets the one envelope and the gateway stays healthy', () => {
  let gw: Gateway;
  before(async () => {
    gw = await startGateway(config([everything()]));
  });
  after(async () => gw?.stop());

  test('a Host that only starts with "127." is refused on /mcp and the REST API; a real 127/8 address is not', async () => {
    for (const host of ['127.0.0.1.evil.example', '127.attacker.test', '127.0.0.256']) {
      const mcp = await raw(gw.url, 'POST', '/mcp', { ...MCP_HEADERS, host: `${host}:8080` }, INIT);
      assert.equal(mcp.status, 403, host);
      assert.match(JSON.parse(mcp.body).error.message, /SWB_HTTP_FORBIDDEN_HOST/);
      const rest = await raw(gw.url, 'GET', '/api/servers', { host: `${host}:8080` });
      assert.equal(rest.status, 403, host);
      assert.equal(envelope(rest.body).error.code, 'SWB_HTTP_FORBIDDEN_HOST');
    }
    const loopback = await raw(gw.url, 'POST', '/mcp', { ...MCP_HEADERS, host: '127.0.0.2:8080' }, INIT);
    assert.equal(loopback.status, 200, loopback.body);
  });

  test('an Origin that only starts with "127." is refused on /mcp; a loopback origin is not', async () => {
    const evil = await fetch(`${gw.url}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, origin: 'http://127.0.0.1.evil.example:8080' }, body: INIT });
    assert.equal(evil.status, 403);
    assert.match(((await evil.json()) as any).error.message, /SWB_HTTP_FORBIDDEN_ORIGIN/);
    const local = await fetch(`${gw.url}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, origin: 'http://127.0.0.1:3000' }, body: INIT });
    assert.equal(local.status, 200);
    await local.text();
  });

  test('bad percent-encoding in a path → 400 envelope, not Fastify\'s FST_ERR_BAD_URL shape', async () => {
    const res = await fetch(`${gw.url}/api/servers/%E0%A4%A`);
    assert.equal(res.status, 400);
    const body = envelope(await res.text());
    assert.equal(body.error.code, 'SWB_HTTP_BAD_REQUEST');
    assert.match(body.error.message, /percent-encoding/);
    assert.ok(!JSON.stringify(body).includes('FST_'));
  });

  test('an over-long profile name on /mcp/p/… → 400 envelope naming the problem', async () => {
    const res = await fetch(`${gw.url}/mcp/p/${'p'.repeat(3000)}`, { method: 'POST', headers: MCP_HEADERS, body: INIT });
    assert.equal(res.status, 400);
    const body = envelope(await res.text());
    assert.equal(body.error.code, 'SWB_HTTP_BAD_REQUEST');
    assert.match(body.error.message, /too long/);
  });

  test('two Content-Length headers → 400 envelope from the HTTP parser stage', async () => {
    const answer = await rawSocket(gw.url, 'POST /api/hosted-servers HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n{"a":1}');
    assert.match(answer, /^HTTP\/1\.1 400 /);
    const body = envelope(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    assert.equal(body.error.code, 'SWB_HTTP_BAD_REQUEST');
    assert.match(body.error.message, /Malformed HTTP request/);
  });

  test('oversized request headers → 431 with the envelope', async () => {
    const answer = await rawSocket(gw.url, `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.match(answer, /^HTTP\/1\.1 431 /);
    assert.equal(envelope(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code, 'SWB_HTTP_BAD_REQUEST');
  });

  test('CSRF: a page on another site cannot act as the local operator with a preflight-free POST', async () => {
    const created = await fetch(`${gw.url}/api/hosted-servers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'csrf' }) });
    assert.equal(created.status, 201, await created.clone().text());
    // What `fetch(url, {method: 'POST', mode: 'no-cors'})` on http://evil.example sends: no body, no credentials.
    for (const origin of ['http://evil.example', 'http://127.0.0.1.evil.example:8080', 'null']) {
      const res = await fetch(`${gw.url}/api/hosted-servers/csrf/start`, { method: 'POST', headers: { origin } });
      assert.equal(res.status, 403, origin);
      const body = envelope(await res.text());
      assert.equal(body.error.code, 'SWB_HTTP_FORBIDDEN_ORIGIN');
      assert.match(body.error.message, /local operator/);
      const me = await fetch(`${gw.url}/auth/me`, { headers: { origin } });
      assert.equal(me.status, 403, origin);
    }
    assert.equal(((await (await fetch(`${gw.url}/api/hosted-servers/csrf`)).json()) as any).running, false, 'nothing changed');
    // The console's own origin, other loopback origins and requests without an Origin are the local operator.
    for (const headers of [{ origin: gw.url }, { origin: 'http://localhost:5173' }, {}] as Record<string, string>[]) {
      const me = await fetch(`${gw.url}/auth/me`, { headers });
      assert.equal(me.status, 200, JSON.stringify(headers));
      assert.equal(((await me.json()) as any).kind, 'local');
    }
    const started = await fetch(`${gw.url}/api/hosted-servers/csrf/start`, { method: 'POST', headers: { origin: gw.url } });
    assert.equal(started.status, 200, await started.clone().text());
    assert.equal(((await started.json()) as any).running, true);
  });

  test('after all that, /health is ok and a real client still calls a tool', async () => {
    const health = (await (await fetch(`${gw.url}/health`)).json()) as any;
    assert.equal(health.status, 'ok');
    const client = await connectClient(gw.url);
    const r = await client.callTool({ name: 'everything__get-sum', arguments: { a: 2, b: 40 } });
    assert.match(textOf(r), /42/);
    await client.close();
  });
});
