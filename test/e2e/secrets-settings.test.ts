/**
 * Secrets and settings through the REST API on a running gateway: every route's happy path, bad input,
 * 401 and 403; `${secret:NAME}` reaching a real upstream's environment; a missing secret keeping its
 * server from starting with a message that names it; and a secret value never showing up in a
 * response, an export, a log line or anywhere in the data directory.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { config, connectClient, everything, textOf, waitFor } from './harness.js';
import { expectError, filesContaining, startAdminGateway, type AdminGateway } from './admin-harness.js';

const VALUE = 'sk-test-5up3r-s3cret-V4LUE-9f8e7d6c';
const SECOND = 'second-secret-value-a1b2c3d4e5';

describe('secrets and settings over REST', () => {
  let gw: AdminGateway;
  let readKey: string;
  let writeKey: string;

  before(async () => {
    // `envsrv` needs a secret that does not exist yet; `ev` needs none.
    gw = await startAdminGateway(config([everything('ev'), everything('envsrv')].map((s) => (s.name === 'envsrv' ? { ...s, env: { SB_TEST_TOKEN: '${secret:SB_TEST_TOKEN}' } } : s)), { allowUnauthenticatedLoopback: false }));
    readKey = await gw.key(['read']);
    writeKey = await gw.key(['read', 'write']);
  });
  after(async () => gw?.stop());

  test('a server whose secret has no value does not start, and says which secret it needs', async () => {
    const r = await gw.api('GET', '/api/servers/envsrv');
    assert.equal(r.status, 200);
    assert.equal(r.body.connected, false);
    assert.match(r.body.problem ?? '', /SB_TEST_TOKEN/);
    assert.match(r.body.problem ?? '', /not defined|no value/);
  });

  test('placeholder → value → the upstream sees it in its environment', async () => {
    const created = await gw.api('POST', '/api/servers/envsrv/secrets', { name: 'SB_TEST_TOKEN' });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual({ ...created.body, created_at: 'x', updated_at: 'x' }, { name: 'SB_TEST_TOKEN', has_value: false, status: 'missing', created_at: 'x', updated_at: 'x' });
    const still = await gw.api('GET', '/api/servers/envsrv');
    assert.match(still.body.problem ?? '', /SB_TEST_TOKEN \(placeholder without a value\)/);

    const set = await gw.api('PUT', '/api/servers/envsrv/secrets/SB_TEST_TOKEN', { value: VALUE });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.body.has_value, true);
    assert.equal(set.body.status, 'set');
    await waitFor(async () => (await gw.api('GET', '/api/servers/envsrv')).body.connected === true, 20_000, 'envsrv to start once its secret is set');

    const client = await connectClient(gw.url, { headers: { authorization: 'Bearer admin-harness-bootstrap-key' } });
    try {
      const env = JSON.parse(textOf(await client.callTool({ name: 'envsrv__get-env', arguments: {} })));
      assert.equal(env.SB_TEST_TOKEN, VALUE, 'the resolved value reached the upstream process');
    } finally {
      await client.close();
    }
  });

  test('a new value restarts the server with it', async () => {
    const r = await gw.api('PUT', '/api/servers/envsrv/secrets/SB_TEST_TOKEN', { value: SECOND });
    assert.equal(r.status, 200);
    const client = await connectClient(gw.url, { headers: { authorization: 'Bearer admin-harness-bootstrap-key' } });
    try {
      await waitFor(async () => {
        try {
          return JSON.parse(textOf(await client.callTool({ name: 'envsrv__get-env', arguments: {} }))).SB_TEST_TOKEN === SECOND;
        } catch {
          return false;
        }
      }, 20_000, 'the restarted server to see the new value');
    } finally {
      await client.close();
    }
  });

  test('list shows names and status, never values', async () => {
    await gw.api('POST', '/api/servers/ev/secrets', { name: 'PLACEHOLDER_ONLY' });
    const r = await gw.api('GET', '/api/servers/envsrv/secrets', undefined, { key: readKey });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.items.map((s: any) => [s.name, s.has_value, s.status]), [['SB_TEST_TOKEN', true, 'set']]);
    assert.deepEqual([r.body.total, r.body.page, r.body.pages], [1, 1, 1]);
    const other = await gw.api('GET', '/api/servers/ev/secrets');
    assert.deepEqual(other.body.items.map((s: any) => s.name), ['PLACEHOLDER_ONLY'], 'secrets are per server');
  });

  test('bad input: unknown server 404, bad name / empty value 422, duplicate 409, unknown secret 404, wrong body 400', async () => {
    expectError(await gw.api('GET', '/api/servers/nope/secrets'), 404, 'SWB_SERVER_NOT_FOUND');
    expectError(await gw.api('PUT', '/api/servers/nope/secrets/X', { value: 'v' }), 404, 'SWB_SERVER_NOT_FOUND');
    expectError(await gw.api('POST', '/api/servers/ev/secrets', { name: '9starts-with-digit' }), 422, 'SWB_VALIDATION_FAILED');
    expectError(await gw.api('PUT', '/api/servers/ev/secrets/has-dash', { value: 'v' }), 422, 'SWB_VALIDATION_FAILED');
    expectError(await gw.api('PUT', '/api/servers/ev/secrets/EMPTY', { value: '' }), 422, 'SWB_VALIDATION_FAILED');
    expectError(await gw.api('PUT', '/api/servers/ev/secrets/BIG', { value: 'x'.repeat(64 * 1024 + 1) }), 422, 'SWB_VALIDATION_FAILED');
    expectError(await gw.api('POST', '/api/servers/ev/secrets', { name: 'PLACEHOLDER_ONLY' }), 409, 'SWB_STATE_CONFLICT');
    expectError(await gw.api('DELETE', '/api/servers/ev/secrets/NOT_THERE'), 404, 'SWB_SECRET_NOT_FOUND');
    expectError(await gw.api('PUT', '/api/servers/ev/secrets/X', { value: 42 }), 400, 'SWB_HTTP_BAD_REQUEST');
    expectError(await gw.api('POST', '/api/servers/ev/secrets', { value: 'no name' }), 400, 'SWB_HTTP_BAD_REQUEST');
  });

  test('401 without credentials, 403 without the scope; the write scope may manage secrets', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/servers/ev/secrets', undefined],
      ['POST', '/api/servers/ev/secrets', { name: 'A' }],
      ['PUT', '/api/servers/ev/secrets/A', { value: 'v' }],
      ['DELETE', '/api/servers/ev/secrets/A', undefined],
    ] as const) {
      expectError(await gw.api(method, path, body, { key: null }), 401, 'SWB_AUTH_REQUIRED');
      if (method !== 'GET') expectError(await gw.api(method, path, body, { key: readKey }), 403, 'SWB_AUTH_FORBIDDEN');
    }
    assert.equal((await gw.api('PUT', '/api/servers/ev/secrets/BY_EDITOR', { value: 'editor-value-123' }, { key: writeKey })).status, 200);
    const del = await gw.api('DELETE', '/api/servers/ev/secrets/BY_EDITOR', undefined, { key: writeKey });
    assert.equal(del.status, 200);
    assert.deepEqual(del.body, { deleted: 'BY_EDITOR' });
    assert.equal((await gw.api('GET', '/api/servers/ev/secrets')).body.items.some((s: any) => s.name === 'BY_EDITOR'), false);
  });

  test('settings: defaults, partial patch, null resets, 422 with every problem, nothing written on failure', async () => {
    const initial = await gw.api('GET', '/api/settings', undefined, { key: readKey });
    assert.equal(initial.status, 200);
    assert.equal(initial.body.settings.quarantine_config_servers, false);
    assert.equal(initial.body.settings.auto_approve_tool_changes, false);
    assert.equal(initial.body.settings.activity_retention_days, 30);

    const patched = await gw.api('PATCH', '/api/settings', { activity_retention_days: 7, cors_allowed_origins: ['https://ui.example.com'] });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.settings.activity_retention_days, 7);
    assert.equal(patched.body.settings.login_max_attempts, 5, 'other fields keep their values');
    assert.equal(gw.admin.settings.get().activity_retention_days, 7, 'readable synchronously by other services');

    const bad = await gw.api('PATCH', '/api/settings', { activity_retention_days: -1, login_max_attempts: 'five', cors_allowed_origins: ['https://ok.example.com/path'], typo_setting: true });
    expectError(bad, 422, 'SWB_SETTINGS_INVALID');
    const paths = bad.body.error.details.issues.map((i: any) => i.path).sort();
    assert.deepEqual(paths, ['activity_retention_days', 'cors_allowed_origins.0', 'login_max_attempts', 'typo_setting']);
    assert.equal((await gw.api('GET', '/api/settings')).body.settings.activity_retention_days, 7, 'a rejected patch changes nothing, not even its valid fields');

    const reset = await gw.api('PATCH', '/api/settings', { activity_retention_days: null });
    assert.equal(reset.body.settings.activity_retention_days, 30);
    expectError(await gw.api('PATCH', '/api/settings', [1, 2], {}), 400, 'SWB_HTTP_BAD_REQUEST');

    const policy = await gw.api('GET', '/api/settings/security-policy', undefined, { key: readKey });
    assert.equal(policy.status, 200);
    assert.equal(policy.body.activity_retention_days, undefined);
    const p2 = await gw.api('PATCH', '/api/settings/security-policy', { login_lockout_minutes: 30 });
    assert.equal(p2.body.login_lockout_minutes, 30);
    expectError(await gw.api('PATCH', '/api/settings/security-policy', { activity_retention_days: 3 }), 422, 'SWB_SETTINGS_INVALID');
  });

  test('settings: 401 and 403 (changing settings needs admin)', async () => {
    for (const [method, path] of [['GET', '/api/settings'], ['PATCH', '/api/settings'], ['GET', '/api/settings/security-policy'], ['PATCH', '/api/settings/security-policy']] as const) {
      const body = method === 'PATCH' ? { login_max_attempts: 9 } : undefined;
      expectError(await gw.api(method, path, body, { key: null }), 401, 'SWB_AUTH_REQUIRED');
      if (method === 'PATCH') expectError(await gw.api(method, path, body, { key: writeKey }), 403, 'SWB_AUTH_FORBIDDEN');
    }
    assert.notEqual((await gw.api('GET', '/api/settings')).body.settings.login_max_attempts, 9);
  });

  test('settings survive a restart of the store (read back from SQLite)', async () => {
    await gw.api('PATCH', '/api/settings', { auto_approve_tool_changes: true });
    await gw.admin.settings.reload();
    assert.equal(gw.admin.settings.get().auto_approve_tool_changes, true);
    await gw.api('PATCH', '/api/settings', { auto_approve_tool_changes: null });
  });

  test('the secret values appear in no response, export, log line or file of the data dir', async () => {
    for (const format of ['generic', 'claude', 'vscode', 'cursor', 'backup']) {
      const r = await gw.api('GET', `/api/export?format=${format}`);
      assert.equal(r.status, 200, `${format}: ${r.text.slice(0, 200)}`);
    }
    await gw.api('GET', '/api/config');
    await gw.api('GET', '/api/servers');
    await gw.api('GET', '/api/servers/envsrv');
    await gw.api('GET', '/api/activity/logs?page_size=100');
    await gw.activity.flush?.();
    for (const value of [VALUE, SECOND]) {
      const inResponses = gw.responses.filter((t) => t.includes(value));
      assert.deepEqual(inResponses.map((t) => t.slice(0, 200)), [], 'no API response carries the value');
      assert.deepEqual(gw.logs.filter((l) => l.includes(value)), [], 'no log line carries the value');
      assert.deepEqual(filesContaining(gw.dataDir, value), [], 'no file in the data dir carries the value in clear');
    }
    assert.ok(gw.logs.some((l) => l.includes('secret changed') && l.includes('SB_TEST_TOKEN')), 'changes are logged by name');
  });
});
