import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, ROOT, tempDir, waitFor } from './harness.js';

const pkg = (name: string) => join(ROOT, 'node_modules/@modelcontextprotocol', name, 'dist/index.js');

function cli(args: string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/run.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function writeConfig(dir: string, servers: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const path = join(dir, 'switchboard.json');
  writeFileSync(path, JSON.stringify({ allowUnauthenticatedLoopback: true, ...extra, mcpServers: servers }, null, 2));
  return path;
}

const memoryServer = (file: string) => ({ command: process.execPath, args: [pkg('server-memory')], env: { MEMORY_FILE_PATH: file } });

describe('CLI against a running gateway, with hot reload from the file', () => {
  let dir: string;
  let configPath: string;
  let port: number;
  let proc: ChildProcess;
  const url = () => `http://127.0.0.1:${port}`;

  before(async () => {
    dir = tempDir('sb-cli-');
    port = await freePort();
    configPath = writeConfig(dir, { memory: memoryServer(join(dir, 'm.jsonl')) }, { http: { port } });
    proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/run.ts'), 'serve', '--config', configPath, '--data', join(dir, 'data')], { cwd: ROOT, stdio: 'ignore' });
    await waitFor(async () => {
      try {
        const h = (await (await fetch(`${url()}/health`)).json()) as any;
        return h.servers[0]?.state === 'ready';
      } catch {
        return false;
      }
    }, 30_000, 'gateway ready');
  });

  after(() => {
    proc?.kill('SIGTERM');
  });

  test('servers list and tools list show the running gateway', () => {
    const s = cli(['servers', 'list', '--config', configPath]);
    assert.equal(s.status, 0, s.stderr);
    assert.match(s.stdout, /memory\s+stdio\s+ready\s+healthy\s+9/);
    const j = cli(['servers', 'list', '--json', '--config', configPath]);
    assert.equal(JSON.parse(j.stdout)[0].name, 'memory');
    const t = cli(['tools', 'list', '--server', 'memory', '--config', configPath]);
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, /memory__read_graph/);
    assert.match(t.stdout, /9 tools/);
    const none = cli(['tools', 'list', '--server', 'nope', '--config', configPath]);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /SWB_SERVER_NOT_FOUND/);
  });

  test('call runs a tool and reports bad arguments clearly', () => {
    const ok = cli(['call', 'memory__create_entities', '--args', JSON.stringify({ entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote programs'] }] }), '--config', configPath]);
    assert.equal(ok.status, 0, ok.stderr);
    const read = cli(['call', 'memory__read_graph', '--json', '--config', configPath]);
    assert.match(read.stdout, /Ada/);
    const badJson = cli(['call', 'memory__read_graph', '--args', '{nope', '--config', configPath]);
    assert.equal(badJson.status, 2);
    assert.match(badJson.stderr, /SWB_INVALID_ARGUMENT: --args is not valid JSON/);
    const notObject = cli(['call', 'memory__read_graph', '--args', '[1,2]', '--config', configPath]);
    assert.equal(notObject.status, 2);
    const unknown = cli(['call', 'memory__nothing', '--config', configPath]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /Unknown tool: memory__nothing/);
  });

  test('editing the config file adds a server without restarting the others', async () => {
    const before = (await (await fetch(`${url()}/health`)).json()) as any;
    const pid = before.servers[0].pid;
    writeConfig(dir, { memory: memoryServer(join(dir, 'm.jsonl')), second: memoryServer(join(dir, 'm2.jsonl')) }, { http: { port } });
    await waitFor(async () => ((await (await fetch(`${url()}/health`)).json()) as any).servers.some((s: any) => s.name === 'second' && s.state === 'ready'), 15_000, 'second server');
    const after = (await (await fetch(`${url()}/health`)).json()) as any;
    assert.equal(after.servers[0].pid, pid, 'unchanged server kept its process');
  });

  test('a broken config file is rejected and the running config stays', async () => {
    writeFileSync(configPath, '{ "mcpServers": { "x": { "command": 42 } } }');
    await new Promise((r) => setTimeout(r, 800));
    const h = (await (await fetch(`${url()}/health`)).json()) as any;
    assert.deepEqual(h.servers.map((s: any) => s.name), ['memory', 'second']);
    assert.ok(h.servers.every((s: any) => s.state === 'ready'));
  });
});

describe('CLI without a running gateway', () => {
  test('tools list starts one in-process and stops it again', () => {
    const dir = tempDir('sb-cli2-');
    const configPath = writeConfig(dir, { mem: memoryServer(join(dir, 'm.jsonl')) }, { http: { port: 1 } });
    const t = cli(['tools', 'list', '--json', '--config', configPath, '--data', join(dir, 'data')]);
    assert.equal(t.status, 0, t.stderr);
    assert.ok(JSON.parse(t.stdout).some((x: any) => x.name === 'mem__read_graph'));
  });

  test('doctor passes on a good config and fails, naming the JSON path, on a bad one', () => {
    const dir = tempDir('sb-doc-');
    const good = writeConfig(dir, { mem: memoryServer(join(dir, 'm.jsonl')) });
    const ok = cli(['doctor', '--config', good]);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /server mem\s+ok\s+ready/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ mcpServers: { mem: { command: 'node', args: ['x', 7] } } }));
    const fail = cli(['doctor', '--config', bad, '--json']);
    assert.equal(fail.status, 1);
    const report = JSON.parse(fail.stdout);
    assert.equal(report.ok, false);
    assert.match(report.checks[0].detail, /mcpServers\.mem\.args\[1\]/);
    const broken = writeConfig(tempDir('sb-doc2-'), { gone: { command: '/no/such/binary' } });
    const down = cli(['doctor', '--config', broken]);
    assert.equal(down.status, 1);
    assert.match(down.stdout, /server gone\s+FAIL/);
  });

  test('usage errors exit 2 with help', () => {
    assert.equal(cli([]).status, 2);
    const u = cli(['frobnicate']);
    assert.equal(u.status, 2);
    assert.match(u.stderr, /Unknown command 'frobnicate'/);
    assert.equal(cli(['serve', '--port', 'abc']).status, 2);
    assert.equal(cli(['--version']).stdout.trim(), '0.1.0');
  });
});
