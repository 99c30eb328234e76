/**
 * The one policy gate, end to end: several principals × the real server-everything and server-memory
 * catalogues, over real HTTP with SDK clients. What each principal lists is exactly what it can call,
 * read, get, complete and subscribe to; denials look like unknown items and are recorded; sessions
 * are bound to the identity that opened them; McpOperations agree with /mcp.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { fullAccess, SwitchboardError, type Principal } from '../../src/shared/index.js';
import { everythingServer, KEY_HEADER, memoryServer, startGateGateway, type GateGateway } from './gate-harness.js';

const RAW = z.any();
const key = (id: string, scopes: Principal['scopes'], over: Partial<Principal> = {}): Principal => ({ kind: 'api_key', id, name: id, scopes, ...over });

const PRINCIPALS: Record<string, Principal> = {
  full: fullAccess('bootstrap', 'bootstrap', 'bootstrap'),
  admin: { kind: 'user', id: 'u1', name: 'ada', role: 'admin', scopes: ['admin'] },
  reader: key('reader', ['read']),
  runner: key('runner', ['execute']),
  memoryOnly: key('memoryOnly', ['read', 'execute'], { servers: ['memory'] }),
  // `get-*` matches no exposed name (they are prefixed): patterns are whole-name, never substring.
  picky: key('picky', ['read', 'execute'], { tools: ['everything__echo', 'memory/read_*', 'get-*'] }),
  nobody: key('nobody', ['read', 'execute'], { servers: [] }),
};
/** The same key (kind and id) after an admin widened its tool list. */
const PICKY_WIDENED = { ...PRINCIPALS['picky']!, tools: ['everything__echo', 'everything__get-sum'] };

/** Tools safe to actually call with these arguments. */
const SAFE_CALLS: Record<string, Record<string, unknown>> = {
  everything__echo: { message: 'hi' },
  'everything__get-sum': { a: 1, b: 2 },
  memory__read_graph: {},
  memory__search_nodes: { query: 'x' },
};

interface Catalogue {
  tools: string[];
  resources: string[];
  templates: string[];
  prompts: string[];
}

async function catalogue(c: Client): Promise<Catalogue> {
  const r = async (method: string, key: string, field: string) => ((await c.request({ method, params: {} }, RAW)) as any)[key].map((x: any) => x[field]) as string[];
  return {
    tools: await r('tools/list', 'tools', 'name'),
    resources: await r('resources/list', 'resources', 'uri'),
    templates: await r('resources/templates/list', 'resourceTemplates', 'uriTemplate'),
    prompts: await r('prompts/list', 'prompts', 'name'),
  };
}

/** The error a request fails with (or undefined when it succeeds). */
async function failure(p: Promise<unknown>): Promise<{ code: number; message: string; data?: any } | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    const e = err as { code: number; message: string; data?: unknown };
    return { code: e.code, message: e.message, data: e.data };
  }
}

describe('the policy gate over real upstreams', () => {
  let gw: GateGateway;
  const clients: Record<string, Client> = {};
  let all: Catalogue;

  before(async () => {
    gw = await startGateGateway([everythingServer(), memoryServer()], { ...PRINCIPALS, pickyWidened: PICKY_WIDENED });
    for (const name of Object.keys(PRINCIPALS)) clients[name] = await gw.client(name);
    all = await catalogue(clients['full']!);
    assert.ok(all.tools.length > 20 && all.resources.length > 5 && all.templates.length > 0 && all.prompts.length > 2, 'both upstreams are listed');
  });
  after(async () => gw?.stop());

  test('what each principal lists', async () => {
    const memTools = all.tools.filter((t) => t.startsWith('memory__'));
    const expected: Record<string, Catalogue> = {
      full: all,
      admin: all,
      reader: { tools: [], resources: all.resources, templates: all.templates, prompts: all.prompts },
      runner: { tools: all.tools, resources: [], templates: [], prompts: [] },
      memoryOnly: { tools: memTools, resources: ['switchboard://memory/memory://knowledge-graph'], templates: [], prompts: [] },
      picky: { tools: ['everything__echo', 'memory__read_graph'], resources: all.resources, templates: all.templates, prompts: all.prompts },
      nobody: { tools: [], resources: [], templates: [], prompts: [] },
    };
    for (const [name, want] of Object.entries(expected)) assert.deepEqual(await catalogue(clients[name]!), want, name);
  });

  test('list and use agree for every principal and every tool, resource and prompt', async () => {
    for (const [name, c] of Object.entries(clients)) {
      const seen = await catalogue(c);
      for (const tool of all.tools) {
        const visible = seen.tools.includes(tool);
        if (!visible) {
          const f = await failure(c.request({ method: 'tools/call', params: { name: tool, arguments: {} } }, RAW));
          assert.deepEqual(f, { code: -32602, message: `SWB_TOOL_NOT_FOUND: Unknown tool: ${tool}`, data: { code: 'SWB_TOOL_NOT_FOUND', name: tool } }, `${name} × ${tool}`);
        } else if (SAFE_CALLS[tool]) {
          const res = (await c.request({ method: 'tools/call', params: { name: tool, arguments: SAFE_CALLS[tool] } }, RAW)) as any;
          assert.notEqual(res.isError, true, `${name} × ${tool}: ${JSON.stringify(res)}`);
        }
      }
      for (const uri of all.resources) {
        const f = await failure(c.request({ method: 'resources/read', params: { uri } }, RAW));
        if (seen.resources.includes(uri)) assert.equal(f, undefined, `${name} reads ${uri}`);
        // The SDK puts resource-not-found on the wire as -32602 with data exactly { uri } (the 2026
        // spec's form), which its clients turn into a ResourceNotFoundError.
        else {
          assert.deepEqual(f, { code: -32602, message: `SWB_RESOURCE_NOT_FOUND: Resource not found: ${uri}`, data: { uri } }, `${name} × ${uri}`);
          const unknown = `${uri}-nope`;
          assert.deepEqual(await failure(c.request({ method: 'resources/read', params: { uri: unknown } }, RAW)), { ...f, message: f!.message.replace(uri, unknown), data: { uri: unknown } });
        }
        const sub = await failure(c.request({ method: 'resources/subscribe', params: { uri } }, RAW));
        assert.equal(sub === undefined, seen.resources.includes(uri), `${name} subscribes ${uri}`);
        if (!sub) await c.request({ method: 'resources/unsubscribe', params: { uri } }, RAW);
      }
      // A URI served through a template is readable exactly when the template is listed.
      const templated = 'switchboard://everything/demo://resource/dynamic/text/1';
      assert.equal((await failure(c.request({ method: 'resources/read', params: { uri: templated } }, RAW))) === undefined, seen.templates.length > 0, `${name} × ${templated}`);
      for (const prompt of all.prompts) {
        const f = await failure(c.request({ method: 'prompts/get', params: { name: prompt, arguments: {} } }, RAW));
        if (seen.prompts.includes(prompt)) assert.ok(!f || !f.message.includes('SWB_PROMPT_NOT_FOUND'), `${name} gets ${prompt}: ${f?.message}`);
        else assert.deepEqual(f, { code: -32602, message: `SWB_PROMPT_NOT_FOUND: Unknown prompt: ${prompt}`, data: { code: 'SWB_PROMPT_NOT_FOUND', name: prompt } }, `${name} × ${prompt}`);
      }
      const completion = await failure(
        c.request({ method: 'completion/complete', params: { ref: { type: 'ref/prompt', name: 'everything__completable-prompt' }, argument: { name: 'department', value: 'E' } } }, RAW),
      );
      assert.equal(completion === undefined, seen.prompts.includes('everything__completable-prompt'), `${name} completes`);
    }
  });

  test('a denied tool is indistinguishable from one that does not exist', async () => {
    const c = clients['picky']!;
    const denied = await failure(c.request({ method: 'tools/call', params: { name: 'everything__get-sum', arguments: { a: 1, b: 2 } } }, RAW));
    const unknown = await failure(c.request({ method: 'tools/call', params: { name: 'everything__no-such-tool', arguments: {} } }, RAW));
    const normalise = (f: any, name: string) => JSON.stringify(f).replaceAll(name, 'NAME');
    assert.equal(normalise(denied, 'everything__get-sum'), normalise(unknown, 'everything__no-such-tool'));
  });

  test('every denial is recorded with its reason; list filtering is not a denial', async () => {
    gw.activity.clear();
    await catalogue(clients['picky']!);
    assert.equal(gw.activity.decisions.length, 0, 'listing records nothing');
    await failure(clients['picky']!.request({ method: 'tools/call', params: { name: 'everything__get-sum', arguments: { a: 1, b: 2 } } }, RAW));
    await failure(clients['reader']!.request({ method: 'tools/call', params: { name: 'everything__echo', arguments: { message: 'x' } } }, RAW));
    await failure(clients['memoryOnly']!.request({ method: 'resources/read', params: { uri: all.resources[0] } }, RAW));
    await failure(clients['runner']!.request({ method: 'prompts/get', params: { name: 'everything__simple-prompt' } }, RAW));
    await failure(clients['nobody']!.request({ method: 'resources/subscribe', params: { uri: all.resources[0] } }, RAW));
    const got = gw.activity.decisions.map((d) => ({ caller: d.caller.id, action: d.action, server: d.server, tool: d.tool, allowed: d.allowed, reason: d.reason, session: typeof d.sessionId }));
    assert.deepEqual(got, [
      { caller: 'picky', action: 'tools/call', server: 'everything', tool: 'get-sum', allowed: false, reason: 'tool_not_allowed', session: 'string' },
      { caller: 'reader', action: 'tools/call', server: 'everything', tool: 'echo', allowed: false, reason: 'missing_scope:execute', session: 'string' },
      { caller: 'memoryOnly', action: 'resources/read', server: 'everything', tool: undefined, allowed: false, reason: 'server_not_allowed', session: 'string' },
      { caller: 'runner', action: 'prompts/get', server: 'everything', tool: undefined, allowed: false, reason: 'missing_scope:read', session: 'string' },
      { caller: 'nobody', action: 'resources/subscribe', server: 'everything', tool: undefined, allowed: false, reason: 'server_not_allowed', session: 'string' },
    ]);
    assert.equal(gw.activity.requests.length, 0, 'denied requests never reach an upstream');
  });

  test('requests that reach an upstream are recorded with caller, session, status and size', async () => {
    gw.activity.clear();
    const c = clients['picky']!;
    await c.request({ method: 'tools/call', params: { name: 'everything__echo', arguments: { message: 'recorded' } } }, RAW);
    await c.request({ method: 'resources/read', params: { uri: all.resources[0] } }, RAW);
    await c.request({ method: 'prompts/get', params: { name: 'everything__simple-prompt' } }, RAW);
    const full = clients['full']!;
    const failed = (await full.request({ method: 'tools/call', params: { name: 'everything__get-sum', arguments: { a: 'one', b: 2 } } }, RAW)) as any;
    const recs = gw.activity.requests;
    assert.deepEqual(
      recs.map((r) => [r.start.caller.id, r.start.method, r.start.server, r.start.tool, r.outcome?.status]),
      [
        ['picky', 'tools/call', 'everything', 'echo', 'ok'],
        ['picky', 'resources/read', 'everything', undefined, 'ok'],
        ['picky', 'prompts/get', 'everything', undefined, 'ok'],
        ['bootstrap', 'tools/call', 'everything', 'get-sum', failed.isError ? 'error' : 'ok'],
      ],
    );
    assert.equal(failed.isError, true, 'bad arguments fail the call');
    assert.deepEqual(recs[0]!.start.arguments, { message: 'recorded' });
    assert.deepEqual(recs[1]!.start.arguments, { uri: all.resources[0] });
    for (const r of recs) {
      assert.equal(typeof r.start.sessionId, 'string');
      assert.ok(r.start.requestId !== undefined);
      assert.ok((r.outcome?.resultBytes ?? 0) > 0);
    }
  });

  test('a session answers only the identity that opened it', async () => {
    const full = clients['full']!;
    const sid = (full.transport as unknown as { sessionId: string }).sessionId;
    assert.ok(sid);
    const headers = (k: string) => ({ [KEY_HEADER]: k, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'tools/list', params: {} });
    for (const other of ['picky', 'admin', 'reader']) {
      for (const method of ['POST', 'GET', 'DELETE']) {
        const res = await fetch(`${gw.url}/mcp`, { method, headers: headers(other), ...(method === 'POST' ? { body } : {}) });
        assert.equal(res.status, 404, `${other} ${method}`);
        const json = (await res.json()) as any;
        assert.equal(json.error.code, -32001);
        assert.match(json.error.message, /Session not found/);
      }
    }
    // The owner's session is untouched by those attempts.
    assert.ok((await catalogue(full)).tools.length === all.tools.length);
  });

  test('the same key with changed allow-lists sees the change on its open session', async () => {
    const c = clients['picky']!;
    const sid = (c.transport as unknown as { sessionId: string }).sessionId;
    const post = (k: string, id: number, method: string, params: unknown) =>
      fetch(`${gw.url}/mcp`, {
        method: 'POST',
        headers: { [KEY_HEADER]: k, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
      }).then(async (r) => ({ status: r.status, json: rpc(await r.text()) }));
    const widened = await post('pickyWidened', 1, 'tools/list', {});
    assert.equal(widened.status, 200);
    assert.deepEqual(widened.json.result.tools.map((t: any) => t.name), ['everything__echo', 'everything__get-sum']);
    const back = await post('picky', 2, 'tools/list', {});
    assert.deepEqual(back.json.result.tools.map((t: any) => t.name), ['everything__echo', 'memory__read_graph']);
  });

  test('the legacy SSE transport binds its session the same way', async () => {
    const ac = new AbortController();
    const stream = await fetch(`${gw.url}/sse`, { headers: { [KEY_HEADER]: 'picky', accept: 'text/event-stream' }, signal: ac.signal });
    assert.equal(stream.status, 200);
    const reader = stream.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    const endpoint = /data: (\S+)/.exec(text)![1]!;
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
    const send = (k: string) => fetch(`${gw.url}${endpoint}`, { method: 'POST', headers: { [KEY_HEADER]: k, 'content-type': 'application/json' }, body: ping });
    const stolen = await send('full');
    assert.equal(stolen.status, 404);
    assert.equal(((await stolen.json()) as any).error.code, -32001);
    assert.equal((await send('picky')).status, 202);
    ac.abort();
  });

  test('McpOperations see, call, read and get exactly like /mcp', async () => {
    const ops = gw.core.operations;
    for (const [name, c] of Object.entries(clients)) {
      const p = PRINCIPALS[name]!;
      const seen = await catalogue(c);
      assert.deepEqual((await ops.listTools(p)).map((t) => t['name']), seen.tools, `${name} tools`);
      assert.deepEqual((await ops.listResources(p)).map((t) => t['uri']), seen.resources, `${name} resources`);
      assert.deepEqual((await ops.listPrompts(p)).map((t) => t['name']), seen.prompts, `${name} prompts`);
      for (const tool of ['everything__echo', 'everything__get-sum', 'memory__read_graph']) {
        const args = SAFE_CALLS[tool]!;
        if (seen.tools.includes(tool)) {
          assert.deepEqual(await ops.callTool(p, tool, args), await c.request({ method: 'tools/call', params: { name: tool, arguments: args } }, RAW), `${name} × ${tool}`);
        } else {
          await assert.rejects(ops.callTool(p, tool, args), (err: unknown) => err instanceof SwitchboardError && err.code === 'SWB_TOOL_NOT_FOUND' && err.message === `Unknown tool: ${tool}`, `${name} × ${tool}`);
        }
      }
      const uri = all.resources[0]!;
      if (seen.resources.includes(uri)) assert.deepEqual(await ops.readResource(p, uri), await c.request({ method: 'resources/read', params: { uri } }, RAW));
      else await assert.rejects(ops.readResource(p, uri), (err: unknown) => err instanceof SwitchboardError && err.code === 'SWB_RESOURCE_NOT_FOUND');
      const prompt = 'everything__simple-prompt';
      if (seen.prompts.includes(prompt)) assert.deepEqual(await ops.getPrompt(p, prompt, {}), await c.request({ method: 'prompts/get', params: { name: prompt, arguments: {} } }, RAW));
      else await assert.rejects(ops.getPrompt(p, prompt, {}), (err: unknown) => err instanceof SwitchboardError && err.code === 'SWB_PROMPT_NOT_FOUND');
    }
  });

  test('McpOperations record like /mcp (without a session) and validate their input', async () => {
    gw.activity.clear();
    const p = PRINCIPALS['picky']!;
    await gw.core.operations.callTool(p, 'everything__echo', { message: 'via rest' });
    await assert.rejects(gw.core.operations.callTool(p, 'everything__get-sum', {}), /Unknown tool/);
    assert.deepEqual(
      gw.activity.requests.map((r) => [r.start.caller.id, r.start.method, r.start.tool, r.start.sessionId, r.outcome?.status]),
      [['picky', 'tools/call', 'echo', undefined, 'ok']],
    );
    assert.deepEqual(
      gw.activity.decisions.map((d) => [d.caller.id, d.action, d.tool, d.sessionId, d.reason]),
      [['picky', 'tools/call', 'get-sum', undefined, 'tool_not_allowed']],
    );
    await assert.rejects(gw.core.operations.callTool(p, '', {}), (err: unknown) => err instanceof SwitchboardError && err.code === 'SWB_INVALID_ARGUMENT');
    await assert.rejects(gw.core.operations.readResource(p, ''), (err: unknown) => err instanceof SwitchboardError && err.code === 'SWB_INVALID_ARGUMENT');
    await assert.rejects(gw.core.operations.getPrompt(p, 'everything__simple-prompt', { n: 1 as unknown as string }), (err: unknown) => err instanceof SwitchboardError && err.code === 'SWB_INVALID_ARGUMENT');
  });
});

/** The JSON-RPC message in a JSON body or in the last SSE data line. */
function rpc(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    const lines = text.split('\n').filter((l) => l.startsWith('data: ') && l.length > 6);
    return JSON.parse(lines[lines.length - 1]!.slice(6));
  }
}
