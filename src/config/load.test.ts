import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SwitchboardError } from '../shared/errors.js';
import { defaultConfig, loadConfig, loadConfigFile, resolveConfigPath, type ServerConfig } from './index.js';

let dir: string;
let n = 0;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'swb-config-load-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Write a config (object → JSON, string → as is) to a fresh file in the temp dir and return its path. */
async function write(doc: unknown, name = `config-${++n}.json`): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  return file;
}

async function load(doc: unknown, env: Record<string, string> = {}) {
  return loadConfigFile(await write(doc), { env });
}

function byName(servers: ServerConfig[], name: string): ServerConfig {
  const found = servers.find((s) => s.name === name);
  assert.ok(found, `no server ${name}`);
  return found;
}

describe('loadConfigFile: accepted formats', () => {
  it('reads the Claude Desktop / Cursor object form, ignoring keys from other tools', async () => {
    const cfg = await load({
      mcpServers: {
        fs: { command: 'npx', args: ['-y', 'server-fs', '/tmp'], env: { DEBUG: '1' }, autoApprove: [], timeout: 30 },
        remote: { url: 'https://example.com/mcp', headers: { Authorization: 'Bearer x' }, disabled: true },
      },
      globalShortcut: 'Ctrl+Space',
    });
    assert.deepEqual(cfg.servers, [
      { name: 'fs', transport: 'stdio', command: 'npx', args: ['-y', 'server-fs', '/tmp'], env: { DEBUG: '1' }, headers: {}, enabled: true, quarantined: false, timeoutMs: 60000 },
      { name: 'remote', transport: 'streamable-http', args: [], env: {}, url: 'https://example.com/mcp', headers: { Authorization: 'Bearer x' }, enabled: false, quarantined: false, timeoutMs: 60000 },
    ]);
  });

  it('accepts transport / type synonyms and the http spellings', async () => {
    const cfg = await load({
      mcpServers: {
        a: { transport: 'sse', url: 'https://h/events' },
        b: { type: 'http', url: 'https://h/sse' },
        c: { type: 'streamableHttp', url: 'https://h/x' },
        d: { transport: 'streamable-http', type: 'http', url: 'https://h/y' },
        e: { type: 'stdio', command: 'x', enabled: false },
      },
    });
    assert.deepEqual(cfg.servers.map((s) => [s.name, s.transport, s.enabled]), [
      ['a', 'sse', true],
      ['b', 'streamable-http', true],
      ['c', 'streamable-http', true],
      ['d', 'streamable-http', true],
      ['e', 'stdio', false],
    ]);
  });

  it('infers the transport: command → stdio, url ending in /sse → sse, other url → streamable-http', async () => {
    const cfg = await load({
      mcpServers: {
        local: { command: 'x' },
        s1: { url: 'https://h/sse' },
        s2: { url: 'https://h/v1/sse/?key=1' },
        h: { url: 'https://h/mcp' },
        h2: { url: 'https://h/sse-events' },
      },
    });
    assert.deepEqual(cfg.servers.map((s) => s.transport), ['stdio', 'sse', 'sse', 'streamable-http', 'streamable-http']);
  });

  it('reads VS Code .vscode/mcp.json (top-level servers) and ignores inputs', async () => {
    const cfg = await load({
      inputs: [{ type: 'promptString', id: 'token', description: 'Token', password: true }],
      servers: {
        git: { type: 'stdio', command: 'uvx', args: ['mcp-server-git'] },
        api: { type: 'http', url: 'https://api.example.com/mcp' },
        old: { type: 'sse', url: 'https://api.example.com/events' },
      },
    });
    assert.deepEqual(cfg.servers.map((s) => [s.name, s.transport]), [['git', 'stdio'], ['api', 'streamable-http'], ['old', 'sse']]);
  });

  it('reads VS Code settings (mcp.servers) among unrelated settings', async () => {
    const cfg = await load({ 'editor.fontSize': 14, mcp: { inputs: [], servers: { mem: { command: 'npx', args: ['server-memory'] } } } });
    assert.deepEqual(cfg.servers.map((s) => s.name), ['mem']);
  });

  it("reads MCPProxy's array form with protocol, working_dir, enabled and quarantined", async () => {
    const cfg = await load({
      mcpServers: [
        { name: 'one', protocol: 'stdio', command: 'run', args: ['a'], working_dir: '/srv/one', enabled: true, quarantined: true, oauth: null, created: '2025-01-01T00:00:00Z' },
        { name: 'two', protocol: 'http', url: 'https://h/mcp', headers: { 'X-Key': 'k' }, enabled: false, quarantined: false },
        { name: 'three', protocol: 'auto', url: 'https://h/sse', enabled: true },
      ],
    });
    assert.deepEqual(byName(cfg.servers, 'one'), {
      name: 'one', transport: 'stdio', command: 'run', args: ['a'], env: {}, cwd: '/srv/one', headers: {}, enabled: true, quarantined: true, timeoutMs: 60000,
    });
    assert.equal(byName(cfg.servers, 'two').transport, 'streamable-http');
    assert.equal(byName(cfg.servers, 'two').enabled, false);
    assert.equal(byName(cfg.servers, 'three').transport, 'sse');
  });

  it('keeps servers in file order across sections', async () => {
    const text = '{ "servers": { "z": { "command": "z" } }, "mcpServers": { "b": { "command": "b" }, "a": { "command": "a" } }, "mcp": { "servers": { "m": { "command": "m" } } } }';
    const cfg = await load(text);
    assert.deepEqual(cfg.servers.map((s) => s.name), ['z', 'b', 'a', 'm']);
  });

  it('treats null fields as absent (some tools write them)', async () => {
    const cfg = await load({ mcpServers: { a: { command: 'x', args: null, env: null, url: null, alias: null } } });
    assert.deepEqual(byName(cfg.servers, 'a').args, []);
    assert.equal(byName(cfg.servers, 'a').url, undefined);
  });

  it('ignores a leading byte-order mark', async () => {
    const cfg = await load(`\uFEFF${JSON.stringify({ mcpServers: { a: { command: 'x' } } })}`);
    assert.equal(cfg.servers.length, 1);
  });
});

describe('loadConfigFile: settings and defaults', () => {
  it('fills every default for an empty object', async () => {
    assert.deepEqual(await load({}), defaultConfig());
    assert.deepEqual(defaultConfig(), {
      servers: [],
      gateway: { prefix: 'always', separator: '__' },
      http: { host: '127.0.0.1', port: 8080, maxBodyBytes: 4 * 1024 * 1024, allowedHosts: [], allowedOrigins: [] },
      allowUnauthenticatedLoopback: false,
    });
  });

  it('reads gateway, http, apiKey, allowUnauthenticatedLoopback and per-server extras', async () => {
    const cfg = await load({
      gateway: { prefix: 'never', separator: '.' },
      http: { host: '0.0.0.0', port: 0, maxBodyBytes: 1024, allowedHosts: ['gw.example.com'], allowedOrigins: ['https://app.example.com'] },
      apiKey: 'k-123',
      allowUnauthenticatedLoopback: true,
      mcpServers: { github: { command: 'gh-mcp', alias: 'gh', quarantined: true, timeoutMs: 5000 } },
    });
    assert.deepEqual(cfg.gateway, { prefix: 'never', separator: '.' });
    assert.deepEqual(cfg.http, { host: '0.0.0.0', port: 0, maxBodyBytes: 1024, allowedHosts: ['gw.example.com'], allowedOrigins: ['https://app.example.com'] });
    assert.equal(cfg.apiKey, 'k-123');
    assert.equal(cfg.allowUnauthenticatedLoopback, true);
    assert.deepEqual(
      (({ alias, quarantined, timeoutMs }) => ({ alias, quarantined, timeoutMs }))(byName(cfg.servers, 'github')),
      { alias: 'gh', quarantined: true, timeoutMs: 5000 },
    );
  });

  it('keeps partial sections merged with defaults', async () => {
    const cfg = await load({ gateway: { separator: '--' }, http: { port: 9000 } });
    assert.deepEqual(cfg.gateway, { prefix: 'always', separator: '--' });
    assert.equal(cfg.http.host, '127.0.0.1');
    assert.equal(cfg.http.port, 9000);
  });
});

describe('loadConfigFile: ${env:NAME} and cwd', () => {
  it('expands env references in env values, headers, url, args and apiKey; leaves ${secret:...} alone', async () => {
    const env = { TOKEN: 't0k', HOST: 'api.example.com', DIR: '/data', EMPTY: '' };
    const cfg = await load(
      {
        apiKey: '${env:TOKEN}',
        mcpServers: {
          local: { command: 'run', args: ['--dir=${env:DIR}', '${secret:KEEP}', 'x${env:EMPTY}y'], env: { T: '${env:TOKEN}', S: '${secret:GH}' } },
          remote: { url: 'https://${env:HOST}/mcp', headers: { Authorization: 'Bearer ${env:TOKEN}', 'X-Other': '${secret:OTHER}' } },
        },
      },
      env,
    );
    assert.equal(cfg.apiKey, 't0k');
    assert.deepEqual(byName(cfg.servers, 'local').args, ['--dir=/data', '${secret:KEEP}', 'xy']);
    assert.deepEqual(byName(cfg.servers, 'local').env, { T: 't0k', S: '${secret:GH}' });
    assert.equal(byName(cfg.servers, 'remote').url, 'https://api.example.com/mcp');
    assert.deepEqual(byName(cfg.servers, 'remote').headers, { Authorization: 'Bearer t0k', 'X-Other': '${secret:OTHER}' });
  });

  it('resolves a relative cwd against the config file directory, keeps an absolute one', async () => {
    const sub = join(dir, 'nested');
    await mkdir(sub, { recursive: true });
    const file = await write({ mcpServers: { rel: { command: 'x', cwd: './work' }, mp: { command: 'x', working_dir: '..' }, abs: { command: 'x', cwd: '/opt/srv' } } }, 'nested/switchboard.json');
    const cfg = await loadConfigFile(file);
    assert.equal(byName(cfg.servers, 'rel').cwd, join(sub, 'work'));
    assert.equal(byName(cfg.servers, 'mp').cwd, dir);
    assert.equal(byName(cfg.servers, 'abs').cwd, '/opt/srv');
  });
});

describe('loadConfigFile: unreadable files', () => {
  it('reports a missing file as SWB_CONFIG_UNREADABLE naming the path', async () => {
    const file = join(dir, 'does-not-exist.json');
    const err = await loadConfigFile(file).catch((e: unknown) => e);
    assert.ok(err instanceof SwitchboardError);
    assert.equal(err.code, 'SWB_CONFIG_UNREADABLE');
    assert.match(err.message, /does-not-exist\.json: file not found/);
    assert.equal(err.details?.['file'], file);
  });

  it('reports a directory as SWB_CONFIG_UNREADABLE', async () => {
    const err = await loadConfigFile(dir).catch((e: unknown) => e);
    assert.ok(err instanceof SwitchboardError);
    assert.equal(err.code, 'SWB_CONFIG_UNREADABLE');
    assert.match(err.message, /is a directory/);
  });
});

describe('resolveConfigPath / loadConfig', () => {
  it('prefers the flag, then SWITCHBOARD_CONFIG, then ./switchboard.json, else undefined', async () => {
    const cwd = await mkdtemp(join(dir, 'cwd-'));
    const env = { SWITCHBOARD_CONFIG: 'from-env.json' };
    assert.equal(resolveConfigPath('flag.json', { env, cwd }), join(cwd, 'flag.json'));
    assert.equal(resolveConfigPath('/abs/flag.json', { env, cwd }), '/abs/flag.json');
    assert.equal(resolveConfigPath(undefined, { env, cwd }), join(cwd, 'from-env.json'));
    assert.equal(resolveConfigPath('', { env: { SWITCHBOARD_CONFIG: '' }, cwd }), undefined);
    assert.equal(resolveConfigPath(undefined, { env: {}, cwd }), undefined);
    await writeFile(join(cwd, 'switchboard.json'), '{}');
    assert.equal(resolveConfigPath(undefined, { env: {}, cwd }), join(cwd, 'switchboard.json'));
  });

  it('loadConfig returns the defaults when there is no file, the loaded file otherwise', async () => {
    const cwd = await mkdtemp(join(dir, 'cwd-'));
    assert.deepEqual(await loadConfig(undefined, { env: {}, cwd }), { path: undefined, config: defaultConfig() });
    await writeFile(join(cwd, 'switchboard.json'), JSON.stringify({ mcpServers: { a: { command: 'x' } } }));
    const loaded = await loadConfig(undefined, { env: {}, cwd });
    assert.equal(loaded.path, join(cwd, 'switchboard.json'));
    assert.deepEqual(loaded.config.servers.map((s) => s.name), ['a']);
  });

  it('loadConfig fails when a named file is missing instead of falling back to defaults', async () => {
    const err = await loadConfig('missing.json', { env: {}, cwd: dir }).catch((e: unknown) => e);
    assert.ok(err instanceof SwitchboardError);
    assert.equal(err.code, 'SWB_CONFIG_UNREADABLE');
  });
});
