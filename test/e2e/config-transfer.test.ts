/**
 * Config get/validate/apply and export/import on running gateways: validate never changes the file or
 * the running state; apply is atomic; every export format round-trips through import; a tampered or
 * foreign backup is refused; a dry run and a failed import change nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile } from '../../src/config/index.js';
import { signedPart } from '../../src/admin/backup-signature.js';
import { fullAccess } from '../../src/shared/index.js';
import { ROOT, tempDir, waitFor } from './harness.js';
import { expectError, startAdminGateway, type AdminGateway } from './admin-harness.js';

const MASTER = randomBytes(32).toString('base64');
const ENV_VALUE = 'env-expanded-credential-77aa';
const TOKEN = 'remote-api-token-value-31337';
const everythingJs = join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

/** The operator's file: a local server, a remote one using a secret, and an env reference. */
const FILE_DOC = {
  gateway: { prefix: 'always', separator: '__' },
  mcpServers: {
    ev: { command: process.execPath, args: [everythingJs, 'stdio'], env: { FROM_ENV: '${env:SB_TRANSFER_ENV}' }, timeoutMs: 20_000 },
    remote: { type: 'http', url: 'http://127.0.0.1:9/mcp', headers: { Authorization: 'Bearer ${secret:API_TOKEN}' }, alias: 'rem' },
    legacy: { url: 'http://127.0.0.1:9/custom-sse-path', transport: 'sse', disabled: true },
  },
};

/** Reach fields of a generic export entry, for comparing two gateways' servers. */
function reach(entry: any, keep: string[]): Record<string, unknown> {
  return Object.fromEntries(keep.filter((k) => entry[k] !== undefined).map((k) => [k, entry[k]]));
}

async function servers(gw: AdminGateway): Promise<any[]> {
  return (await gw.api('GET', '/api/export?format=generic')).body.mcpServers;
}

function listDir(dir: string): string[] {
  return readdirSync(dir).sort();
}

describe('config and transfer', () => {
  let dir: string;
  let file: string;
  let a: AdminGateway;
  let writeKey: string;
  let readKey: string;
  const env = { SB_TRANSFER_ENV: ENV_VALUE, SWITCHBOARD_MASTER_KEY: MASTER };

  before(async () => {
    dir = tempDir('sb-config-');
    file = join(dir, 'switchboard.json');
    writeFileSync(file, JSON.stringify(FILE_DOC, null, 2));
    const cfg = { ...(await loadConfigFile(file, { env })), allowUnauthenticatedLoopback: false };
    a = await startAdminGateway(cfg, { env, configPath: file });
    readKey = await a.key(['read']);
    writeKey = await a.key(['read', 'write']);
    assert.equal((await a.api('PUT', '/api/servers/remote/secrets/API_TOKEN', { value: TOKEN })).status, 200);
    assert.equal((await a.api('POST', '/api/servers/ev/secrets', { name: 'LATER' })).status, 201);
    assert.equal((await a.api('PATCH', '/api/settings', { activity_retention_days: 9 })).status, 200);
  });
  after(async () => a?.stop());

  test('GET /api/config: the running config with credentials masked', async () => {
    const r = await a.api('GET', '/api/config', undefined, { key: readKey });
    assert.equal(r.status, 200);
    assert.equal(r.body.path, file);
    const ev = r.body.config.servers.find((s: any) => s.name === 'ev');
    assert.equal(ev.env.FROM_ENV, '********', 'an expanded ${env:...} value is masked');
    const remote = r.body.config.servers.find((s: any) => s.name === 'remote');
    assert.equal(remote.headers.Authorization, '********');
    assert.ok(!r.text.includes(ENV_VALUE));
    expectError(await a.api('GET', '/api/config', undefined, { key: null }), 401, 'SWB_AUTH_REQUIRED');
  });

  test('POST /api/config/validate reports issues with JSON paths and changes nothing', async () => {
    const before = { text: readFileSync(file, 'utf8'), mtime: statSync(file).mtimeMs, files: listDir(dir), servers: a.upstreams.list().map((u) => u.name), config: a.config() };
    const bad = await a.api('POST', '/api/config/validate', { mcpServers: { x: { command: 'node', args: ['ok', 3] }, y: { url: 'ftp://nope' } }, gateway: { prefix: 'sometimes' } }, { key: writeKey });
    assert.equal(bad.status, 200);
    assert.equal(bad.body.valid, false);
    const paths = bad.body.issues.map((i: any) => i.path);
    assert.ok(paths.includes('mcpServers.x.args[1]'), paths.join(', '));
    assert.ok(paths.some((p: string) => p.startsWith('mcpServers.y')), paths.join(', '));
    assert.ok(paths.some((p: string) => p.startsWith('gateway')), paths.join(', '));

    const text = await a.api('POST', '/api/config/validate', undefined, { raw: '{ "mcpServers": { "x": { "command": "a" }, }', contentType: 'text/plain', key: writeKey });
    assert.equal(text.body.valid, false);
    assert.match(text.body.issues[0].message, /line 1/);

    const good = await a.api('POST', '/api/config/validate', { mcpServers: { ev: FILE_DOC.mcpServers.ev, fresh: { command: 'node', env: { K: '${secret:NEEDED}' } } } }, { key: writeKey });
    assert.equal(good.body.valid, true, good.text);
    assert.deepEqual(good.body.servers.added, ['fresh']);
    assert.deepEqual(good.body.servers.removed.sort(), ['legacy', 'remote']);
    assert.match(good.body.warnings[0].message, /NEEDED/);

    assert.equal(readFileSync(file, 'utf8'), before.text, 'file content untouched');
    assert.equal(statSync(file).mtimeMs, before.mtime, 'file not rewritten');
    assert.deepEqual(listDir(dir), before.files, 'no temp files');
    assert.deepEqual(a.upstreams.list().map((u) => u.name), before.servers, 'running servers untouched');
    assert.equal(a.config(), before.config, 'running config untouched');
    expectError(await a.api('POST', '/api/config/validate', {}, { key: readKey }), 403, 'SWB_AUTH_FORBIDDEN');
    expectError(await a.api('POST', '/api/config/validate', {}, { key: null }), 401, 'SWB_AUTH_REQUIRED');
  });

  test('POST /api/config/apply: invalid → 422 and nothing written; valid → file replaced atomically and applied', async () => {
    const original = readFileSync(file, 'utf8');
    const invalid = await a.api('POST', '/api/config/apply', { mcpServers: { x: { command: 7 } } });
    expectError(invalid, 422, 'SWB_CONFIG_INVALID');
    assert.equal(invalid.body.error.details.issues[0].path, 'mcpServers.x.command');
    assert.equal(readFileSync(file, 'utf8'), original);
    expectError(await a.api('POST', '/api/config/apply', FILE_DOC, { key: writeKey }), 403, 'SWB_AUTH_FORBIDDEN');
    expectError(await a.api('POST', '/api/config/apply', FILE_DOC, { key: null }), 401, 'SWB_AUTH_REQUIRED');

    const next = { ...FILE_DOC, mcpServers: { ...FILE_DOC.mcpServers, ev2: { command: process.execPath, args: [everythingJs, 'stdio'] } } };
    const r = await a.api('POST', '/api/config/apply', next);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.servers.added, ['ev2']);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), next, 'the file holds the new document, references as written');
    assert.deepEqual(listDir(dir), ['switchboard.json'], 'no temp file left behind');
    assert.ok(a.config().servers.some((s) => s.name === 'ev2'));
    await waitFor(() => a.upstreams.get('ev2')?.state === 'ready', 20_000, 'ev2 to start');

    // Back to the original document for the export tests.
    assert.equal((await a.api('POST', '/api/config/apply', FILE_DOC)).status, 200);
    await waitFor(() => !a.upstreams.get('ev2'), 10_000, 'ev2 to be removed');
  });

  test('export formats carry the servers without secret or environment values', async () => {
    const claude = (await a.api('GET', '/api/export?format=claude')).body;
    assert.deepEqual(Object.keys(claude.mcpServers).sort(), ['ev', 'legacy', 'remote']);
    assert.equal(claude.mcpServers.ev.env.FROM_ENV, '${env:SB_TRANSFER_ENV}', 'references are exported as written');
    assert.equal(claude.mcpServers.remote.headers.Authorization, 'Bearer ${secret:API_TOKEN}');
    assert.deepEqual(reach(claude.mcpServers.remote, ['type', 'url']), { type: 'http', url: 'http://127.0.0.1:9/mcp' });
    assert.equal(claude.mcpServers.legacy.disabled, true);
    const vscode = (await a.api('GET', '/api/export?format=vscode')).body;
    assert.equal(vscode.servers.ev.type, 'stdio');
    assert.equal(vscode.servers.legacy.type, 'sse');
    const cursor = (await a.api('GET', '/api/export?format=cursor')).body;
    assert.equal(cursor.mcpServers.remote.type, undefined, 'Cursor infers remote servers from the url');
    assert.equal(cursor.mcpServers.legacy.type, 'sse', 'but an SSE url without /sse needs its type');
    const r = await a.api('GET', '/api/export?format=backup');
    assert.match(r.headers.get('content-disposition') ?? '', /switchboard-backup\.json/);
    for (const text of a.responses) {
      assert.ok(!text.includes(TOKEN), 'no secret value in any response');
      assert.ok(!text.includes(ENV_VALUE), 'no expanded environment value in any response');
    }
    expectError(await a.api('GET', '/api/export?format=zip'), 400, 'SWB_HTTP_BAD_REQUEST');
    expectError(await a.api('GET', '/api/export', undefined, { key: null }), 401, 'SWB_AUTH_REQUIRED');
    expectError(await a.api('GET', '/api/export', undefined, { key: writeKey }), 403, 'SWB_AUTH_FORBIDDEN');
  });

  test('round trip: every format exported by one gateway imports into another, quarantined', async () => {
    const original = await servers(a);
    const formats: [string, string[]][] = [
      ['generic', ['transport', 'command', 'args', 'env', 'cwd', 'url', 'headers', 'alias', 'timeoutMs', 'enabled']],
      ['backup', ['transport', 'command', 'args', 'env', 'cwd', 'url', 'headers', 'alias', 'timeoutMs', 'enabled']],
      ['claude', ['transport', 'command', 'args', 'env', 'url', 'headers', 'enabled']],
      ['cursor', ['transport', 'command', 'args', 'env', 'url', 'headers', 'enabled']],
      ['vscode', ['transport', 'command', 'args', 'env', 'cwd', 'url', 'headers', 'enabled']],
    ];
    for (const [format, keep] of formats) {
      const b = await startAdminGateway(emptyConfig(), { env });
      try {
        const doc = (await a.api('GET', `/api/export?format=${format}`)).body;
        const dry = await b.api('POST', '/api/import?dry_run=true', doc);
        assert.equal(dry.status, 200, `${format}: ${dry.text}`);
        assert.equal(dry.body.format, format === 'generic' ? 'generic' : format);
        assert.deepEqual(dry.body.servers.map((s: any) => [s.name, s.action]), [['ev', 'add'], ['remote', 'add'], ['legacy', 'add']], format);
        assert.deepEqual(await servers(b), [], `${format}: a dry run changes nothing`);

        const applied = await b.api('POST', '/api/import', doc);
        assert.equal(applied.status, 200, `${format}: ${applied.text}`);
        assert.equal(applied.body.applied, true);
        const got = await servers(b);
        assert.deepEqual(
          got.map((s: any) => [s.name, reach(s, keep)]),
          original.map((s: any) => [s.name, reach(s, keep)]),
          `${format}: the servers arrive as they left`,
        );
        assert.ok(got.every((s: any) => s.quarantined === true), `${format}: imported servers start quarantined`);
        const again = await b.api('POST', '/api/import?dry_run=true', doc);
        assert.deepEqual(again.body.servers.map((s: any) => s.action), ['unchanged', 'unchanged', 'unchanged'], `${format}: a second import changes nothing`);
      } finally {
        await b.stop();
      }
    }
  });

  test('backup restore on a gateway with the same master key brings back settings and sealed secrets', async () => {
    await a.admin.servers.setDisabledTools('ev', ['echo'], fullAccess('local', 'test', 'test'));
    const doc = (await a.api('GET', '/api/export?format=backup')).body;
    await a.admin.servers.setDisabledTools('ev', [], fullAccess('local', 'test', 'test'));
    assert.ok(!JSON.stringify(doc).includes(TOKEN), 'the backup holds the secret only as ciphertext');
    assert.ok(doc.secrets.some((s: any) => s.name === 'API_TOKEN' && s.ciphertext));
    const c = await startAdminGateway(emptyConfig(), { env });
    try {
      const dry = await c.api('POST', '/api/import?dry_run=true', doc);
      assert.equal(dry.body.settings, 'update');
      assert.deepEqual(dry.body.secrets.map((s: any) => [s.server, s.name, s.action, s.value]).sort(), [['ev', 'LATER', 'add', 'placeholder'], ['remote', 'API_TOKEN', 'add', 'restored']]);
      assert.equal(c.admin.settings.get().activity_retention_days, 30, 'dry run: settings untouched');
      const r = await c.api('POST', '/api/import', doc);
      assert.equal(r.status, 200, r.text);
      assert.equal(c.admin.settings.get().activity_retention_days, 9);
      const secrets = await c.api('GET', '/api/servers/remote/secrets');
      assert.deepEqual(secrets.body.items.map((s: any) => [s.name, s.status]), [['API_TOKEN', 'set']]);
      const resolved = c.admin.secrets.resolveServerSecrets({ name: 'remote', transport: 'streamable-http', url: 'http://x/mcp', args: [], env: {}, headers: { Authorization: 'Bearer ${secret:API_TOKEN}' }, enabled: true, quarantined: false, timeoutMs: 1 });
      assert.equal(resolved.headers['Authorization'], `Bearer ${TOKEN}`, 'the value decrypts on the new gateway');
      const ev = await c.api('GET', '/api/servers/ev');
      assert.deepEqual([ev.body.disabled_tools, ev.body.quarantined, ev.body.source], [['echo'], true, 'api'], 'per-server state comes back; the server waits for approval');
    } finally {
      await c.stop();
    }
  });

  test('backups carry profiles, tool pins with their states, and hosted servers with every tool version and request', async () => {
    const admin = fullAccess('local', 'test', 'test');
    // A profile, pins (one blocked, an auto-approve override), and a hosted server with a secret,
    // a tool in two versions (approved) and a pending network request.
    assert.equal((await a.api('POST', '/api/profiles', { name: 'bk', description: 'restored', tools: [{ match: 'ev/echo', name: 'say' }] })).status, 201);
    await waitFor(async () => (await a.api('GET', '/api/servers/ev/trust')).body.tools?.length > 0, 15_000, 'ev pins');
    await a.admin.trust.block('ev', 'tool', 'echo', admin);
    await a.admin.trust.setAutoApprove('ev', true, admin);
    await a.store.hosted.insertServer({ name: 'py', description: 'hosted', running: false, allowedHosts: ['api.example.com'], createdBy: 'test' });
    await a.store.hosted.createTool({ id: 'tool-bk-1', server: 'py', name: 'add', status: 'draft', version: 1, code: 'async def main(a: int):\n    return a\n', inputSchema: { type: 'object' }, submittedBy: 'local:test', submittedVia: 'api', review: null, createdBy: 'test' }, 'created');
    await a.store.hosted.saveTool('tool-bk-1', 'draft', { version: 2, code: 'async def main(a: int):\n    return a + 1\n', status: 'approved', review: { by: 'admin', at: new Date().toISOString() } }, { note: 'updated', by: 'test' });
    await a.store.hosted.insertRequest({ id: 'req-bk-1', kind: 'network', server: 'py', toolId: 'tool-bk-1', target: 'api.example.com', justification: 'calls the API', status: 'pending', requestedBy: 'local:test', requestedVia: 'api' });
    await a.admin.secrets.set('py', 'PY_TOKEN', TOKEN, admin);

    const doc = (await a.api('GET', '/api/export?format=backup')).body;
    assert.ok(!JSON.stringify(doc).includes(TOKEN), 'hosted secrets travel sealed, like every secret');
    assert.deepEqual(doc.profiles.map((p: any) => p.name), ['bk']);
    assert.ok(doc.trust.pins.some((p: any) => p.server === 'ev' && p.name === 'echo' && p.state === 'blocked'), JSON.stringify(doc.trust.pins.map((p: any) => [p.server, p.name, p.state])));
    assert.deepEqual(doc.trust.server_trust.map((t: any) => [t.server, t.auto_approve]), [['ev', 1]]);
    assert.deepEqual(doc.hosted.map((h: any) => [h.name, h.tools.map((t: any) => [t.name, t.status, t.versions.map((v: any) => v.version)]), h.requests.map((r: any) => r.id)]), [['py', [['add', 'approved', [1, 2]]], ['req-bk-1']]]);

    const c = await startAdminGateway(emptyConfig(), { env });
    try {
      const dry = await c.api('POST', '/api/import?dry_run=true', doc);
      assert.equal(dry.status, 200, dry.text);
      assert.deepEqual(dry.body.profiles, [{ name: 'bk', action: 'add' }]);
      const evPins = dry.body.pins.filter((p: any) => p.server === 'ev');
      assert.ok(evPins.length >= 2 && dry.body.pins.every((p: any) => p.action === 'add'), JSON.stringify(dry.body.pins));
      assert.deepEqual(dry.body.pins.find((p: any) => p.name === 'echo'), { server: 'ev', kind: 'tool', name: 'echo', state: 'blocked', action: 'add' });
      assert.deepEqual(dry.body.hosted, [{ name: 'py', action: 'add', tools: [{ id: 'tool-bk-1', name: 'add', status: 'approved', versions: 2 }], requests: [{ id: 'req-bk-1', kind: 'network', target: 'api.example.com', status: 'pending' }] }]);
      assert.ok(dry.body.secrets.some((s: any) => s.server === 'py' && s.name === 'PY_TOKEN' && s.value === 'restored'), JSON.stringify(dry.body.secrets));
      assert.equal((await c.store.trust.profiles()).length + (await c.store.trust.pins()).length + (await c.store.hosted.loadAll()).servers.length, 0, 'a dry run writes nothing');

      const r = await c.api('POST', '/api/import', doc);
      assert.equal(r.status, 200, r.text);
      const profile = await c.api('GET', '/api/profiles/bk');
      assert.deepEqual([profile.body.source, profile.body.description, profile.body.tools[0].name], ['api', 'restored', 'say']);
      const trust = await c.api('GET', '/api/servers/ev/trust');
      assert.equal(trust.status, 200, trust.text);
      assert.equal(trust.body.tools.find((t: any) => t.name === 'echo').state, 'blocked', 'the trust service sees the restored pins');
      assert.equal(trust.body.auto_approve_override, true);
      const hostedServer = await c.api('GET', '/api/hosted-servers/py');
      assert.deepEqual([hostedServer.body.allowed_hosts, hostedServer.body.tools.total, hostedServer.body.tools.approved], [['api.example.com'], 1, 1]);
      const tool = await c.store.hosted.tool('tool-bk-1');
      assert.deepEqual([tool?.status, tool?.version, tool?.review?.by], ['approved', 2, 'admin']);
      assert.deepEqual((await c.store.hosted.versions('tool-bk-1')).map((v) => [v.version, v.note]), [[2, 'updated'], [1, 'created']]);
      assert.deepEqual((await c.store.hosted.requests()).map((q) => [q.id, q.status, q.target]), [['req-bk-1', 'pending', 'api.example.com']]);
      assert.equal(c.admin.secrets.vault.reveal('py', 'PY_TOKEN'), TOKEN, "the hosted server's secret opens on the new gateway");

      const again = await c.api('POST', '/api/import?dry_run=true', doc);
      assert.deepEqual([again.body.profiles[0].action, again.body.hosted[0].action, [...new Set(again.body.pins.map((p: any) => p.action))]], ['unchanged', 'unchanged', ['unchanged']]);

      // A backup written before these sections existed (re-signed with the same key) restores as before.
      const { signature: _sig, profiles: _p, trust: _t, hosted: _h, ...rest } = doc;
      const legacy = { ...rest, hosted: [] };
      const signedLegacy = { ...legacy, signature: { alg: 'HMAC-SHA256', key_id: doc.key_id, value: a.admin.secrets.sign(signedPart(legacy)) } };
      const old = await c.api('POST', '/api/import?dry_run=true', signedLegacy);
      assert.equal(old.status, 200, old.text);
      assert.deepEqual([old.body.profiles, old.body.pins, old.body.hosted], [[], [], []]);

      // A hosted server named like an upstream server is a conflict, and nothing is written.
      const clash = structuredClone(doc);
      clash.hosted[0].name = 'ev';
      for (const t of clash.hosted[0].tools) t.server = 'ev';
      for (const q of clash.hosted[0].requests) q.server = 'ev';
      const { signature: _s2, ...clashBody } = clash;
      clash.signature = { ...doc.signature, value: a.admin.secrets.sign(signedPart(clashBody)) };
      const refused = await c.api('POST', '/api/import', clash);
      expectError(refused, 409, 'SWB_IMPORT_CONFLICT');
      assert.match(refused.body.error.message, /hosted server ev \(conflict/);
      assert.equal(await c.store.hosted.server('ev'), undefined);
    } finally {
      await c.stop();
    }
  });

  test('a backup with an altered profile, pin or hosted tool is refused with 422', async () => {
    const doc = (await a.api('GET', '/api/export?format=backup')).body;
    const d = await startAdminGateway(emptyConfig(), { env });
    try {
      const edits: ((x: any) => void)[] = [
        (x) => (x.profiles[0].definition.tools[0].match = 'ev/*'),
        (x) => (x.trust.pins.find((p: any) => p.state === 'blocked').state = 'approved'),
        (x) => (x.hosted[0].tools[0].status = 'approved-by-nobody'),
        (x) => (x.hosted[0].tools[0].versions[0].code = 'import os'),
        (x) => (x.hosted[0].requests[0].status = 'approved'),
        (x) => delete x.hosted,
      ];
      for (const edit of edits) {
        const t = structuredClone(doc);
        edit(t);
        expectError(await d.api('POST', '/api/import?dry_run=true', t), 422, 'SWB_IMPORT_SIGNATURE_INVALID');
        expectError(await d.api('POST', '/api/import', t), 422, 'SWB_IMPORT_SIGNATURE_INVALID');
      }
      assert.equal((await d.store.trust.profiles()).length + (await d.store.trust.pins()).length + (await d.store.hosted.loadAll()).servers.length, 0);
    } finally {
      await d.stop();
    }
  });

  test('a tampered, unsigned or foreign backup is refused with 422 and changes nothing', async () => {
    const doc = (await a.api('GET', '/api/export?format=backup')).body;
    const d = await startAdminGateway(emptyConfig(), { env });
    const foreign = await startAdminGateway(emptyConfig(), { env: { SWITCHBOARD_MASTER_KEY: randomBytes(32).toString('hex') } });
    try {
      const tampered = structuredClone(doc);
      tampered.servers[0].command = '/bin/evil';
      const t = await d.api('POST', '/api/import', tampered);
      expectError(t, 422, 'SWB_IMPORT_SIGNATURE_INVALID');
      assert.match(t.body.error.message, /altered/);
      const settingsOnly = structuredClone(doc);
      settingsOnly.settings.quarantine_config_servers = !settingsOnly.settings.quarantine_config_servers;
      expectError(await d.api('POST', '/api/import?dry_run=true', settingsOnly), 422, 'SWB_IMPORT_SIGNATURE_INVALID');
      const { signature: _s, ...unsigned } = doc;
      expectError(await d.api('POST', '/api/import', unsigned), 422, 'SWB_IMPORT_SIGNATURE_INVALID');
      const f = await foreign.api('POST', '/api/import', doc);
      expectError(f, 422, 'SWB_IMPORT_SIGNATURE_INVALID');
      assert.match(f.body.error.message, /another master key/);
      assert.deepEqual(await servers(d), []);
      assert.deepEqual(await servers(foreign), []);
      assert.equal(d.admin.settings.get().activity_retention_days, 30);
    } finally {
      await d.stop();
      await foreign.stop();
    }
  });

  test('a failing import changes nothing: a conflict, an invalid server, and a failure while writing', async () => {
    const e = await startAdminGateway(emptyConfig(), { env });
    try {
      assert.equal((await e.api('POST', '/api/import', { mcpServers: { keep: { command: 'node', args: ['a.js'] } } })).status, 200);
      const before = await servers(e);
      // `keep` differs from what is stored → update is fine, but `bad` needs an unset variable → invalid.
      const invalid = await e.api('POST', '/api/import', { mcpServers: { keep: { command: 'node', args: ['b.js'] }, fresh: { command: 'node' }, bad: { command: 'node', env: { X: '${env:SB_NOT_SET_ANYWHERE}' } } } });
      expectError(invalid, 409, 'SWB_IMPORT_CONFLICT');
      assert.match(invalid.body.error.message, /SB_NOT_SET_ANYWHERE/);
      assert.deepEqual(await servers(e), before, 'nothing imported');
      const syntax = await e.api('POST', '/api/import', { mcpServers: { ok: { command: 'node' }, broken: { command: 'node', args: 'not-an-array' } } });
      expectError(syntax, 422, 'SWB_CONFIG_INVALID');
      assert.equal(syntax.body.error.details.issues[0].path, 'mcpServers.broken.args');
      expectError(await e.api('POST', '/api/import', { hello: 'world' }), 422, 'SWB_IMPORT_FORMAT_UNKNOWN');
      expectError(await e.api('POST', '/api/import', 'just a string'), 422, 'SWB_IMPORT_FORMAT_UNKNOWN');
      expectError(await e.api('POST', '/api/import?dry_run=maybe', {}), 400, 'SWB_HTTP_BAD_REQUEST');
      assert.deepEqual(await servers(e), before);

      // A backup whose server write fails after its secrets and settings were written: all rolled back.
      const backup = (await a.api('GET', '/api/export?format=backup')).body;
      const realCreate = e.admin.servers.createMany;
      e.admin.servers.createMany = async () => {
        throw new Error('disk full (injected)');
      };
      try {
        const r = await e.api('POST', '/api/import', backup);
        assert.equal(r.status, 500);
      } finally {
        e.admin.servers.createMany = realCreate;
      }
      assert.deepEqual(await servers(e), before);
      assert.equal(e.admin.settings.get().activity_retention_days, 30, 'settings rolled back');
      assert.equal((await e.store.secrets.list()).length, 0, 'no secret left behind');
      assert.deepEqual(await e.store.trust.profiles(), [], 'no profile left behind');
      assert.deepEqual(await e.store.trust.pins(), [], 'no pin left behind');
      assert.deepEqual((await e.store.hosted.loadAll()).servers, [], 'no hosted server left behind');
      assert.ok(backup.hosted.length > 0 && backup.profiles.length > 0 && backup.trust.pins.length > 0, 'the backup had all of them');
      assert.equal(e.admin.secrets.vault.all().length, 0);
    } finally {
      await e.stop();
    }
  });

  test('MCPProxy (array) and McpHub (bare array) documents import too', async () => {
    const g = await startAdminGateway(emptyConfig(), { env });
    try {
      const proxy = { mcpServers: [{ name: 'px', protocol: 'http', url: 'https://px.example.com/mcp', enabled: true }, { name: 'local', command: 'node', args: ['x.js'], working_dir: '/srv', enabled: false }] };
      const r = await g.api('POST', '/api/import', proxy);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.format, 'mcpproxy');
      const hub = [{ name: 'hub', transport: 'sse', url: 'https://hub.example.com/events' }];
      const h = await g.api('POST', '/api/import', hub);
      assert.equal(h.body.format, 'mcphub');
      const got = await servers(g);
      assert.deepEqual(
        got.map((s: any) => [s.name, s.transport, s.url ?? s.command, s.cwd ?? null, s.enabled, s.quarantined]),
        [['px', 'streamable-http', 'https://px.example.com/mcp', null, true, true], ['local', 'stdio', 'node', '/srv', false, true], ['hub', 'sse', 'https://hub.example.com/events', null, true, true]],
      );
    } finally {
      await g.stop();
    }
  });

  test('import: 401 without credentials, 403 without admin', async () => {
    expectError(await a.api('POST', '/api/import?dry_run=true', { mcpServers: {} }, { key: null }), 401, 'SWB_AUTH_REQUIRED');
    expectError(await a.api('POST', '/api/import?dry_run=true', { mcpServers: {} }, { key: writeKey }), 403, 'SWB_AUTH_FORBIDDEN');
  });
});

function emptyConfig() {
  return {
    servers: [],
    gateway: { prefix: 'always' as const, separator: '__' },
    http: { host: '127.0.0.1', port: 0, maxBodyBytes: 4 * 1024 * 1024, allowedHosts: [], allowedOrigins: [] },
    allowUnauthenticatedLoopback: false,
  };
}
