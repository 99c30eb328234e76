/**
 * `switchboard admin create`, `admin token --rotate` and `keys create|list|revoke` on the data directory
 * of a running gateway: what the CLI creates works on /mcp at once, what it revokes stops within seconds.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { config, connectClient, everything, ROOT, startGateway, textOf, waitFor, type Gateway } from './harness.js';

function cli(args: string[], stdin?: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/run.ts'), ...args], { cwd: ROOT, env: { ...process.env, SWITCHBOARD_API_KEY: '' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
    p.stdin.end(stdin ?? '');
  });
}

const mcpStatus = async (url: string, key: string) =>
  (
    await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${key}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
    })
  ).status;

describe('identity CLI on a running gateway\'s data directory', () => {
  let gw: Gateway;
  let keyId: string;
  let secret: string;

  before(async () => {
    gw = await startGateway(config([everything()], { allowUnauthenticatedLoopback: false }));
  });
  after(async () => gw?.stop());

  test('admin create: the first admin from stdin, then log in over REST; duplicates and usage errors fail', async () => {
    const r = await cli(['admin', 'create', '--username', 'ops', '--password-stdin', '--data', gw.dataDir], 'a long cli password\n');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Created admin 'ops'/);
    const login = await fetch(`${gw.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ops', password: 'a long cli password' }) });
    assert.equal(login.status, 200);
    assert.equal(((await login.json()) as any).user.role, 'admin');
    const dup = await cli(['admin', 'create', '--username', 'OPS', '--password', 'another password', '--data', gw.dataDir]);
    assert.equal(dup.status, 1);
    assert.match(dup.stderr, /SWB_STATE_CONFLICT/);
    const weak = await cli(['admin', 'create', '--username', 'ops2', '--password', 'short', '--data', gw.dataDir]);
    assert.equal(weak.status, 1);
    assert.match(weak.stderr, /SWB_VALIDATION_FAILED/);
    assert.equal((await cli(['admin', 'create', '--password', 'x', '--data', gw.dataDir])).status, 2);
  });

  test('keys create: the secret alone on stdout; it works on /mcp right away', async () => {
    const r = await cli(['keys', 'create', '--name', 'cli-agent', '--scopes', 'read,execute', '--tools', 'everything__echo,everything__get_*', '--expires', '30d', '--data', gw.dataDir]);
    assert.equal(r.status, 0, r.stderr);
    secret = r.stdout.trim();
    assert.match(secret, /^sbk_\S+$/);
    assert.match(r.stderr, /not shown again/);
    const c = await connectClient(gw.url, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(textOf(await c.callTool({ name: 'everything__echo', arguments: { message: 'from cli key' } })), 'Echo: from cli key');
    await c.close();
  });

  test('keys list: text and JSON, never the secret', async () => {
    const j = await cli(['keys', 'list', '--json', '--data', gw.dataDir]);
    assert.equal(j.status, 0, j.stderr);
    const keys = JSON.parse(j.stdout);
    const k = keys.find((x: any) => x.name === 'cli-agent');
    keyId = k.id;
    assert.deepEqual([k.scopes, k.tools, k.status], [['read', 'execute'], ['everything__echo', 'everything__get_*'], 'active']);
    assert.equal(j.stdout.includes(secret), false);
    const t = await cli(['keys', 'list', '--data', gw.dataDir]);
    assert.match(t.stdout, /cli-agent\s+sbk_/);
    assert.equal(t.stdout.includes(secret), false);
  });

  test('keys create: bad scopes and globs are refused', async () => {
    assert.equal((await cli(['keys', 'create', '--name', 'x', '--scopes', 'root', '--data', gw.dataDir])).status, 2);
    const glob = await cli(['keys', 'create', '--name', 'x', '--tools', 'bad tool', '--data', gw.dataDir]);
    assert.equal(glob.status, 1);
    assert.match(glob.stderr, /SWB_VALIDATION_FAILED/);
    assert.equal((await cli(['keys', 'create', '--name', 'x', '--expires', 'soon', '--data', gw.dataDir])).status, 1);
    assert.equal((await cli(['keys', 'create', '--data', gw.dataDir])).status, 2);
    assert.equal((await cli(['keys', 'revoke', 'key_nope', '--data', gw.dataDir])).status, 1);
  });

  test('keys revoke: the running gateway refuses the key within seconds', async () => {
    assert.equal(await mcpStatus(gw.url, secret), 200);
    const r = await cli(['keys', 'revoke', keyId, '--data', gw.dataDir]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Revoked API key/);
    await waitFor(async () => (await mcpStatus(gw.url, secret)) === 401, 6000, 'revocation to reach the gateway');
  });

  test('admin token --rotate prints a token the running gateway accepts within seconds', async () => {
    assert.equal((await cli(['admin', 'token', '--data', gw.dataDir])).status, 2);
    const r = await cli(['admin', 'token', '--rotate', '--data', gw.dataDir]);
    assert.equal(r.status, 0, r.stderr);
    const token = r.stdout.trim();
    assert.match(token, /^sba_\S+$/);
    await waitFor(async () => (await mcpStatus(gw.url, token)) === 200, 6000, 'admin token to reach the gateway');
    const users = await fetch(`${gw.url}/api/users`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(users.status, 200);
  });
});
