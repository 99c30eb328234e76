/**
 * Tool search (REST, CLI) and the three exposure modes side by side — /mcp, /mcp/search and
 * /mcp/p/<profile> — with SDK clients against real upstreams. The gate decides the same in every mode:
 * what a key may not use is not found, not described, not called, whichever way it asks.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { BOOTSTRAP, startAdminGateway, type AdminGateway } from './admin-harness.js';
import { config, everything, memory, ROOT, tempDir, textOf, waitFor } from './harness.js';
import { openStream, post } from './modern-era-wire.js';

let gw: AdminGateway;
let readKey: string;
let memoryOnly: string;
let editorKey: string;
const clients: Client[] = [];

async function connect(path: string, key = BOOTSTRAP): Promise<Client> {
  const c = new Client({ name: 'exposure-test', version: '1.0.0' });
  await c.connect(new StreamableHTTPClientTransport(new URL(`${gw.url}${path}`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  clients.push(c);
  return c;
}
const search = (q: string, key?: string, extra = '') => gw.api('GET', `/api/tools/search?q=${encodeURIComponent(q)}${extra}`, undefined, key ? { key } : {});
const names = (r: { body: { results: { name: string }[] } }) => r.body.results.map((h) => h.name);
const json = (result: unknown) => JSON.parse(textOf(result)) as any;

before(async () => {
  const dir = tempDir('sb-exposure-');
  gw = await startAdminGateway(
    config([everything(), memory('memory', join(dir, 'memory.jsonl'))], {
      allowUnauthenticatedLoopback: false,
      profiles: { from_config: { description: 'Defined in the config file', tools: [{ match: 'memory__read_graph' }] } },
    }),
  );
  readKey = await gw.key(['read']);
  editorKey = await gw.key(['read', 'write', 'execute']);
  const r = await gw.api('POST', '/api/keys', { name: 'memory-only', scopes: ['execute', 'read'], tools: ['memory__*'] });
  assert.equal(r.status, 201, r.text);
  memoryOnly = r.body.secret;
});
after(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await gw?.stop();
});

describe('GET /api/tools/search', () => {
  test('finds tools by what they do, best first, with a default limit of 15', async () => {
    const r = await search('store facts about people in a knowledge graph');
    assert.equal(r.status, 200);
    assert.equal(r.body.limit, 15);
    assert.ok(names(r).slice(0, 3).some((n) => n.startsWith('memory__')), names(r).join(', '));
    const hit = r.body.results[0];
    assert.deepEqual(Object.keys(hit).sort(), ['annotations', 'description', 'name', 'original_name', 'score', 'server', 'title']);
    assert.ok(names(await search('tool')).length <= 15);
    assert.equal(names(await search('echo', undefined, '&limit=1')).length, 1);
    assert.equal(names(await search('ecoh back a mesage'))[0], 'everything__echo', 'typos are tolerated');
  });

  test('bad input is a 400 in the error envelope', async () => {
    for (const q of ['', '?limit=5', '?q=echo&limit=0', '?q=echo&limit=abc', `?q=${'x'.repeat(501)}`]) {
      const r = await gw.api('GET', `/api/tools/search${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(r.body.error.code, 'SWB_HTTP_BAD_REQUEST');
    }
    assert.equal((await gw.api('GET', '/api/tools/search?q=%20%20')).status, 422, 'a blank query');
  });

  test('no credentials: 401; a key without the execute scope: 403', async () => {
    const none = await gw.api('GET', '/api/tools/search?q=echo', undefined, { key: null });
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'SWB_AUTH_REQUIRED');
    const ro = await search('echo', readKey);
    assert.equal(ro.status, 403);
    assert.equal(ro.body.error.code, 'SWB_AUTH_FORBIDDEN');
  });

  test("results obey the caller's gate", async () => {
    assert.ok(names(await search('echo')).includes('everything__echo'));
    const limited = await search('echo back a message', memoryOnly);
    assert.equal(limited.status, 200);
    assert.ok(names(limited).every((n) => n.startsWith('memory__')), names(limited).join(', '));
  });

  test('disabled tools are not found', async () => {
    await gw.api('PUT', '/api/servers/everything/tools/disabled', { disabled_tools: ['echo'] });
    try {
      await waitFor(async () => !names(await search('echo')).includes('everything__echo'), 5_000, 'echo gone from search');
    } finally {
      await gw.api('PUT', '/api/servers/everything/tools/disabled', { disabled_tools: [] });
    }
    await waitFor(async () => names(await search('echo')).includes('everything__echo'), 5_000, 'echo back');
  });

  test('the CLI searches through the same API and gate', async () => {
    const dir = tempDir('sb-cli-search-');
    const cfg = join(dir, 'switchboard.json');
    writeFileSync(cfg, '{}');
    const run = (args: string[], key: string) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/run.ts'), 'tools', 'search', ...args, '--url', gw.url, '--config', cfg], { cwd: ROOT, env: { ...process.env, SWITCHBOARD_API_KEY: key } });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('close', (code) => resolve({ code: code ?? -1, out }));
      });
    const all = await run(['echo', 'back', '--json', '--limit', '3'], BOOTSTRAP);
    assert.equal(all.code, 0);
    const hits = JSON.parse(all.out) as { name: string }[];
    assert.equal(hits[0]!.name, 'everything__echo');
    assert.ok(hits.length <= 3);
    const gated = await run(['echo', 'back', '--json'], memoryOnly);
    assert.ok((JSON.parse(gated.out) as { name: string }[]).every((h) => h.name.startsWith('memory__')));
    const table = await run(['knowledge', 'graph'], BOOTSTRAP);
    assert.match(table.out, /NAME\s+SERVER\s+SCORE/);
  });
});

describe('/mcp/search: search_tools, describe_tools, call_tool', () => {
  test('lists only the three meta-tools', async () => {
    const c = await connect('/mcp/search');
    assert.deepEqual((await c.listTools()).tools.map((t) => t.name), ['search_tools', 'describe_tools', 'call_tool']);
    const all = await connect('/mcp');
    assert.ok((await all.listTools()).tools.length > 15, '/mcp still lists every tool');
  });

  test('search, describe and call (arguments as an object or a JSON string)', async () => {
    const c = await connect('/mcp/search');
    const found = json(await c.callTool({ name: 'search_tools', arguments: { query: 'add two numbers', limit: 3 } }));
    assert.equal(found.tools[0].name, 'everything__get-sum');
    assert.ok(found.tools.length <= 3);
    const described = json(await c.callTool({ name: 'describe_tools', arguments: { names: ['everything__get-sum', 'nope'] } }));
    assert.deepEqual(described.unknown, ['nope']);
    assert.deepEqual(Object.keys(described.tools[0].inputSchema.properties).sort(), ['a', 'b']);
    const asObject = await c.callTool({ name: 'call_tool', arguments: { name: 'everything__get-sum', arguments: { a: 2, b: 3 } } });
    assert.match(textOf(asObject), /5/);
    const asString = await c.callTool({ name: 'call_tool', arguments: { name: 'everything__echo', arguments: '{"message":"hi"}' } });
    assert.equal(textOf(asString), 'Echo: hi');
  });

  test('bad arguments are tool errors with a stable code', async () => {
    const c = await connect('/mcp/search');
    const badJson = await c.callTool({ name: 'call_tool', arguments: { name: 'everything__echo', arguments: '{nope' } });
    assert.equal(badJson.isError, true);
    assert.match(textOf(badJson), /SWB_INVALID_ARGUMENT/);
    const tooMany = await c.callTool({ name: 'describe_tools', arguments: { names: Array.from({ length: 11 }, (_, i) => `t${i}`) } });
    assert.equal(tooMany.isError, true);
    const noQuery = await c.callTool({ name: 'search_tools', arguments: {} });
    assert.equal(noQuery.isError, true);
    const unknown = await c.callTool({ name: 'call_tool', arguments: { name: 'nope__nothing', arguments: {} } });
    assert.equal(unknown.isError, true);
    assert.match(textOf(unknown), /SWB_TOOL_NOT_FOUND/);
  });

  test('the gate decides the same for search, describe and call; calls are in the activity log', async () => {
    const c = await connect('/mcp/search', memoryOnly);
    const found = json(await c.callTool({ name: 'search_tools', arguments: { query: 'echo back a message' } }));
    assert.ok(found.tools.every((t: { name: string }) => t.name.startsWith('memory__')));
    const described = json(await c.callTool({ name: 'describe_tools', arguments: { names: ['everything__echo'] } }));
    assert.deepEqual([described.tools, described.unknown], [[], ['everything__echo']]);
    const denied = await c.callTool({ name: 'call_tool', arguments: { name: 'everything__echo', arguments: { message: 'x' } } });
    const missing = await c.callTool({ name: 'call_tool', arguments: { name: 'everything__no_such_tool', arguments: { message: 'x' } } });
    assert.equal(denied.isError, true);
    assert.equal(textOf(denied).replace('everything__echo', 'X'), textOf(missing).replace('everything__no_such_tool', 'X'), 'a denial looks like an unknown tool');
    const allowed = await c.callTool({ name: 'call_tool', arguments: { name: 'memory__read_graph', arguments: {} } });
    assert.notEqual(allowed.isError, true);
    await waitFor(async () => {
      const log = await gw.api('GET', '/api/activity/logs?page_size=50');
      const items = log.body.items as { type: string; tool: string | null; server: string | null; status: string }[];
      return items.some((i) => i.type === 'tool_call' && i.server === 'memory' && i.tool === 'read_graph') && items.some((i) => i.type === 'policy_decision' && i.status === 'denied' && i.tool === 'echo');
    }, 5_000, 'the call and the denial in the activity log');
  });

  test('a session belongs to its path', async () => {
    const init = await fetch(`${gw.url}/mcp/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOOTSTRAP}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
    });
    const sid = init.headers.get('mcp-session-id')!;
    await init.text();
    const elsewhere = await fetch(`${gw.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOOTSTRAP}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    assert.equal(elsewhere.status, 404);
    const noKey = await fetch(`${gw.url}/mcp/search`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    assert.equal(noKey.status, 401);
  });
});

describe('/mcp/p/<profile> and /api/profiles', () => {
  const research = {
    name: 'research',
    description: 'Memory and an echo',
    tools: [{ match: 'memory__*_entities' }, { match: 'everything/echo', name: 'say', description: 'Say something back', annotations: { readOnlyHint: true } }],
  };

  test('create, read, list, replace and delete a profile', async () => {
    const created = await gw.api('POST', '/api/profiles', research);
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.endpoint, '/mcp/p/research');
    assert.equal(created.body.source, 'api');
    assert.equal((await gw.api('GET', '/api/profiles/research')).body.tools.length, 2);
    const list = await gw.api('GET', '/api/profiles');
    assert.deepEqual(list.body.items.map((p: { name: string; source: string }) => `${p.name}:${p.source}`), ['from_config:config', 'research:api']);
    const tmp = await gw.api('POST', '/api/profiles', { name: 'tmp', tools: [{ match: 'everything__*' }] });
    assert.equal(tmp.status, 201);
    const replaced = await gw.api('PUT', '/api/profiles/tmp', { tools: [{ match: 'memory__read_graph' }] });
    assert.equal(replaced.body.tools[0].match, 'memory__read_graph');
    assert.equal((await gw.api('DELETE', '/api/profiles/tmp')).status, 204);
    assert.equal((await gw.api('GET', '/api/profiles/tmp')).status, 404);
  });

  test('bad input, conflicts, config-file profiles, unknown names', async () => {
    const glob = await gw.api('POST', '/api/profiles', { name: 'bad', tools: [{ match: 'memory__*', name: 'one' }] });
    assert.equal(glob.status, 422);
    assert.equal(glob.body.error.code, 'SWB_VALIDATION_FAILED');
    assert.equal((await gw.api('POST', '/api/profiles', { name: 'bad', tools: [] })).status, 422);
    assert.equal((await gw.api('POST', '/api/profiles', { name: 'bad name!', tools: [{ match: 'x' }] })).status, 400);
    assert.equal((await gw.api('POST', '/api/profiles', research)).body.error.code, 'SWB_STATE_CONFLICT');
    const cfg = await gw.api('PUT', '/api/profiles/from_config', { tools: [{ match: 'x' }] });
    assert.equal(cfg.status, 409);
    assert.equal(cfg.body.error.code, 'SWB_PROFILE_IN_CONFIG');
    assert.equal((await gw.api('DELETE', '/api/profiles/from_config')).status, 409);
    assert.equal((await gw.api('DELETE', '/api/profiles/nope')).body.error.code, 'SWB_PROFILE_NOT_FOUND');
  });

  test('no credentials: 401; reads need read, changes need admin: 403', async () => {
    for (const [m, p, b] of [['GET', '/api/profiles'], ['POST', '/api/profiles', research], ['GET', '/api/profiles/research'], ['PUT', '/api/profiles/research', { tools: [{ match: 'x' }] }], ['DELETE', '/api/profiles/research']] as [string, string, unknown?][]) {
      assert.equal((await gw.api(m, p, b, { key: null })).status, 401, `${m} ${p}`);
      if (m !== 'GET') assert.equal((await gw.api(m, p, b, { key: editorKey })).body.error.code, 'SWB_AUTH_FORBIDDEN', `${m} ${p}`);
    }
    assert.equal((await gw.api('GET', '/api/profiles', undefined, { key: memoryOnly })).status, 200);
    assert.equal((await gw.api('GET', '/api/profiles', undefined, { key: (await gw.key(['execute'])) })).status, 403);
  });

  test('a profile is a virtual server: picked tools, overrides, calls through the gate', async () => {
    const c = await connect('/mcp/p/research');
    const tools = (await c.listTools()).tools;
    assert.deepEqual(tools.map((t) => t.name), ['memory__create_entities', 'memory__delete_entities', 'say']);
    const say = tools.find((t) => t.name === 'say')!;
    assert.equal(say.description, 'Say something back');
    assert.equal(say.annotations?.readOnlyHint, true);
    assert.equal(textOf(await c.callTool({ name: 'say', arguments: { message: 'yo' } })), 'Echo: yo');
    await assert.rejects(c.callTool({ name: 'everything__echo', arguments: { message: 'yo' } }), /Unknown tool/);

    const limited = await connect('/mcp/p/research', memoryOnly);
    assert.deepEqual((await limited.listTools()).tools.map((t) => t.name), ['memory__create_entities', 'memory__delete_entities']);
    await assert.rejects(limited.callTool({ name: 'say', arguments: { message: 'yo' } }), /Unknown tool/);

    const fromConfig = await connect('/mcp/p/from_config');
    assert.deepEqual((await fromConfig.listTools()).tools.map((t) => t.name), ['memory__read_graph']);
  });

  test('an edit reaches open profile sessions; unknown profiles are 404', async () => {
    const c = await connect('/mcp/p/research');
    let changed = false;
    c.setNotificationHandler('notifications/tools/list_changed', () => void (changed = true));
    await gw.api('PUT', '/api/profiles/research', { tools: [{ match: 'memory__read_graph', name: 'graph' }] });
    await waitFor(() => changed, 5_000, 'list_changed on the profile session');
    assert.deepEqual((await c.listTools()).tools.map((t) => t.name), ['graph']);
    const missing = await fetch(`${gw.url}/mcp/p/nope`, { method: 'POST', headers: { authorization: `Bearer ${BOOTSTRAP}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }) });
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /SWB_PROFILE_NOT_FOUND/);
  });
});

describe('gateway.exposure: what /mcp serves is configurable', () => {
  test('"search" makes /mcp the progressive mode', async () => {
    const other = await startAdminGateway(config([memory('memory', join(tempDir('sb-exposure-default-'), 'm.jsonl'))], { allowUnauthenticatedLoopback: false, gateway: { prefix: 'always', separator: '__', exposure: 'search' } }));
    try {
      const c = new Client({ name: 'default-mode', version: '1.0.0' });
      await c.connect(new StreamableHTTPClientTransport(new URL(`${other.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${BOOTSTRAP}` } } }));
      assert.deepEqual((await c.listTools()).tools.map((t) => t.name), ['search_tools', 'describe_tools', 'call_tool']);
      const found = json(await c.callTool({ name: 'search_tools', arguments: { query: 'read the whole knowledge graph' } }));
      assert.equal(found.tools[0].name, 'memory__read_graph');
      await c.close();
    } finally {
      await other.stop();
    }
  });
});

describe('2026-07-28 clients on /mcp/search and /mcp/p/<profile>', () => {
  async function connectModern(path: string, key = BOOTSTRAP): Promise<Client> {
    const c = new Client({ name: 'exposure-modern', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await c.connect(new StreamableHTTPClientTransport(new URL(`${gw.url}${path}`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    clients.push(c);
    return c;
  }

  test('the search mode serves the stateless revision: three meta-tools, search and call through the gate', async () => {
    const c = await connectModern('/mcp/search');
    assert.deepEqual((await c.listTools()).tools.map((t) => t.name), ['search_tools', 'describe_tools', 'call_tool']);
    const found = json(await c.callTool({ name: 'search_tools', arguments: { query: 'add two numbers', limit: 3 } }));
    assert.equal(found.tools[0].name, 'everything__get-sum');
    assert.match(textOf(await c.callTool({ name: 'call_tool', arguments: { name: 'everything__get-sum', arguments: { a: 2, b: 3 } } })), /5/);
    const limited = await connectModern('/mcp/search', memoryOnly);
    const refused = await limited.callTool({ name: 'call_tool', arguments: { name: 'everything__get-sum', arguments: { a: 2, b: 3 } } });
    assert.equal(refused.isError, true, 'the gate holds for 2026 clients as for sessions');
  });

  test('a listen stream on a profile hears that the profile was edited', async () => {
    const created = await gw.api('POST', '/api/profiles', { name: 'modern_live', tools: [{ match: 'memory__read_graph' }] });
    assert.equal(created.status, 201, created.text);
    const stream = await openStream(gw.url, 'subscriptions/listen', { notifications: { toolsListChanged: true } }, { path: '/mcp/p/modern_live', headers: { authorization: `Bearer ${BOOTSTRAP}` } });
    try {
      await stream.until((f) => f.method === 'notifications/subscriptions/acknowledged');
      await gw.api('PUT', '/api/profiles/modern_live', { tools: [{ match: 'memory__read_graph', name: 'graph' }] });
      await stream.until((f) => f.method === 'notifications/tools/list_changed');
      const listed = await post(gw.url, 'tools/list', {}, { path: '/mcp/p/modern_live', headers: { authorization: `Bearer ${BOOTSTRAP}` } });
      assert.deepEqual(listed.body.result.tools.map((t: { name: string }) => t.name), ['graph']);
    } finally {
      stream.close();
    }
  });

  test('a profile serves the stateless revision; an unknown profile is 404', async () => {
    const c = await connectModern('/mcp/p/from_config');
    assert.deepEqual((await c.listTools()).tools.map((t) => t.name), ['memory__read_graph']);
    await assert.rejects(c.callTool({ name: 'everything__echo', arguments: { message: 'x' } }), /Unknown tool/);
    const missing = await fetch(`${gw.url}/mcp/p/nope`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOOTSTRAP}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'x', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} } } }),
    });
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /SWB_PROFILE_NOT_FOUND/);
  });
});
