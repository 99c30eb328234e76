import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { defaultConfig } from '../config/index.js';
import { createSwitchboard, type Switchboard } from '../main.js';
import { SwitchboardError, fullAccess, type Authenticate, type Principal } from '../shared/index.js';
import { registerApi } from './index.js';
import { rateLimitKey, type RateLimits } from './rate-limits.js';

/** Credentials as a table: the API under test only needs the Authenticate contract. */
const PRINCIPALS: Record<string, Principal> = {
  'key-a': fullAccess('api_key', 'a', 'key a'),
  'key-b': fullAccess('api_key', 'b', 'key b'),
};
const authenticate: Authenticate = async ({ headers }) => {
  const presented = (headers.authorization ?? '').replace(/^Bearer\s+/i, '') || (headers['x-api-key'] as string | undefined);
  if (!presented) return new SwitchboardError('SWB_AUTH_REQUIRED', 'Authentication required');
  return PRINCIPALS[presented] ?? new SwitchboardError('SWB_AUTH_INVALID', 'Invalid credentials');
};

describe('rate limits on the REST scope', () => {
  let dir: string;
  let sb: Switchboard;
  let app: FastifyInstance;
  const limits: RateLimits = { perMinute: 3, authPerMinute: 2 };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-ratelimit-'));
    sb = await createSwitchboard({ config: defaultConfig(), dataDir: dir });
    app = Fastify();
    await registerApi(app, { admin: sb.admin, authenticate }, { rateLimits: () => limits });
    app.get('/outside', async () => ({ ok: true }));
    await app.ready();
  });
  after(async () => {
    await app?.close();
    await sb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const init = (headers: Record<string, string> = {}) => app.inject({ method: 'POST', url: '/mcp/initialize', headers: { 'content-type': 'application/json', ...headers }, payload: '{}', remoteAddress: '10.0.0.1' });

  test('each key has its own bucket; over the limit is a 429 envelope with Retry-After', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await init({ authorization: 'Bearer key-a' });
      assert.equal(res.statusCode, 200, `request ${i + 1}`);
      assert.equal(res.headers['x-ratelimit-limit'], '3');
    }
    const over = await init({ authorization: 'Bearer key-a' });
    assert.equal(over.statusCode, 429);
    const body = over.json();
    assert.equal(body.error.code, 'SWB_API_RATE_LIMITED');
    assert.equal(body.error.details.limit, 3);
    const retryAfter = Number(over.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${over.headers['retry-after']}`);
    assert.equal(body.error.details.retry_after_s, retryAfter);

    assert.equal((await init({ authorization: 'Bearer key-b' })).statusCode, 200, 'another key is not affected');
    assert.equal((await init({ 'x-api-key': 'key-b' })).statusCode, 200, 'X-API-Key counts too');
    assert.equal((await init()).statusCode, 401, 'no credentials: the client address has its own bucket');
  });

  test('the limits are read per request, so a settings change applies at once', async () => {
    limits.perMinute = 100;
    assert.equal((await init({ authorization: 'Bearer key-a' })).statusCode, 200);
    limits.perMinute = 3;
  });

  test('0 means no limit', async () => {
    limits.perMinute = 0;
    try {
      for (let i = 0; i < 5; i++) assert.equal((await init({ authorization: 'Bearer key-a' })).statusCode, 200);
    } finally {
      limits.perMinute = 3;
    }
  });

  test('routes outside the REST scope are not limited', async () => {
    for (let i = 0; i < 6; i++) {
      const res = await app.inject({ method: 'GET', url: '/outside' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['x-ratelimit-limit'], undefined);
    }
  });

  test('/auth/* counts per client address whatever the credentials, and answers SWB_AUTH_RATE_LIMITED', async (t) => {
    const route = ['/auth/status', '/auth/me'].find((url) => app.hasRoute({ method: 'GET', url }));
    if (!route) return t.skip('no GET /auth route registered yet');
    const get = (key: string, ip: string) => app.inject({ method: 'GET', url: route, headers: { authorization: `Bearer ${key}` }, remoteAddress: ip });
    assert.notEqual((await get('key-a', '10.0.0.9')).statusCode, 429);
    assert.notEqual((await get('key-b', '10.0.0.9')).statusCode, 429);
    const over = await get('key-a', '10.0.0.9');
    assert.equal(over.statusCode, 429);
    assert.equal(over.json().error.code, 'SWB_AUTH_RATE_LIMITED');
    assert.ok(Number(over.headers['retry-after']) >= 1);
    assert.notEqual((await get('key-a', '10.0.0.10')).statusCode, 429, 'another address is not affected');
  });
});

describe('rateLimitKey', () => {
  const req = (url: string, headers: Record<string, string> = {}, ip = '192.0.2.1') => ({ url, ip, headers });
  test('the same credential maps to the same bucket; different ones, or none, do not', () => {
    assert.equal(rateLimitKey(req('/api/x', { authorization: 'Bearer one' })), rateLimitKey(req('/api/y', { authorization: 'Bearer one' }, '192.0.2.2')));
    assert.notEqual(rateLimitKey(req('/api/x', { authorization: 'Bearer one' })), rateLimitKey(req('/api/x', { authorization: 'Bearer two' })));
    assert.equal(rateLimitKey(req('/api/x')), 'ip:192.0.2.1');
  });
  test('the key never holds the credential itself', () => {
    assert.doesNotMatch(rateLimitKey(req('/api/x', { 'x-api-key': 'sbk_supersecretvalue' })), /supersecret/);
  });
  test('/auth paths are keyed by address only', () => {
    assert.equal(rateLimitKey(req('/auth/login', { authorization: 'Bearer one' })), 'auth:192.0.2.1');
    assert.equal(rateLimitKey(req('/auth/me?x=1')), 'auth:192.0.2.1');
    assert.notEqual(rateLimitKey(req('/authors')), 'auth:192.0.2.1');
  });
});
