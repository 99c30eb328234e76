/**
 * sessionScope `caller`: each API key reaches its own session on a 2025-era Streamable HTTP upstream
 * (two sessions of one key share it), idle ones close, the pool is capped, server→client requests
 * reach the right client, a forgotten session is renewed, and `shared` keeps one session for all.
 * The upstream is a fixture in this process that reports which of its sessions served a call.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import type { ServerConfig } from '../../src/config/types.js';
import { serveSwitchboard, type ServingSwitchboard } from '../../src/main.js';
import { fullAccess } from '../../src/shared/index.js';
import { serveSessionCounter, type SessionCounterServer } from '../fixtures/upstreams/session-counter-http.js';
import { config, connectClient, textOf, waitFor, type ClientOptions } from './harness.js';

const ADMIN = 'sbk-caller-pool-bootstrap-key-0123456789';
const IDLE_MS = 1_500;

const remote = (name: string, url: string, extra: Partial<ServerConfig> = {}): ServerConfig => ({
  name,
  transport: 'streamable-http',
  url,
  args: [],
  env: {},
  headers: {},
  enabled: true,
  quarantined: false,
  timeoutMs: 10_000,
  ...extra,
});

type Who = { session: string; count: number };

describe('upstream sessions per caller (sessionScope)', () => {
  let upstream: SessionCounterServer;
  let gw: ServingSwitchboard;
  let dataDir: string;
  const keys: Record<string, { secret: string; principal: string }> = {};
  const clients: Client[] = [];

  const client = async (key: string, opts: ClientOptions = {}): Promise<Client> => {
    const c = await connectClient(gw.url, { ...opts, headers: { 'x-api-key': keys[key]!.secret } });
    clients.push(c);
    return c;
  };
  const whoami = async (c: Client, server = 'pool'): Promise<Who> => JSON.parse(textOf(await c.callTool({ name: `${server}__whoami`, arguments: {} }))) as Who;
  const pooled = (server = 'pool') => gw.upstreams.get(server)!.callerSessions();

  before(async () => {
    upstream = await serveSessionCounter();
    dataDir = mkdtempSync(join(tmpdir(), 'sb-caller-pool-'));
    gw = await serveSwitchboard({
      config: config([remote('pool', upstream.url), remote('shared', upstream.url, { sessionScope: 'shared' })], { allowUnauthenticatedLoopback: false }),
      dataDir,
      host: '127.0.0.1',
      port: 0,
      env: { SWITCHBOARD_API_KEY: ADMIN },
      pingIntervalMs: 0,
      retry: { baseMs: 100, capMs: 400 },
      callerPool: { idleMs: IDLE_MS, max: 2 },
    });
    await gw.settled(30_000);
    const root = fullAccess('local', 'test', 'test');
    for (const name of ['alice', 'bob', 'carol']) {
      const created = await gw.admin.keys.create(root, { name, scopes: ['read', 'execute'] });
      keys[name] = { secret: created.secret, principal: `api_key:${created.key.id}` };
    }
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await gw?.close();
    await upstream?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('the upstream is 2025-era and both servers default as configured', () => {
    assert.equal(gw.upstreams.get('pool')!.status().protocolEra, 'legacy');
    assert.equal(gw.upstreams.get('pool')!.sessionScope, 'caller');
    assert.equal(gw.upstreams.get('shared')!.sessionScope, 'shared');
  });

  test('two keys reach different upstream sessions; two sessions of one key share one', { timeout: 30_000 }, async () => {
    const a1 = await client('alice');
    const a2 = await client('alice');
    const b = await client('bob');
    const first = await whoami(a1);
    const second = await whoami(a2);
    const other = await whoami(b);
    assert.equal(second.session, first.session, 'one key, one upstream session');
    assert.equal(second.count, first.count + 1, "the same session's counter");
    assert.notEqual(other.session, first.session, 'another key, another upstream session');
    assert.equal(other.count, 1);
    assert.deepEqual(pooled().sort(), [keys['alice']!.principal, keys['bob']!.principal].sort());
    // Neither is one of the two sessions the gateway lists the catalogues on (opened first, at start).
    const listing = upstream.opened.slice(0, 2);
    assert.ok(!listing.includes(first.session) && !listing.includes(other.session), JSON.stringify({ listing, first, other }));
    // Lists still come from the one shared connection.
    const tools = (await a1.listTools()).tools.map((t) => t.name);
    assert.ok(tools.includes('pool__whoami') && tools.includes('pool__ask'), JSON.stringify(tools));
  });

  test('sessionScope shared keeps one upstream session for every caller', { timeout: 30_000 }, async () => {
    const a = await client('alice');
    const b = await client('bob');
    const x = await whoami(a, 'shared');
    const y = await whoami(b, 'shared');
    assert.equal(y.session, x.session);
    assert.equal(y.count, x.count + 1);
    assert.deepEqual(pooled('shared'), []);
  });

  test('elicitation and sampling from a caller session reach that caller, even when calls overlap', { timeout: 30_000 }, async () => {
    let aliceAsked = 0;
    let bobAsked = 0;
    // Each answer waits so both calls are in flight at once: "newest call wins" would send one to the wrong client.
    const slow = <T>(v: T) => new Promise<T>((r) => setTimeout(() => r(v), 300));
    const a = await client('alice', {
      onElicitation: () => (aliceAsked++, slow({ action: 'accept', content: { name: 'alice-answer' } })),
      onSampling: () => (aliceAsked++, slow({ role: 'assistant', content: { type: 'text', text: 'alice-sample' }, model: 'm' })),
    });
    const b = await client('bob', {
      onElicitation: () => (bobAsked++, slow({ action: 'accept', content: { name: 'bob-answer' } })),
      onSampling: () => (bobAsked++, slow({ role: 'assistant', content: { type: 'text', text: 'bob-sample' }, model: 'm' })),
    });
    const aliceSession = (await whoami(a)).session;
    const bobSession = (await whoami(b)).session;
    const [ra, rb] = await Promise.all([a.callTool({ name: 'pool__ask', arguments: {} }), b.callTool({ name: 'pool__ask', arguments: {} })]);
    assert.equal(textOf(ra), `${aliceSession} heard alice-answer`);
    assert.equal(textOf(rb), `${bobSession} heard bob-answer`);
    const [sa, sb] = await Promise.all([a.callTool({ name: 'pool__sample', arguments: { prompt: 'p' } }), b.callTool({ name: 'pool__sample', arguments: { prompt: 'p' } })]);
    assert.equal(textOf(sa), `${aliceSession} sampled alice-sample`);
    assert.equal(textOf(sb), `${bobSession} sampled bob-sample`);
    assert.equal(aliceAsked, 2);
    assert.equal(bobAsked, 2);
  });

  test('the pool is capped: a third caller closes the least recently used session', { timeout: 30_000 }, async () => {
    const a = await client('alice');
    const b = await client('bob');
    const c = await client('carol');
    await whoami(a);
    await whoami(b);
    const before = pooled();
    assert.deepEqual(before, [keys['alice']!.principal, keys['bob']!.principal]);
    await whoami(b);
    const aliceSession = (await whoami(a)).session; // alice is now the most recent
    await whoami(c);
    assert.deepEqual(pooled(), [keys['alice']!.principal, keys['carol']!.principal], 'bob (least recently used) was closed');
    assert.equal((await whoami(a)).session, aliceSession, 'alice kept hers');
  });

  test('an idle caller session is closed; the next call opens a new one', { timeout: 30_000 }, async () => {
    const a = await client('alice');
    const first = await whoami(a);
    await waitFor(() => pooled().length === 0, IDLE_MS * 4, 'idle caller sessions to close');
    const next = await whoami(a);
    assert.notEqual(next.session, first.session);
    assert.equal(next.count, 1);
  });

  test('a caller whose session cannot be opened gets a clear error at once; others are not affected', { timeout: 30_000 }, async () => {
    const a = await client('alice');
    const c = await client('carol');
    await whoami(a);
    // carol may still hold a session from earlier tests: let everything go idle first.
    await waitFor(() => pooled().length === 0, IDLE_MS * 4, 'idle caller sessions to close');
    const again = await whoami(a);
    upstream.refuseNew = true;
    try {
      const started = Date.now();
      const refused = await c.callTool({ name: 'pool__whoami', arguments: {} });
      assert.equal(refused.isError, true);
      assert.match(textOf(refused), /SWB_UPSTREAM_UNAVAILABLE/);
      assert.match(textOf(refused), /Could not open a session with upstream 'pool' for this caller/);
      assert.ok(Date.now() - started < 5_000, 'no hang');
      assert.equal((await whoami(a)).session, again.session, 'alice keeps working on her session');
    } finally {
      upstream.refuseNew = false;
    }
    assert.equal((await whoami(c)).count, 1, 'carol gets a session once the upstream accepts again');
  });

  test('an upstream that restarts and forgets the sessions: each caller session is renewed transparently', { timeout: 60_000 }, async () => {
    const a = await client('alice');
    const b = await client('bob');
    const before = [await whoami(a), await whoami(b)];
    const port = upstream.port;
    await upstream.close();
    upstream = await serveSessionCounter(port);
    const after = [await whoami(a), await whoami(b)];
    assert.notEqual(after[0]!.session, before[0]!.session);
    assert.notEqual(after[1]!.session, before[1]!.session);
    assert.notEqual(after[0]!.session, after[1]!.session, 'still one session per caller');
    assert.deepEqual(after.map((w) => w.count), [1, 1]);
    assert.equal(gw.upstreams.get('pool')!.state, 'ready');
  });

  test('stopping the server closes its caller sessions', { timeout: 30_000 }, async () => {
    const a = await client('alice');
    const mine = await whoami(a);
    assert.ok(pooled().length > 0);
    const sup = gw.upstreams.get('pool')!;
    await sup.stop();
    assert.deepEqual(sup.callerSessions(), []);
    await waitFor(() => !upstream.live().includes(mine.session), 5_000, 'the upstream session to end');
    sup.start();
    await waitFor(() => sup.state === 'ready', 10_000, 'restart');
    assert.equal((await whoami(a)).count, 1);
  });
});
