// Section 5: the Python sandbox. Snapshot creation, the warm-call latency of a trivial hosted tool (a ready
// process waiting in the pool), sustained back-to-back calls while the pool refills, and the cold start of one
// sandbox process with and without a snapshot. Ratios are to the direct call: the same Python run by Pyodide
// inside this process, with no isolation and one long-lived interpreter (what an unprotected host would do).
import { loadPyodide } from 'pyodide';
import { createSandbox, type SandboxJob } from '../../src/sandbox/index.js';
import { detectIsolation, runtimePaths, sandboxCommand } from '../../src/sandbox/isolation.js';
import { SandboxProcess } from '../../src/sandbox/sandbox-process.js';
import { percentile } from '../lib/stats.js';

export interface SandboxResult {
  calls: number;
  sustainS: number;
  startMs: number;
  snapshotMiB: number;
  snapshotMs: number;
  warm: { p50: number; p95: number; insideP50: number };
  sustained: { perSecond: number; p50: number };
  cold: { fromSnapshotP50: number; withoutSnapshot: number };
  directP50: number;
  layers: string[];
}

const trivial: SandboxJob = { code: 'async def main(x: int = 1):\n    return x + 1', arguments: { x: 41 }, secrets: {}, allowedModules: [], mode: 'run' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

/** The direct call: the same code in an unprotected Pyodide interpreter in this process, reused for every call. */
async function directP50(calls: number): Promise<number> {
  const py = await loadPyodide();
  await py.runPythonAsync(trivial.code);
  const t: number[] = [];
  for (let i = 0; i < calls; i++) {
    const s = performance.now();
    if ((await py.runPythonAsync('await main(41)')) !== 42) throw new Error('bad result');
    t.push(performance.now() - s);
  }
  return percentile(t, 50);
}

export async function sandboxSection(log: (s: string) => void, calls = 40, sustainS = 10): Promise<SandboxResult> {
  const sandbox = createSandbox({ poolSize: 2 });
  const t0 = performance.now();
  await sandbox.start();
  const startMs = performance.now() - t0;
  const stats = sandbox.stats();
  log(`  started in ${startMs.toFixed(0)} ms (snapshot ${((stats.snapshotBytes ?? 0) / 2 ** 20).toFixed(0)} MiB)`);

  // Warm calls: wait until the pool is full and idle (no replacement booting on the shared cores), so each
  // call measures the warm path itself, as for calls spaced out like an agent's tool calls.
  const warm: number[] = [];
  const inner: number[] = [];
  for (let i = 0; i < calls; i++) {
    while (sandbox.stats().ready < 2 || sandbox.stats().booting > 0) await sleep(20);
    await sleep(100);
    const t = performance.now();
    const r = await sandbox.run(trivial);
    warm.push(performance.now() - t);
    inner.push(r.durationMs);
    if (!r.ok || r.value !== 42) throw new Error(`unexpected result ${JSON.stringify(r)}`);
  }
  log(`  warm p50 ${percentile(warm, 50).toFixed(1)} ms`);

  // Sustained: two callers back to back; the pool drains and calls wait for fresh processes.
  const sustained: number[] = [];
  const until = performance.now() + sustainS * 1000;
  while (performance.now() < until) {
    const t = performance.now();
    await Promise.all([sandbox.run(trivial), sandbox.run(trivial)]);
    sustained.push((performance.now() - t) / 2);
  }
  const layers = sandbox.layers().filter((l) => l.active).map((l) => l.name);
  await sandbox.close();

  // Cold start of one process, from a fresh snapshot (made by a second sandbox) and without one.
  const withSnap = createSandbox({ poolSize: 1 });
  await withSnap.start();
  const snapPath = withSnap.stats().snapshotFile;
  const cold: number[] = [];
  for (let i = 0; i < 5; i++) cold.push(await coldBoot(snapPath));
  await withSnap.close();
  const withoutSnapshot = await coldBoot(undefined);

  return {
    calls,
    sustainS,
    startMs,
    snapshotMiB: (stats.snapshotBytes ?? 0) / 2 ** 20,
    snapshotMs: stats.snapshotMs ?? NaN,
    warm: { p50: percentile(warm, 50), p95: percentile(warm, 95), insideP50: percentile(inner, 50) },
    sustained: { perSecond: (sustained.length * 2) / sustainS, p50: percentile(sustained, 50) },
    cold: { fromSnapshotP50: percentile(cold, 50), withoutSnapshot },
    directP50: await directP50(500),
    layers,
  };
}

export function renderSandboxSection(r: SandboxResult): string {
  const f = (n: number) => n.toFixed(1);
  const x = (n: number) => `${Math.round(n / r.directP50).toLocaleString('en')}×`;
  return `## 5. Hosted tools: the Python sandbox

\`npm run bench\` (bench/sections/sandbox.ts), or alone: \`npm run bench:sandbox\`. A trivial tool
(\`async def main(x: int = 1): return x + 1\`) run by the sandbox the gateway uses for hosted tools: one Pyodide
process per call, restored from a memory snapshot, with these isolation layers active: ${r.layers.join(', ') || 'none'}.
A pool of 2 ready processes; every call uses a fresh one and a replacement boots behind it.

Direct call (the same Python in an unprotected Pyodide inside the host process, one interpreter reused for
every call): p50 ${r.directP50.toFixed(2)} ms. The ratio column is to that.

| Measure | Value | Ratio to direct |
| --- | --- | --- |
| Warm call, p50 (${r.calls} calls spaced out, pool full) | ${f(r.warm.p50)} ms | ${x(r.warm.p50)} |
| Warm call, p95 | ${f(r.warm.p95)} ms | ${x(r.warm.p95)} |
| Time inside the sandbox, p50 | ${f(r.warm.insideP50)} ms | ${x(r.warm.insideP50)} |
| Sustained, 2 concurrent callers for ${r.sustainS} s | ${f(r.sustained.perSecond)} calls/s, p50 ${f(r.sustained.p50)} ms | ${x(r.sustained.p50)} |
| Cold start of one process, from the snapshot (p50 of 5) | ${f(r.cold.fromSnapshotP50)} ms | ${x(r.cold.fromSnapshotP50)} |
| Cold start of one process, without a snapshot | ${f(r.cold.withoutSnapshot)} ms | ${x(r.cold.withoutSnapshot)} |
| Gateway start of the sandbox (snapshot of ${r.snapshotMiB.toFixed(0)} MiB made in ${f(r.snapshotMs)} ms, first process ready) | ${f(r.startMs)} ms | |

Goal: warm p50 ≤ 10 ms (${r.warm.p50 <= 10 ? 'pass' : '**FAIL**'}). Sustained throughput is bounded by how fast fresh processes boot
on two cores: a call never reuses an interpreter another call has touched.
`;
}
