/**
 * Server admin state lives in the store: quarantine survives a config-file edit and a restart, disabled
 * tools survive a restart, and the `switchboard servers …` CLI changes the data dir under a running
 * gateway, which picks the change up by itself.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile } from '../../src/config/index.js';
import { serveSwitchboard, type ServingSwitchboard } from '../../src/main.js';
import { ROOT, tempDir, waitFor } from './harness.js';

const KEY = 'e2e-persistence-key';
const memoryPkg = join(ROOT, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');

function cli(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/run.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('server admin state across config edits, restarts and processes', () => {
  const dir = tempDir('sb-persist-');
  const dataDir = join(dir, 'data');
  const cfgPath = join(dir, 'switchboard.json');
  const mem = (file: string, extra: Record<string, unknown> = {}) => ({ command: process.execPath, args: [memoryPkg], env: { MEMORY_FILE_PATH: join(dir, file) }, ...extra });
  const writeConfig = (servers: Record<string, unknown>) => writeFileSync(cfgPath, JSON.stringify({ mcpServers: servers }, null, 2));
  let gw: ServingSwitchboard | undefined;

  async function start(): Promise<ServingSwitchboard> {
    const sb = await serveSwitchboard({ config: await loadConfigFile(cfgPath), configPath: cfgPath, dataDir, host: '127.0.0.1', port: 0, env: { SWITCHBOARD_API_KEY: KEY }, pingIntervalMs: 0, retry: { baseMs: 100, capMs: 400 } });
    await sb.settled(20_000);
    return sb;
  }
  async function api(method: string, path: string): Promise<any> {
    const res = await fetch(`${gw!.url}${path}`, { method, headers: { authorization: `Bearer ${KEY}` } });
    assert.equal(res.status, 200, `${method} ${path}: ${await res.clone().text()}`);
    return res.json();
  }
  const tools = () => gw!.admin.deps.catalog.snapshot().tools.map((t) => t.exposed);
  const state = async (name: string) => (await api('GET', `/api/servers/${name}`)) as any;

  before(() => writeConfig({ held: mem('held.jsonl', { quarantined: true }) }));
  after(async () => {
    await gw?.close();
  });

  test('a config-file quarantine is stored: removing the flag from the file does not lift it', async () => {
    gw = await start();
    const held = await state('held');
    assert.equal(held.quarantined, true);
    assert.equal(held.quarantine.by, 'config');
    assert.match(held.quarantine.reason, /config file/);
    assert.equal(held.state, 'stopped');
    // The same edit adds a server, so its arrival shows the reload has happened.
    writeConfig({ held: mem('held.jsonl'), other: mem('other.jsonl') });
    await waitFor(async () => (await state('other').catch(() => ({}))).state === 'ready', 20_000, 'reloaded config');
    assert.equal((await state('held')).quarantined, true, 'still quarantined after the flag left the file');
    assert.ok(!tools().some((t) => t.startsWith('held__')));
    await fetch(`${gw.url}/api/servers/other/tools/disabled`, { method: 'PUT', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ disabled_tools: ['read_graph'] }) });
    assert.ok(!tools().includes('other__read_graph') && tools().includes('other__search_nodes'));
  });

  test('quarantine and disabled tools survive a restart; only an approval lifts the quarantine', async () => {
    await gw!.close();
    gw = await start();
    assert.equal((await state('held')).quarantined, true);
    await waitFor(() => tools().includes('other__search_nodes'), 10_000, 'other tools');
    assert.ok(!tools().includes('other__read_graph'), 'disabled tool stays hidden after a restart');
    await api('POST', '/api/servers/held/approve');
    await waitFor(() => tools().includes('held__read_graph'), 20_000, 'approved server tools');
  });

  test('the servers CLI changes the data dir; the running gateway follows', async () => {
    const base = ['--config', cfgPath, '--data', dataDir];
    const added = cli(['servers', 'add', 'clisrv', '--command', process.execPath, '--env', `MEMORY_FILE_PATH=${join(dir, 'cli.jsonl')}`, ...base, '--json', '--', memoryPkg]);
    assert.equal(added.status, 0, added.stderr);
    const view = JSON.parse(added.stdout);
    assert.equal(view.source, 'api');
    assert.equal(view.quarantined, false, 'the operator at the terminal is trusted');
    assert.deepEqual(view.args, [memoryPkg]);
    await waitFor(() => tools().includes('clisrv__read_graph'), 20_000, 'CLI-added server on the running gateway');

    const q = cli(['servers', 'quarantine', 'clisrv', '--reason', 'review it', ...base]);
    assert.equal(q.status, 0, q.stderr);
    assert.match(q.stdout, /quarantined \(review it\)/);
    await waitFor(() => !tools().includes('clisrv__read_graph'), 10_000, 'quarantined by the CLI');
    assert.equal(cli(['servers', 'approve', 'clisrv', ...base]).status, 0);
    assert.equal(cli(['servers', 'disable', 'clisrv', ...base]).status, 0);
    await waitFor(async () => (await state('clisrv')).state === 'disabled', 10_000, 'disabled by the CLI');
    assert.equal(cli(['servers', 'enable', 'clisrv', ...base]).status, 0);
    await waitFor(() => tools().includes('clisrv__read_graph'), 20_000, 'enabled by the CLI');

    const inFile = cli(['servers', 'remove', 'held', ...base]);
    assert.equal(inFile.status, 1);
    assert.match(inFile.stderr, /SWB_SERVER_IN_CONFIG/);
    const usage = cli(['servers', 'add', 'x', ...base]);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--command .* or --url/);
    const unknown = cli(['servers', 'enable', 'nope', ...base]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /SWB_SERVER_NOT_FOUND/);

    assert.equal(cli(['servers', 'remove', 'clisrv', ...base]).status, 0);
    await waitFor(async () => (await fetch(`${gw!.url}/api/servers/clisrv`, { headers: { authorization: `Bearer ${KEY}` } })).status === 404, 10_000, 'removed by the CLI');
    assert.ok(!tools().some((t) => t.startsWith('clisrv__')));
  });
});
