import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { config, connectClient, dynamic, everything, filesystem, memory, startGateway, startHttpEverything, stdioServer, tempDir, textOf, waitFor, type Gateway } from './harness.js';

const RAW = z.any();

describe('one gateway in front of everything, memory, filesystem, a fixture and an HTTP upstream', () => {
  let gw: Gateway;
  let http: Awaited<ReturnType<typeof startHttpEverything>>;
  let client: Client;
  const sampled: unknown[] = [];
  const elicited: unknown[] = [];
  let fsDir: string;

  before(async () => {
    fsDir = tempDir('sb-fs-');
    writeFileSync(join(fsDir, 'hello.txt'), 'hello from the filesystem');
    http = await startHttpEverything('streamableHttp');
    gw = await startGateway(
      config([
        everything(),
        memory('memory', join(fsDir, 'memory.jsonl')),
        filesystem('fs', fsDir),
        dynamic(),
        { name: 'remote', transport: 'streamable-http', url: http.url, args: [], env: {}, headers: {}, enabled: true, quarantined: false, timeoutMs: 30_000 },
      ]),
    );
    client = await connectClient(gw.url, {
      onSampling: (p) => (sampled.push(p), { role: 'assistant', content: { type: 'text', text: 'sampled by the e2e client' }, model: 'e2e-model', stopReason: 'endTurn' }),
      onElicitation: (p) => (elicited.push(p), { action: 'accept', content: { name: 'Ada', check: true, integer: 3, number: 1.5, enum: 'Bar' } }),
      roots: [{ uri: 'file:///tmp/e2e-root', name: 'e2e root' }],
    });
  });

  after(async () => {
    await client?.close();
    await gw?.stop();
    http?.stop();
  });

  test('every upstream is ready and health reports it', async () => {
    const res = await fetch(`${gw.url}/health`);
    const body = (await res.json()) as any;
    assert.equal(res.status, 200);
    assert.deepEqual(
      body.servers.map((s: any) => [s.name, s.state, s.health.level]),
      [
        ['everything', 'ready', 'healthy'],
        ['memory', 'ready', 'healthy'],
        ['fs', 'ready', 'healthy'],
        ['dynamic', 'ready', 'healthy'],
        ['remote', 'ready', 'healthy'],
      ],
    );
  });

  test('tools are merged with server prefixes in a deterministic order', async () => {
    const { tools } = (await client.request({ method: 'tools/list', params: {} }, RAW)) as any;
    const names: string[] = tools.map((t: any) => t.name);
    for (const n of ['everything__echo', 'memory__read_graph', 'fs__read_text_file', 'dynamic__slow', 'remote__echo']) assert.ok(names.includes(n), `missing ${n}`);
    assert.deepEqual(names, [...names].sort());
    assert.ok(names.every((n) => n.length <= 64));
    const again = (await client.request({ method: 'tools/list', params: {} }, RAW)) as any;
    assert.deepEqual(again.tools.map((t: any) => t.name), names);
  });

  test('tool definitions pass through losslessly (annotations, outputSchema, title)', async () => {
    const { tools } = (await client.request({ method: 'tools/list', params: {} }, RAW)) as any;
    const structured = tools.find((t: any) => t.name === 'everything__get-structured-content');
    assert.ok(structured.outputSchema, 'outputSchema kept');
    const sampling = tools.find((t: any) => t.name === 'everything__trigger-sampling-request');
    assert.equal(sampling.annotations.openWorldHint, true);
  });

  test('calls reach each upstream, over stdio and HTTP', async () => {
    assert.equal(textOf(await client.callTool({ name: 'everything__echo', arguments: { message: 'hi' } })), 'Echo: hi');
    assert.equal(textOf(await client.callTool({ name: 'remote__echo', arguments: { message: 'over http' } })), 'Echo: over http');
    assert.match(textOf(await client.callTool({ name: 'fs__read_text_file', arguments: { path: join(fsDir, 'hello.txt') } })), /hello from the filesystem/);
    await client.callTool({ name: 'memory__create_entities', arguments: { entities: [{ name: 'Switchboard', entityType: 'project', observations: ['an MCP gateway'] }] } });
    assert.match(textOf(await client.callTool({ name: 'memory__read_graph', arguments: {} })), /Switchboard/);
  });

  test('results keep structuredContent, images, annotations and rewritten resource links', async () => {
    const s = (await client.request({ method: 'tools/call', params: { name: 'everything__get-structured-content', arguments: { location: 'New York' } } }, RAW)) as any;
    assert.ok(s.structuredContent && typeof s.structuredContent === 'object');
    const img = (await client.request({ method: 'tools/call', params: { name: 'everything__get-tiny-image', arguments: {} } }, RAW)) as any;
    const image = img.content.find((c: any) => c.type === 'image');
    assert.equal(image.mimeType, 'image/png');
    assert.ok(image.data.length > 100);
    const ann = (await client.request({ method: 'tools/call', params: { name: 'everything__get-annotated-message', arguments: { messageType: 'error', includeImage: false } } }, RAW)) as any;
    assert.ok(ann.content[0].annotations, 'annotations kept');
    const links = (await client.request({ method: 'tools/call', params: { name: 'everything__get-resource-links', arguments: { count: 2 } } }, RAW)) as any;
    const link = links.content.find((c: any) => c.type === 'resource_link');
    assert.match(link.uri, /^switchboard:\/\/everything\//);
    const read = (await client.request({ method: 'resources/read', params: { uri: link.uri } }, RAW)) as any;
    assert.equal(read.contents[0].uri, link.uri);
  });

  test('resources and templates are listed with reversible URIs and read through the gateway', async () => {
    const { resources } = (await client.request({ method: 'resources/list', params: {} }, RAW)) as any;
    const mine = resources.filter((r: any) => r.uri.startsWith('switchboard://everything/'));
    assert.ok(mine.length > 0);
    const read = (await client.request({ method: 'resources/read', params: { uri: mine[0].uri } }, RAW)) as any;
    assert.ok(read.contents.length > 0);
    const { resourceTemplates } = (await client.request({ method: 'resources/templates/list', params: {} }, RAW)) as any;
    assert.ok(resourceTemplates.some((t: any) => t.uriTemplate.startsWith('switchboard://everything/')));
    await assert.rejects(client.request({ method: 'resources/read', params: { uri: 'switchboard://nobody/x' } }, RAW), /not found/i);
  });

  test('resource updates reach only the sessions subscribed to that URI, with the exposed URI', async () => {
    const { resources } = (await client.request({ method: 'resources/list', params: {} }, RAW)) as any;
    const uri = resources.find((r: any) => r.uri.startsWith('switchboard://everything/')).uri;
    const other = await connectClient(gw.url);
    const mine: string[] = [];
    const theirs: string[] = [];
    client.setNotificationHandler('notifications/resources/updated', (n) => void mine.push(n.params.uri));
    other.setNotificationHandler('notifications/resources/updated', (n) => void theirs.push(n.params.uri));
    await client.request({ method: 'resources/subscribe', params: { uri } }, RAW);
    await client.callTool({ name: 'everything__toggle-subscriber-updates', arguments: {} });
    await waitFor(() => mine.length > 0, 5000, 'resources/updated');
    assert.equal(mine[0], uri);
    assert.deepEqual(theirs, []);
    await client.request({ method: 'resources/unsubscribe', params: { uri } }, RAW);
    await client.callTool({ name: 'everything__toggle-subscriber-updates', arguments: {} });
    await other.close();
  });

  test('prompts are listed, fetched and completed through the gateway', async () => {
    const { prompts } = (await client.request({ method: 'prompts/list', params: {} }, RAW)) as any;
    const names = prompts.map((p: any) => p.name);
    assert.ok(names.includes('everything__simple-prompt'));
    const got = (await client.request({ method: 'prompts/get', params: { name: 'everything__args-prompt', arguments: { city: 'Paris' } } }, RAW)) as any;
    assert.match(JSON.stringify(got.messages), /Paris/);
    const done = (await client.request({ method: 'completion/complete', params: { ref: { type: 'ref/prompt', name: 'everything__completable-prompt' }, argument: { name: 'department', value: 'E' } } }, RAW)) as any;
    assert.ok(Array.isArray(done.completion.values));
    await assert.rejects(client.request({ method: 'prompts/get', params: { name: 'nope__x' } }, RAW), /Unknown prompt/);
  });

  test('progress notifications reach the client with its own token', async () => {
    const seen: number[] = [];
    const res = await client.callTool({ name: 'everything__trigger-long-running-operation', arguments: { duration: 1, steps: 4 } }, { onprogress: (p) => seen.push(p.progress) });
    assert.match(textOf(res), /completed/i);
    assert.ok(seen.length >= 3, `progress seen: ${seen}`);
  });

  test('cancelling a call cancels it upstream and the gateway keeps serving', async () => {
    const ac = new AbortController();
    const pending = client.callTool({ name: 'dynamic__slow', arguments: { ms: 10_000 } }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    await assert.rejects(pending);
    assert.ok(Date.now() - t0 < 3000);
    assert.equal(textOf(await client.callTool({ name: 'dynamic__slow', arguments: { ms: 1 } })), 'slept 1');
  });

  test('sampling and elicitation requests from an upstream reach the session that caused them', async () => {
    const s = await client.callTool({ name: 'everything__trigger-sampling-request', arguments: { prompt: 'say hi', maxTokens: 10 } });
    assert.match(JSON.stringify(s), /sampled by the e2e client/);
    assert.equal(sampled.length, 1);
    const e = await client.callTool({ name: 'everything__trigger-elicitation-request', arguments: {} });
    assert.match(JSON.stringify(e), /Ada/);
    assert.equal(elicited.length, 1);
    const r = await client.callTool({ name: 'everything__get-roots-list', arguments: {} });
    assert.match(textOf(r), /e2e-root/);
  });

  test('an upstream list_changed re-lists and notifies sessions', async () => {
    let notified = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => void notified++);
    await client.callTool({ name: 'dynamic__add_tool', arguments: { name: 'fresh' } });
    await waitFor(() => notified > 0, 5000, 'tools/list_changed');
    const { tools } = (await client.request({ method: 'tools/list', params: {} }, RAW)) as any;
    assert.ok(tools.some((t: any) => t.name === 'dynamic__fresh'));
    assert.equal(textOf(await client.callTool({ name: 'dynamic__fresh', arguments: {} })), 'I am fresh');
  });

  test('log messages are forwarded with the server named and the session level applied', async () => {
    const got: any[] = [];
    client.setNotificationHandler('notifications/message', (n) => void got.push(n.params));
    await client.setLoggingLevel('warning');
    await client.callTool({ name: 'dynamic__log', arguments: { level: 'error', text: 'boom' } });
    await client.callTool({ name: 'dynamic__log', arguments: { level: 'info', text: 'quiet' } });
    await waitFor(() => got.some((m) => m.data === 'boom'), 5000, 'log message');
    assert.equal(got.find((m) => m.data === 'boom').logger, 'dynamic/fixture');
    assert.ok(!got.some((m) => m.data === 'quiet'));
  });

  test('an upstream killed mid-call: that call fails clearly, others keep working, it comes back', async () => {
    const pid = Number(textOf(await client.callTool({ name: 'dynamic__pid', arguments: {} })));
    const pending = client.callTool({ name: 'dynamic__slow', arguments: { ms: 20_000 } });
    await new Promise((r) => setTimeout(r, 200));
    process.kill(pid, 'SIGKILL');
    const res = (await pending) as any;
    assert.equal(res.isError, true);
    assert.match(textOf(res), /SWB_UPSTREAM_(FAILED|UNAVAILABLE)/);
    assert.equal(textOf(await client.callTool({ name: 'everything__echo', arguments: { message: 'still here' } })), 'Echo: still here');
    await waitFor(() => gw.upstreams.get('dynamic')!.state === 'ready', 10_000, 'dynamic to come back');
    const newPid = Number(textOf(await client.callTool({ name: 'dynamic__pid', arguments: {} })));
    assert.notEqual(newPid, pid);
  });

  test('a config change adds a server without touching the others or the session', async () => {
    const before = gw.upstreams.get('everything')!.status().pid;
    let notified = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => void notified++);
    await gw.applyConfig({ ...gw.config(), servers: [...gw.config().servers, memory('memory2', join(fsDir, 'm2.jsonl'))] });
    await gw.settled();
    await waitFor(() => notified > 0, 5000, 'list_changed after reload');
    assert.equal(gw.upstreams.get('everything')!.status().pid, before);
    const { tools } = (await client.request({ method: 'tools/list', params: {} }, RAW)) as any;
    assert.ok(tools.some((t: any) => t.name === 'memory2__read_graph'));
    assert.ok(tools.some((t: any) => t.name === 'memory__read_graph'), 'existing names unchanged');
  });

  test('a broken upstream never breaks listing or calls for the others', async () => {
    await gw.applyConfig({ ...gw.config(), servers: [...gw.config().servers, stdioServer('broken', '/nonexistent/command', [])] });
    await gw.settled();
    const broken = gw.upstreams.get('broken')!.status();
    assert.notEqual(broken.state, 'ready');
    assert.equal(broken.health.level, 'unhealthy');
    assert.match(broken.health.detail, /nonexistent|ENOENT/);
    const { tools } = (await client.request({ method: 'tools/list', params: {} }, RAW)) as any;
    assert.ok(tools.length > 20);
    assert.equal(textOf(await client.callTool({ name: 'everything__echo', arguments: { message: 'ok' } })), 'Echo: ok');
  });
});
