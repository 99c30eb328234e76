/**
 * The lasting connections of external sources, with real upstreams on loopback: one upstream session
 * serves many calls (sequential and concurrent), idle and retired connections end their session,
 * a restarted upstream is reconnected to without replaying a call, an edited URL or a rotated secret
 * moves calls to a new connection, the egress rule still holds on an open connection, and results
 * over the cap are refused with a clear error.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveSessionCounter, type SessionCounterServer } from '../../test/fixtures/upstreams/session-counter-http.js';
import { startHttpEverything } from '../../test/e2e/harness.js';
import type { ExternalCall } from '../hosted/index.js';
import { SwitchboardError, type RawItem } from '../shared/index.js';
import type { ExternalSourceRecord } from '../store/index.js';
import { createExternalConnector, type ExternalConnector, type SourceEgress } from './external-connector.js';

const text = (r: RawItem) => ((r['content'] as { text?: string }[] | undefined) ?? []).map((c) => c.text ?? '').join('');
const whoami = (r: RawItem) => JSON.parse(text(r)) as { session: string; count: number };

function record(id: string, url: string, extra: Partial<ExternalSourceRecord> = {}): ExternalSourceRecord {
  return { id, server: 'srv', name: id, transport: 'streamable-http', url, headers: {}, createdBy: 't', createdAt: '', updatedAt: '', ...extra };
}

const egressFor = (...ports: number[]): SourceEgress => ({ allowedHosts: ports.map((port) => ({ host: '127.0.0.1', port })), allowPublic: false });

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A proxy that, while `cut` is set, forwards a tools/call (so it runs) and then drops the connection instead of answering. */
async function cuttingProxy(target: string): Promise<{ port: number; url: string; cut: boolean; calls: number; close(): Promise<void> }> {
  const up = new URL(target);
  const state = { cut: false, calls: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isCall = body.includes('"tools/call"');
      if (isCall) state.calls++;
      const out = httpRequest({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: { ...req.headers, host: up.host } }, (r) => {
        if (isCall && state.cut) {
          r.resume();
          r.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      out.on('error', () => res.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    port,
    url: `http://127.0.0.1:${port}/mcp`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  });
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return err instanceof SwitchboardError ? err.code : `not a SwitchboardError: ${String(err)}`;
  }
}

describe('external source connections', { timeout: 120_000 }, () => {
  const connectors: ExternalConnector[] = [];
  const servers: SessionCounterServer[] = [];
  const make = (opts: Parameters<typeof createExternalConnector>[0] = {}) => {
    const c = createExternalConnector(opts);
    connectors.push(c);
    return c;
  };
  const serve = async (port = 0) => {
    const s = await serveSessionCounter(port);
    servers.push(s);
    return s;
  };
  const call = (c: ExternalConnector, sourceId: string, egress: SourceEgress, tool = 'whoami', args: Record<string, unknown> = {}, secrets: Record<string, string> = {}): ExternalCall & { run(): Promise<RawItem> } => {
    const ext: ExternalCall = { server: 'srv', link: { sourceId, tool }, egress, secrets };
    return { ...ext, run: () => c.call(ext, args) };
  };

  after(async () => {
    for (const c of connectors) await c.close();
    for (const s of servers) await s.close().catch(() => undefined);
  });

  test('many calls, sequential and concurrent, share one upstream session', async () => {
    const up = await serve();
    const c = make();
    c.sync([record('a', up.url)]);
    const eg = egressFor(up.port);
    const seen: string[] = [];
    for (let i = 0; i < 20; i++) seen.push(whoami(await call(c, 'a', eg).run()).session);
    const together = await Promise.all(Array.from({ length: 10 }, () => call(c, 'a', eg).run()));
    seen.push(...together.map((r) => whoami(r).session));
    assert.equal(new Set(seen).size, 1, 'one session served every call');
    assert.deepEqual(up.opened, [seen[0]]);
    assert.equal(whoami(await call(c, 'a', eg).run()).count, 31, 'the upstream counted every call on that session');
    assert.deepEqual(c.stats(), { open: 1, opened: 1 });
    // A JSON-RPC error (no such tool) leaves the connection in place.
    const unknown = await c.call({ server: 'srv', link: { sourceId: 'a', tool: 'no-such-tool' }, egress: eg, secrets: {} }, {}).catch((e: unknown) => e);
    assert.ok(unknown instanceof SwitchboardError || (unknown as RawItem)['isError'] === true, String(unknown));
    assert.equal(whoami(await call(c, 'a', eg).run()).session, seen[0]);
    assert.equal(up.opened.length, 1);
  });

  test('an idle connection closes and ends its upstream session; the next call opens a new one', async () => {
    const up = await serve();
    const c = make({ idleMs: 300 });
    c.sync([record('a', up.url)]);
    const eg = egressFor(up.port);
    const first = whoami(await call(c, 'a', eg).run()).session;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(whoami(await call(c, 'a', eg).run()).session, first, 'still open within the idle time');
    await waitFor(() => up.ended.includes(first) && c.stats().open === 0, 5000, 'the idle session to end');
    assert.deepEqual(up.live(), []);
    const second = whoami(await call(c, 'a', eg).run()).session;
    assert.notEqual(second, first);
    assert.deepEqual(up.opened, [first, second]);
  });

  test('an upstream that restarted is reconnected to: the call is sent again only because it never ran', async () => {
    let up = await serve();
    const port = up.port;
    const c = make();
    c.sync([record('a', up.url)]);
    const eg = egressFor(port);
    const first = whoami(await call(c, 'a', eg).run());
    await up.close();
    up = await serve(port);
    // A restart takes a moment; an instant one could leave a kept-alive socket the old process closed,
    // whose reset is reported rather than replayed (the call may have reached the old process).
    await new Promise((r) => setTimeout(r, 300));
    // The old session id gets 404 (session gone): the call runs once, on a new session.
    const again = whoami(await call(c, 'a', eg).run());
    assert.notEqual(again.session, first.session);
    assert.equal(again.count, 1, 'the call ran exactly once');
    assert.deepEqual(up.opened, [again.session]);
    assert.equal(c.stats().opened, 2);
    // Upstream down: the pooled connection cannot send, a fresh one cannot connect; the error is clear.
    await up.close();
    assert.equal(await code(call(c, 'a', eg).run()), 'SWB_EXTERNAL_SOURCE_UNREACHABLE');
    up = await serve(port);
    assert.equal(whoami(await call(c, 'a', eg).run()).count, 1);
  });

  test('a call that may have run is never sent again', async () => {
    const up = await serve();
    const proxy = await cuttingProxy(up.url);
    const c = make();
    c.sync([record('a', proxy.url)]);
    const eg = egressFor(proxy.port);
    assert.equal(whoami(await call(c, 'a', eg).run()).count, 1);
    proxy.cut = true;
    proxy.calls = 0;
    // The request reached the upstream and ran; its answer was lost: an error, not a second run.
    assert.equal(await code(call(c, 'a', eg).run()), 'SWB_EXTERNAL_SOURCE_UNREACHABLE');
    assert.equal(proxy.calls, 1, 'the call was sent once');
    proxy.cut = false;
    const next = whoami(await call(c, 'a', eg).run());
    assert.deepEqual([next.count, up.opened.length], [1, 2], 'the broken connection was replaced');
    await proxy.close();
  });

  test('editing the URL closes the old connection; a rotated secret moves calls to a new one', async () => {
    const one = await serve();
    const two = await serve();
    const c = make();
    const eg = egressFor(one.port, two.port);
    c.sync([record('a', one.url, { headers: { 'X-Team': 'a' } })]);
    const s1 = whoami(await call(c, 'a', eg).run()).session;
    // Other fields (name, description) change nothing.
    c.sync([record('a', one.url, { headers: { 'X-Team': 'a' }, name: 'renamed', description: 'x' })]);
    assert.equal(whoami(await call(c, 'a', eg).run()).session, s1);
    c.sync([record('a', two.url, { headers: { 'X-Team': 'a' } })]);
    await waitFor(() => one.ended.includes(s1), 5000, 'the old session to end');
    assert.deepEqual(one.live(), []);
    const s2 = whoami(await call(c, 'a', eg).run()).session;
    assert.deepEqual(two.opened, [s2]);
    // A header filled from a secret: a new value is a new connection, and the old one ends.
    c.sync([record('a', two.url, { headers: { 'X-Team': '${secret:TEAM}' } })]);
    await waitFor(() => two.ended.includes(s2), 5000, 'the session of the old headers to end');
    const s3 = whoami(await call(c, 'a', eg, 'whoami', {}, { TEAM: 'v1' }).run()).session;
    assert.equal(whoami(await call(c, 'a', eg, 'whoami', {}, { TEAM: 'v1' }).run()).session, s3);
    const s4 = whoami(await call(c, 'a', eg, 'whoami', {}, { TEAM: 'v2' }).run()).session;
    assert.notEqual(s4, s3);
    await waitFor(() => two.ended.includes(s3), 5000, 'the session of the old secret to end');
    assert.equal(await code(call(c, 'a', eg).run()), 'SWB_SECRET_MISSING');
    // Deleting the source, stopping its server, closing the gateway: the connection ends.
    c.sync([]);
    await waitFor(() => two.live().length === 0, 5000, 'the deleted source to disconnect');
    assert.equal(await code(call(c, 'a', eg).run()), 'SWB_EXTERNAL_SOURCE_NOT_FOUND');
    c.sync([record('b', two.url)]);
    await call(c, 'b', eg).run();
    assert.equal(two.live().length, 1);
    c.closeServer('srv');
    await waitFor(() => two.live().length === 0, 5000, 'the stopped server to disconnect');
    await call(c, 'b', eg).run();
    await c.close();
    await waitFor(() => two.live().length === 0, 5000, 'closing to disconnect');
  });

  test('the egress rule holds on an open connection', async () => {
    const up = await serve();
    const c = make();
    c.sync([record('a', up.url)]);
    const s1 = whoami(await call(c, 'a', egressFor(up.port)).run()).session;
    // The host leaves the allowed list: the next request over the open connection is refused and the connection dropped.
    assert.equal(await code(call(c, 'a', egressFor(1)).run()), 'SWB_EXTERNAL_HOST_BLOCKED');
    assert.equal(c.stats().open, 0);
    // A wildcard or the public policy does not open loopback, on a new connection either.
    assert.equal(await code(call(c, 'a', { allowedHosts: [], allowPublic: true }).run()), 'SWB_EXTERNAL_HOST_BLOCKED');
    const s2 = whoami(await call(c, 'a', egressFor(up.port)).run()).session;
    assert.notEqual(s2, s1);
  });

  test('an SSE source: calls share one connection too', async () => {
    const sse = await startHttpEverything('sse');
    try {
      const c = make();
      c.sync([record('s', sse.url, { transport: 'sse' })]);
      const eg = egressFor(Number(new URL(sse.url).port));
      for (let i = 0; i < 5; i++) assert.equal(text(await call(c, 's', eg, 'echo', { message: `m${i}` }).run()), `Echo: m${i}`);
      const together = await Promise.all([1, 2, 3].map((i) => call(c, 's', eg, 'echo', { message: `c${i}` }).run()));
      assert.deepEqual(together.map(text), ['Echo: c1', 'Echo: c2', 'Echo: c3']);
      assert.deepEqual(c.stats(), { open: 1, opened: 1 });
      await c.close();
      assert.deepEqual(c.stats().open, 0);
    } finally {
      sse.stop();
    }
  });

  describe('server-everything over Streamable HTTP', () => {
    let everything: Awaited<ReturnType<typeof startHttpEverything>>;
    before(async () => {
      everything = await startHttpEverything('streamableHttp');
    });
    after(() => everything?.stop());

    test('results over the cap are refused with a clear error; smaller ones pass on the same source', async () => {
      const port = Number(new URL(everything.url).port);
      const c = make({ maxResultBytes: 4096 });
      c.sync([record('e', everything.url)]);
      const eg = egressFor(port);
      const small = await call(c, 'e', eg, 'echo', { message: 'hi' }).run();
      assert.equal(text(small), 'Echo: hi');
      let error: unknown;
      await call(c, 'e', eg, 'echo', { message: 'x'.repeat(10_000) })
        .run()
        .catch((e: unknown) => (error = e));
      assert.ok(error instanceof SwitchboardError, String(error));
      assert.equal(error.code, 'SWB_EXTERNAL_RESULT_TOO_LARGE');
      assert.match(error.message, /larger than 4096 bytes/);
      assert.equal(text(await call(c, 'e', eg, 'echo', { message: 'after' }).run()), 'Echo: after');
      // Discovery (a short session) is capped the same way: server-everything's tool list is over 4 KiB.
      assert.equal(await code(c.session(record('e', everything.url), eg, {}, (s) => s.listTools())), 'SWB_EXTERNAL_RESULT_TOO_LARGE');
      assert.ok((await make().session(record('e', everything.url), eg, {}, (s) => s.listTools())).some((t) => t['name'] === 'echo'));
    });
  });
});
