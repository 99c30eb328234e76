/**
 * Cross-cutting REST conventions on a running gateway: CORS for the REST API and the JSON layer, the
 * DNS-rebinding Host check, rate-limit headers, and that none of it touches the MCP transport endpoints.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { config, startGateway, type Gateway } from './harness.js';

const KEY = 'conventions-key';
/** A second bootstrap key (the config's apiKey), used only for settings changes so it has its own rate-limit bucket. */
const SETTINGS_KEY = 'conventions-settings-key';
const APP = 'https://app.example.com';

/** fetch() cannot set Host; a raw request can. */
function raw(url: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path, method, headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('REST conventions on a running gateway', () => {
  let gw: Gateway;
  before(async () => {
    gw = await startGateway(config([], { http: { host: '127.0.0.1', port: 0, maxBodyBytes: 1024 * 1024, allowedHosts: ['gw.example.com'], allowedOrigins: [APP] }, apiKey: SETTINGS_KEY, allowUnauthenticatedLoopback: false }), {
      env: { SWITCHBOARD_API_KEY: KEY },
    });
  });
  after(async () => gw?.stop());

  test('CORS: an allowed origin gets its preflight answered and its responses readable', async () => {
    const pre = await fetch(`${gw.url}/mcp/tools/call`, { method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), APP);
    assert.equal(pre.headers.get('access-control-allow-credentials'), 'true');
    const res = await fetch(`${gw.url}/mcp/initialize`, { method: 'POST', headers: { origin: APP, authorization: `Bearer ${KEY}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), APP);
    const denied = await fetch(`${gw.url}/mcp/initialize`, { method: 'POST', headers: { origin: APP } });
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('access-control-allow-origin'), APP, 'a browser can read the 401 envelope too');
  });

  test('CORS: another origin gets no CORS headers', async () => {
    const pre = await fetch(`${gw.url}/mcp/tools/call`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' } });
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
    assert.notEqual(pre.status, 204);
    const res = await fetch(`${gw.url}/mcp/initialize`, { method: 'POST', headers: { origin: 'https://evil.example.com', authorization: `Bearer ${KEY}` } });
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  test('the MCP endpoint keeps its own Origin and Host guard, and gets no CORS or rate-limit headers', async () => {
    const evil = await fetch(`${gw.url}/mcp`, { method: 'POST', headers: { origin: 'https://evil.example.com', authorization: `Bearer ${KEY}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    assert.equal(evil.status, 403);
    assert.match((await evil.json()).error.message, /SWB_HTTP_FORBIDDEN_ORIGIN/);
    const init = await fetch(`${gw.url}/mcp`, {
      method: 'POST',
      headers: { origin: APP, authorization: `Bearer ${KEY}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } } }),
    });
    assert.equal(init.status, 200);
    await init.body?.cancel();
    assert.equal(init.headers.get('x-ratelimit-limit'), null, 'the hot path is not rate limited');
    assert.equal(init.headers.get('access-control-allow-origin'), null, '/mcp is not under the REST CORS policy');
    const sid = init.headers.get('mcp-session-id');
    if (sid) await fetch(`${gw.url}/mcp`, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}`, 'mcp-session-id': sid } });
  });

  test('REST answers carry the rate-limit headers', async () => {
    const res = await fetch(`${gw.url}/mcp/initialize`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` } });
    assert.equal(res.status, 200);
    assert.ok(Number(res.headers.get('x-ratelimit-limit')) > 0);
    assert.ok(res.headers.get('x-ratelimit-remaining') !== null);
  });

  test('settings: cors_allowed_origins and api_key_rate_limit_per_minute apply to the next request', async (t) => {
    const patch = (body: unknown) => fetch(`${gw.url}/api/settings`, { method: 'PATCH', headers: { authorization: `Bearer ${SETTINGS_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const first = await patch({ cors_allowed_origins: ['https://late.example.com'], api_key_rate_limit_per_minute: 3 });
    if (first.status === 404) return t.skip('no PATCH /api/settings yet');
    assert.equal(first.status, 200, await first.text());
    try {
      const pre = await fetch(`${gw.url}/mcp/tools/list`, { method: 'OPTIONS', headers: { origin: 'https://late.example.com', 'access-control-request-method': 'POST' } });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get('access-control-allow-origin'), 'https://late.example.com');
      const configured = await fetch(`${gw.url}/mcp/tools/list`, { method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'POST' } });
      assert.equal(configured.headers.get('access-control-allow-origin'), APP, 'the config file origins still count');

      const other = 'Bearer not-the-same-credential';
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${gw.url}/mcp/initialize`, { method: 'POST', headers: { authorization: other } })).status);
      assert.deepEqual(statuses, [401, 401, 401, 429]);
      const limited = await fetch(`${gw.url}/mcp/initialize`, { method: 'POST', headers: { authorization: other } });
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      assert.equal((await limited.json()).error.code, 'SWB_API_RATE_LIMITED');
    } finally {
      const reset = await patch({ cors_allowed_origins: null, api_key_rate_limit_per_minute: null });
      assert.equal(reset.status, 200, await reset.text());
    }
  });

  test('DNS rebinding: the REST API refuses a foreign Host like /mcp does, and accepts configured ones', async () => {
    const port = new URL(gw.url).port;
    const foreign = await raw(gw.url, 'POST', '/mcp/initialize', { host: `rebind.attacker.example:${port}`, authorization: `Bearer ${KEY}` });
    assert.equal(foreign.status, 403);
    assert.equal(JSON.parse(foreign.body).error.code, 'SWB_HTTP_FORBIDDEN_HOST');
    const configured = await raw(gw.url, 'POST', '/mcp/initialize', { host: `gw.example.com:${port}`, authorization: `Bearer ${KEY}` });
    assert.equal(configured.status, 200);
    const mcp = await raw(gw.url, 'POST', '/mcp', { host: `rebind.attacker.example:${port}`, authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, '{}');
    assert.equal(mcp.status, 403, '/mcp keeps its own check');
  });
});
