/**
 * The 2026-07-28 era on /mcp, on the wire: stateless requests next to 2025 sessions, envelope and
 * header validation, cache hints, per-request log levels, trace context, cancellation by closing the
 * stream, SSE framing, subscriptions/listen, and the input_required bridge over 2025-era upstreams.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { config, connectClient, dynamic, everything, ROOT, startGateway, stdioServer, textOf, waitFor, type Gateway } from './harness.js';
import { fullAccess } from '../../src/shared/index.js';
import { MODERN, openStream, post } from './modern-era-wire.js';

const probe = () => stdioServer('probe', process.execPath, ['--import', 'tsx', join(ROOT, 'test/fixtures/upstreams/probe-server.ts')], { cwd: ROOT });
const b64 = (s: string) => `=?base64?${Buffer.from(s, 'utf8').toString('base64')}?=`;
const ELICIT = { elicitation: { form: {} } };

describe('2026-07-28 era on /mcp', () => {
  let gw: Gateway;
  let url: string;

  before(async () => {
    gw = await startGateway(config([everything(), dynamic(), probe()]), { env: { SWITCHBOARD_SSE_KEEPALIVE_MS: '100', SWITCHBOARD_INPUT_HOLD_MS: '1500' } });
    url = gw.url;
  });
  after(async () => {
    await gw?.stop();
  });

  test('server/discover names the versions, the capabilities and the gateway', async () => {
    const r = await post(url, 'server/discover');
    assert.equal(r.status, 200);
    const d = r.body.result;
    assert.ok(d.supportedVersions.includes(MODERN));
    assert.ok(!d.supportedVersions.includes('2025-11-25'), 'session-era versions are negotiated by initialize');
    assert.deepEqual(Object.keys(d.capabilities).sort(), ['completions', 'logging', 'prompts', 'resources', 'tools']);
    assert.equal(d.capabilities.resources.subscribe, true);
    assert.equal(d._meta['io.modelcontextprotocol/serverInfo'].name, 'switchboard');
    assert.equal(d.resultType, 'complete');
  });

  test('one endpoint, both eras: a session and stateless requests see the same catalogue', async () => {
    const client = await connectClient(url);
    const legacy = (await client.listTools()).tools.map((t) => t.name);
    const modern = (await post(url, 'tools/list')).body.result.tools.map((t: any) => t.name);
    assert.deepEqual(modern, legacy);
    assert.equal(textOf((await post(url, 'tools/call', { name: 'everything__echo', arguments: { message: 'no session' } })).body.result), 'Echo: no session');
    assert.equal(textOf(await client.callTool({ name: 'everything__echo', arguments: { message: 'session' } })), 'Echo: session');
    await client.close();
  });

  test('results carry resultType; lists are sorted, stable and carry cache hints', async () => {
    const first = (await post(url, 'tools/list')).body.result;
    const names = first.tools.map((t: any) => t.name);
    assert.deepEqual(names, [...names].sort());
    assert.deepEqual((await post(url, 'tools/list')).body.result.tools.map((t: any) => t.name), names);
    for (const method of ['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list']) {
      const r = (await post(url, method)).body.result;
      assert.equal(r.resultType, 'complete', method);
      assert.ok(Number.isInteger(r.ttlMs) && r.ttlMs >= 0, `${method} ttlMs`);
      assert.equal(r.cacheScope, 'private', method);
    }
    const uri = (await post(url, 'resources/list')).body.result.resources.find((r: any) => r.uri.startsWith('switchboard://everything/')).uri;
    const read = (await post(url, 'resources/read', { uri })).body.result;
    assert.equal(read.resultType, 'complete');
    assert.ok(Number.isInteger(read.ttlMs));
    assert.equal(read.cacheScope, 'private');
    assert.equal((await post(url, 'tools/call', { name: 'everything__echo', arguments: { message: 'x' } })).body.result.resultType, 'complete');
  });

  test('envelope, version and header errors: right code, HTTP 400, the request id echoed', async () => {
    const missing = await post(url, 'tools/list', {}, { rawParams: {}, id: 41 });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, -32602);
    assert.equal(missing.body.id, 41);

    const unsupported = await post(url, 'tools/list', {}, { meta: { 'io.modelcontextprotocol/protocolVersion': '2099-01-01' }, headers: { 'mcp-protocol-version': '2099-01-01' }, id: 42 });
    assert.equal(unsupported.status, 400);
    assert.equal(unsupported.body.error.code, -32022);
    assert.ok(unsupported.body.error.data.supported.includes(MODERN));
    assert.equal(unsupported.body.error.data.requested, '2099-01-01');
    assert.equal(unsupported.body.id, 42);

    const versionMismatch = await post(url, 'tools/list', {}, { meta: { 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } });
    assert.equal(versionMismatch.status, 400);
    assert.equal(versionMismatch.body.error.code, -32020);

    const methodMismatch = await post(url, 'tools/list', {}, { headers: { 'mcp-method': 'prompts/list' } });
    assert.equal(methodMismatch.status, 400);
    assert.equal(methodMismatch.body.error.code, -32020);

    const nameMismatch = await post(url, 'tools/call', { name: 'everything__echo', arguments: { message: 'x' } }, { headers: { 'mcp-name': 'everything__other' } });
    assert.equal(nameMismatch.status, 400);
    assert.equal(nameMismatch.body.error.code, -32020);

    const sentinel = await post(url, 'tools/call', { name: 'everything__echo', arguments: { message: 'x' } }, { headers: { 'mcp-name': b64('everything__echo') } });
    assert.equal(sentinel.status, 200, JSON.stringify(sentinel.body));
    const badSentinel = await post(url, 'tools/call', { name: 'everything__echo', arguments: { message: 'x' } }, { headers: { 'mcp-name': b64('everything__nope') } });
    assert.equal(badSentinel.body.error.code, -32020);

    for (const method of ['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'no/such-method']) {
      const r = await post(url, method, method === 'logging/setLevel' ? { level: 'info' } : {});
      assert.equal(r.status, 404, method);
      assert.equal(r.body.error.code, -32601, method);
    }
  });

  test('an upstream needing a capability the request did not declare: -32021 naming it, HTTP 400', async () => {
    const r = await post(url, 'tools/call', { name: 'everything__trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 5 } }, { caps: {} });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, -32021);
    assert.deepEqual(r.body.error.data.requiredCapabilities, { sampling: {} });
  });

  test('upstream log messages reach a request only at the level its _meta asked for', async () => {
    const withLevel = await post(url, 'tools/call', { name: 'probe__log', arguments: { text: 'hello' } }, { meta: { 'io.modelcontextprotocol/logLevel': 'warning' } });
    const logs = withLevel.frames.filter((f) => f.method === 'notifications/message').map((f) => f.params);
    assert.deepEqual(logs.map((l) => l.data), ['hello (error)']);
    assert.equal(logs[0].logger, 'probe/probe');
    const quiet = await post(url, 'tools/call', { name: 'probe__log', arguments: { text: 'hush' } });
    assert.equal(quiet.frames.filter((f) => f.method === 'notifications/message').length, 0);
    assert.equal(textOf(quiet.body.result), 'logged');
  });

  test('traceparent and tracestate travel to the upstream in _meta; the envelope does not', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const r = await post(url, 'tools/call', { name: 'probe__echo_meta', arguments: {} }, { meta: { traceparent, tracestate: 'vendor=x' } });
    const seen = JSON.parse(textOf(r.body.result));
    assert.equal(seen.traceparent, traceparent);
    assert.equal(seen.tracestate, 'vendor=x');
    assert.ok(!Object.keys(seen).some((k) => k.startsWith('io.modelcontextprotocol/')), JSON.stringify(seen));
  });

  test('long responses stream as SSE: progress before the result, no proxy buffering, keep-alives', async () => {
    const r = await post(url, 'tools/call', { name: 'probe__slow', arguments: { ms: 450 } }, { meta: { progressToken: 'p-1' } });
    assert.match(r.headers.get('content-type') ?? '', /text\/event-stream/);
    assert.equal(r.headers.get('x-accel-buffering'), 'no');
    const progress = r.frames.filter((f) => f.method === 'notifications/progress');
    assert.ok(progress.length >= 2, r.raw);
    assert.ok(progress.every((p) => p.params.progressToken === 'p-1'));
    assert.ok(r.frames.indexOf(progress.at(-1)) < r.frames.indexOf(r.body));
    assert.match(r.raw, /^:/m, 'an SSE comment keep-alive');
    assert.equal(textOf(r.body.result), 'slept 450');
  });

  test('closing the response stream cancels the upstream call', async () => {
    const before = Number(textOf((await post(url, 'tools/call', { name: 'probe__cancellations', arguments: {} })).body.result));
    const s = await openStream(url, 'tools/call', { name: 'probe__slow', arguments: { ms: 20_000 } }, { meta: { progressToken: 'c-1' } });
    await s.until((f) => f.method === 'notifications/progress');
    s.close();
    await waitFor(async () => Number(textOf((await post(url, 'tools/call', { name: 'probe__cancellations', arguments: {} })).body.result)) === before + 1, 5000, 'the upstream saw the cancellation');
  });

  test("an upstream's elicitation becomes input_required; the retry completes the same call", async () => {
    const first = await post(url, 'tools/call', { name: 'everything__trigger-elicitation-request', arguments: {} }, { caps: ELICIT });
    const r1 = first.body.result;
    assert.equal(r1.resultType, 'input_required');
    const [key, req] = Object.entries<any>(r1.inputRequests)[0]!;
    assert.equal(req.method, 'elicitation/create');
    assert.equal(req.params.requestedSchema.type, 'object');
    assert.equal(req.params._meta?.progressToken, undefined, 'the upstream progress token is not passed on');
    assert.equal(typeof r1.requestState, 'string');
    const answer = { action: 'accept', content: { name: 'Ada', check: true, integer: 3, number: 1.5, enum: 'Bar' } };
    const second = await post(url, 'tools/call', { name: 'everything__trigger-elicitation-request', arguments: {}, inputResponses: { [key]: answer }, requestState: r1.requestState }, { caps: ELICIT });
    assert.equal(second.body.result.resultType, 'complete');
    assert.match(JSON.stringify(second.body.result.content), /Ada/);
  });

  test("an upstream's sampling request is bridged the same way", async () => {
    const caps = { sampling: {} };
    const r1 = (await post(url, 'tools/call', { name: 'everything__trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 5 } }, { caps })).body.result;
    const [key, req] = Object.entries<any>(r1.inputRequests)[0]!;
    assert.equal(req.method, 'sampling/createMessage');
    const reply = { role: 'assistant', content: { type: 'text', text: 'sampled over MRTR' }, model: 'm', stopReason: 'endTurn' };
    const r2 = (await post(url, 'tools/call', { name: 'everything__trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 5 }, inputResponses: { [key]: reply }, requestState: r1.requestState }, { caps })).body.result;
    assert.match(JSON.stringify(r2), /sampled over MRTR/);
  });

  test('several rounds: each retry gets a fresh state, and an old state is refused', async () => {
    const call = (extra: Record<string, unknown>) => post(url, 'tools/call', { name: 'probe__ask_twice', arguments: {}, ...extra }, { caps: ELICIT });
    const r1 = (await call({})).body.result;
    const k1 = Object.keys(r1.inputRequests)[0]!;
    assert.equal(r1.inputRequests[k1].params.message, 'name?');
    const r2 = (await call({ inputResponses: { [k1]: { action: 'accept', content: { name: 'Ada' } } }, requestState: r1.requestState })).body.result;
    assert.equal(r2.resultType, 'input_required');
    assert.notEqual(r2.requestState, r1.requestState);
    const k2 = Object.keys(r2.inputRequests)[0]!;
    assert.equal(r2.inputRequests[k2].params.message, 'colour?');
    const replay = await call({ inputResponses: { [k1]: { action: 'accept', content: { name: 'Eve' } } }, requestState: r1.requestState });
    assert.equal(replay.body.error.code, -32602);
    const r3 = (await call({ inputResponses: { [k2]: { action: 'accept', content: { colour: 'blue' } } }, requestState: r2.requestState })).body.result;
    assert.equal(textOf(r3), 'Ada likes blue');
  });

  test('a retry without the answer is asked again; a tampered or expired state is refused', async () => {
    const call = (extra: Record<string, unknown>) => post(url, 'tools/call', { name: 'probe__ask_twice', arguments: {}, ...extra }, { caps: ELICIT });
    const r1 = (await call({})).body.result;
    const again = (await call({ inputResponses: { wrong: { action: 'accept', content: {} } }, requestState: r1.requestState })).body.result;
    assert.equal(again.resultType, 'input_required');
    assert.deepEqual(Object.keys(again.inputRequests), Object.keys(r1.inputRequests));
    const s = again.requestState as string;
    const tampered = `${s.slice(0, -2)}${s.endsWith('A') ? 'B' : 'A'}${s.slice(-1)}`;
    const t = await call({ inputResponses: {}, requestState: tampered });
    assert.equal(t.body.error.code, -32602);
    assert.equal(t.status, 200, 'a refused round is an error result, not a transport failure');
    await new Promise((r) => setTimeout(r, 2000));
    const expired = await call({ inputResponses: { [Object.keys(again.inputRequests)[0]!]: { action: 'accept', content: { name: 'late' } } }, requestState: s });
    assert.equal(expired.body.error.code, -32602);
  });

  test('subscriptions/listen: acknowledged first, list changes tagged with the subscription id, filters honoured', async () => {
    const tools = await openStream(url, 'subscriptions/listen', { notifications: { toolsListChanged: true } });
    const prompts = await openStream(url, 'subscriptions/listen', { notifications: { promptsListChanged: true } });
    try {
      const ack = await tools.until(() => true);
      assert.equal(ack.method, 'notifications/subscriptions/acknowledged');
      assert.deepEqual(ack.params.notifications, { toolsListChanged: true });
      await prompts.until((f) => f.method === 'notifications/subscriptions/acknowledged');
      await post(url, 'tools/call', { name: 'dynamic__add_tool', arguments: { name: 'via_listen' } });
      const changed = await tools.until((f) => f.method === 'notifications/tools/list_changed');
      assert.equal(changed.params._meta['io.modelcontextprotocol/subscriptionId'], ack.params._meta['io.modelcontextprotocol/subscriptionId']);
      assert.notEqual(changed.params._meta['io.modelcontextprotocol/subscriptionId'], undefined);
      await waitFor(async () => (await post(url, 'tools/list')).body.result.tools.some((t: any) => t.name === 'dynamic__via_listen'), 5000, 'new tool listed');
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(!prompts.frames.some((f) => f.method === 'notifications/tools/list_changed'), 'filtered out');
    } finally {
      tools.close();
      prompts.close();
    }
  });

  test("subscriptions/listen: resource subscriptions reach the owning upstream and its updates come back", async () => {
    const uri = (await post(url, 'resources/list')).body.result.resources.find((r: any) => r.uri.startsWith('switchboard://everything/')).uri;
    const s = await openStream(url, 'subscriptions/listen', { notifications: { resourceSubscriptions: [uri, 'switchboard://nobody/x'] } });
    try {
      const ack = await s.until((f) => f.method === 'notifications/subscriptions/acknowledged');
      assert.deepEqual(ack.params.notifications.resourceSubscriptions, [uri], 'unknown URIs are not honoured');
      await post(url, 'tools/call', { name: 'everything__toggle-subscriber-updates', arguments: {} });
      const updated = await s.until((f) => f.method === 'notifications/resources/updated', 8000);
      assert.equal(updated.params.uri, uri);
      assert.notEqual(updated.params._meta['io.modelcontextprotocol/subscriptionId'], undefined);
    } finally {
      s.close();
      await post(url, 'tools/call', { name: 'everything__toggle-subscriber-updates', arguments: {} });
    }
  });
});

describe('2026-07-28 requests are authenticated and gated like sessions', () => {
  const ADMIN = 'sbk-modern-era-bootstrap-key-0123456789';
  let gw: Gateway;
  const keys: Record<string, Record<string, string>> = { admin: { 'x-api-key': ADMIN } };

  before(async () => {
    gw = await startGateway(config([everything(), probe()], { allowUnauthenticatedLoopback: false }), { env: { SWITCHBOARD_API_KEY: ADMIN } });
    const root = fullAccess('local', 'test', 'test');
    keys['probeOnly'] = { 'x-api-key': (await gw.admin.keys.create(root, { name: 'probe-only', scopes: ['read', 'execute'], tools: ['probe__*'] })).secret };
    keys['readOnly'] = { 'x-api-key': (await gw.admin.keys.create(root, { name: 'read-only', scopes: ['read'] })).secret };
  });
  after(async () => {
    await gw?.stop();
  });

  test('no credentials: 401 before any MCP parsing', async () => {
    const r = await post(gw.url, 'tools/list');
    assert.equal(r.status, 401);
  });

  test("a key sees and calls only what its allow-list and scopes permit", async () => {
    const names = (await post(gw.url, 'tools/list', {}, { headers: keys['probeOnly'] })).body.result.tools.map((t: any) => t.name);
    assert.ok(names.length > 0 && names.every((n: string) => n.startsWith('probe__')), names.join(','));
    const denied = (await post(gw.url, 'tools/call', { name: 'everything__echo', arguments: { message: 'x' } }, { headers: keys['probeOnly'] })).body;
    assert.match(denied.error.message, /SWB_TOOL_NOT_FOUND/, 'a denied tool looks like an unknown one, as for sessions');
    const readOnly = await post(gw.url, 'tools/call', { name: 'probe__echo_meta', arguments: {} }, { headers: keys['readOnly'] });
    assert.ok(readOnly.status === 403 || readOnly.body?.error || readOnly.body?.result?.isError === true, `calling needs the execute scope: ${readOnly.status} ${readOnly.raw}`);
    assert.equal(readOnly.body?.result?.content?.[0]?.text?.startsWith('{'), undefined, 'the tool did not run');
    assert.equal((await post(gw.url, 'tools/call', { name: 'probe__echo_meta', arguments: {} }, { headers: keys['probeOnly'] })).body.result.isError, undefined);
  });

  test("one caller's requestState is refused for another", async () => {
    const r1 = (await post(gw.url, 'tools/call', { name: 'probe__ask_twice', arguments: {} }, { caps: ELICIT, headers: keys['probeOnly'] })).body.result;
    const key = Object.keys(r1.inputRequests)[0]!;
    const retry = { name: 'probe__ask_twice', arguments: {}, inputResponses: { [key]: { action: 'accept', content: { name: 'Mallory' } } }, requestState: r1.requestState };
    const stolen = await post(gw.url, 'tools/call', retry, { caps: ELICIT, headers: keys['admin'] });
    assert.equal(stolen.body.error.code, -32602);
    const own = (await post(gw.url, 'tools/call', retry, { caps: ELICIT, headers: keys['probeOnly'] })).body.result;
    assert.equal(own.resultType, 'input_required', 'the rightful caller continues to the next round');
  });
});
