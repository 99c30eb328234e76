import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { freePort, tempDir, textOf, waitFor } from './harness.js';
import { rpc, startGatewayProcess, tamper, writeSessionConfig, type GatewayProcess } from './session-harness.js';

const KEY = 'sk-restart-test-bootstrap-key-0123456789';

describe('2025-era sessions survive a gateway restart (real processes, same port and data dir)', () => {
  let dir: string;
  let gw: GatewayProcess | undefined;
  let start: () => Promise<GatewayProcess>;

  before(async () => {
    dir = tempDir('sb-restart-');
    const configPath = writeSessionConfig(dir);
    const port = await freePort();
    start = () => startGatewayProcess({ configPath, dataDir: join(dir, 'data'), port, env: { SWITCHBOARD_API_KEY: KEY } });
    gw = await start();
  });
  after(async () => {
    await gw?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the same SDK client and session id keep working: calls, log level and subscription', { timeout: 120_000 }, async () => {
    const client = new Client({ name: 'restart-e2e', version: '1.0.0' });
    const logs: any[] = [];
    const updates: string[] = [];
    client.setNotificationHandler('notifications/message', (n) => void logs.push(n.params));
    client.setNotificationHandler('notifications/resources/updated', (n) => void updates.push(n.params.uri));
    // The client's GET stream must outlast the restart; the SDK default gives up after two retries.
    const transport = new StreamableHTTPClientTransport(new URL(`${gw!.url}/mcp`), {
      reconnectionOptions: { initialReconnectionDelay: 200, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1.5, maxRetries: 200 },
    });
    await client.connect(transport);
    try {
      const sid = transport.sessionId!;
      assert.match(sid, /^[\x21-\x7e]+$/, 'the session id is visible ASCII');
      assert.ok(sid.length <= 400, `the session id stays short: ${sid.length} characters`);
      assert.equal(textOf(await client.callTool({ name: 'everything__echo', arguments: { message: 'before' } })), 'Echo: before');
      await client.setLoggingLevel('error');
      const { resources } = await client.listResources();
      const uri = resources.find((r) => r.uri.includes('demo://resource/static/document/'))?.uri ?? resources[0]!.uri;
      await client.subscribeResource({ uri });

      await gw!.stop();
      gw = undefined;
      gw = await start();

      // Nobody else can take the session over, and an altered id is just unknown.
      const foreign = await rpc(gw.url, sid, 1, 'tools/list', {}, { authorization: `Bearer ${KEY}` });
      assert.equal(foreign.status, 404, 'another principal gets the unknown-session 404');
      assert.equal(foreign.message.error.code, -32001);
      const forged = await rpc(gw.url, tamper(sid), 2, 'tools/list');
      assert.equal(forged.status, 404, 'a tampered id gets the unknown-session 404');

      // The owner carries on with the same session.
      assert.equal(textOf(await client.callTool({ name: 'everything__echo', arguments: { message: 'after restart' } })), 'Echo: after restart');
      assert.equal(transport.sessionId, sid);

      // The log level still applies: error passes, info does not (the GET stream may need a moment to come back).
      await waitFor(
        async () => {
          await client.callTool({ name: 'dynamic__log', arguments: { level: 'error', text: 'boom-after' } });
          return logs.some((m) => m.data === 'boom-after');
        },
        20_000,
        'an error-level log after the restart',
      );
      await client.callTool({ name: 'dynamic__log', arguments: { level: 'info', text: 'quiet-after' } });
      await client.callTool({ name: 'dynamic__log', arguments: { level: 'error', text: 'boom-last' } });
      await waitFor(() => logs.some((m) => m.data === 'boom-last'), 10_000, 'the last error-level log');
      assert.ok(!logs.some((m) => m.data === 'quiet-after'), 'an info-level log is filtered by the restored level');

      // The subscription still applies: the upstream (a new process) was subscribed again for this session.
      updates.length = 0;
      await client.callTool({ name: 'everything__toggle-subscriber-updates', arguments: {} });
      await waitFor(() => updates.includes(uri), 15_000, `resources/updated for ${uri}`);

      // DELETE ends the session for good: its sealed id does not bring it back.
      await transport.terminateSession();
      const ended = await rpc(gw.url, sid, 3, 'tools/list');
      assert.equal(ended.status, 404);
    } finally {
      await client.close().catch(() => undefined);
    }
  });
});
