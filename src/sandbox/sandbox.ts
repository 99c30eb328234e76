/**
 * The sandbox service: `run(job, signal) → result` under limits, `analyze(code)` for validate-code and
 * schemas, and the list of active isolation layers. Each call gets a process no other code has run in,
 * taken from a warm pool started from an interpreter snapshot.
 */
import { SwitchboardError } from '../shared/index.js';
import { createEgressClient, type EgressClient } from './egress.js';
import { describeLayers, detectIsolation, runtimePaths, sandboxCommand, type IsolationSupport, type RuntimePaths, type SpawnLimits } from './isolation.js';
import { resolveLimits, type ResolvedLimits, type SandboxLimits } from './limits.js';
import { isAlwaysForbidden } from './modules.js';
import { runOnProcess } from './job-runner.js';
import { WarmPool, type PoolStats } from './pool.js';
import { SandboxProcess } from './sandbox-process.js';
import { makeSnapshot, type SnapshotFile } from './snapshot.js';
import type { CodeAnalysis, SandboxJob, SandboxLayer, SandboxResult, ToolLanguage } from './types.js';

export interface SandboxOptions {
  /** Processes kept started and waiting (default 2). */
  poolSize?: number;
  /** Processes alive at once, busy or waiting; calls queue beyond this (default poolSize + 2). */
  maxProcesses?: number;
  /** Deployment defaults; a job's own limits override them within LIMIT_BOUNDS. */
  limits?: Partial<SandboxLimits>;
  egress?: EgressClient;
  /** Boot from an interpreter snapshot (default true); without it each process boots Pyodide cold (~2 s). */
  snapshot?: boolean;
  bootTimeoutMs?: number;
  /**
   * Layer names that must be active; `start()` fails with SWB_SANDBOX_UNAVAILABLE otherwise, so an
   * admin can refuse hosted tools on a host without, say, network namespaces.
   */
  requireLayers?: string[];
}

export interface SandboxStats extends PoolStats {
  snapshotFile?: string;
  snapshotBytes?: number;
  snapshotMs?: number;
  calls: number;
}

export interface Sandbox {
  /** Detect the layers, make the snapshot and warm the pool. Idempotent. */
  start(): Promise<void>;
  run(job: SandboxJob, signal?: AbortSignal): Promise<SandboxResult>;
  /** validate-code plus the input schema of `main`, computed in a sandbox (the code is not run). */
  analyze(code: string, opts?: { allowedModules?: string[]; maxCodeBytes?: number; language?: ToolLanguage }, signal?: AbortSignal): Promise<CodeAnalysis>;
  layers(): SandboxLayer[];
  stats(): SandboxStats;
  close(): Promise<void>;
}

const ANALYZE_TIMEOUT_MS = 10_000;

/** Create the sandbox service; nothing starts until `start()` (or the first call). */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const paths: RuntimePaths = runtimePaths();
  const base = resolveLimits(options.limits);
  const egress = options.egress ?? createEgressClient();
  const poolSize = options.poolSize ?? 2;
  const maxProcesses = Math.max(poolSize + 1, options.maxProcesses ?? poolSize + 2);
  const bootTimeoutMs = options.bootTimeoutMs ?? 60_000;
  let support: IsolationSupport | undefined;
  let snapshot: SnapshotFile | undefined;
  let pool: WarmPool | undefined;
  let starting: Promise<void> | undefined;
  let calls = 0;

  const spawnLimits = (l: SandboxLimits): SpawnLimits => ({ cpuSeconds: l.cpuSeconds, maxOpenFiles: l.maxOpenFiles });
  const maxFrameBytes = (l: ResolvedLimits) => 6 * l.maxResultBytes + 2 * l.stdoutBytes + 2 * l.maxErrorBytes + 1024 * 1024;

  function spawn(limits: ResolvedLimits): SandboxProcess {
    const spec = sandboxCommand(support!, paths, spawnLimits(limits), { ...(snapshot ? { snapshotFile: snapshot.path } : {}), mode: 'serve' });
    return new SandboxProcess(spec, { bootTimeoutMs, maxFrameBytes: maxFrameBytes(limits) });
  }

  async function doStart(): Promise<void> {
    support = detectIsolation(paths);
    const missing = (options.requireLayers ?? []).filter((name) => !describeLayers(support!, true).some((l) => l.name === name && l.active));
    if (missing.length) throw new SwitchboardError('SWB_SANDBOX_UNAVAILABLE', `required sandbox layers are unavailable on this host: ${missing.join(', ')}`, { missing });
    if (options.snapshot !== false) {
      try {
        snapshot = await makeSnapshot(sandboxCommand(support, paths, spawnLimits(base), { mode: 'snapshot' }));
        // A gateway that exits without close() still removes its snapshot.
        const made = snapshot;
        process.once('exit', () => made.remove());
      } catch {
        // Without a snapshot every process boots Pyodide from scratch: slower, equally isolated.
        snapshot = undefined;
      }
    }
    pool = new WarmPool(() => spawn(base), poolSize, maxProcesses);
    await pool.start();
  }

  function start(): Promise<void> {
    starting ??= doStart().catch((err: unknown) => {
      starting = undefined;
      pool?.close();
      throw err instanceof SwitchboardError ? err : new SwitchboardError('SWB_SANDBOX_UNAVAILABLE', `the sandbox cannot start: ${(err as Error).message}`.slice(0, 600));
    });
    return starting;
  }

  /** A process for these limits: from the pool when they match what pool processes were spawned with. */
  async function processFor(limits: ResolvedLimits, signal?: AbortSignal): Promise<SandboxProcess> {
    await start();
    if (limits.cpuSeconds <= base.cpuSeconds && limits.maxOpenFiles === base.maxOpenFiles && maxFrameBytes(limits) <= maxFrameBytes(base)) return pool!.acquire(signal);
    const proc = spawn(limits);
    await proc.ready.catch((err: Error) => {
      throw new SwitchboardError('SWB_SANDBOX_UNAVAILABLE', `the sandbox cannot start: ${err.message}`.slice(0, 600));
    });
    return proc;
  }

  async function run(job: SandboxJob, signal?: AbortSignal): Promise<SandboxResult> {
    const limits = resolveLimits(base, job.limits, job.mode);
    const early = (kind: 'invalid_code' | 'cancelled', message: string): SandboxResult => ({ ok: false, error: { kind, message }, stdout: '', durationMs: 0, httpRequests: 0 });
    if (typeof job.code !== 'string' || !job.code.trim()) return early('invalid_code', 'the code is empty');
    const size = Buffer.byteLength(job.code);
    if (size > limits.maxCodeBytes) return early('invalid_code', `the code is ${size} bytes; the limit is ${limits.maxCodeBytes}`);
    let proc: SandboxProcess;
    try {
      proc = await processFor(limits, signal);
    } catch (err) {
      if (signal?.aborted) return early('cancelled', 'the call was cancelled before it started');
      throw err;
    }
    calls += 1;
    const allowedModules = (job.allowedModules ?? []).filter((m) => typeof m === 'string' && !isAlwaysForbidden(m));
    return runOnProcess(proc, { ...job, allowedModules }, limits, egress, signal);
  }

  async function analyze(code: string, opts: { allowedModules?: string[]; maxCodeBytes?: number; language?: ToolLanguage } = {}, signal?: AbortSignal): Promise<CodeAnalysis> {
    const maxCodeBytes = opts.maxCodeBytes ?? base.maxCodeBytes;
    const size = Buffer.byteLength(code ?? '');
    if (size > maxCodeBytes) return { valid: false, errors: [{ kind: 'size', message: `the code is ${size} bytes; the limit is ${maxCodeBytes}` }], warnings: [], imports: [] };
    const proc = await processFor(base, signal);
    calls += 1;
    try {
      return await new Promise<CodeAnalysis>((resolve, reject) => {
        const timer = setTimeout(() => reject(new SwitchboardError('SWB_VALIDATION_FAILED', 'analysing the code took too long')), ANALYZE_TIMEOUT_MS);
        proc.onFrame = (frame) => {
          if (frame.kind === 'json' && frame.message.t === 'analysis') {
            clearTimeout(timer);
            resolve(frame.message.result as CodeAnalysis);
          }
        };
        void proc.exited.then(() => {
          clearTimeout(timer);
          reject(new SwitchboardError('SWB_VALIDATION_FAILED', 'the code could not be analysed (the analyser stopped)'));
        });
        signal?.addEventListener('abort', () => reject(new SwitchboardError('SWB_VALIDATION_FAILED', 'the analysis was cancelled')), { once: true });
        proc.send({ t: 'analyze', request: { code, language: opts.language ?? 'python', allowedModules: (opts.allowedModules ?? []).filter((m) => !isAlwaysForbidden(m)), maxCodeBytes } });
      });
    } finally {
      proc.kill();
    }
  }

  return {
    start,
    run,
    analyze,
    layers: () => describeLayers(support ?? detectIsolation(paths), snapshot !== undefined),
    stats: () => ({ ...(pool?.stats() ?? { ready: 0, booting: 0, busy: 0, waiting: 0, spawned: 0, bootFailures: 0 }), ...(snapshot ? { snapshotFile: snapshot.path, snapshotBytes: snapshot.bytes, snapshotMs: snapshot.makeMs } : {}), calls }),
    async close() {
      pool?.close();
      snapshot?.remove();
      snapshot = undefined;
      starting = undefined;
    },
  };
}
