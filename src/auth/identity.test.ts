import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SwitchboardError, type Principal } from '../shared/index.js';
import { openStore, type Store } from '../store/index.js';
import { createIdentity, type Identity } from './identity.js';
import { SIGNING_KEY_FILE } from './signing-key.js';

/** Two identities on one data directory stand for the gateway and the CLI (or two replicas). */
describe('identity on a real store', () => {
  let dir: string;
  let store: Store;
  let other: Store;
  let clock = Date.parse('2030-01-01T00:00:00Z');
  let a: Identity;
  let b: Identity;
  const now = () => clock;
  const auth = (id: Identity, headers: Record<string, string>) => id.authenticator({ openLoopback: false })({ headers });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-identity-'));
    store = await openStore(dir);
    other = await openStore(dir);
    a = await createIdentity({ repo: store.auth, dataDir: dir, env: {}, bootstrapKeys: ['boot-key'], syncMs: 0, now });
    b = await createIdentity({ repo: other.auth, dataDir: dir, env: {}, bootstrapKeys: [], syncMs: 0, now });
  });
  after(async () => {
    await a.close();
    await b.close();
    await store.close();
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function addKey(expiresAt: string | null = null): Promise<{ id: string; secret: string }> {
    const { secret, hash, prefix } = a.mintApiKey();
    const id = `key_${Math.random().toString(36).slice(2)}`;
    await store.auth.insertApiKey({ id, name: id, prefix, keyHash: hash, scopes: ['read'], servers: ['gh*'], tools: null, expiresAt, createdBy: { kind: 'local', id: 't', name: 't' }, now: new Date(clock).toISOString() });
    return { id, secret };
  }

  test('the signing key file is private to its owner', () => {
    assert.equal(statSync(join(dir, SIGNING_KEY_FILE)).mode & 0o777, 0o600);
  });

  test('bootstrap keys and missing credentials', async () => {
    assert.equal(((await auth(a, { 'x-api-key': 'boot-key' })) as Principal).kind, 'bootstrap');
    const none = await auth(a, {});
    assert.ok(none instanceof SwitchboardError && none.code === 'SWB_AUTH_REQUIRED');
    assert.equal(((await a.authenticator({ openLoopback: () => true })({ headers: {} })) as Principal).kind, 'local');
    assert.equal(((await a.authenticator({ openLoopback: true })({ headers: {}, query: { apikey: 'boot-key' }, allowQueryKey: true })) as Principal).kind, 'bootstrap');
    const q = await auth(a, {});
    assert.ok(q instanceof SwitchboardError);
  });

  test('a key created elsewhere works at once; revoked elsewhere, it fails after the next sync', async () => {
    const { id, secret } = await addKey();
    const p = (await auth(b, { authorization: `Bearer ${secret}` })) as Principal;
    assert.deepEqual([p.kind, p.id, p.scopes, p.servers], ['api_key', id, ['read'], ['gh*']]);
    await store.auth.revokeApiKey(id, new Date(clock).toISOString());
    assert.equal(((await auth(b, { authorization: `Bearer ${secret}` })) as Principal).kind, 'api_key', 'served from memory until the sync');
    await b.sync();
    const after = await auth(b, { authorization: `Bearer ${secret}` });
    assert.ok(after instanceof SwitchboardError && after.code === 'SWB_AUTH_INVALID' && after.details?.['reason'] === 'revoked');
  });

  test('expiry follows the clock without any write', async () => {
    const { secret } = await addKey(new Date(clock + 60_000).toISOString());
    assert.equal(((await auth(a, { 'x-api-key': secret })) as Principal).kind, 'api_key');
    clock += 61_000;
    const expired = await auth(a, { 'x-api-key': secret });
    assert.ok(expired instanceof SwitchboardError && expired.details?.['reason'] === 'expired');
  });

  test('unknown keys are remembered briefly, so a flood does not reach the store each time', async () => {
    const bad = await auth(a, { 'x-api-key': 'sbk_not-a-key' });
    assert.ok(bad instanceof SwitchboardError && bad.code === 'SWB_AUTH_INVALID');
    assert.ok((await auth(a, { 'x-api-key': 'sbk_not-a-key' })) instanceof SwitchboardError);
  });

  test('no store access for credentials already seen (the /mcp hot path)', async () => {
    const calls: string[] = [];
    const counted = new Proxy(store.auth, { get: (t, k, r) => (typeof Reflect.get(t, k, r) === 'function' ? (...args: unknown[]) => (calls.push(String(k)), Reflect.get(t, k, r).apply(t, args)) : Reflect.get(t, k, r)) });
    const c = await createIdentity({ repo: counted, dataDir: dir, env: {}, bootstrapKeys: [], syncMs: 0, now });
    const { secret } = await addKey();
    await store.auth.insertUser({ id: 'usr_hot', username: 'hot', passwordHash: await c.hashPassword('hot password'), role: 'viewer', now: new Date(clock).toISOString() });
    const { tokens } = await c.sessions.login('hot', 'hot password', '127.0.0.1');
    calls.length = 0;
    for (let i = 0; i < 50; i++) {
      assert.equal(((await auth(c, { 'x-api-key': secret })) as Principal).kind, 'api_key');
      assert.equal(((await auth(c, { authorization: `Bearer ${tokens.access_token}` })) as Principal).kind, 'user');
      assert.ok((await auth(c, { 'x-api-key': 'sbk_unknown-key' })) instanceof SwitchboardError);
    }
    assert.deepEqual(calls.sort(), ['apiKeysByHash', 'apiKeysByHash', 'usersByIds'], 'one look-up per credential, first sight only');
    await c.close();
  });

  test('last use is written in batches by the sync', async () => {
    const { id, secret } = await addKey();
    await auth(a, { 'x-api-key': secret });
    assert.equal((await store.auth.apiKeyById(id))!.lastUsedAt, null);
    await a.sync();
    assert.equal((await store.auth.apiKeyById(id))!.lastUsedAt, new Date(clock).toISOString());
  });

  test('the admin token rotated elsewhere is accepted after a sync; the old one is not', async () => {
    const first = await a.rotateAdminToken();
    assert.equal(((await auth(a, { authorization: `Bearer ${first.token}` })) as Principal).kind, 'admin_token');
    await b.sync();
    assert.equal(((await auth(b, { authorization: `Bearer ${first.token}` })) as Principal).kind, 'admin_token');
    const second = await b.rotateAdminToken();
    await a.sync();
    assert.ok((await auth(a, { authorization: `Bearer ${first.token}` })) instanceof SwitchboardError);
    assert.equal(((await auth(a, { authorization: `Bearer ${second.token}` })) as Principal).kind, 'admin_token');
  });

  test('access tokens: 15 minutes; a logout elsewhere ends them after a sync', async () => {
    const now = new Date(clock).toISOString();
    await store.auth.insertUser({ id: 'usr_1', username: 'ann', passwordHash: await a.hashPassword('ann password'), role: 'editor', now });
    const { tokens } = await a.sessions.login('ann', 'ann password', '127.0.0.1');
    const p = (await auth(b, { authorization: `Bearer ${tokens.access_token}` })) as Principal;
    assert.deepEqual([p.kind, p.name, p.role, p.scopes], ['user', 'ann', 'editor', ['read', 'write', 'execute']]);
    const family = a.sessionOf((await auth(a, { authorization: `Bearer ${tokens.access_token}` })) as Principal)!;
    await a.sessions.revokeFamily(family);
    assert.ok((await auth(a, { authorization: `Bearer ${tokens.access_token}` })) instanceof SwitchboardError, 'at once where it happened');
    await b.sync();
    assert.ok((await auth(b, { authorization: `Bearer ${tokens.access_token}` })) instanceof SwitchboardError, 'after a sync elsewhere');

    const fresh = (await a.sessions.login('ann', 'ann password', '127.0.0.1')).tokens;
    clock += 15 * 60_000 + 1000;
    const old = await auth(a, { authorization: `Bearer ${fresh.access_token}` });
    assert.ok(old instanceof SwitchboardError && old.details?.['reason'] === 'expired');
    const renewed = await a.sessions.refresh(fresh.refresh_token);
    assert.equal(((await auth(a, { authorization: `Bearer ${renewed.tokens.access_token}` })) as Principal).name, 'ann');
    clock += 8 * 24 * 3600_000;
    await assert.rejects(a.sessions.refresh(renewed.tokens.refresh_token), (e: SwitchboardError) => e.details?.['reason'] === 'expired');
  });
});
