/**
 * Identity end to end over real HTTP: first-run setup, logins, refresh rotation with reuse detection,
 * logout, password changes, lockout, the admin token, authentication on /mcp (secure by default and the
 * opened loopback), and that no secret reaches the database or the log in clear.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { serveSwitchboard, type ServingSwitchboard } from '../../src/main.js';
import { config, connectClient, everything, startGateway, tempDir, textOf, type Gateway } from './harness.js';

interface Res {
  status: number;
  json: any;
  headers: Headers;
}

function client(base: () => string) {
  return async (method: string, path: string, opts: { body?: unknown; token?: string; key?: string; headers?: Record<string, string> } = {}): Promise<Res> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
    if (opts.key) headers['x-api-key'] = opts.key;
    const r = await fetch(`${base()}${path}`, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : undefined, headers: r.headers };
  };
}

const PASSWORD = 'correct horse battery';

describe('first-run setup and logins', () => {
  let gw: Gateway;
  const call = client(() => gw.url);
  let admin: any;

  before(async () => {
    gw = await startGateway(config([], { allowUnauthenticatedLoopback: false }));
  });
  after(async () => gw?.stop());

  test('status says setup is needed; setup through a proxy or with bad input is refused', async () => {
    assert.deepEqual((await call('GET', '/auth/status')).json, { setup_required: true });
    const proxied = await call('POST', '/auth/setup', { body: { username: 'alice', password: PASSWORD }, headers: { 'x-forwarded-for': '203.0.113.9' } });
    assert.equal(proxied.status, 401);
    assert.equal(proxied.json.error.code, 'SWB_AUTH_REQUIRED');
    const short = await call('POST', '/auth/setup', { body: { username: 'alice', password: 'short' } });
    assert.equal(short.status, 400);
    assert.equal(short.json.error.code, 'SWB_HTTP_BAD_REQUEST');
    const badName = await call('POST', '/auth/setup', { body: { username: ' bad name', password: PASSWORD } });
    assert.equal(badName.status, 400);
    const wrongKey = await call('POST', '/auth/setup', { body: { username: 'alice', password: PASSWORD }, key: 'nope' });
    assert.equal(wrongKey.status, 401);
  });

  test('setup from this machine creates the first admin once and logs them in', async () => {
    const r = await call('POST', '/auth/setup', { body: { username: 'Alice', password: PASSWORD } });
    assert.equal(r.status, 201);
    admin = r.json;
    assert.equal(admin.token_type, 'bearer');
    assert.equal(admin.expires_in, 900);
    assert.equal(admin.refresh_expires_in, 7 * 24 * 3600);
    assert.match(admin.refresh_token, /^sbr_/);
    assert.deepEqual([admin.user.username, admin.user.role], ['Alice', 'admin']);
    assert.equal(admin.user.password_hash, undefined);
    assert.deepEqual((await call('GET', '/auth/status')).json, { setup_required: false });
    const again = await call('POST', '/auth/setup', { body: { username: 'bob', password: PASSWORD } });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'SWB_STATE_CONFLICT');
  });

  test('/auth/me: who the token is; 401 without or with a bad token', async () => {
    const me = await call('GET', '/auth/me', { token: admin.access_token });
    assert.equal(me.status, 200);
    assert.deepEqual([me.json.kind, me.json.name, me.json.role, me.json.scopes], ['user', 'Alice', 'admin', ['read', 'write', 'execute', 'admin']]);
    const none = await call('GET', '/auth/me');
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /Bearer/);
    const forged = admin.access_token.slice(0, -4) + 'AAAA';
    const bad = await call('GET', '/auth/me', { token: forged });
    assert.equal(bad.status, 401);
    assert.equal(bad.json.error.code, 'SWB_AUTH_INVALID');
  });

  test('login: user names are case-insensitive; wrong password 401; bad input 400', async () => {
    const ok = await call('POST', '/auth/login', { body: { username: 'alice', password: PASSWORD } });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.user.username, 'Alice');
    const wrong = await call('POST', '/auth/login', { body: { username: 'alice', password: 'not the password' } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.error.code, 'SWB_AUTH_INVALID');
    const ghost = await call('POST', '/auth/login', { body: { username: 'nobody', password: 'not the password' } });
    assert.equal(ghost.status, 401);
    assert.equal(ghost.json.error.message, wrong.json.error.message, 'unknown users look like wrong passwords');
    assert.equal((await call('POST', '/auth/login', { body: { username: 'alice' } })).status, 400);
  });

  test('refresh rotates; presenting a used refresh token revokes the whole login', async () => {
    const login = (await call('POST', '/auth/login', { body: { username: 'alice', password: PASSWORD } })).json;
    const second = await call('POST', '/auth/refresh', { body: { refresh_token: login.refresh_token } });
    assert.equal(second.status, 200);
    assert.notEqual(second.json.refresh_token, login.refresh_token);
    assert.equal((await call('GET', '/auth/me', { token: second.json.access_token })).status, 200);
    const reuse = await call('POST', '/auth/refresh', { body: { refresh_token: login.refresh_token } });
    assert.equal(reuse.status, 401);
    assert.equal(reuse.json.error.details.reason, 'reuse_detected');
    const successor = await call('POST', '/auth/refresh', { body: { refresh_token: second.json.refresh_token } });
    assert.equal(successor.status, 401, 'the successor dies with its family');
    assert.equal((await call('GET', '/auth/me', { token: second.json.access_token })).status, 401, 'so do its access tokens');
    assert.equal((await call('POST', '/auth/refresh', { body: { refresh_token: 'sbr_unknown' } })).status, 401);
    assert.equal((await call('POST', '/auth/refresh', { body: {} })).status, 400);
    assert.equal((await call('GET', '/auth/me', { token: admin.access_token })).status, 200, 'other logins are untouched');
  });

  test('logout ends the login: access and refresh token both stop working', async () => {
    const login = (await call('POST', '/auth/login', { body: { username: 'alice', password: PASSWORD } })).json;
    assert.equal((await call('POST', '/auth/logout')).status, 401);
    const out = await call('POST', '/auth/logout', { token: login.access_token, body: {} });
    assert.deepEqual([out.status, out.json], [200, { revoked: true }]);
    assert.equal((await call('GET', '/auth/me', { token: login.access_token })).status, 401);
    assert.equal((await call('POST', '/auth/refresh', { body: { refresh_token: login.refresh_token } })).status, 401);
    assert.equal((await call('POST', '/auth/logout', { token: admin.access_token, body: { refresh_token: 42 } })).status, 400);
  });

  test('change-password checks the current one, ends every login and returns a new pair', async () => {
    const a = (await call('POST', '/auth/login', { body: { username: 'alice', password: PASSWORD } })).json;
    const b = (await call('POST', '/auth/login', { body: { username: 'alice', password: PASSWORD } })).json;
    const wrong = await call('POST', '/auth/change-password', { token: a.access_token, body: { current_password: 'not it at all', new_password: 'a new long password' } });
    assert.equal(wrong.status, 403);
    assert.equal((await call('POST', '/auth/change-password', { token: a.access_token, body: { current_password: PASSWORD, new_password: 'short' } })).status, 400);
    assert.equal((await call('POST', '/auth/change-password', { body: { current_password: PASSWORD, new_password: 'a new long password' } })).status, 401);
    const ok = await call('POST', '/auth/change-password', { token: a.access_token, body: { current_password: PASSWORD, new_password: 'a new long password' } });
    assert.equal(ok.status, 200);
    for (const t of [a.access_token, b.access_token, admin.access_token]) assert.equal((await call('GET', '/auth/me', { token: t })).status, 401);
    assert.equal((await call('POST', '/auth/refresh', { body: { refresh_token: b.refresh_token } })).status, 401);
    assert.equal((await call('GET', '/auth/me', { token: ok.json.access_token })).status, 200);
    assert.equal((await call('POST', '/auth/login', { body: { username: 'alice', password: PASSWORD } })).status, 401);
    admin = (await call('POST', '/auth/login', { body: { username: 'alice', password: 'a new long password' } })).json;
    assert.ok(admin.access_token);
  });

  test('repeated failures lock the account (429 with Retry-After) until an admin unlocks it; unknown names lock alike', async () => {
    const dave = await call('POST', '/api/users', { token: admin.access_token, body: { username: 'dave', password: PASSWORD, role: 'editor' } });
    assert.equal(dave.status, 201);
    for (let i = 0; i < 5; i++) assert.equal((await call('POST', '/auth/login', { body: { username: 'dave', password: `wrong-${i}-guess` } })).status, 401);
    const locked = await call('POST', '/auth/login', { body: { username: 'dave', password: PASSWORD } });
    assert.equal(locked.status, 429);
    assert.equal(locked.json.error.code, 'SWB_AUTH_RATE_LIMITED');
    assert.ok(Number(locked.headers.get('retry-after')) > 60, 'Retry-After in seconds');
    assert.ok((await call('GET', `/api/users/${dave.json.id}`, { token: admin.access_token })).json.locked_until);
    assert.equal((await call('PATCH', `/api/users/${dave.json.id}`, { token: admin.access_token, body: { unlock: true } })).status, 200);
    assert.equal((await call('POST', '/auth/login', { body: { username: 'dave', password: PASSWORD } })).status, 200);
    for (let i = 0; i < 5; i++) assert.equal((await call('POST', '/auth/login', { body: { username: 'ghost', password: `wrong-${i}-guess` } })).status, 401);
    assert.equal((await call('POST', '/auth/login', { body: { username: 'ghost', password: PASSWORD } })).status, 429);
  });

  test('an API key has no password to change', async () => {
    const key = (await call('POST', '/api/keys', { token: admin.access_token, body: { name: 'k', scopes: ['read'] } })).json.secret;
    const r = await call('POST', '/auth/change-password', { key, body: { current_password: PASSWORD, new_password: 'a new long password' } });
    assert.equal(r.status, 403);
    assert.deepEqual((await call('POST', '/auth/logout', { key, body: {} })).json, { revoked: false });
  });
});

describe('the admin token', () => {
  let gw: Gateway;
  const call = client(() => gw.url);
  const BOOT = 'bootstrap-key-for-tests-0123456789';

  before(async () => {
    gw = await startGateway(config([], { allowUnauthenticatedLoopback: false }), { env: { SWITCHBOARD_API_KEY: BOOT } });
  });
  after(async () => gw?.stop());

  test('rotate returns a never-expiring full-access token once; rotating again retires the old one', async () => {
    assert.deepEqual((await call('GET', '/api/admin-token', { key: BOOT })).json, { configured: false, rotated_at: null });
    const first = await call('POST', '/api/admin-token/rotate', { key: BOOT });
    assert.equal(first.status, 200);
    assert.match(first.json.token, /^sba_/);
    assert.equal((await call('GET', '/api/users', { token: first.json.token })).status, 200);
    assert.equal((await call('GET', '/auth/me', { token: first.json.token })).json.kind, 'admin_token');
    const second = (await call('POST', '/api/admin-token/rotate', { token: first.json.token })).json;
    assert.equal((await call('GET', '/api/users', { token: first.json.token })).status, 401);
    assert.equal((await call('GET', '/api/users', { token: second.token })).status, 200);
    const status = (await call('GET', '/api/admin-token', { token: second.token })).json;
    assert.deepEqual([status.configured, status.rotated_at], [true, second.rotated_at]);
  });

  test('401 without credentials, 403 without the admin scope, 400 on a bad body', async () => {
    assert.equal((await call('POST', '/api/admin-token/rotate')).status, 401);
    assert.equal((await call('GET', '/api/admin-token')).status, 401);
    const key = (await call('POST', '/api/keys', { key: BOOT, body: { name: 'writer', scopes: ['read', 'write', 'execute'] } })).json.secret;
    const forbidden = await call('POST', '/api/admin-token/rotate', { key });
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.json.error.code, 'SWB_AUTH_FORBIDDEN');
    assert.equal((await call('GET', '/api/admin-token', { key })).status, 403);
    const bad = await fetch(`${gw.url}/api/admin-token/rotate`, { method: 'POST', headers: { 'x-api-key': BOOT, 'content-type': 'application/json' }, body: '{not json' });
    assert.equal(bad.status, 400);
  });

  test('setup with the bootstrap key works remotely (through a proxy)', async () => {
    const r = await call('POST', '/auth/setup', { key: BOOT, body: { username: 'root', password: PASSWORD }, headers: { 'x-forwarded-for': '203.0.113.9' } });
    assert.equal(r.status, 201);
  });
});

describe('/mcp authentication', () => {
  let gw: Gateway;
  let open: Gateway;
  const call = client(() => gw.url);
  const BOOT = 'bootstrap-key-for-mcp-tests-0123456789';
  const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
  const mcpPost = (base: string, headers: Record<string, string>, path = '/mcp') =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(INIT) });

  before(async () => {
    gw = await startGateway(config([everything()], { allowUnauthenticatedLoopback: false }), { env: { SWITCHBOARD_API_KEY: BOOT } });
    open = await startGateway(config([], { allowUnauthenticatedLoopback: true }));
  });
  after(async () => {
    await gw?.stop();
    await open?.stop();
  });

  test('by default a request without credentials gets 401 with a challenge, also on /sse', async () => {
    const r = await mcpPost(gw.url, {});
    assert.equal(r.status, 401);
    assert.match(r.headers.get('www-authenticate') ?? '', /Bearer/);
    assert.match(((await r.json()) as any).error.message, /SWB_AUTH_REQUIRED/);
    assert.equal((await fetch(`${gw.url}/sse`)).status, 401);
    assert.equal((await fetch(`${gw.url}/messages?sessionId=x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 401);
  });

  test('API keys (Bearer and X-API-Key), user access tokens and the admin token work; ?apikey= does not', async () => {
    await call('POST', '/auth/setup', { key: BOOT, body: { username: 'erin', password: PASSWORD } });
    const login = (await call('POST', '/auth/login', { body: { username: 'erin', password: PASSWORD } })).json;
    const key: string = (await call('POST', '/api/keys', { token: login.access_token, body: { name: 'agent', scopes: ['read', 'execute'] } })).json.secret;
    const adminToken = (await call('POST', '/api/admin-token/rotate', { key: BOOT })).json.token;
    for (const headers of [{ authorization: `Bearer ${key}` }, { 'x-api-key': key }, { authorization: `Bearer ${login.access_token}` }, { authorization: `Bearer ${adminToken}` }] as Record<string, string>[]) {
      const c = await connectClient(gw.url, { headers });
      assert.equal(textOf(await c.callTool({ name: 'everything__echo', arguments: { message: 'hi' } })), 'Echo: hi');
      await c.close();
    }
    assert.equal((await mcpPost(gw.url, {}, `/mcp?apikey=${key}`)).status, 401);
    const wrong = await mcpPost(gw.url, { 'x-api-key': 'sbk_wrong' });
    assert.equal(wrong.status, 401);
    assert.match(((await wrong.json()) as any).error.message, /SWB_AUTH_INVALID/);
  });

  test('the opened loopback: requests without credentials are the local operator', async () => {
    const c = await connectClient(open.url);
    assert.ok(Array.isArray((await c.listTools()).tools));
    await c.close();
    const me = await fetch(`${open.url}/auth/me`);
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as any).kind, 'local');
  });

  test('binding a public address with no way to authenticate is refused', async () => {
    const dir = tempDir('sb-public-');
    try {
      await assert.rejects(serveSwitchboard({ config: config([], { allowUnauthenticatedLoopback: true }), dataDir: dir, host: '0.0.0.0', port: 0, env: {} }), /Refusing to listen on 0\.0\.0\.0/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('secrets never in clear', () => {
  test('no password, key, token or refresh token in the data directory or the log', async () => {
    const dir = tempDir('sb-secrets-');
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    let sb: ServingSwitchboard | undefined = await serveSwitchboard({ config: config([], { allowUnauthenticatedLoopback: false }), dataDir: dir, host: '127.0.0.1', port: 0, env: {}, logger: pino({ level: 'trace' }, sink) });
    const call = client(() => sb!.url);
    const secrets: string[] = [PASSWORD, 'second password here'];
    try {
      const setup = (await call('POST', '/auth/setup', { body: { username: 'frank', password: PASSWORD } })).json;
      const pair = (await call('POST', '/auth/refresh', { body: { refresh_token: setup.refresh_token } })).json;
      await call('POST', '/auth/refresh', { body: { refresh_token: setup.refresh_token } }); // reuse: logged as a warning
      const login = (await call('POST', '/auth/login', { body: { username: 'frank', password: PASSWORD } })).json;
      await call('POST', '/auth/login', { body: { username: 'frank', password: 'a wrong guess' } });
      const changed = (await call('POST', '/auth/change-password', { token: login.access_token, body: { current_password: PASSWORD, new_password: secrets[1] } })).json;
      const key = (await call('POST', '/api/keys', { token: changed.access_token, body: { name: 'k', scopes: ['read'] } })).json.secret;
      await call('GET', '/auth/me', { key });
      const adminToken = (await call('POST', '/api/admin-token/rotate', { token: changed.access_token })).json.token;
      await call('POST', '/api/users', { token: adminToken, body: { username: 'gina', password: 'gina password 1' } });
      secrets.push('gina password 1', setup.access_token, setup.refresh_token, pair.access_token, pair.refresh_token, login.access_token, login.refresh_token, changed.refresh_token, key, adminToken);
      assert.ok(secrets.every((s) => typeof s === 'string' && s.length >= 8));
    } finally {
      await sb.close();
      sb = undefined;
    }
    try {
      const files = readdirSync(dir);
      assert.ok(files.includes('switchboard.db'));
      for (const f of files) {
        const bytes = readFileSync(join(dir, f));
        for (const s of secrets) assert.equal(bytes.includes(Buffer.from(s)), false, `${f} holds a secret in clear`);
      }
      const log = lines.join('');
      assert.match(log, /refresh token reused/);
      for (const s of secrets) assert.equal(log.includes(s), false, 'the log holds a secret in clear');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
