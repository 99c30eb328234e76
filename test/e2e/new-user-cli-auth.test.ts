/**
 * Found by following the README as a new user: `switchboard tools list` / `call` against a running
 * gateway that requires credentials printed "Upstream refused POST initialize with HTTP 401 …" — the
 * gateway is no "upstream" to a CLI user, and nothing said to set SWITCHBOARD_API_KEY. Now the CLI
 * says which gateway refused, why, and what to do, under the stable error code.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { config, everything, ROOT, startGateway, type Gateway } from './harness.js';

function cli(args: string[], apiKey: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/run.ts'), ...args], { cwd: ROOT, env: { ...process.env, SWITCHBOARD_API_KEY: apiKey } });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status: status ?? -1, stdout, stderr });
    });
    p.stdin.end();
  });
}

describe('new user: the CLI against a gateway that requires credentials', () => {
  let gw: Gateway;
  before(async () => {
    gw = await startGateway(config([everything()], { allowUnauthenticatedLoopback: false }), { env: { SWITCHBOARD_API_KEY: 'new-user-key-123' } });
  });
  after(async () => gw?.stop());

  test('no key: SWB_AUTH_REQUIRED naming the gateway and SWITCHBOARD_API_KEY, exit 1, no "Upstream"', async () => {
    const r = await cli(['tools', 'list', '--url', gw.url], '');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^SWB_AUTH_REQUIRED: The gateway at http:\/\/127\.0\.0\.1:\d+ requires credentials: set SWITCHBOARD_API_KEY/);
    assert.match(r.stderr, /hint: /);
    assert.doesNotMatch(r.stderr, /Upstream/);
    assert.equal(r.stdout, '');
  });

  test('a wrong key: SWB_AUTH_INVALID, exit 1', async () => {
    const r = await cli(['call', 'everything__echo', '--args', '{"message":"x"}', '--url', gw.url], 'sbk_wrong');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^SWB_AUTH_INVALID: The gateway at .* refused the key in SWITCHBOARD_API_KEY/);
    assert.doesNotMatch(r.stderr, /Upstream/);
  });

  test('the right key works', async () => {
    const r = await cli(['call', 'everything__get-sum', '--args', '{"a": 2, "b": 40}', '--url', gw.url], 'new-user-key-123');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /42/);
  });
});
