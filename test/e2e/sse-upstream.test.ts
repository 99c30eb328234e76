import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { config, connectClient, startGateway, textOf, waitFor, type Gateway } from './harness.js';
import { startEverythingOnPort } from './everything-on-port.js';

describe('an upstream on the deprecated HTTP+SSE transport', () => {
  let gw: Gateway;
  let client: Client;
  let stop: () => void;
  let port: number;

  before(async () => {
    const { freePort } = await import('./harness.js');
    port = await freePort();
    stop = await startEverythingOnPort('sse', port);
    gw = await startGateway(
      config([{ name: 'legacy', transport: 'sse', url: `http://127.0.0.1:${port}/sse`, args: [], env: {}, headers: {}, enabled: true, quarantined: false, timeoutMs: 1_000 }]),
      { pingIntervalMs: 300 },
    );
    client = await connectClient(gw.url, { onSampling: () => ({ role: 'assistant', content: { type: 'text', text: 'sampled over sse' }, model: 'm', stopReason: 'endTurn' }) });
  });

  after(async () => {
    await client?.close();
    await gw?.stop();
    stop?.();
  });

  test('is listed and called like any other upstream', async () => {
    assert.equal(gw.upstreams.get('legacy')!.state, 'ready');
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === 'legacy__echo'));
    assert.equal(textOf(await client.callTool({ name: 'legacy__echo', arguments: { message: 'via sse' } })), 'Echo: via sse');
  });

  test('passes progress and a sampling round trip through', async () => {
    const seen: number[] = [];
    await client.callTool({ name: 'legacy__trigger-long-running-operation', arguments: { duration: 1, steps: 3 } }, { onprogress: (p) => seen.push(p.progress) });
    assert.ok(seen.length >= 2, `progress: ${seen}`);
    const s = await client.callTool({ name: 'legacy__trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 5 } });
    assert.match(JSON.stringify(s), /sampled over sse/);
  });

  test('when it dies its tools leave the catalogue, and it comes back on its own', async () => {
    stop();
    // One missed ping only degrades it (tools stay); the second is a lost connection.
    await waitFor(() => gw.upstreams.get('legacy')!.state === 'backoff', 10_000, 'upstream marked lost');
    assert.match(gw.upstreams.get('legacy')!.health().detail, /Lost contact/);
    const { tools } = await client.listTools();
    assert.ok(!tools.some((t) => t.name.startsWith('legacy__')));
    const down = await client.callTool({ name: 'legacy__echo', arguments: { message: 'x' } }).catch((e: Error) => e);
    assert.match(String(down instanceof Error ? down.message : textOf(down)), /Unknown tool|SWB_UPSTREAM/);
    stop = await startEverythingOnPort('sse', port);
    await waitFor(() => gw.upstreams.get('legacy')!.state === 'ready', 15_000, 'upstream back');
    assert.equal(textOf(await client.callTool({ name: 'legacy__echo', arguments: { message: 'back' } })), 'Echo: back');
  });
});
