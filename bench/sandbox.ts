// The Python sandbox: snapshot creation, cold start of one sandbox process, the warm-call latency of a
// trivial tool (a ready process waiting in the pool), and sustained back-to-back calls.
// Run: node --import tsx bench/sandbox.ts [--calls 40] [--sustain-seconds 10]
import { parseArgs } from 'node:util';
import { createSandbox, type SandboxJob } from '../src/sandbox/index.js';
import { detectIsolation, runtimePaths, sandboxCommand } from '../src/sandbox/isolation.js';
import { SandboxProcess } from '../src/sandbox/sandbox-process.js';
import { machine } from './lib/machine.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '40' }, 'sustain-seconds': { type: 'string', default: '10' } } });
const CALLS = Number(values.calls);
const SUSTAIN_MS = Number(values['sustain-seconds']) * 1000;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;
const trivial: SandboxJob = { code: 'async def main(x: int = 1):\n    return x + 1', arguments: { x: 41 }, secrets: {}, allowedModules: [], mode: 'run' };

async function coldBoot(snapshotFile: string | undefined): Promise<number> {
  const paths = runtimePaths();
  const spec = sandboxCommand(detectIsolation(paths), paths, { cpuSeconds: 60, maxOpenFiles: 64 }, { mode: 'serve', ...(snapshotFile ? { snapshotFile } : {}) });
  const started = performance.now();
  const proc = new SandboxProcess(spec, { bootTimeoutMs: 60_000, maxFrameBytes: 1 << 20 });
  await proc.ready;
  const elapsed = performance.now() - started;
  proc.kill();
  await proc.exited;
  return elapsed;
}

async function main(): Promise<void> {
  const m = machine();
  console.log(`Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB, Node ${m.node}`);
  const sandbox = createSandbox({ poolSize: 2 });
  const t0 = performance.now();
  await sandbox.start();
  const startMs = performance.now() - t0;
  const stats = sandbox.stats();
  console.log(`start (snapshot + first warm process): ${ms(startMs)}; snapshot ${(stats.snapshotBytes! / 2 ** 20).toFixed(0)} MiB in ${ms(stats.snapshotMs!)}`);

  // Warm calls: wait until the pool is full and idle (no replacement booting on the shared cores), so
  // each call measures the warm path itself, as for calls spaced out like an agent's tool calls.
  const warm: number[] = [];
  const inner: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    while (sandbox.stats().ready < 2 || sandbox.stats().booting > 0) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    const t = performance.now();
    const r = await sandbox.run(trivial);
    warm.push(performance.now() - t);
    inner.push(r.durationMs);
    if (!r.ok || r.value !== 42) throw new Error(`unexpected result ${JSON.stringify(r)}`);
  }
  console.log(`warm call (trivial tool), ${CALLS} calls: p50 ${ms(pct(warm, 50))}, p95 ${ms(pct(warm, 95))}; inside the sandbox p50 ${ms(pct(inner, 50))}`);

  // Sustained: back to back, the pool drains and calls wait for fresh processes.
  const sustained: number[] = [];
  const until = performance.now() + SUSTAIN_MS;
  while (performance.now() < until) {
    const t = performance.now();
    await Promise.all([sandbox.run(trivial), sandbox.run(trivial)]);
    sustained.push((performance.now() - t) / 2);
  }
  const perSecond = (sustained.length * 2) / (SUSTAIN_MS / 1000);
  console.log(`sustained, 2 concurrent callers for ${SUSTAIN_MS / 1000} s: ${perSecond.toFixed(1)} calls/s, per-call p50 ${ms(pct(sustained, 50))}`);
  await sandbox.close();

  // Cold start of one process, with a fresh snapshot (made by a second sandbox) and without one.
  const withSnap = createSandbox({ poolSize: 1 });
  await withSnap.start();
  const snapPath = withSnap.stats().snapshotFile;
  const cold: number[] = [];
  for (let i = 0; i < 5; i++) cold.push(await coldBoot(snapPath));
  await withSnap.close();
  const noSnapshot = await coldBoot(undefined);
  console.log(`cold start of one sandbox process: from snapshot p50 ${ms(pct(cold, 50))} (5 runs); without snapshot ${ms(noSnapshot)}`);
  console.log(`layers: ${sandbox.layers().filter((l) => l.active).map((l) => l.name).join(', ')}`);
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
