import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { config, connectClient, freePort, startGateway, textOf, type Gateway } from './harness.js';
import { startEverythingOnPort } from './everything-on-port.js';

describe('a Streamable HTTP upstream that restarts and forgets our session', () => {
  let gw: Gateway;
  let client: Client;
  let stop: () => void;
  let port: number;

  before(async () => {
    port = await freePort();
    stop = await startEverythingOnPort('streamableHttp', port);
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
      stop = await startEverythingOnPort('streamableHttp', port);
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
