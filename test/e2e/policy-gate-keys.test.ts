/**
 * The policy gate with the whole stack: API keys created over REST with scopes and allow-lists, used
 * as Bearer credentials on the real /mcp (http/ authenticates, the gateway binds sessions and gates),
 * and denials found in the real activity log.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { config, connectClient, everything, memory, tempDir, waitFor } from './harness.js';
import { startAdminGateway, type AdminGateway } from './admin-harness.js';

const RAW = z.any();

describe('policy gate with real API keys on /mcp', () => {
  let gw: AdminGateway;
  let picky: string;
  let reader: string;
  let pickyClient: Client;

  before(async () => {
    gw = await startAdminGateway(config([everything(), memory('memory', join(tempDir('sb-gate-keys-'), 'memory.jsonl'))]));
    const made = await gw.api('POST', '/api/keys', { name: 'picky', scopes: ['read', 'execute'], tools: ['everything__echo', 'memory/read_*'] });
    assert.equal(made.status, 201, made.text);
    picky = made.body.secret;
    reader = await gw.key(['read']);
    pickyClient = await connectClient(gw.url, { headers: { authorization: `Bearer ${picky}` } });
  });
  after(async () => {
    await pickyClient?.close();
    await gw?.stop();
  });

  test('a key lists exactly the tools it may call, and a denied call looks unknown', async () => {
    const { tools } = (await pickyClient.request({ method: 'tools/list', params: {} }, RAW)) as any;
    assert.deepEqual(tools.map((t: any) => t.name), ['everything__echo', 'memory__read_graph']);
    const ok = (await pickyClient.request({ method: 'tools/call', params: { name: 'everything__echo', arguments: { message: 'gated' } } }, RAW)) as any;
    assert.equal(ok.content[0].text, 'Echo: gated');
    await assert.rejects(pickyClient.request({ method: 'tools/call', params: { name: 'everything__get-sum', arguments: { a: 1, b: 2 } } }, RAW), /SWB_TOOL_NOT_FOUND: Unknown tool: everything__get-sum/);

    const readOnly = await connectClient(gw.url, { headers: { 'x-api-key': reader } });
    try {
      assert.deepEqual(((await readOnly.request({ method: 'tools/list', params: {} }, RAW)) as any).tools, []);
      assert.ok(((await readOnly.request({ method: 'resources/list', params: {} }, RAW)) as any).resources.length > 0);
    } finally {
      await readOnly.close();
    }
  });

  test('another valid key cannot use the session', async () => {
    const sid = (pickyClient.transport as unknown as { sessionId: string }).sessionId;
    for (const key of [reader, 'admin-harness-bootstrap-key']) {
      const res = await fetch(`${gw.url}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as any).error.code, -32001);
    }
    assert.equal(((await pickyClient.request({ method: 'tools/list', params: {} }, RAW)) as any).tools.length, 2, 'the owner still uses it');
  });

  test('the denial and the allowed call are in the activity log', async () => {
    let items: any[] = [];
    await waitFor(async () => {
      const r = await gw.api('GET', '/api/activity/logs?caller=picky&page_size=50');
      items = r.body?.items ?? [];
      return items.some((i) => i.type === 'policy_decision') && items.some((i) => i.type !== 'policy_decision' && i.status === 'ok');
    }, 10_000, 'activity records');
    const denial = items.find((i) => i.type === 'policy_decision');
    assert.equal(denial.status, 'denied');
    assert.equal(denial.reason, 'tool_not_allowed');
    assert.equal(denial.server, 'everything');
    assert.equal(denial.tool, 'get-sum');
    const call = items.find((i) => i.type !== 'policy_decision' && i.tool === 'echo');
    assert.equal(call.status, 'ok');
    assert.ok(call.result_bytes > 0);
    assert.equal(typeof call.session_id, 'string');
  });

  test('REST faces through McpOperations obey the same key', async () => {
    const ops = gw.core.operations;
    const principal = { kind: 'api_key' as const, id: 'x', name: 'x', scopes: ['execute' as const], tools: ['everything__echo'] };
    assert.deepEqual((await ops.listTools(principal)).map((t) => t['name']), ['everything__echo']);
    await assert.rejects(ops.callTool(principal, 'memory__read_graph', {}), /Unknown tool/);
  });
});
