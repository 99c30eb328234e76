/**
 * Era matrix: the same operations from a 2025-era client (an SDK session) and a 2026-era client (the
 * SDK client pinned to 2026-07-28, which answers input_required rounds with its registered handlers),
 * both over the gateway's 2025-era upstreams: tools/call, resources/read, prompts/get, progress,
 * cancellation, elicitation and sampling.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { config, dynamic, everything, startGateway, textOf, type Gateway } from './harness.js';

type Era = 'legacy' | 'modern';

async function connect(url: string, era: Era, seen: { sampled: number; elicited: number }): Promise<Client> {
  const client = new Client(
    { name: `matrix-${era}`, version: '1.0.0' },
    { capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } }, ...(era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}) },
  );
  client.setRequestHandler('sampling/createMessage', async () => (seen.sampled++, { role: 'assistant', content: { type: 'text', text: `sampled for ${era}` }, model: 'matrix', stopReason: 'endTurn' }));
  client.setRequestHandler('elicitation/create', async () => (seen.elicited++, { action: 'accept', content: { name: `Ada-${era}`, check: true, integer: 3, number: 1.5, enum: 'Bar' } }));
  client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: 'file:///matrix', name: 'matrix' }] }));
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
  return client;
}

describe('era matrix: {2025, 2026} client × 2025-era upstreams', () => {
  let gw: Gateway;
  before(async () => {
    gw = await startGateway(config([everything(), dynamic()]));
  });
  after(async () => {
    await gw?.stop();
  });

  for (const era of ['legacy', 'modern'] as const) {
    describe(`${era} client`, () => {
      const seen = { sampled: 0, elicited: 0 };
      let client: Client;
      before(async () => {
        client = await connect(gw.url, era, seen);
        assert.equal(client.getNegotiatedProtocolVersion(), era === 'modern' ? '2026-07-28' : '2025-11-25');
      });
      after(async () => {
        await client?.close();
      });

      test('tools/call', async () => {
        assert.equal(textOf(await client.callTool({ name: 'everything__echo', arguments: { message: era } })), `Echo: ${era}`);
      });

      test('resources/read', async () => {
        const { resources } = await client.listResources();
        const uri = resources.find((r) => r.uri.startsWith('switchboard://everything/'))!.uri;
        const read = await client.readResource({ uri });
        assert.equal(read.contents[0]!.uri, uri);
      });

      test('prompts/get', async () => {
        const got = await client.getPrompt({ name: 'everything__args-prompt', arguments: { city: 'Paris' } });
        assert.match(JSON.stringify(got.messages), /Paris/);
      });

      test('progress', async () => {
        const progress: number[] = [];
        const res = await client.callTool({ name: 'everything__trigger-long-running-operation', arguments: { duration: 1, steps: 4 } }, { onprogress: (p) => void progress.push(p.progress) });
        assert.match(textOf(res), /completed/i);
        assert.ok(progress.length >= 3, `progress: ${progress}`);
      });

      test('cancellation', async () => {
        const ac = new AbortController();
        const pending = client.callTool({ name: 'dynamic__slow', arguments: { ms: 10_000 } }, { signal: ac.signal });
        setTimeout(() => ac.abort(), 300);
        const t0 = Date.now();
        await assert.rejects(pending);
        assert.ok(Date.now() - t0 < 3000);
        assert.equal(textOf(await client.callTool({ name: 'dynamic__slow', arguments: { ms: 1 } })), 'slept 1');
      });

      test('elicitation', async () => {
        const before = seen.elicited;
        const res = await client.callTool({ name: 'everything__trigger-elicitation-request', arguments: {} });
        assert.match(JSON.stringify(res), new RegExp(`Ada-${era}`));
        assert.equal(seen.elicited, before + 1);
      });

      test('sampling', async () => {
        const before = seen.sampled;
        const res = await client.callTool({ name: 'everything__trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 5 } });
        assert.match(JSON.stringify(res), new RegExp(`sampled for ${era}`));
        assert.equal(seen.sampled, before + 1);
      });
    });
  }
});
