/**
 * External MCP sources of hosted servers end to end: a real server-everything over Streamable HTTP
 * (behind a loopback proxy that demands a bearer token) and over SSE; add a source through REST,
 * discover, import, approve with the CLI, call the imported tools through /mcp with results passed
 * through; the egress rule on source URLs; bad input on every route; the switchboard_* tools and
 * their scopes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { connectClient, ROOT, startHttpEverything, tempDir, textOf, waitFor } from './harness.js';
import { BOOTSTRAP, startHostedGateway, type HostedGateway } from './hosted-harness.js';

const TOKEN = 'ext-source-token-5b1e7d';
const P = 'switchboard__switchboard_';

/** A proxy in front of the upstream that answers 401 unless the bearer token is right, and records what it saw. */
async function authProxy(target: string): Promise<{ port: number; seen: string[]; sessions: Set<string>; close(): Promise<void> }> {
  const up = new URL(target);
  const seen: string[] = [];
  const sessions = new Set<string>();
  const server: Server = createServer((req, res) => {
    const auth = String(req.headers.authorization ?? '');
    seen.push(auth);
    const sid = req.headers['mcp-session-id'];
    if (typeof sid === 'string') sessions.add(sid);
    if (auth !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unauthorized' }));
      return;
    }
    // `connection` is hop-by-hop: forwarding the client's `close` makes the upstream end its session.
    const { connection: _hop, ...headers } = req.headers;
    const out = httpRequest({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: { ...headers, host: up.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    sessions,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/** The CLI as a child process (async: the gateway runs in this process and must keep answering). */
function cli(args: string[], configPath: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/run.ts'), ...args, '--config', configPath], { cwd: ROOT, env: { ...process.env, SWITCHBOARD_API_KEY: BOOTSTRAP, SWITCHBOARD_CONFIG: '' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
  });
}

describe('external MCP sources of hosted servers', { timeout: 300_000 }, () => {
  let gw: HostedGateway;
  let everything: Awaited<ReturnType<typeof startHttpEverything>>;
  let sse: Awaited<ReturnType<typeof startHttpEverything>> | undefined;
  let proxy: Awaited<ReturnType<typeof authProxy>>;
  let configPath: string;
  let sourceUrl: string;
  let sourceId: string;
  const ids: Record<string, string> = {};
  const clients: Client[] = [];

  before(async () => {
    everything = await startHttpEverything('streamableHttp');
    proxy = await authProxy(everything.url);
    sourceUrl = `http://127.0.0.1:${proxy.port}/mcp`;
    gw = await startHostedGateway();
    const dir = tempDir('sb-ext-cli-');
    configPath = join(dir, 'switchboard.json');
    writeFileSync(configPath, '{}');
    const made = await gw.api('POST', '/api/hosted-servers', { name: 'ext', allowed_hosts: [`127.0.0.1:${proxy.port}`] });
    assert.equal(made.status, 201, made.text);
    assert.equal((await gw.api('POST', '/api/servers/ext/secrets', { name: 'TOKEN' })).status, 201);
  });
  after(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await gw?.stop();
    await proxy?.close();
    everything?.stop();
    sse?.stop();
  });

  test('add a source: egress rule, header rules and bad input change nothing', async () => {
    const readKey = await gw.key(['read']);
    const body = { server: 'ext', name: 'everything', url: sourceUrl, headers: { Authorization: 'Bearer ${secret:TOKEN}' } };
    assert.equal((await gw.api('POST', '/api/external-sources', body, null)).status, 401);
    const forbidden = await gw.api('POST', '/api/external-sources', body, readKey);
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.error.code, 'SWB_AUTH_FORBIDDEN');
    // Bad URLs.
    for (const url of ['not a url', 'ftp://127.0.0.1/mcp', `http://user:pw@127.0.0.1:${proxy.port}/mcp`]) {
      const r = await gw.api('POST', '/api/external-sources', { ...body, url });
      assert.equal(r.status, 422, `${url}: ${r.text}`);
      assert.equal(r.body.error.code, 'SWB_VALIDATION_FAILED');
    }
    // Hosts off the allowed list, metadata, and loopback under the public policy without an exact entry.
    const otherPort = new URL(everything.url).port;
    for (const url of [`http://127.0.0.1:${otherPort}/mcp`, 'http://example.com/mcp', 'http://169.254.169.254/latest', 'http://metadata.google.internal/']) {
      const r = await gw.api('POST', '/api/external-sources', { ...body, url });
      assert.equal(r.status, 422, `${url}: ${r.text}`);
      assert.equal(r.body.error.code, 'SWB_EXTERNAL_HOST_BLOCKED', url);
    }
    assert.equal((await gw.api('PATCH', '/api/settings/security-policy', { network_access_policy: 'public' })).status, 200);
    try {
      const loop = await gw.api('POST', '/api/external-sources', { ...body, url: `http://127.0.0.1:${otherPort}/mcp` });
      assert.equal(loop.status, 422, loop.text);
      assert.equal(loop.body.error.code, 'SWB_EXTERNAL_HOST_BLOCKED');
      assert.match(loop.body.error.message, /loopback/);
    } finally {
      assert.equal((await gw.api('PATCH', '/api/settings/security-policy', { network_access_policy: 'allowlist' })).status, 200);
    }
    // Credentials only as secret references; headers the transport owns are refused.
    const literal = await gw.api('POST', '/api/external-sources', { ...body, headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(literal.status, 422);
    assert.match(literal.body.error.message, /secret/);
    assert.equal((await gw.api('POST', '/api/external-sources', { ...body, headers: { 'Mcp-Session-Id': 'x' } })).status, 422);
    assert.equal((await gw.api('POST', '/api/external-sources', { ...body, headers: { 'X-Api-Key': '${secret:bad name}' } })).status, 422);
    // Schema-level problems.
    assert.equal((await gw.api('POST', '/api/external-sources', { ...body, name: 'bad name!' })).status, 400);
    assert.equal((await gw.api('POST', '/api/external-sources', { ...body, transport: 'stdio' })).status, 400);
    assert.equal((await gw.api('POST', '/api/external-sources', { ...body, extra: 1 })).status, 400);
    const ghost = await gw.api('POST', '/api/external-sources', { ...body, server: 'ghost' });
    assert.equal(ghost.status, 404);
    assert.equal(ghost.body.error.code, 'SWB_SERVER_NOT_FOUND');
    assert.deepEqual((await gw.api('GET', '/api/external-sources')).body.items, [], 'nothing was saved');

    const made = await gw.api('POST', '/api/external-sources', { ...body, description: 'server-everything' });
    assert.equal(made.status, 201, made.text);
    sourceId = made.body.id;
    assert.deepEqual({ transport: made.body.transport, headers: made.body.headers, imported: made.body.imported_tools }, { transport: 'streamable-http', headers: { Authorization: 'Bearer ${secret:TOKEN}' }, imported: 0 });
    assert.equal((await gw.api('POST', '/api/external-sources', body)).status, 409, 'names are unique per server');
    // Reading: by id, flat list, per server, for a read key.
    assert.equal((await gw.api('GET', `/api/external-sources/${sourceId}`, undefined, readKey)).body.name, 'everything');
    assert.deepEqual((await gw.api('GET', '/api/external-sources?server=ext', undefined, readKey)).body.items.map((s: any) => s.id), [sourceId]);
    assert.deepEqual((await gw.api('GET', '/api/hosted-servers/ext/external-sources', undefined, readKey)).body.items.map((s: any) => s.id), [sourceId]);
    assert.equal((await gw.api('GET', '/api/external-sources?server=ghost')).status, 404);
  });

  test('unknown ids on every route', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/external-sources/nope', undefined],
      ['PATCH', '/api/external-sources/nope', { description: 'x' }],
      ['PUT', '/api/external-sources/nope', { description: 'x' }],
      ['DELETE', '/api/external-sources/nope', undefined],
      ['POST', '/api/external-sources/nope/discover', undefined],
      ['POST', '/api/external-sources/nope/import', { tools: ['echo'] }],
    ] as const) {
      const r = await gw.api(method, path, body);
      assert.equal(r.status, 404, `${method} ${path}: ${r.text}`);
      assert.equal(r.body.error.code, 'SWB_EXTERNAL_SOURCE_NOT_FOUND');
    }
  });

  test('discover: a missing secret value is named; then the tools with their schemas', async () => {
    const missing = await gw.api('POST', `/api/external-sources/${sourceId}/discover`);
    assert.equal(missing.status, 422, missing.text);
    assert.equal(missing.body.error.code, 'SWB_SECRET_MISSING');
    assert.match(missing.body.error.message, /TOKEN/);
    assert.equal((await gw.api('PUT', '/api/servers/ext/secrets/TOKEN', { value: 'wrong-token' })).status, 200);
    const refused = await gw.api('POST', `/api/external-sources/${sourceId}/discover`);
    assert.equal(refused.status, 502, refused.text);
    assert.equal(refused.body.error.code, 'SWB_EXTERNAL_SOURCE_UNREACHABLE');
    assert.ok(!refused.text.includes('wrong-token'), 'the secret value is not echoed');
    assert.equal((await gw.api('PUT', '/api/servers/ext/secrets/TOKEN', { value: TOKEN })).status, 200);
    const readKey = await gw.key(['read']);
    assert.equal((await gw.api('POST', `/api/external-sources/${sourceId}/discover`, undefined, readKey)).status, 403);
    const found = await gw.api('POST', `/api/external-sources/${sourceId}/discover`);
    assert.equal(found.status, 200, found.text);
    assert.equal(found.body.server, 'ext');
    assert.match(found.body.server_info.name ?? '', /everything/i);
    const sum = found.body.tools.find((t: any) => t.name === 'get-sum');
    assert.ok(sum, 'get-sum is offered');
    assert.equal(sum.imported, false);
    assert.deepEqual(Object.keys(sum.input_schema.properties).sort(), ['a', 'b']);
    assert.ok(found.body.tools.some((t: any) => t.name === 'echo'));
    assert.ok(proxy.seen.includes(`Bearer ${TOKEN}`), 'the secret reached the source as the header');
    assert.ok((await gw.api('GET', `/api/external-sources/${sourceId}`)).body.last_discovered_at);
  });

  test('import: unknown tools, name clashes and bad bodies change nothing; REST imports go to review', async () => {
    const unknown = await gw.api('POST', `/api/external-sources/${sourceId}/import`, { tools: ['echo', 'no-such-tool'] });
    assert.equal(unknown.status, 404, unknown.text);
    assert.equal(unknown.body.error.code, 'SWB_TOOL_NOT_FOUND');
    assert.match(unknown.body.error.message, /no-such-tool/);
    assert.equal((await gw.api('POST', `/api/external-sources/${sourceId}/import`, { tools: [] })).status, 400);
    assert.equal((await gw.api('POST', `/api/external-sources/${sourceId}/import`, {})).status, 400);
    assert.equal((await gw.api('POST', `/api/external-sources/${sourceId}/import`, { tools: [{ name: 'echo', as: '1bad' }] })).status, 400);
    assert.equal((await gw.api('POST', `/api/external-sources/${sourceId}/import`, { tools: ['echo', 'echo'] })).status, 422);
    const py = await gw.api('POST', '/api/hosted-servers/ext/tools', { name: 'echo', code: 'async def main() -> str:\n    return "local"\n' });
    assert.equal(py.status, 201, py.text);
    const clash = await gw.api('POST', `/api/external-sources/${sourceId}/import`, { tools: ['get-sum', 'echo'] });
    assert.equal(clash.status, 409, clash.text);
    assert.equal((await gw.api('DELETE', `/api/tools/${py.body.id}`)).status, 200);
    assert.deepEqual((await gw.api('GET', '/api/hosted-servers/ext/tools')).body.items, [], 'nothing was imported');

    const r = await gw.api('POST', `/api/external-sources/${sourceId}/import`, { tools: ['echo', { name: 'get-sum', as: 'sum' }, 'get-structured-content'] });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.items.map((i: any) => [i.source_tool, i.action, i.tool.name, i.tool.status, i.tool.kind]), [
      ['echo', 'created', 'echo', 'pending_review', 'external'],
      ['get-sum', 'created', 'sum', 'pending_review', 'external'],
      ['get-structured-content', 'created', 'get-structured-content', 'pending_review', 'external'],
    ]);
    for (const i of r.body.items) ids[i.tool.name] = i.tool.id;
    const echo = (await gw.api('GET', `/api/tools/${ids['echo']}`)).body;
    assert.deepEqual(echo.external, { source_id: sourceId, source: 'everything', tool: 'echo' });
    assert.match(echo.code, /tool: echo/);
    assert.ok(echo.input_schema.properties.message);
    // Imported tools have no code to edit; name and description can change.
    const edit = await gw.api('PATCH', `/api/tools/${ids['echo']}`, { code: 'async def main() -> str:\n    return "x"\n' });
    assert.equal(edit.status, 422, edit.text);
    // Importing again with nothing changed is a no-op; discover marks them imported and current.
    const again = await gw.api('POST', `/api/external-sources/${sourceId}/import`, { tools: ['echo'] });
    assert.deepEqual(again.body.items.map((i: any) => [i.action, i.tool.version]), [['unchanged', 1]]);
    const found = await gw.api('POST', `/api/external-sources/${sourceId}/discover`);
    const echoFound = found.body.tools.find((t: any) => t.name === 'echo');
    assert.deepEqual([echoFound.imported, echoFound.tool_id, echoFound.status, echoFound.up_to_date], [true, ids['echo'], 'pending_review', true]);
    assert.equal((await gw.api('GET', `/api/external-sources/${sourceId}`)).body.imported_tools, 3);
  });

  test('CLI: approvals list, approve, reject (a reason is required)', async () => {
    const list = await cli(['approvals', 'list', '--url', gw.url], configPath);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`${ids['echo']}\\s+tool\\s+ext\\s+echo v1 \\(imported\\)`));
    assert.match(list.stdout, /3 waiting for a decision/);
    const json = await cli(['approvals', 'list', '--json', '--url', gw.url], configPath);
    assert.deepEqual(JSON.parse(json.stdout).map((p: any) => p.id).sort(), Object.values(ids).sort());

    const approve = await cli(['approvals', 'approve', ids['echo']!, '--url', gw.url], configPath);
    assert.equal(approve.status, 0, approve.stderr);
    assert.match(approve.stdout, /Approved tool ext\/echo: now approved/);
    const noReason = await cli(['approvals', 'reject', ids['sum']!, '--url', gw.url], configPath);
    assert.equal(noReason.status, 2);
    assert.match(noReason.stderr, /--reason/);
    const reject = await cli(['approvals', 'reject', ids['sum']!, '--reason', 'not needed', '--url', gw.url], configPath);
    assert.equal(reject.status, 0, reject.stderr);
    assert.match(reject.stdout, /now rejected/);
    assert.equal((await gw.api('GET', `/api/tools/${ids['sum']}`)).body.review.reason, 'not needed');
    // Errors from the gateway: an unknown id, a decision on a decided tool; usage errors.
    const ghost = await cli(['approvals', 'approve', 'no-such-id', '--url', gw.url], configPath);
    assert.equal(ghost.status, 1);
    assert.match(ghost.stderr, /SWB_ITEM_NOT_FOUND/);
    const twice = await cli(['approvals', 'approve', ids['echo']!, '--url', gw.url], configPath);
    assert.equal(twice.status, 1);
    assert.match(twice.stderr, /SWB_HOSTED_TRANSITION_INVALID/);
    assert.equal((await cli(['approvals', 'approve', '--url', gw.url], configPath)).status, 2);
    assert.equal((await cli(['approvals', 'frobnicate', '--url', gw.url], configPath)).status, 2);

    assert.equal((await gw.api('POST', `/api/approvals/tools/${ids['get-structured-content']}/action`, { action: 'approve' })).status, 200);
  });

  test('approved imported tools of a running server are listed and callable through /mcp, results passed through', async () => {
    assert.equal((await gw.api('POST', '/api/hosted-servers/ext/start')).status, 200);
    const client = await connectClient(gw.url, { headers: { authorization: `Bearer ${BOOTSTRAP}` } });
    clients.push(client);
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('ext__echo'), names.join(','));
    assert.ok(names.includes('ext__get-structured-content'));
    assert.ok(!names.includes('ext__sum'), 'a rejected tool is not listed');
    proxy.sessions.clear();
    const echoed = await client.callTool({ name: 'ext__echo', arguments: { message: 'through the source' } });
    assert.equal(echoed.isError ?? false, false, textOf(echoed));
    assert.equal(textOf(echoed), 'Echo: through the source');
    const structured = await client.callTool({ name: 'ext__get-structured-content', arguments: { location: 'New York' } });
    assert.equal(structured.isError ?? false, false, textOf(structured));
    assert.ok(structured.structuredContent && typeof structured.structuredContent === 'object', 'structuredContent passes through');
    const logs = await gw.api('GET', `/api/tools/${ids['echo']}/logs`);
    assert.equal(logs.body.items[0].ok, true);
    assert.match(logs.body.items[0].result, /through the source/);
    // Forwarded calls share one lasting upstream session (no handshake per call), concurrent ones too.
    const many = await Promise.all([1, 2, 3, 4, 5].map((i) => client.callTool({ name: 'ext__echo', arguments: { message: `m${i}` } })));
    assert.deepEqual(many.map((r) => textOf(r)), [1, 2, 3, 4, 5].map((i) => `Echo: m${i}`));
    assert.equal(proxy.sessions.size, 1, `one upstream session served every call: ${[...proxy.sessions].join(', ')}`);
    // A source failing mid-call is an isError result naming the code, not a protocol error.
    await proxy.close();
    const down = await client.callTool({ name: 'ext__echo', arguments: { message: 'x' } });
    assert.equal(down.isError, true);
    assert.match(textOf(down), /^SWB_EXTERNAL_SOURCE_UNREACHABLE/);
    proxy = await authProxy(everything.url).then(async (p) => {
      // Same port is not guaranteed: point the server and the source at the new proxy.
      assert.equal((await gw.api('PATCH', '/api/hosted-servers/ext', { allowed_hosts: [`127.0.0.1:${p.port}`] })).status, 200);
      return p;
    });
    const moved = await gw.api('PATCH', `/api/external-sources/${sourceId}`, { url: `http://127.0.0.1:${proxy.port}/mcp` });
    assert.equal(moved.status, 200, moved.text);
    // A new target is new code: the approved tools are back in review and leave the list.
    const echo = (await gw.api('GET', `/api/tools/${ids['echo']}`)).body;
    assert.deepEqual([echo.status, echo.version, echo.listed], ['pending_review', 2, false]);
    const diff = await gw.api('GET', `/api/tools/${ids['echo']}/versions/compare?from=1&to=2`);
    assert.match(diff.body.diff, /\+# url: http:\/\/127\.0\.0\.1:\d+\/mcp/);
    await waitFor(async () => !(await client.listTools()).tools.some((t) => t.name === 'ext__echo'), 5000, 'echo leaves the list');
    assert.equal((await gw.api('POST', `/api/approvals/tools/${ids['echo']}/action`, { action: 'approve' })).status, 200);
    const back = await client.callTool({ name: 'ext__echo', arguments: { message: 'again' } });
    assert.equal(textOf(back), 'Echo: again');
  });

  test('delete: refused while tools forward to the source; the server takes its sources with it', async () => {
    const refused = await gw.api('DELETE', `/api/external-sources/${sourceId}`);
    assert.equal(refused.status, 409, refused.text);
    assert.match(refused.body.error.message, /echo/);
    for (const id of Object.values(ids)) assert.equal((await gw.api('DELETE', `/api/tools/${id}`)).status, 200);
    assert.equal((await gw.api('DELETE', `/api/external-sources/${sourceId}`)).status, 200);
    assert.equal((await gw.api('GET', `/api/external-sources/${sourceId}`)).status, 404);

    const again = await gw.api('POST', '/api/external-sources', { server: 'ext', name: 'again', url: `http://127.0.0.1:${proxy.port}/mcp`, headers: { Authorization: 'Bearer ${secret:TOKEN}' } });
    assert.equal(again.status, 201, again.text);
    assert.equal((await gw.api('POST', `/api/external-sources/${again.body.id}/import`, { tools: ['echo'] })).status, 200);
    assert.equal((await gw.api('DELETE', '/api/hosted-servers/ext')).status, 200);
    assert.equal((await gw.api('GET', `/api/external-sources/${again.body.id}`)).status, 404);
  });

  test('an SSE source', async () => {
    sse = await startHttpEverything('sse');
    const port = new URL(sse.url).port;
    assert.equal((await gw.api('POST', '/api/hosted-servers', { name: 'legacy', allowed_hosts: [`127.0.0.1:${port}`] })).status, 201);
    const made = await gw.api('POST', '/api/external-sources', { server: 'legacy', name: 'sse', url: sse.url, transport: 'sse' });
    assert.equal(made.status, 201, made.text);
    const found = await gw.api('POST', `/api/external-sources/${made.body.id}/discover`);
    assert.equal(found.status, 200, found.text);
    assert.ok(found.body.tools.some((t: any) => t.name === 'echo'));
  });

  test('switchboard_* external-source tools: scopes, the security policy, bad input; MCP imports are drafts', async () => {
    assert.equal((await gw.api('PATCH', '/api/settings', { mcp_management_tools: true })).status, 200);
    assert.equal((await gw.api('POST', '/api/hosted-servers', { name: 'mcpext', allowed_hosts: [`127.0.0.1:${proxy.port}`] })).status, 201);
    assert.equal((await gw.api('PUT', '/api/servers/mcpext/secrets/TOKEN', { value: TOKEN })).status, 200);
    const connect = async (key: string) => {
      const c = await connectClient(gw.url, { headers: { authorization: `Bearer ${key}` } });
      clients.push(c);
      return c;
    };
    const editor = await connect(await gw.key(['read', 'write', 'execute']));
    const runner = await connect(await gw.key(['read', 'execute']));
    const call = async (c: Client, tool: string, args: Record<string, unknown>) => {
      const r = await c.callTool({ name: `${P}${tool}`, arguments: args });
      return { isError: r.isError === true, text: textOf(r), data: r.structuredContent as any };
    };
    await waitFor(async () => (await editor.listTools()).tools.some((t) => t.name === `${P}add_external_source`), 5000, 'management tools listed');
    const names = (await editor.listTools()).tools.map((t) => t.name);
    for (const t of ['add_external_source', 'list_external_sources', 'discover_external_tools', 'import_external_tools']) assert.ok(names.includes(`${P}${t}`), t);

    const args = { server: 'mcpext', name: 'everything', url: `http://127.0.0.1:${proxy.port}/mcp`, headers: { Authorization: 'Bearer ${secret:TOKEN}' } };
    const off = await call(editor, 'add_external_source', args);
    assert.equal(off.isError, true);
    assert.match(off.text, /^SWB_HOSTED_FORBIDDEN: .*remote_tool_editing/);
    assert.equal((await gw.api('PATCH', '/api/settings/security-policy', { remote_tool_editing: true })).status, 200);
    const denied = await call(runner, 'add_external_source', args);
    assert.match(denied.text, /^SWB_AUTH_FORBIDDEN: .*'write'/);
    const bad = await call(editor, 'add_external_source', { ...args, url: 'http://10.0.0.5/mcp' });
    assert.match(bad.text, /^SWB_EXTERNAL_HOST_BLOCKED/);
    const invalid = await call(editor, 'add_external_source', { server: 'mcpext' });
    assert.match(invalid.text, /^SWB_INVALID_ARGUMENT/);
    const made = await call(editor, 'add_external_source', args);
    assert.equal(made.isError, false, made.text);
    const id = made.data.id;

    const listed = await call(runner, 'list_external_sources', { server: 'mcpext' });
    assert.equal(listed.isError, false, listed.text);
    assert.deepEqual(listed.data.items.map((s: any) => s.id), [id]);
    assert.match((await call(runner, 'discover_external_tools', { source_id: id })).text, /^SWB_AUTH_FORBIDDEN/);
    assert.match((await call(runner, 'import_external_tools', { source_id: id, tools: ['echo'] })).text, /^SWB_AUTH_FORBIDDEN/);
    assert.match((await call(editor, 'discover_external_tools', { source_id: 'nope' })).text, /^SWB_EXTERNAL_SOURCE_NOT_FOUND/);

    const found = await call(editor, 'discover_external_tools', { source_id: id });
    assert.equal(found.isError, false, found.text);
    assert.ok(found.data.tools.some((t: any) => t.name === 'get-sum'));
    assert.match((await call(editor, 'import_external_tools', { source_id: id, tools: ['nope'] })).text, /^SWB_TOOL_NOT_FOUND/);
    const imported = await call(editor, 'import_external_tools', { source_id: id, tools: ['get-sum'] });
    assert.equal(imported.isError, false, imported.text);
    const tool = imported.data.items[0].tool;
    assert.deepEqual([tool.status, tool.submitted_via, tool.kind], ['draft', 'mcp', 'external']);
    const submitted = await call(editor, 'request_publish', { tool_id: tool.id });
    assert.equal(submitted.data.status, 'pending_review');
  });
});
