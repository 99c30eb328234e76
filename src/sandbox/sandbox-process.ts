/**
 * One sandbox process as the host sees it: spawn, framed messages both ways, its CPU and memory read
 * from /proc, and a kill that takes the whole process group down. Knows nothing about jobs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { encodeFrame, FrameDecoder, type Frame } from './framing.js';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last few KB of stderr, for diagnosing crashes (never sent to clients verbatim). */
  stderr: string;
}

const STDERR_KEEP = 64 * 1024;
const CLOCK_TICKS = 100;

/** A spawned runner; `ready` settles when it has loaded Pyodide (or failed to). */
export class SandboxProcess {
  readonly ready: Promise<{ bootMs: number }>;
  readonly exited: Promise<ProcessExit>;
  readonly spawnedAt = performance.now();
  onFrame: ((frame: Frame) => void) | undefined;
  private readonly child: ChildProcess;
  private readonly decoder: FrameDecoder;
  private stderr = '';
  private inner: number | undefined;
  private dead = false;

  constructor(spec: { command: string; args: string[] }, opts: { bootTimeoutMs: number; maxFrameBytes: number }) {
    this.decoder = new FrameDecoder(opts.maxFrameBytes);
    this.child = spawn(spec.command, spec.args, { env: {}, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
        this.dead = true;
        resolve({ code, signal, stderr: this.stderr });
      });
      this.child.on('error', (err) => {
        this.dead = true;
        resolve({ code: null, signal: null, stderr: `spawn failed: ${err.message}` });
      });
    });
    this.child.stdin!.on('error', () => undefined);
    this.child.stderr!.on('data', (chunk: Buffer) => {
      // Pyodide prints its minified source on a fatal error; keep the readable lines only.
      const text = chunk.toString('utf8').split('\n').filter((line) => line.length < 1000).join('\n');
      this.stderr = (this.stderr + text).slice(-STDERR_KEEP);
    });
    let markReady: (v: { bootMs: number }) => void = () => undefined;
    let failBoot: (e: Error) => void = () => undefined;
    this.ready = new Promise((resolve, reject) => {
      markReady = resolve;
      failBoot = reject;
    });
    this.ready.catch(() => undefined);
    const bootTimer = setTimeout(() => {
      failBoot(new Error(`the sandbox did not start within ${opts.bootTimeoutMs} ms`));
      this.kill();
    }, opts.bootTimeoutMs);
    void this.exited.then((exit) => {
      clearTimeout(bootTimer);
      failBoot(new Error(`the sandbox exited while starting (code ${exit.code}, signal ${exit.signal}): ${exit.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 500)}`));
    });
    this.child.stdout!.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.decoder.push(chunk);
      } catch (err) {
        this.stderr += `\nprotocol error: ${(err as Error).message}`;
        this.kill();
        return;
      }
      for (const frame of frames) {
        if (frame.kind === 'json' && frame.message.t === 'ready') {
          clearTimeout(bootTimer);
          markReady({ bootMs: Number(frame.message.bootMs) || 0 });
        } else this.onFrame?.(frame);
      }
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.dead;
  }

  send(message: unknown): void {
    if (!this.dead) this.child.stdin!.write(encodeFrame(message));
  }

  /** SIGKILL to the whole process group (unshare, and the runner inside its namespaces). */
  kill(): void {
    if (this.dead || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      try {
        this.child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  /** The runner's own pid: the child of `unshare --fork`, or the spawned process itself. */
  private innerPid(): number | undefined {
    if (this.inner !== undefined || this.child.pid === undefined) return this.inner;
    try {
      const children = readFileSync(`/proc/${this.child.pid}/task/${this.child.pid}/children`, 'utf8').trim();
      if (!children) return this.child.pid;
      this.inner = Number(children.split(/\s+/)[0]);
    } catch {
      return undefined;
    }
    return this.inner;
  }

  /** CPU seconds used so far and resident memory, from /proc; undefined where /proc is unavailable. */
  usage(): { cpuSeconds: number; rssBytes: number } | undefined {
    const pid = this.innerPid();
    if (pid === undefined) return undefined;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      const rssPages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
      return { cpuSeconds: ticks / CLOCK_TICKS, rssBytes: rssPages * 4096 };
    } catch {
      return undefined;
    }
  }
}
