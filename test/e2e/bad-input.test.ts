import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { config, connectClient, everything, startGateway, textOf, type Gateway } from './harness.js';

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}/mcp`, { method: 'POST', headers: { ...JSON_HEADERS, ...headers }, body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

async function initSession(url: string): Promise<string> {
  const res = await fetch(`${url}/mcp`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
  });
  await res.text();
  const sid = res.headers.get('mcp-session-id')!;
  await fetch(`${url}/mcp`, { method: 'POST', headers: { ...JSON_HEADERS, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' }, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  return sid;
}

/** The JSON-RPC message in a JSON body or in the last non-empty SSE data line (after the priming event). */
function rpcFromSse(json: any): any {
  if (typeof json !== 'string') return json;
  const lines = json.split('\n').filter((l: string) => l.startsWith('data: ') && l.length > 6);
  return lines.length ? JSON.parse(lines[lines.length - 1]!.slice(6)) : json;
}

/** fetch() cannot set Host; a raw request can. */
function rawPost(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const u = new URL(`${url}/mcp`);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { ...JSON_HEADERS, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

describe('bad input at the MCP endpoint gets clear JSON-RPC errors and the gateway keeps serving', () => {
  let gw: Gateway;
  before(async () => {
    gw = await startGateway(config([everything()], { http: { host: '127.0.0.1', port: 0, maxBodyBytes: 64 * 1024, allowedHosts: [], allowedOrigins: [] } }));
  });
  after(async () => gw?.stop());

  test('malformed JSON → 400 with -32700', async () => {
    const r = await post(gw.url, '{"jsonrpc": "2.0", "id": 1, "method": ');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, -32700);
    assert.doesNotMatch(JSON.stringify(r.json), /at .*\.(ts|js):\d+/, 'no stack trace');
  });

  test('oversized body → 413 with a JSON-RPC error naming the limit', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', arguments: { blob: 'x'.repeat(100 * 1024) } } });
    const r = await post(gw.url, big);
    assert.equal(r.status, 413);
    assert.equal(r.json.error.code, -32600);
    assert.match(r.json.error.message, /SWB_HTTP_BODY_TOO_LARGE.*65536/);
  });

  test('request without a session, unknown session, batch', async () => {
    const r1 = await post(gw.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
    assert.equal(r1.status, 400);
    assert.ok(r1.json.error);
    const r2 = await post(gw.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), { 'mcp-session-id': 'does-not-exist' });
    assert.equal(r2.status, 404);
    assert.equal(r2.json.error.code, -32001);
    const r3 = await post(gw.url, JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'tools/list' }]));
    assert.equal(r3.status, 400);
  });

  test('unknown tool, unknown method, wrong param types, bad cursor inside a session', async () => {
    const sid = await initSession(gw.url);
    const h = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
    const call = async (method: string, params: unknown) => rpcFromSse((await post(gw.url, JSON.stringify({ jsonrpc: '2.0', id: 7, method, params }), h)).json);
    const unknownTool = await call('tools/call', { name: 'nope__nothing', arguments: {} });
    assert.equal(unknownTool.error.code, -32602);
    assert.match(unknownTool.error.message, /Unknown tool: nope__nothing/);
    const unknownMethod = await call('tools/destroy', {});
    assert.equal(unknownMethod.error.code, -32601);
    const badName = await call('tools/call', { name: 42 });
    assert.equal(badName.error.code, -32602);
    assert.match(badName.error.message, /params\.name/);
    const badArgs = await call('tools/call', { name: 'everything__echo', arguments: 'not-an-object' });
    assert.equal(badArgs.error.code, -32602);
    const wrongType = await call('tools/call', { name: 'everything__get-sum', arguments: { a: 'one', b: 2 } });
    assert.ok(wrongType.error?.code === -32602 || wrongType.result?.isError === true, JSON.stringify(wrongType));
    const badCursor = await call('tools/list', { cursor: '!!!' });
    assert.equal(badCursor.error.code, -32602);
    const badLevel = await call('logging/setLevel', { level: 'loud' });
    assert.equal(badLevel.error.code, -32602);
    const badUri = await call('resources/read', { uri: 'switchboard://nobody/thing' });
    assert.ok(badUri.error);
    const ping = await call('ping', {});
    assert.deepEqual(ping.result, {});
  });

  test('absurd arguments: 10,000 levels deep, a 30,000-character tool name', async () => {
    const sid = await initSession(gw.url);
    const h = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
    const call = async (params: string) => rpcFromSse((await post(gw.url, `{"jsonrpc":"2.0","id":8,"method":"tools/call","params":${params}}`, h)).json);
    const deep = await call(`{"name":"everything__echo","arguments":{"message":"x","nested":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`);
    assert.equal(deep.error?.code, -32602, JSON.stringify(deep).slice(0, 300));
    assert.match(deep.error.message, /nested deeper than 64 levels/);
    const longName = 'n'.repeat(30_000);
    const raw = await post(gw.url, JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: longName, arguments: {} } }), h);
    const unknown = rpcFromSse(raw.json);
    assert.match(unknown.error.message, /Unknown tool: n{200}… \(30000 characters\)/);
    assert.ok(JSON.stringify(raw.json).length < 5_000, 'the name is not echoed back in full');
    // A legitimately nested argument still passes.
    const fine = await call(`{"name":"everything__echo","arguments":{"message":"ok"}}`);
    assert.equal(fine.result?.content?.[0]?.text, 'Echo: ok');
  });

  test('a failed initialize leaves no session behind', async () => {
    const before = gw.core.sessions.size;
    const r = await post(gw.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: 42 } }));
    const msg = rpcFromSse(r.json);
    assert.ok(msg.error, JSON.stringify(msg));
    await new Promise((res) => setTimeout(res, 50));
    assert.equal(gw.core.sessions.size, before);
  });

  test('after all that, a real client still works', async () => {
    const client = await connectClient(gw.url);
    assert.equal(textOf(await client.callTool({ name: 'everything__echo', arguments: { message: 'alive' } })), 'Echo: alive');
    await client.close();
  });
});

describe('DNS-rebinding and authentication guards', () => {
  let gw: Gateway;
  before(async () => {
    // Authentication on: the harness opens loopback for convenience, this suite tests the secure default.
    gw = await startGateway(config([everything()], { allowUnauthenticatedLoopback: false }), { env: { SWITCHBOARD_API_KEY: 'sekret-key-123' } });
  });
  after(async () => gw?.stop());

  test('/health needs no credentials and reports servers', async () => {
    const res = await fetch(`${gw.url}/health`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as any).servers[0].name, 'everything');
  });

  test('no key → 401 with a challenge; wrong key → 401', async () => {
    const r = await fetch(`${gw.url}/mcp`, { method: 'POST', headers: JSON_HEADERS, body: '{}' });
    assert.equal(r.status, 401);
    assert.match(r.headers.get('www-authenticate') ?? '', /Bearer/);
    assert.match(((await r.json()) as any).error.message, /SWB_AUTH_REQUIRED/);
    const w = await post(gw.url, '{}', { authorization: 'Bearer wrong' });
    assert.equal(w.status, 401);
    assert.match(w.json.error.message, /SWB_AUTH_INVALID/);
    const sse = await fetch(`${gw.url}/sse`);
    assert.equal(sse.status, 401);
  });

  test('the key works as Bearer and as X-API-Key', async () => {
    for (const headers of [{ authorization: 'Bearer sekret-key-123' }, { 'x-api-key': 'sekret-key-123' }] as Record<string, string>[]) {
      const client = await connectClient(gw.url, { headers });
      const { tools } = await client.listTools();
      assert.ok(tools.length > 5);
      await client.close();
    }
  });

  test('a foreign Host or Origin is refused with 403 before authentication', async () => {
    const host = await rawPost(gw.url, { host: 'evil.example.com', authorization: 'Bearer sekret-key-123' });
    assert.equal(host.status, 403);
    assert.match(JSON.parse(host.body).error.message, /SWB_HTTP_FORBIDDEN_HOST/);
    const rebound = await rawPost(gw.url, { host: 'attacker.test:8080' });
    assert.equal(rebound.status, 403, 'host check runs before auth');
    const origin = await fetch(`${gw.url}/mcp`, { method: 'POST', headers: { ...JSON_HEADERS, origin: 'http://evil.example.com', authorization: 'Bearer sekret-key-123' }, body: '{}' });
    assert.equal(origin.status, 403);
    const local = await fetch(`${gw.url}/mcp`, { method: 'POST', headers: { ...JSON_HEADERS, origin: 'http://localhost:3000', authorization: 'Bearer sekret-key-123' }, body: '{}' });
    assert.notEqual(local.status, 403);
  });

  test('binding a public address without a key refuses to start', async () => {
    const { serveSwitchboard } = await import('../../src/main.js');
    await assert.rejects(serveSwitchboard({ config: config([]), dataDir: gw.dataDir, host: '0.0.0.0', port: 0, env: {} }), /Refusing to listen on 0\.0\.0\.0 without an API key/);
  });
});
