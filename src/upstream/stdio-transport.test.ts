import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, type JSONRPCMessage } from '@modelcontextprotocol/client';
import { SwitchboardError } from '../shared/errors.js';
import { isProcessGroupAlive, registeredProcessGroups } from './process-reaper.js';
import { StderrLog } from './stderr-log.js';
import { ProcessGroupStdioTransport, type ProcessGroupStdioOptions } from './stdio-transport.js';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/upstreams/spawn-tree.mjs', import.meta.url));
const MEMORY_SERVER = fileURLToPath(new URL('../../node_modules/@modelcontextprotocol/server-memory/dist/index.js', import.meta.url));

type Proc = { ppid: number; state: string };

function processTable(): Map<number, Proc> {
  const table = new Map<number, Proc>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state = '', ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), { ppid: Number(ppid), state });
    } catch {
      // Exited while we were looking.
    }
  }
  return table;
}

/** Processes whose parent chain leads to this test process, split into running ones and zombies. */
function descendants(): { running: number[]; zombies: number[] } {
  const table = processTable();
  const running: number[] = [];
  const zombies: number[] = [];
  for (const [pid] of table) {
    let p = table.get(pid)?.ppid;
    while (p !== undefined && p > 1 && p !== process.pid) p = table.get(p)?.ppid;
    if (p === process.pid) (table.get(pid)?.state === 'Z' ? zombies : running).push(pid);
  }
  return { running, zombies };
}

/** Present and not a zombie (a zombie is dead; reaping it is its parent's or init's job). */
const running = (pid: number): boolean => {
  const state = processTable().get(pid)?.state;
  return state !== undefined && state !== 'Z';
};

/** A transport on spawn-tree; whatever is left of its group is SIGKILLed when the test ends. */
function tree(t: { after: (fn: () => void) => void }, args: string[] = [], extra: Partial<ProcessGroupStdioOptions> = {}) {
  const transport = new ProcessGroupStdioTransport({ command: 'node', args: [FIXTURE, ...args], ...extra });
  t.after(() => {
    const pgid = transport.pid;
    if (pgid && isProcessGroupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
  });
  return transport;
}

/** Start the transport and ask spawn-tree for its pids over raw JSON-RPC. */
async function startTree(transport: ProcessGroupStdioTransport): Promise<{ leader: number; children: number[] }> {
  const reply = new Promise<JSONRPCMessage>((resolve) => (transport.onmessage = (m) => resolve(m)));
  await transport.start();
  await transport.send({ jsonrpc: '2.0', id: 1, method: 'tree/pids' });
  return (reply as unknown as Promise<{ result: { leader: number; children: number[] } }>).then((m) => m.result);
}

test('talks MCP to a real server (server-memory) and leaves nothing of its group on close', { timeout: 30_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'swb-memory-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const transport = new ProcessGroupStdioTransport({ command: 'node', args: [MEMORY_SERVER], env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') } });
  t.after(() => void (transport.pid && isProcessGroupAlive(transport.pid) && process.kill(-transport.pid, 'SIGKILL')));
  const client = new Client({ name: 'switchboard-test', version: '0.0.0' });
  await client.connect(transport);
  const pgid = transport.pid!;
  assert.ok(registeredProcessGroups().includes(pgid), 'registered with the reaper while running');
  const { tools } = await client.listTools();
  assert.ok(tools.some((tool) => tool.name === 'create_entities'), tools.map((tool) => tool.name).join());
  let closed = 0;
  client.onclose = () => closed++;
  await client.close();
  assert.equal(closed, 1);
  assert.throws(() => process.kill(-pgid, 0), { code: 'ESRCH' });
  assert.ok(!registeredProcessGroups().includes(pgid), 'unregistered once gone');
  assert.ok(transport.stderrLog.lines().some((l) => l.line.includes('running on stdio')), 'stderr captured');
});

test('the child gets its configured env over a minimal default env, not the gateway env', { timeout: 15_000 }, async (t) => {
  process.env['SWB_TEST_GATEWAY_SECRET'] = 'leak';
  t.after(() => delete process.env['SWB_TEST_GATEWAY_SECRET']);
  const script = 'console.error(JSON.stringify(process.env))';
  const stderrLog = new StderrLog();
  let exit: [number | null, string | null] | undefined;
  const env = { MINE: 'yes', HOME: '/nowhere' };
  const transport = new ProcessGroupStdioTransport({ command: 'node', args: ['-e', script], env, stderrLog, onExit: (code, signal) => (exit = [code, signal]) });
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  await transport.start();
  await closed;
  assert.deepEqual(exit, [0, null]);
  const seen = JSON.parse(stderrLog.lines().at(-1)?.line ?? '{}') as Record<string, string>;
  assert.equal(seen['MINE'], 'yes');
  assert.equal(seen['HOME'], '/nowhere', 'configured env wins over the defaults');
  assert.equal(seen['PATH'], process.env['PATH']);
  assert.equal(seen['SWB_TEST_GATEWAY_SECRET'], undefined, 'gateway env must not leak');
});

test('close() kills the whole process group, grandchildren included', { timeout: 15_000 }, async (t) => {
  const transport = tree(t, ['--children', '3', '--abandon']); // The leader does not pass SIGTERM on.
  const { leader, children } = await startTree(transport);
  assert.equal(leader, transport.pid);
  assert.equal(children.length, 3);
  assert.ok([leader, ...children].every(running));
  const t0 = Date.now();
  await transport.close();
  t.diagnostic(`close took ${Date.now() - t0} ms`);
  assert.deepEqual([leader, ...children].filter(running), []);
  assert.equal(isProcessGroupAlive(leader), false);
});

test('close() escalates to SIGKILL after killGraceMs when the group ignores SIGTERM', { timeout: 15_000 }, async (t) => {
  let exit: [number | null, string | null] | undefined;
  const transport = tree(t, ['--stubborn'], { killGraceMs: 300, onExit: (code, signal) => (exit = [code, signal]) });
  const { leader, children } = await startTree(transport);
  const t0 = Date.now();
  await transport.close();
  const ms = Date.now() - t0;
  t.diagnostic(`close took ${ms} ms`);
  assert.ok(ms >= 300 && ms < 3000, `${ms} ms`);
  assert.deepEqual(exit, [null, 'SIGKILL']);
  assert.deepEqual([leader, ...children].filter(running), []);
});

test('a child that exits by itself fires onExit and onclose, and its leftover grandchildren are killed', { timeout: 15_000 }, async (t) => {
  let exit: [number | null, string | null] | undefined;
  const transport = tree(t, ['--exit-after', '300'], { onExit: (code, signal) => (exit = [code, signal]) });
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  const { leader, children } = await startTree(transport);
  await closed;
  assert.deepEqual(exit, [3, null]);
  assert.deepEqual([leader, ...children].filter(running), []);
  await assert.rejects(transport.send({ jsonrpc: '2.0', id: 2, method: 'ping' }), /Not connected/);
  await transport.close(); // Idempotent after the fact.
});

test('50 stop/start cycles leave the process count unchanged and no zombie', { timeout: 120_000 }, async (t) => {
  const cycle = async (): Promise<number> => {
    const transport = tree(t, ['--children', '3']);
    const client = new Client({ name: 'switchboard-test', version: '0.0.0' });
    await client.connect(transport);
    await client.listTools();
    const pgid = transport.pid!;
    await client.close();
    return pgid;
  };
  await cycle(); // Warm-up: starts the reaper's watchdog, which lives as long as this process.
  const before = descendants();
  const t0 = Date.now();
  for (let i = 0; i < 50; i++) {
    const pgid = await cycle();
    assert.equal(isProcessGroupAlive(pgid), false, `cycle ${i}: group ${pgid} alive`);
  }
  const ms = Date.now() - t0;
  t.diagnostic(`50 cycles took ${ms} ms (${(ms / 50).toFixed(1)} ms each)`);
  const after = descendants();
  assert.deepEqual(after.running.sort(), before.running.sort());
  assert.deepEqual(after.zombies, []);
  assert.deepEqual(registeredProcessGroups(), []);
});

test('a missing command fails start() and onerror with a message naming it', { timeout: 10_000 }, async () => {
  const transport = new ProcessGroupStdioTransport({ command: 'swb-no-such-command', args: ['--x'] });
  const errors: Error[] = [];
  transport.onerror = (e) => errors.push(e);
  await assert.rejects(transport.start(), (err: unknown) => {
    assert.ok(err instanceof SwitchboardError);
    assert.equal(err.code, 'SWB_UPSTREAM_UNAVAILABLE');
    assert.match(err.message, /"swb-no-such-command".*not found/);
    return true;
  });
  assert.equal(errors.length, 1);
  assert.equal(transport.pid, undefined);
  await transport.close();
  await assert.rejects(transport.send({ jsonrpc: '2.0', id: 1, method: 'ping' }), /Not connected/);
});

test('a missing working directory is reported as such, not as a missing command', { timeout: 10_000 }, async () => {
  const transport = new ProcessGroupStdioTransport({ command: 'node', cwd: '/nonexistent/swb' });
  await assert.rejects(transport.start(), /Cannot start upstream command "node": its working directory "\/nonexistent\/swb" does not exist/);
});

test('send() waits out backpressure on a large message and the connection stays usable', { timeout: 15_000 }, async (t) => {
  const transport = tree(t, ['--children', '0']);
  const replies: JSONRPCMessage[] = [];
  transport.onmessage = (m) => void replies.push(m);
  await transport.start();
  const big = 'x'.repeat(8 * 1024 * 1024); // Far beyond a pipe buffer, so write() reports backpressure.
  await transport.send({ jsonrpc: '2.0', method: 'notifications/big', params: { big } });
  await transport.send({ jsonrpc: '2.0', id: 7, method: 'ping' });
  const deadline = Date.now() + 5000;
  while (!replies.some((m) => 'id' in m && m.id === 7) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(replies.some((m) => 'id' in m && m.id === 7), 'ping answered after the big message');
  await transport.close();
});
