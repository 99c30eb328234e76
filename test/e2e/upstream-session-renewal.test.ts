import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { config, connectClient, freePort, ROOT, startGateway, textOf, type Gateway } from './harness.js';

const EVERYTHING = join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

/** server-everything over Streamable HTTP on a fixed port, so a restart comes back where it was. */
async function startHttpUpstream(port: number): Promise<() => void> {
  const proc = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('HTTP upstream did not start')), 15_000);
    proc.stderr!.on('data', (d: Buffer) => {
      if (/running|listening/i.test(d.toString())) {
        clearTimeout(t);
        resolve();
      }
    });
  });
  return () => {
    try {
      process.kill(-proc.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
}

describe('a Streamable HTTP upstream that restarts and forgets our session', () => {
  let gw: Gateway;
  let client: Client;
  let stop: () => void;
  let port: number;

  before(async () => {
    port = await freePort();
    stop = await startHttpUpstream(port);
    gw = await startGateway(
      config([{ name: 'remote', transport: 'streamable-http', url: `http://127.0.0.1:${port}/mcp`, args: [], env: {}, headers: {}, enabled: true, quarantined: false, timeoutMs: 10_000 }]),
      { pingIntervalMs: 0 },
    );
    client = await connectClient(gw.url);
  });

  after(async () => {
    await client?.close();
    await gw?.stop();
    stop?.();
  });

  test('the next call succeeds on a new upstream session, without an error or a reconnect cycle', { timeout: 60_000 }, async () => {
    assert.equal(textOf(await client.callTool({ name: 'remote__echo', arguments: { message: 'first' } })), 'Echo: first');
    const states: string[] = [];
    const stopWatching = gw.events.subscribe((e: any) => {
      if (e.type === 'servers.changed') states.push(e.data.state);
    });
    try {
      stop();
      stop = await startHttpUpstream(port);
      // The very first call after the restart is answered: the refused request is re-sent on a new session.
      assert.equal(textOf(await client.callTool({ name: 'remote__echo', arguments: { message: 'after restart' } })), 'Echo: after restart');
      assert.equal(textOf(await client.callTool({ name: 'remote__echo', arguments: { message: 'again' } })), 'Echo: again');
      assert.equal(gw.upstreams.get('remote')!.state, 'ready');
      assert.deepEqual(states, [], 'the upstream never left the ready state');
    } finally {
      stopWatching();
    }
  });
});
