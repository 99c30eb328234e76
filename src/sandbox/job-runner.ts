/**
 * Runs one job on one sandbox process and turns whatever happens into a SandboxResult: the result
 * frame, a limit the host enforces (wall time, CPU, memory) by killing the process, a crash, or a
 * cancellation. Relays the tool's `http` requests to the egress client. The process is always killed
 * at the end; nothing the tool did survives the call.
 */
import { SwitchboardError } from '../shared/index.js';
import type { EgressClient } from './egress.js';
import type { ResolvedLimits } from './limits.js';
import type { SandboxProcess } from './sandbox-process.js';
import type { SandboxErrorKind, SandboxJob, SandboxResult } from './types.js';

const KINDS = new Set<SandboxErrorKind>(['timeout', 'cpu', 'memory', 'output_too_large', 'forbidden_import', 'forbidden', 'invalid_code', 'exception', 'recursion', 'crashed', 'cancelled']);
const MONITOR_MS = 200;
/** Node, Pyodide and the restored snapshot take about 200 MB before the tool allocates anything. */
const RSS_OVERHEAD_MB = 512;

function bounded(text: unknown, limit: number): string {
  const s = typeof text === 'string' ? text : '';
  if (Buffer.byteLength(s) <= limit) return s;
  return `${Buffer.from(s).subarray(0, Math.max(0, limit - 20)).toString('utf8').replace(/\uFFFD+$/, '')} …[truncated]`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why a process died without sending a result, from its exit and its last stderr. */
function crashKind(exit: { code: number | null; signal: NodeJS.Signals | null; stderr: string }): { kind: SandboxErrorKind; message: string } {
  if (exit.signal === 'SIGXCPU') return { kind: 'cpu', message: 'the tool used more CPU time than allowed and was stopped' };
  if (/heap out of memory|Allocation failed|out of memory/i.test(exit.stderr)) return { kind: 'memory', message: 'the tool ran out of memory and was stopped' };
  if (/Maximum call stack/i.test(exit.stderr)) return { kind: 'recursion', message: 'the tool recursed too deeply and was stopped' };
  return { kind: 'crashed', message: `the sandbox process ended unexpectedly (exit ${exit.code ?? exit.signal})` };
}

/** Execute `job` on `proc` under `limits`. Never throws; always kills `proc`. */
export function runOnProcess(proc: SandboxProcess, job: SandboxJob, limits: ResolvedLimits, egress: EgressClient, signal?: AbortSignal): Promise<SandboxResult> {
  const started = performance.now();
  const baseline = proc.usage();
  const requests = new AbortController();
  let httpRequests = 0;

  return new Promise<SandboxResult>((resolve) => {
    let settled = false;
    const cleanup: (() => void)[] = [];
    const done = (result: SandboxResult) => {
      if (settled) return;
      settled = true;
      for (const fn of cleanup) fn();
      requests.abort();
      proc.kill();
      resolve(result);
    };
    const fail = (kind: SandboxErrorKind, message: string, stdout = '') =>
      done({ ok: false, error: { kind, message: bounded(message, limits.maxErrorBytes) }, stdout, durationMs: performance.now() - started, httpRequests });

    const timer = setTimeout(() => fail('timeout', `the tool ran longer than ${limits.timeoutMs} ms and was stopped`), limits.timeoutMs);
    cleanup.push(() => clearTimeout(timer));
    const monitor = setInterval(() => {
      const now = proc.usage();
      if (!now) return;
      if (baseline && now.cpuSeconds - baseline.cpuSeconds > limits.cpuSeconds) fail('cpu', `the tool used more than ${limits.cpuSeconds} s of CPU and was stopped`);
      else if (now.rssBytes > (limits.memoryMb + RSS_OVERHEAD_MB) * 1024 * 1024) fail('memory', `the tool used more than ${limits.memoryMb} MB and was stopped`);
    }, MONITOR_MS);
    cleanup.push(() => clearInterval(monitor));
    if (signal) {
      const onAbort = () => fail('cancelled', 'the call was cancelled');
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      cleanup.push(() => signal.removeEventListener('abort', onAbort));
    }
    void proc.exited.then((exit) => {
      const { kind, message } = crashKind(exit);
      fail(kind, message);
    });

    proc.onFrame = (frame) => {
      if (frame.kind !== 'json') return fail('crashed', 'the sandbox sent an unexpected frame');
      const msg = frame.message;
      if (msg.t === 'http') return relay(msg);
      if (msg.t !== 'result') return;
      const stdout = bounded(msg.stdout, limits.stdoutBytes);
      const outcome = isPlainObject(msg.outcome) ? msg.outcome : {};
      if (isPlainObject(outcome.error)) {
        const kind = KINDS.has(outcome.error.kind as SandboxErrorKind) ? (outcome.error.kind as SandboxErrorKind) : 'crashed';
        return fail(kind, String(outcome.error.message ?? 'the tool failed'), stdout);
      }
      const result = isPlainObject(outcome.done) ? outcome.done : undefined;
      if (!result) return fail('crashed', 'the sandbox sent a malformed result', stdout);
      const text = typeof result.text === 'string' ? result.text : '';
      if (Buffer.byteLength(text) > limits.maxResultBytes * 2) return fail('output_too_large', `the result is larger than ${limits.maxResultBytes} bytes`, stdout);
      done({
        ok: true,
        value: result.value ?? null,
        ...(result.structured === true && isPlainObject(result.value) ? { structuredContent: result.value } : {}),
        text,
        stdout,
        durationMs: performance.now() - started,
        httpRequests,
      });
    };

    function relay(msg: Record<string, unknown>): void {
      const id = msg.id;
      const reply = (response: Record<string, unknown>) => {
        if (!settled) proc.send({ t: 'http_result', id, response });
      };
      const refuse = (message: string, code = 'SWB_EGRESS_BLOCKED') => reply({ ok: false, error: { code, message } });
      httpRequests += 1;
      if (httpRequests > limits.maxHttpRequests) return refuse(`a tool call may make at most ${limits.maxHttpRequests} http requests`);
      if (!job.egress) return refuse('this tool has no network access');
      const req = isPlainObject(msg.request) ? msg.request : {};
      if (typeof req.url !== 'string' || typeof req.method !== 'string') return refuse('malformed http request');
      const headers = isPlainObject(req.headers) ? Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])) : {};
      egress
        .request(job.egress, { method: req.method, url: req.url, headers, body: typeof req.body === 'string' ? req.body : null, ...(typeof req.timeoutMs === 'number' ? { timeoutMs: req.timeoutMs } : {}) }, requests.signal)
        .then(
          (res) => reply({ ok: true, ...res }),
          (err: unknown) => {
            const e = err instanceof SwitchboardError ? err : new SwitchboardError('SWB_EGRESS_FAILED', 'the request failed');
            refuse(e.message, e.code);
          },
        );
    }

    proc.send({
      t: 'job',
      job: {
        code: job.code,
        language: job.language ?? 'python',
        arguments: job.arguments ?? {},
        secrets: job.secrets ?? {},
        allowedModules: job.allowedModules ?? [],
        mode: job.mode,
        limits: { memoryMb: limits.memoryMb, maxStdoutBytes: limits.stdoutBytes, maxResultBytes: limits.maxResultBytes, maxErrorBytes: limits.maxErrorBytes },
      },
    });
  });
}
