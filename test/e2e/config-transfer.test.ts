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
