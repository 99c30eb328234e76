/**
 * Users and API keys over real HTTP: every route's happy path, bad input, missing credentials (401) and
 * wrong scope (403); the last-admin rule; ownership of keys; scopes capped by the creator; allow-list
 * validation; expiry and revocation on the REST API and on /mcp.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { config, connectClient, everything, startGateway, type Gateway } from './harness.js';

interface Res {
  status: number;
  json: any;
}

const BOOT = 'bootstrap-key-for-admin-tests-0123456789';
const PASSWORD = 'correct horse battery';

describe('users and API keys', () => {
  let gw: Gateway;
  let adminTok: string;
  let editor: { id: string; token: string };
  let viewer: { id: string; token: string };

  async function call(method: string, path: string, opts: { body?: unknown; token?: string; key?: string } = {}): Promise<Res> {
    const headers: Record<string, string> = {};
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
    if (opts.key) headers['x-api-key'] = opts.key;
    const r = await fetch(`${gw.url}${path}`, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : undefined };
  }
  const login = async (username: string, password = PASSWORD) => (await call('POST', '/auth/login', { body: { username, password } })).json.access_token as string;
  const mcpStatus = async (key: string) =>
    (
      await fetch(`${gw.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-api-key': key },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
      })
    ).status;

  before(async () => {
    gw = await startGateway(config([everything()], { allowUnauthenticatedLoopback: false }), { env: { SWITCHBOARD_API_KEY: BOOT } });
    await call('POST', '/auth/setup', { key: BOOT, body: { username: 'admin', password: PASSWORD } });
    adminTok = await login('admin');
    const e = await call('POST', '/api/users', { token: adminTok, body: { username: 'eddie', password: PASSWORD, role: 'editor' } });
    const v = await call('POST', '/api/users', { token: adminTok, body: { username: 'vera', password: PASSWORD } });
    editor = { id: e.json.id, token: await login('eddie') };
    viewer = { id: v.json.id, token: await login('vera') };
  });
  after(async () => gw?.stop());

  describe('/api/users', () => {
    test('list: admins see every user in the paging envelope; 400/401/403', async () => {
      const r = await call('GET', '/api/users?page=1&page_size=2', { token: adminTok });
      assert.equal(r.status, 200);
      assert.deepEqual([r.json.total, r.json.page, r.json.page_size, r.json.pages, r.json.items.length], [3, 1, 2, 2, 2]);
      assert.ok(r.json.items.every((u: any) => u.password_hash === undefined && u.passwordHash === undefined));
      assert.equal((await call('GET', '/api/users?page=0', { token: adminTok })).status, 400);
      assert.equal((await call('GET', '/api/users')).status, 401);
      assert.equal((await call('GET', '/api/users', { token: editor.token })).status, 403);
    });

    test('create: 201; a taken name (any case) 409; bad input 400; 401/403', async () => {
      const r = await call('POST', '/api/users', { token: adminTok, body: { username: 'walt', password: PASSWORD, role: 'viewer' } });
      assert.equal(r.status, 201);
      assert.deepEqual([r.json.username, r.json.role, r.json.disabled], ['walt', 'viewer', false]);
      const dup = await call('POST', '/api/users', { token: adminTok, body: { username: 'WALT', password: PASSWORD } });
      assert.equal(dup.status, 409);
      assert.equal(dup.json.error.code, 'SWB_STATE_CONFLICT');
      assert.equal((await call('POST', '/api/users', { token: adminTok, body: { username: 'x', password: PASSWORD, role: 'root' } })).status, 400);
      assert.equal((await call('POST', '/api/users', { token: adminTok, body: { username: 'has space', password: PASSWORD } })).status, 400);
      assert.equal((await call('POST', '/api/users', { body: { username: 'y', password: PASSWORD } })).status, 401);
      assert.equal((await call('POST', '/api/users', { token: editor.token, body: { username: 'y', password: PASSWORD } })).status, 403);
    });

    test('get: 200, unknown 404, 401/403', async () => {
      const r = await call('GET', `/api/users/${editor.id}`, { token: adminTok });
      assert.deepEqual([r.status, r.json.username, r.json.role], [200, 'eddie', 'editor']);
      const missing = await call('GET', '/api/users/usr_nope', { token: adminTok });
      assert.deepEqual([missing.status, missing.json.error.code], [404, 'SWB_ITEM_NOT_FOUND']);
      assert.equal((await call('GET', `/api/users/${editor.id}`)).status, 401);
      assert.equal((await call('GET', `/api/users/${editor.id}`, { token: viewer.token })).status, 403);
    });

    test('update: role, disable (ends logins at once), password reset; the last admin stays; 400/401/403/404', async () => {
      const walt = (await call('GET', '/api/users?page_size=200', { token: adminTok })).json.items.find((u: any) => u.username === 'walt');
      const waltTok = await login('walt');
      const promoted = await call('PATCH', `/api/users/${walt.id}`, { token: adminTok, body: { role: 'editor' } });
      assert.deepEqual([promoted.status, promoted.json.role], [200, 'editor']);
      assert.deepEqual((await call('GET', '/auth/me', { token: waltTok })).json.scopes, ['read', 'write', 'execute'], 'the role applies to live tokens');
      assert.equal((await call('PATCH', `/api/users/${walt.id}`, { token: adminTok, body: { disabled: true } })).json.disabled, true);
      assert.equal((await call('GET', '/auth/me', { token: waltTok })).status, 401);
      assert.equal((await call('POST', '/auth/login', { body: { username: 'walt', password: PASSWORD } })).status, 401);
      await call('PATCH', `/api/users/${walt.id}`, { token: adminTok, body: { disabled: false, password: 'reset password 1' } });
      assert.ok(await login('walt', 'reset password 1'));

      const me = (await call('GET', '/auth/me', { token: adminTok })).json.user;
      for (const body of [{ role: 'editor' }, { disabled: true }]) {
        const last = await call('PATCH', `/api/users/${me.id}`, { token: adminTok, body });
        assert.deepEqual([last.status, last.json.error.code], [409, 'SWB_AUTH_LAST_ADMIN']);
      }
      assert.equal((await call('PATCH', `/api/users/${me.id}`, { token: adminTok, body: {} })).status, 400);
      assert.equal((await call('PATCH', `/api/users/${me.id}`, { token: adminTok, body: { role: 'owner' } })).status, 400);
      assert.equal((await call('PATCH', '/api/users/usr_nope', { token: adminTok, body: { role: 'viewer' } })).status, 404);
      assert.equal((await call('PATCH', `/api/users/${walt.id}`, { body: { role: 'viewer' } })).status, 401);
      assert.equal((await call('PATCH', `/api/users/${walt.id}`, { token: editor.token, body: { role: 'admin' } })).status, 403);
    });

    test('delete: the user goes and their keys stop working; the last admin stays; 401/403/404', async () => {
      const tmp = (await call('POST', '/api/users', { token: adminTok, body: { username: 'temp', password: PASSWORD, role: 'editor' } })).json;
      const key = (await call('POST', '/api/keys', { token: await login('temp'), body: { name: 'temp-key', scopes: ['read'] } })).json.secret;
      assert.equal(await mcpStatus(key), 200);
      assert.equal((await call('DELETE', `/api/users/${tmp.id}`)).status, 401);
      assert.equal((await call('DELETE', `/api/users/${tmp.id}`, { token: editor.token })).status, 403);
      const del = await call('DELETE', `/api/users/${tmp.id}`, { token: adminTok });
      assert.deepEqual([del.status, del.json], [200, { deleted: tmp.id }]);
      assert.equal((await call('GET', `/api/users/${tmp.id}`, { token: adminTok })).status, 404);
      assert.equal(await mcpStatus(key), 401);
      assert.equal((await call('DELETE', `/api/users/${tmp.id}`, { token: adminTok })).status, 404);
      const me = (await call('GET', '/auth/me', { token: adminTok })).json.user;
      assert.equal((await call('DELETE', `/api/users/${me.id}`, { token: adminTok })).status, 409);
    });
  });

  describe('/api/keys', () => {
    let adminKey: any;

    test('create: scopes, allow-lists and expiry; the secret once; 401 without credentials', async () => {
      const r = await call('POST', '/api/keys', { token: adminTok, body: { name: 'ci', scopes: ['read', 'execute'], servers: ['every*'], tools: ['everything__echo', 'everything__get_*'], expires_in: '30d' } });
      assert.equal(r.status, 201);
      adminKey = r.json;
      assert.match(adminKey.secret, /^sbk_[A-Za-z0-9_-]{43}$/);
      assert.equal(adminKey.key.prefix, adminKey.secret.slice(0, 12));
      assert.deepEqual([adminKey.key.scopes, adminKey.key.servers, adminKey.key.tools, adminKey.key.status], [['read', 'execute'], ['every*'], ['everything__echo', 'everything__get_*'], 'active']);
      const days = (Date.parse(adminKey.key.expires_at) - Date.now()) / 86_400_000;
      assert.ok(days > 29.9 && days <= 30);
      const me = (await call('GET', '/auth/me', { key: adminKey.secret })).json;
      assert.deepEqual([me.kind, me.scopes, me.servers, me.tools], ['api_key', ['read', 'execute'], ['every*'], ['everything__echo', 'everything__get_*']]);
      assert.equal((await call('POST', '/api/keys', { body: { name: 'x', scopes: ['read'] } })).status, 401);
    });

    test('create: bad input is 400 (shape) or 422 (values)', async () => {
      const bad = async (body: unknown, status: number) => assert.equal((await call('POST', '/api/keys', { token: adminTok, body })).status, status, JSON.stringify(body));
      await bad({ name: 'x', scopes: ['root'] }, 400);
      await bad({ name: 'x', scopes: [] }, 400);
      await bad({ scopes: ['read'] }, 400);
      await bad({ name: 'x', scopes: ['read'], tools: 'everything__*' }, 400);
      await bad({ name: 'x', scopes: ['read'], tools: ['bad tool name'] }, 422);
      await bad({ name: 'x', scopes: ['read'], servers: ['db-[abc'] }, 422);
      await bad({ name: 'x', scopes: ['read'], tools: ['a{b,c'] }, 422);
      await bad({ name: 'x', scopes: ['read'], expires_in: '30 days' }, 422);
      await bad({ name: 'x', scopes: ['read'], expires_at: '2001-01-01T00:00:00Z' }, 422);
      await bad({ name: 'x', scopes: ['read'], expires_at: '2999-01-01T00:00:00Z', expires_in: '1d' }, 422);
      const r = await call('POST', '/api/keys', { token: adminTok, body: { name: 'x', scopes: ['read'], tools: ['ok', 'bad tool'] } });
      assert.equal(r.json.error.code, 'SWB_VALIDATION_FAILED');
      assert.match(r.json.error.message, /bad tool/);
    });

    test('non-admins: only scopes they hold, only their own keys; keys without admin cannot mint keys', async () => {
      const tooMuch = await call('POST', '/api/keys', { token: editor.token, body: { name: 'e', scopes: ['read', 'admin'] } });
      assert.deepEqual([tooMuch.status, tooMuch.json.error.code], [403, 'SWB_AUTH_FORBIDDEN']);
      assert.equal((await call('POST', '/api/keys', { token: viewer.token, body: { name: 'v', scopes: ['execute'] } })).status, 403);
      const mine = await call('POST', '/api/keys', { token: editor.token, body: { name: 'eddie-agent', scopes: ['read', 'execute'] } });
      assert.equal(mine.status, 201);
      assert.equal(mine.json.key.created_by.name, 'eddie');
      const viewerKey = await call('POST', '/api/keys', { token: viewer.token, body: { name: 'vera-read', scopes: ['read'] } });
      assert.equal(viewerKey.status, 201);

      const eddieList = (await call('GET', '/api/keys', { token: editor.token })).json;
      assert.deepEqual(eddieList.items.map((k: any) => k.name), ['eddie-agent']);
      assert.ok(eddieList.items.every((k: any) => k.secret === undefined && k.key_hash === undefined));
      const all = (await call('GET', '/api/keys?page_size=200', { token: adminTok })).json;
      assert.ok(all.items.some((k: any) => k.name === 'eddie-agent') && all.items.some((k: any) => k.name === 'ci'));

      assert.equal((await call('GET', `/api/keys/${adminKey.key.id}`, { token: editor.token })).status, 404, "someone else's key is invisible");
      assert.equal((await call('DELETE', `/api/keys/${adminKey.key.id}`, { token: editor.token })).status, 404);
      assert.equal((await call('GET', `/api/keys/${mine.json.key.id}`, { token: editor.token })).json.name, 'eddie-agent');

      const minted = await call('POST', '/api/keys', { key: mine.json.secret, body: { name: 'child', scopes: ['read'] } });
      assert.equal(minted.status, 403);
      const execOnly = (await call('POST', '/api/keys', { token: adminTok, body: { name: 'exec', scopes: ['execute'] } })).json.secret;
      assert.equal((await call('GET', '/api/keys', { key: execOnly })).status, 403, 'listing keys needs read');
      assert.equal((await call('GET', '/api/keys')).status, 401);
      assert.equal((await call('GET', '/api/keys?page_size=1000', { token: adminTok })).status, 400);
    });

    test("a key never exceeds its creator's current role", async () => {
      const k = (await call('POST', '/api/keys', { token: editor.token, body: { name: 'eddie-exec', scopes: ['read', 'execute'] } })).json;
      assert.equal((await call('PATCH', `/api/users/${editor.id}`, { token: adminTok, body: { role: 'viewer' } })).status, 200);
      assert.deepEqual((await call('GET', '/auth/me', { key: k.secret })).json.scopes, ['read']);
      await call('PATCH', `/api/users/${editor.id}`, { token: adminTok, body: { role: 'editor' } });
      assert.deepEqual((await call('GET', '/auth/me', { key: k.secret })).json.scopes, ['read', 'execute']);
    });

    test('get: 200 without the secret; 404; 401', async () => {
      const r = await call('GET', `/api/keys/${adminKey.key.id}`, { token: adminTok });
      assert.equal(r.status, 200);
      assert.equal(r.json.secret, undefined);
      assert.equal(JSON.stringify(r.json).includes(adminKey.secret), false);
      assert.equal((await call('GET', '/api/keys/key_nope', { token: adminTok })).status, 404);
      assert.equal((await call('GET', `/api/keys/${adminKey.key.id}`)).status, 401);
    });

    test('last use is recorded in batches', async () => {
      assert.equal(await mcpStatus(adminKey.secret), 200);
      await gw.identity.sync();
      assert.ok((await call('GET', `/api/keys/${adminKey.key.id}`, { token: adminTok })).json.last_used_at);
    });

    test('revoke: the key stops working on REST and /mcp at once; revoking again is harmless; 401/404', async () => {
      assert.equal(await mcpStatus(adminKey.secret), 200);
      assert.equal((await call('DELETE', `/api/keys/${adminKey.key.id}`)).status, 401);
      const r = await call('DELETE', `/api/keys/${adminKey.key.id}`, { token: adminTok });
      assert.deepEqual([r.status, r.json.status], [200, 'revoked']);
      assert.ok(r.json.revoked_at);
      assert.equal(await mcpStatus(adminKey.secret), 401);
      const me = await call('GET', '/auth/me', { key: adminKey.secret });
      assert.deepEqual([me.status, me.json.error.code], [401, 'SWB_AUTH_INVALID']);
      assert.equal((await call('DELETE', `/api/keys/${adminKey.key.id}`, { token: adminTok })).json.status, 'revoked');
      assert.equal((await call('DELETE', '/api/keys/key_nope', { token: adminTok })).status, 404);
    });

    test('an expired key fails with 401 SWB_AUTH_INVALID', async () => {
      const secret = 'sbk_expired-key-for-the-test-0123456789';
      const now = new Date().toISOString();
      await gw.store.auth.insertApiKey({
        id: 'key_expired',
        name: 'old',
        prefix: secret.slice(0, 12),
        keyHash: createHash('sha256').update(secret).digest('hex'),
        scopes: ['read', 'execute'],
        servers: null,
        tools: null,
        expiresAt: new Date(Date.now() - 1000).toISOString(),
        createdBy: { kind: 'local', id: 'test', name: 'test' },
        now,
      });
      assert.equal(await mcpStatus(secret), 401);
      const me = await call('GET', '/auth/me', { key: secret });
      assert.deepEqual([me.status, me.json.error.code, me.json.error.details.reason], [401, 'SWB_AUTH_INVALID', 'expired']);
      assert.equal((await call('GET', '/api/keys/key_expired', { token: adminTok })).json.status, 'expired');
    });

    test('admin changes are in the activity log, attributed and without secrets', async () => {
      const r = await call('GET', '/api/activity/logs?type=admin_change&page_size=200', { key: BOOT });
      assert.equal(r.status, 200);
      const actions = new Set(r.json.items.map((i: any) => i.method));
      for (const a of ['users.create', 'users.update', 'users.delete', 'keys.create', 'keys.revoke']) assert.ok(actions.has(a), a);
      const created = r.json.items.find((i: any) => i.method === 'keys.create' && i.target === adminKey.key.id);
      assert.equal(created.caller.name, 'admin');
      const full = await (await fetch(`${gw.url}/api/activity/export?type=admin_change&format=jsonl`, { headers: { 'x-api-key': BOOT } })).text();
      assert.match(full, /keys\.create/);
      for (const s of [adminKey.secret, PASSWORD, 'reset password 1']) assert.equal(full.includes(s), false);
    });

    test('a scoped key reaches tools on /mcp', async () => {
      const k = (await call('POST', '/api/keys', { token: adminTok, body: { name: 'agent', scopes: ['read', 'execute'] } })).json.secret;
      const c = await connectClient(gw.url, { headers: { authorization: `Bearer ${k}` } });
      assert.ok((await c.listTools()).tools.length > 0);
      await c.close();
    });
  });
});
