import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerConfig } from '../config/index.js';
import type { Health } from './health.js';
import type { RetryOptions } from './retry-policy.js';
import type { UpstreamState } from './states.js';
import { UpstreamSupervisor } from './supervisor.js';
import { describeProcs, descendants, groupMembers, killGroups, until } from '../../test/e2e/procs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DYNAMIC = join(ROOT, 'test/fixtures/upstreams/dynamic-server.ts');
const MEMORY = join(ROOT, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');
const MISSING = '/nonexistent/switchboard-no-such-command';

/** A stdio server that answers initialize and then dies on its first tools/list. */
const DIES_ON_LIST = `
const rl = require('node:readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const m = JSON.parse(line);
  if (m.method === 'initialize') {
    process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'dies-on-list', version: '1' } } }) + '\\n');
  } else if (m.method === 'tools/list') {
    process.stderr.write('dies-on-list: giving up\\n');
    process.exit(3);
  }
});`;

function stdio(name: string, command: string, args: string[], extra: Partial<ServerConfig> = {}): ServerConfig {
  return { name, transport: 'stdio', command, args, env: {}, headers: {}, enabled: true, quarantined: false, timeoutMs: 15_000, ...extra };
}

interface Transition {
  state: UpstreamState;
  at: number;
  health: Health;
}

/** Every process group a test has seen, killed in `after` should a test fail half-way. */
const seenGroups = new Set<number>();
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => void unhandled.push(err);
process.on('unhandledRejection', onUnhandled);

afterEach(async () => {
  await new Promise((r) => setTimeout(r, 20));
  const errors = unhandled.splice(0).map(String);
  assert.deepEqual(errors, [], 'no unhandled rejections (each one would crash a real gateway)');
});

after(() => {
  process.off('unhandledRejection', onUnhandled);
  killGroups(seenGroups);
});

/** A supervisor with its transitions recorded (health captured at the moment of each move). */
/**
 * A supervised server-memory after one warm-up start/stop cycle, so the process reaper's watchdog
 * (started once, on first spawn) is already in the process-count baseline.
 */
async function warmMemorySupervisor() {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sup-'));
  const h = supervise(stdio('memory', process.execPath, [MEMORY], { env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') } }));
  h.sup.start();
  await h.reach('ready');
  await h.sup.stop();
  return { dir, h, baseline: descendants() };
}

function supervise(cfg: ServerConfig, retry: Partial<RetryOptions> = {}) {
  const transitions: Transition[] = [];
  const t0 = performance.now();
  let listings = 0;
  let downs = 0;
  const sup: UpstreamSupervisor = new UpstreamSupervisor(
    cfg,
    {
      onListing: () => void listings++,
      onDown: () => void downs++,
      onStateChange: (_server, state) => {
        transitions.push({ state, at: performance.now() - t0, health: sup.health() });
        const pid = sup.status().pid;
        if (pid) seenGroups.add(pid);
      },
      onServerRequest: async () => ({}),
      onNotification: () => undefined,
    },
    { retry: { baseMs: 50, capMs: 2000, ...retry }, pingIntervalMs: 0 },
  );
  return {
    sup,
    transitions,
    states: () => transitions.map((t) => t.state),
    counts: () => ({ listings, downs }),
    async reach(state: UpstreamState, timeoutMs = 15_000): Promise<void> {
      const ok = await until(() => sup.state === state, timeoutMs, 10);
      assert.ok(ok, `expected '${state}' within ${timeoutMs} ms; transitions: ${transitions.map((t) => t.state).join(' → ')}; health: ${JSON.stringify(sup.health())}`);
    },
  };
}

describe('UpstreamSupervisor against real upstreams', () => {
  test('a stdio command that does not exist backs off with growing delays and stops at the hourly budget', { timeout: 20_000 }, async () => {
    const h = supervise(stdio('ghost', MISSING, []), { baseMs: 100, capMs: 10_000, breakerThreshold: 100, maxAttemptsPerHour: 3 });
    try {
      h.sup.start();
      await h.reach('error', 10_000);
      assert.deepEqual(h.states(), ['starting', 'backoff', 'starting', 'backoff', 'starting', 'backoff', 'error']);

      const backoffs = h.transitions.filter((t) => t.state === 'backoff');
      for (const b of backoffs) {
        assert.match(b.health.detail, /nonexistent\/switchboard-no-such-command/, 'the detail names the command');
        assert.match(b.health.detail, /not found|ENOENT/);
        assert.equal(b.health.level, 'unhealthy');
        assert.equal(b.health.action, 'view_logs');
      }
      // The wait after failure n is in [base·2^(n-1)/2, base·2^(n-1)] (+ timer slack).
      const waits = backoffs.map((b) => h.transitions[h.transitions.indexOf(b) + 1]!.at - b.at);
      const windows = [
        [50, 100],
        [100, 200],
        [200, 400],
      ] as const;
      waits.forEach((w, i) => {
        const [lo, hi] = windows[i]!;
        assert.ok(w >= lo - 5 && w <= hi + 300, `wait ${i + 1} was ${w.toFixed(0)} ms, expected within [${lo}, ${hi}]`);
      });
      assert.ok(waits[2]! > waits[0]!, `delays grow: ${waits.map((w) => w.toFixed(0))}`);

      const last = h.sup.health();
      assert.equal(last.level, 'unhealthy');
      assert.equal(last.action, 'restart');
      assert.match(last.detail, /Too many connection attempts/);

      // No retry storm: nothing happens once the budget is spent.
      const seen = h.transitions.length;
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(h.transitions.length, seen, `moves after giving up: ${h.states().slice(seen).join(', ')}`);
      assert.equal(h.sup.state, 'error');

      // A manual start gets a fresh budget.
      h.sup.start();
      await h.reach('backoff', 5000);
      assert.equal(h.states().filter((s) => s === 'starting').length, 4);
    } finally {
      await h.sup.stop();
    }
    assert.equal(h.sup.state, 'stopped');
  });

  test('a Streamable HTTP upstream answering 401 ends in needs_auth and is not retried', { timeout: 20_000 }, async (t) => {
    const hits: { at: number; line: string }[] = [];
    const server: Server = createServer((req, res) => {
      hits.push({ at: performance.now(), line: `${req.method} ${req.url}` });
      req.resume();
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="upstream", error="invalid_token"', 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'unauthorized' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as { port: number };
    const h = supervise(
      { name: 'locked', transport: 'streamable-http', url: `http://127.0.0.1:${port}/mcp`, args: [], env: {}, headers: { authorization: 'Bearer wrong' }, enabled: true, quarantined: false, timeoutMs: 5000 },
      { baseMs: 20, capMs: 100 },
    );
    try {
      h.sup.start();
      await h.reach('needs_auth', 10_000);
      assert.deepEqual(h.states(), ['starting', 'needs_auth']);
      const health = h.sup.health();
      assert.equal(health.level, 'unhealthy');
      assert.equal(health.action, 'set_secret');
      assert.match(health.detail, /401|unauthori[sz]ed/i);
      assert.ok(hits.length >= 1 && hits.length <= 3, `requests before giving up: ${hits.map((x) => x.line).join(', ')}`);

      const before = hits.length;
      await new Promise((r) => setTimeout(r, 1200));
      assert.equal(hits.length, before, `retried after needs_auth: ${hits.slice(before).map((x) => x.line).join(', ')}`);
      assert.equal(h.sup.state, 'needs_auth');
      assert.deepEqual(h.states(), ['starting', 'needs_auth']);
    } finally {
      await h.sup.stop();
    }
    assert.equal(h.sup.state, 'stopped');
  });

  test('each failed attempt counts once towards the breaker (a server that exits at once)', { timeout: 20_000 }, async () => {
    // Threshold 3: attempts 1 and 2 retry after short delays, the 3rd failure opens the circuit.
    const h = supervise(stdio('quitter', process.execPath, ['-e', 'process.stderr.write("quitter: bye\\n"); process.exit(1)']), {
      baseMs: 20,
      capMs: 100,
      breakerThreshold: 3,
      breakerCooldownMs: 60_000,
      maxAttemptsPerHour: 100,
    });
    try {
      h.sup.start();
      const ok = await until(() => h.states().filter((s) => s === 'backoff').length >= 3, 8000, 10);
      assert.ok(ok, `expected 3 attempts before the circuit opens; transitions: ${h.states().join(' → ')}; health: ${JSON.stringify(h.sup.health())}`);
      assert.deepEqual(h.states(), ['starting', 'backoff', 'starting', 'backoff', 'starting', 'backoff']);
      assert.match(h.sup.health().summary, /retrying in (59|60)s/, 'the circuit is open after the 3rd failure');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(h.states().length, 6, 'no attempt while the circuit is open');
    } finally {
      await h.sup.stop();
    }
  });

  test('an upstream that dies while being listed goes to backoff (no illegal transition)', { timeout: 30_000 }, async () => {
    const h = supervise(stdio('dies-on-list', process.execPath, ['-e', DIES_ON_LIST]), { baseMs: 50, capMs: 100, breakerThreshold: 100, maxAttemptsPerHour: 2 });
    try {
      h.sup.start();
      // The fixture ignores the server/discover probe, so each attempt first waits out the probe timeout.
      await h.reach('error', 20_000);
      assert.deepEqual(h.states(), ['starting', 'backoff', 'starting', 'backoff', 'error']);
      for (const b of h.transitions.filter((x) => x.state === 'backoff')) assert.equal(b.health.level, 'unhealthy');
      assert.equal(h.counts().listings, 0, 'no listing was published for a dead upstream');
    } finally {
      await h.sup.stop();
    }
  });

  test('stop() kills the whole process group of a ready stdio upstream; restart() gives a new pid', { timeout: 40_000 }, async () => {
    // A shell that leaves a background `sleep` in the group, then becomes the fixture server (exec keeps the pid).
    const cfg = stdio('dynamic', '/bin/sh', ['-c', 'sleep 300 </dev/null >/dev/null 2>&1 & exec "$@"', 'sh', process.execPath, '--import', 'tsx', DYNAMIC], { cwd: ROOT });
    const h = supervise(cfg);
    try {
      h.sup.start();
      await h.reach('ready', 20_000);
      const pid = h.sup.status().pid!;
      assert.ok(pid, 'a ready stdio upstream reports its pid');
      seenGroups.add(pid);
      assert.ok(h.sup.status().tools >= 3, 'the fixture listed its tools');
      const members = groupMembers(pid);
      assert.ok(members.length >= 2, `leader and the background sleep: ${describeProcs(members)}`);

      await h.sup.stop();
      assert.equal(h.sup.state, 'stopped');
      assert.equal(h.sup.status().pid, undefined);
      assert.deepEqual(groupMembers(pid), [], 'stop() resolves only once the group is gone');
      assert.equal(h.counts().downs, 1, 'its items left the catalogue');

      h.sup.start();
      await h.reach('ready', 20_000);
      const second = h.sup.status().pid!;
      seenGroups.add(second);
      assert.ok(second && second !== pid, `new pid after start (${pid} → ${second})`);

      await h.sup.restart();
      await h.reach('ready', 20_000);
      const third = h.sup.status().pid!;
      seenGroups.add(third);
      assert.ok(third && third !== second, `new pid after restart (${second} → ${third})`);
      assert.deepEqual(groupMembers(second), [], 'restart() stopped the previous group');
      assert.ok(groupMembers(third).length >= 2);
      assert.deepEqual(
        h.states(),
        ['starting', 'ready', 'stopping', 'stopped', 'starting', 'ready', 'stopping', 'stopped', 'starting', 'ready'],
      );
    } finally {
      await h.sup.stop();
    }
  });

  test('50 stop/start cycles on a real stdio server leave no process behind', { timeout: 90_000 }, async () => {
    const { dir, h, baseline } = await warmMemorySupervisor();
    try {
      const pids = new Set<number>();
      const t0 = performance.now();
      for (let i = 0; i < 50; i++) {
        h.sup.start();
        await h.reach('ready', 15_000);
        const pid = h.sup.status().pid!;
        seenGroups.add(pid);
        assert.ok(!pids.has(pid), `cycle ${i}: pid ${pid} reused while still tracked`);
        pids.add(pid);
        await h.sup.stop();
        assert.equal(h.sup.state, 'stopped');
        assert.deepEqual(groupMembers(pid), [], `cycle ${i}: group ${pid} outlived stop()`);
      }
      const elapsed = performance.now() - t0;
      const settled = await until(() => descendants().length === baseline.length, 3000);
      assert.ok(settled, `descendants before: ${describeProcs(baseline)}; after: ${describeProcs(descendants())}`);
      assert.equal(h.counts().listings, 51);
      assert.ok(elapsed < 60_000, `50 cycles took ${elapsed.toFixed(0)} ms`);
    } finally {
      await h.sup.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('stopping while an upstream is still starting leaves no process behind either', { timeout: 60_000 }, async () => {
    const { dir, h, baseline } = await warmMemorySupervisor();
    try {
      for (let i = 0; i < 20; i++) {
        h.sup.start();
        assert.equal(h.sup.state, 'starting');
        if (i % 2) await new Promise((r) => setTimeout(r, 5 * i));
        await h.sup.stop();
        assert.equal(h.sup.state, 'stopped');
      }
      const settled = await until(() => descendants().length === baseline.length, 10_000);
      assert.ok(settled, `descendants before: ${describeProcs(baseline)}; after: ${describeProcs(descendants())}`);
      assert.equal(h.sup.state, 'stopped', 'a late-finishing old attempt must not revive a stopped upstream');
      // And it still works afterwards.
      h.sup.start();
      await h.reach('ready');
    } finally {
      await h.sup.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('a stdio server that dies at start-up shows what it wrote to stderr in its health detail', async () => {
  const h = supervise(stdio('crasher', process.execPath, ['-e', 'console.error("fatal: missing DATABASE_URL"); process.exit(3)']), { baseMs: 5000 });
  try {
    h.sup.start();
    await h.reach('backoff');
    assert.match(h.sup.health().detail, /fatal: missing DATABASE_URL/);
  } finally {
    await h.sup.stop();
  }
});
