import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, tempDir, waitFor } from './harness.js';
import { notify, openEvents, PROTOCOL, rpc, startGatewayProcess, tamper, writeSessionConfig, type GatewayProcess } from './session-harness.js';

const KEY = 'sk-replica-test-bootstrap-key-0123456789';

describe('one 2025-era session served by two gateways sharing the key and the data dir', () => {
  let dir: string;
  let a: GatewayProcess | undefined;
  let b: GatewayProcess | undefined;

  before(async () => {
    dir = tempDir('sb-replicas-');
    const configPath = writeSessionConfig(dir);
    const dataDir = join(dir, 'data');
    const env = { SWITCHBOARD_API_KEY: KEY };
    a = await startGatewayProcess({ configPath, dataDir, port: await freePort(), env });
    // The second replica finds the state key and the database the first one created.
    b = await startGatewayProcess({ configPath, dataDir, port: await freePort(), env });
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('requests alternate between replicas; level, subscriptions and the end of the session follow it', { timeout: 120_000 }, async () => {
    const A = a!.url;
    const B = b!.url;
    const init = await rpc(A, undefined, 1, 'initialize', { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'replica-e2e', version: '1.0.0' } });
    assert.equal(init.status, 200);
    assert.equal(init.message.result.protocolVersion, PROTOCOL);
    const sid = init.sessionId!;
    assert.ok(sid, 'initialize returns a session id');

    // On a replica that never saw the session: someone else's credentials or an altered id get the unknown-session 404.
    const foreign = await rpc(B, sid, 2, 'tools/list', {}, { authorization: `Bearer ${KEY}` });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.message.error.code, -32001);
    for (const bad of [tamper(sid), `${sid}x`, sid.slice(0, -6), 'v1.AAAA', '00000000-0000-4000-8000-000000000000']) {
      const r = await rpc(B, bad, 3, 'tools/list');
      assert.equal(r.status, 404, `forged id ${bad.slice(0, 24)}…`);
      assert.equal(r.message.error.code, -32001);
    }

    assert.equal(await notify(B, sid, 'notifications/initialized'), 202);
    for (let i = 0; i < 6; i++) {
      const base = i % 2 === 0 ? A : B;
      const r = await rpc(base, sid, 10 + i, 'tools/call', { name: 'everything__echo', arguments: { message: `hop ${i}` } });
      assert.equal(r.status, 200, `call ${i} on ${base}`);
      assert.equal(r.message.result.content[0].text, `Echo: hop ${i}`);
    }
    const listA = await rpc(A, sid, 20, 'tools/list');
    const listB = await rpc(B, sid, 21, 'tools/list');
    assert.deepEqual(
      listA.message.result.tools.map((t: any) => t.name),
      listB.message.result.tools.map((t: any) => t.name),
    );

    // Level set through A, subscription made through B: each replica picks up the other's change.
    assert.equal((await rpc(A, sid, 30, 'logging/setLevel', { level: 'error' })).status, 200);
    const resources = (await rpc(B, sid, 31, 'resources/list')).message.result.resources;
    const uri: string = resources.find((r: any) => r.uri.includes('demo://resource/static/document/'))?.uri ?? resources[0].uri;
    const sub = await rpc(B, sid, 32, 'resources/subscribe', { uri });
    assert.equal(sub.status, 200);
    assert.deepEqual(sub.message.result, {});
    // Replicas poll for changes every 300 ms in these tests.
    await new Promise((r) => setTimeout(r, 1500));

    const onB = await openEvents(B, sid);
    assert.equal(onB.status, 200);
    try {
      await rpc(B, sid, 40, 'tools/call', { name: 'dynamic__log', arguments: { level: 'info', text: 'quiet-on-b' } });
      await rpc(B, sid, 41, 'tools/call', { name: 'dynamic__log', arguments: { level: 'error', text: 'boom-on-b' } });
      await onB.events!.nextMessage((m) => m.method === 'notifications/message' && m.params.data === 'boom-on-b', 10_000);
      assert.ok(!onB.events!.seen.some((m) => m.params?.data === 'quiet-on-b'), 'B applies the level set through A');
    } finally {
      await onB.events?.cancel();
    }

    const onA = await openEvents(A, sid);
    assert.equal(onA.status, 200);
    try {
      await rpc(A, sid, 50, 'tools/call', { name: 'everything__toggle-subscriber-updates', arguments: {} });
      const update = await onA.events!.nextMessage((m) => m.method === 'notifications/resources/updated', 15_000);
      assert.equal(update.params.uri, uri, 'A holds the subscription made through B');
    } finally {
      await onA.events?.cancel();
    }

    // A session opened on /mcp/search is rebuilt as one: the other replica serves it there, and only there.
    const search = await rpc(A, undefined, 70, 'initialize', { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'replica-search', version: '1' } }, {}, '/mcp/search');
    assert.equal(search.status, 200);
    const searchSid = search.sessionId!;
    const onSearch = await rpc(B, searchSid, 71, 'tools/list', {}, {}, '/mcp/search');
    assert.equal(onSearch.status, 200);
    assert.deepEqual(onSearch.message.result.tools.map((t: any) => t.name).sort(), ['call_tool', 'describe_tools', 'search_tools']);
    assert.equal((await rpc(B, searchSid, 72, 'tools/list')).status, 404, 'not on /mcp');

    // DELETE through B: A lets go of its copy as well.
    const del = await fetch(`${B}/mcp`, { method: 'DELETE', headers: { 'mcp-session-id': sid, 'mcp-protocol-version': PROTOCOL } });
    assert.equal(del.status, 200);
    assert.equal((await rpc(B, sid, 60, 'tools/list')).status, 404);
    await waitFor(async () => (await rpc(A, sid, 61, 'tools/list')).status === 404, 10_000, 'A to drop the session ended on B');
  });
});
