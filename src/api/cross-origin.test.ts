import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { defaultConfig } from '../config/index.js';
import { createSwitchboard, type Switchboard } from '../main.js';
import { SwitchboardError, fullAccess, type Authenticate } from '../shared/index.js';
import { corsDecision } from './cross-origin.js';
import { registerApi } from './index.js';

const authenticate: Authenticate = async ({ headers }) =>
  headers['x-api-key'] === 'key' ? fullAccess('api_key', 'k', 'key') : new SwitchboardError('SWB_AUTH_REQUIRED', 'Authentication required');

describe('corsDecision', () => {
  test('a listed origin is reflected with credentials', () => {
    assert.deepEqual(corsDecision('https://app.example.com', ['https://app.example.com']), { origin: 'https://app.example.com', credentials: true });
  });
  test('`*` answers `*` and never with credentials, even when the origin is also listed', () => {
    assert.deepEqual(corsDecision('https://other.example.com', ['*']), { origin: '*', credentials: false });
    assert.deepEqual(corsDecision('https://app.example.com', ['*', 'https://app.example.com']), { origin: 'https://app.example.com', credentials: true });
  });
  test('unlisted origins, no origin, and the literal `null` origin get nothing', () => {
    assert.equal(corsDecision('https://evil.example.com', ['https://app.example.com']), undefined);
    assert.equal(corsDecision('https://app.example.com.evil.com', ['https://app.example.com']), undefined, 'whole-string match, no prefixes');
    assert.equal(corsDecision(undefined, ['https://app.example.com']), undefined);
    assert.equal(corsDecision('null', ['null']), undefined);
    assert.equal(corsDecision('https://app.example.com', []), undefined);
  });
});

describe('CORS on the REST scope', () => {
  let dir: string;
  let sb: Switchboard;
  let app: FastifyInstance;
  let origins: string[] = ['https://app.example.com'];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-cors-'));
    sb = await createSwitchboard({ config: defaultConfig(), dataDir: dir });
    app = Fastify();
    await registerApi(app, { admin: sb.admin, authenticate }, { corsOrigins: () => origins });
    await app.ready();
  });
  after(async () => {
    await app?.close();
    await sb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const preflight = (origin: string, url = '/mcp/tools/list') =>
    app.inject({ method: 'OPTIONS', url, headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key, content-type' } });
  const post = (origin: string) => app.inject({ method: 'POST', url: '/mcp/initialize', headers: { origin, 'x-api-key': 'key', 'content-type': 'application/json' }, payload: '{}' });

  test('a preflight from an allowed origin is answered before authentication', async () => {
    const res = await preflight('https://app.example.com');
    assert.equal(res.statusCode, 204);
    assert.equal(res.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.equal(res.headers['access-control-allow-credentials'], 'true');
    assert.match(String(res.headers['access-control-allow-methods']), /POST/);
    assert.match(String(res.headers['access-control-allow-headers']), /x-api-key/);
    assert.match(String(res.headers['vary']), /Origin/);
  });

  test('the actual request carries the CORS headers and exposes the rate-limit ones', async () => {
    const res = await post('https://app.example.com');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.match(String(res.headers['access-control-expose-headers']), /retry-after/);
  });

  test('a disallowed origin gets no CORS headers at all', async () => {
    const pre = await preflight('https://evil.example.com');
    assert.notEqual(pre.statusCode, 204);
    assert.equal(pre.headers['access-control-allow-origin'], undefined);
    const res = await post('https://evil.example.com');
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    assert.equal(res.headers['access-control-allow-credentials'], undefined);
  });

  test('`*` allows any origin without credentials; the list is read per request', async () => {
    origins = ['*'];
    try {
      const res = await preflight('https://anyone.example.com');
      assert.equal(res.statusCode, 204);
      assert.equal(res.headers['access-control-allow-origin'], '*');
      assert.equal(res.headers['access-control-allow-credentials'], undefined);
    } finally {
      origins = ['https://app.example.com'];
    }
  });

  test('the MCP transport paths are left to their own Origin guard', async () => {
    for (const url of ['/mcp', '/sse', '/messages']) {
      const res = await preflight('https://app.example.com', url);
      assert.equal(res.headers['access-control-allow-origin'], undefined, url);
      assert.notEqual(res.statusCode, 204, url);
    }
  });
});
