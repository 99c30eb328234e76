import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureProcessReaper, isProcessGroupAlive, processReaperPid, registerProcessGroup } from './process-reaper.js';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/upstreams/spawn-tree.mjs', import.meta.url));
const TRANSPORT = new URL('./stdio-transport.ts', import.meta.url).href;
const REAPER = new URL('./process-reaper.ts', import.meta.url).href;

/**
 * A stand-in gateway: spawns spawn-tree through the transport, prints {leader, children, watchdog} as
 * JSON, then prints {watchdog} again whenever the watchdog changes. GW_MODE=exit calls process.exit(0)
 * without closing the transport, GW_MODE=exit-unguarded does so right after killing its watchdog, and
 * GW_MODE=sleeper also registers then unregisters a detached `sleep`.
 */
const GATEWAY = `
const [transportUrl, reaperUrl, fixture, ...treeArgs] = process.argv.slice(1);
const { ProcessGroupStdioTransport } = await import(transportUrl);
const reaper = await import(reaperUrl);
const { spawn } = await import('node:child_process');
const t = new ProcessGroupStdioTransport({ command: process.execPath, args: [fixture, ...treeArgs] });
const tree = await new Promise((resolve, reject) => {
  t.onmessage = (m) => m.id === 1 && resolve(m.result);
  t.onerror = reject;
  t.start().then(() => t.send({ jsonrpc: '2.0', id: 1, method: 'tree/pids' }), reject);
});
let sleeper;
if (process.env.GW_MODE === 'sleeper') {
  sleeper = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' }).pid;
  reaper.registerProcessGroup(sleeper)();
}
let watchdog = reaper.processReaperPid();
if (process.env.GW_MODE === 'exit-unguarded') {
  process.kill(watchdog, 'SIGKILL');
  while (reaper.processReaperPid() !== undefined) await new Promise((r) => setTimeout(r, 5));
}
console.log(JSON.stringify({ ...tree, watchdog, sleeper }));
if (process.env.GW_MODE.startsWith('exit')) process.exit(0);
setInterval(() => {
  if (reaper.processReaperPid() === watchdog) return;
  watchdog = reaper.processReaperPid();
  console.log(JSON.stringify({ watchdog }));
}, 20);
`;

interface Report {
  leader: number;
  children: number[];
  watchdog?: number;
  sleeper?: number;
}

function procStat(pid: number): { state: string; ppid: number; pgid: number; sid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state = '', ppid, pgid, sid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid), pgid: Number(pgid), sid: Number(sid) };
  } catch {
    return undefined;
  }
}

/** Running = present and not a zombie. A zombie is dead; reaping it is its parent's (or init's) job. */
const running = (pid: number): boolean => {
  const state = procStat(pid)?.state;
  return state !== undefined && state !== 'Z' && state !== 'X';
};

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** Start the stand-in gateway; `next()` yields its JSON lines. Everything it may have left is killed in cleanup. */
function startGateway(t: { after: (fn: () => void) => void }, mode: string, treeArgs: string[]) {
  const gw: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', GATEWAY, '--', TRANSPORT, REAPER, FIXTURE, ...treeArgs], {
    env: { ...process.env, GW_MODE: mode },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: gw.stdout! })[Symbol.asyncIterator]();
  const seen: Report[] = [];
  t.after(() => {
    gw.kill('SIGKILL');
    for (const r of seen) {
      for (const pid of [r.leader, r.watchdog, r.sleeper]) if (pid && running(pid)) process.kill(pid === r.leader || pid === r.sleeper ? -pid : pid, 'SIGKILL');
    }
  });
  const next = async (): Promise<Report> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('gateway printed nothing in 10 s')), 10_000)));
    try {
      const { value, done } = await Promise.race([lines.next(), timeout]);
      assert.ok(!done, 'gateway exited before reporting');
      const report = JSON.parse(value as string) as Report;
      seen.push(report);
      return report;
    } finally {
      clearTimeout(timer);
    }
  };
  return { gw, next };
}

test('refuses process groups whose signalling would hit the wrong processes', () => {
  for (const pgid of [0, 1, -5, 1.5, Number.NaN, process.pid]) assert.throws(() => registerProcessGroup(pgid), RangeError, String(pgid));
});

test('the watchdog runs in its own session and process group', () => {
  ensureProcessReaper();
  const pid = processReaperPid();
  assert.ok(pid, 'watchdog started');
  const stat = procStat(pid);
  assert.deepEqual(stat && { ppid: stat.ppid, pgid: stat.pgid, sid: stat.sid }, { ppid: process.pid, pgid: pid, sid: pid });
  assert.ok(running(pid));
});

test('the watchdog does not keep the gateway alive and leaves when it does', { timeout: 15_000 }, async (t) => {
  const script = `const r = await import(${JSON.stringify(REAPER)}); r.ensureProcessReaper(); console.log(r.processReaperPid());`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  assert.ok(await waitFor(() => child.exitCode !== null, 8000), 'gateway exits by itself with only the watchdog running');
  assert.equal(await exited, 0);
  const watchdog = Number(out.trim());
  assert.ok(watchdog > 1, `watchdog pid printed: ${out}`);
  assert.ok(await waitFor(() => !running(watchdog), 3000), 'watchdog exits on EOF');
});

for (const [name, mode, treeArgs, bound] of [
  ['kill -9 of the gateway takes down the upstream group, grandchildren included', 'wait', [], 3000],
  ['kill -9 of the gateway escalates to SIGKILL for a group that ignores SIGTERM', 'wait', ['--stubborn'], 4000],
  ['process.exit() without closing the transport still takes down a stubborn group', 'exit', ['--stubborn'], 4000],
  ['process.exit() while the watchdog is down still takes down a stubborn group', 'exit-unguarded', ['--stubborn'], 2000],
] as const) {
  test(name, { timeout: 20_000 }, async (t) => {
    const { gw, next } = startGateway(t, mode, [...treeArgs]);
    const report = await next();
    const tree = [report.leader, ...report.children];
    assert.equal(tree.length, 4);
    const t0 = Date.now();
    if (mode === 'wait') {
      // In the exit modes the gateway is already on its way out, so the tree may be going too.
      assert.ok([...tree, report.watchdog ?? 0].every(running), 'whole tree and watchdog are up');
      assert.ok(report.children.every((pid) => procStat(pid)?.pgid === report.leader), 'grandchildren share the leader group');
      gw.kill('SIGKILL');
    }
    assert.ok(await waitFor(() => !tree.some(running), bound), `still running after ${bound} ms: ${tree.filter(running).join(' ')}`);
    const treeMs = Date.now() - t0;
    assert.ok(await waitFor(() => !running(report.watchdog ?? 0), 2000), 'watchdog exits after its work');
    t.diagnostic(`tree gone ${treeMs} ms, watchdog gone ${Date.now() - t0} ms after the gateway died`);
    assert.equal(isProcessGroupAlive(report.leader), false);
  });
}

test('a killed watchdog is replaced and re-armed with the registered groups', { timeout: 20_000 }, async (t) => {
  const { gw, next } = startGateway(t, 'wait', []);
  const report = await next();
  process.kill(report.watchdog!, 'SIGKILL');
  let watchdog: number | undefined;
  while (!watchdog) watchdog = (await next()).watchdog; // The gap without a watchdog prints {} first.
  assert.ok(watchdog !== report.watchdog && running(watchdog), 'new watchdog');
  gw.kill('SIGKILL');
  const pids = [report.leader, ...report.children, watchdog];
  assert.ok(await waitFor(() => !pids.some(running), 3000), `still running: ${pids.filter(running).join(' ')}`);
});

test('an unregistered group is left alone when the gateway dies', { timeout: 20_000 }, async (t) => {
  const { gw, next } = startGateway(t, 'sleeper', []);
  const report = await next();
  const sleeper = report.sleeper!;
  gw.kill('SIGKILL');
  assert.ok(await waitFor(() => !running(report.leader), 3000), 'registered group reaped');
  await new Promise((r) => setTimeout(r, 1500)); // Past the watchdog's SIGKILL escalation.
  assert.ok(running(sleeper), 'unregistered group survived');
  process.kill(-sleeper, 'SIGKILL');
});
