import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { ReadBuffer, SdkError, SdkErrorCode, serializeMessage, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { SwitchboardError } from '../shared/index.js';
import { ensureProcessReaper, isProcessGroupAlive, killProcessGroup, registerProcessGroup, waitForProcessGroupExit } from './process-reaper.js';
import { StderrLog } from './stderr-log.js';

/** How to launch one stdio upstream. */
export interface ProcessGroupStdioOptions {
  /** Executable; looked up on the PATH of the merged environment (no shell). */
  command: string;
  args?: string[];
  /** Merged over a minimal default environment (HOME, LOGNAME, PATH, SHELL, TERM, USER), never the gateway's whole env. */
  env?: Record<string, string>;
  cwd?: string;
  /** Receives the child's stderr; a private one is created when omitted. */
  stderrLog?: StderrLog;
  /** Called once when the child has exited and its group has been cleaned up, before `onclose`. */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** Time between SIGTERM and SIGKILL of the process group. Default 2000 ms. */
  killGraceMs?: number;
  /** Largest single JSON-RPC line accepted from the child. Default: the SDK's (10 MB). */
  maxBufferSize?: number;
}

type State = 'idle' | 'starting' | 'open' | 'closing' | 'closed';

/** Bound on waiting for a SIGKILLed group to vanish; only a process stuck in the kernel can outlast it. */
const KILL_WAIT_MS = 2000;
/** Bound on waiting for the pipes to drain once every writer is dead. */
const STDIO_DRAIN_MS = 200;

/** Whether `promise` settles within `ms`; the timer is cleared so it never holds the event loop open. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * MCP client transport over a child's stdin/stdout, like the SDK's StdioClientTransport, except that the
 * child leads its own process group (`detached: true`), the group is registered with the process reaper,
 * and stopping - or the child exiting by itself - terminates the whole group, grandchildren included.
 */
export class ProcessGroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];
  /** The child's stderr, line by line. */
  readonly stderrLog: StderrLog;

  private readonly options: ProcessGroupStdioOptions;
  private readonly readBuffer: ReadBuffer;
  private child: ChildProcess | undefined;
  private state: State = 'idle';
  private unregister: (() => void) | undefined;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private markExited!: () => void;
  private readonly exited = new Promise<void>((resolve) => (this.markExited = resolve));
  private markStdioClosed!: () => void;
  private readonly stdioClosed = new Promise<void>((resolve) => (this.markStdioClosed = resolve));
  private closing: Promise<void> | undefined;
  private groupGone = false;

  constructor(options: ProcessGroupStdioOptions) {
    this.options = options;
    this.stderrLog = options.stderrLog ?? new StderrLog();
    this.readBuffer = new ReadBuffer(options.maxBufferSize === undefined ? undefined : { maxBufferSize: options.maxBufferSize });
  }

  /** PID of the child, which is also its process group ID; undefined before start or if spawning failed. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The raw stderr stream (already consumed into {@link stderrLog}); its presence also marks this transport as stdio to the SDK. */
  get stderr(): Readable | null {
    return this.child?.stderr ?? null;
  }

  /** Spawn the child. Rejects (and reports through `onerror`) with a message naming the command if it cannot be started. */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error('ProcessGroupStdioTransport already started (Client.connect() calls start() itself)');
    this.state = 'starting';
    const { command, args = [], cwd } = this.options;
    if (cwd !== undefined && !statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) {
      throw this.failStart(new Error(`cwd ${JSON.stringify(cwd)} is not a directory`), `its working directory ${JSON.stringify(cwd)} does not exist or is not a directory`);
    }
    const env = { ...getDefaultEnvironment(), ...this.options.env };
    ensureProcessReaper();
    let child: ChildProcess;
    try {
      child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true, shell: false, windowsHide: true });
    } catch (err) {
      throw this.failStart(err);
    }
    this.child = child;
    // Registered in the same tick as spawn(), so from here on a gateway crash cannot orphan the group.
    if (child.pid !== undefined) this.unregister = registerProcessGroup(child.pid);
    child.stdout?.on('data', (chunk: Buffer) => this.onStdout(chunk));
    child.stdout?.on('error', (err) => this.onerror?.(err));
    child.stderr?.on('data', (chunk: Buffer) => this.stderrLog.append(chunk));
    child.stderr?.on('error', () => {});
    // EPIPE once the child is gone is expected; only report while the connection should be usable.
    child.stdin?.on('error', (err) => {
      if (this.state === 'open') this.onerror?.(err);
    });
    child.once('exit', (code, signal) => this.onChildExit(code, signal));
    child.once('close', () => this.markStdioClosed());
    return new Promise<void>((resolve, reject) => {
      child.once('spawn', () => {
        if (this.state === 'starting') this.state = 'open';
        resolve();
      });
      child.on('error', (err) => {
        if (child.pid === undefined) reject(this.failStart(err));
        else this.onerror?.(err);
      });
    });
  }

  /** Write one message; resolves at once if the pipe took it, otherwise once it has been flushed (backpressure). */
  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (this.state !== 'open' || !stdin?.writable) throw new SdkError(SdkErrorCode.NotConnected, 'Not connected');
    const json = serializeMessage(message);
    await new Promise<void>((resolve, reject) => {
      // The write callback fires once this chunk is flushed (or failed), so no 'drain' listeners pile up.
      const accepted = stdin.write(json, (err) => (err ? reject(err) : resolve()));
      if (accepted) resolve();
    });
  }

  /**
   * Stop the child: end its stdin, SIGTERM its process group, SIGKILL the group after `killGraceMs`.
   * Resolves once the child has exited and no member of its group is left alive.
   */
  async close(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') return this.closing;
    if (this.state === 'idle' || this.child?.pid === undefined) {
      this.state = 'closed';
      return;
    }
    this.state = 'closing';
    this.closing = this.shutdown(true);
    return this.closing;
  }

  private onStdout(chunk: Buffer): void {
    try {
      this.readBuffer.append(chunk);
    } catch (err) {
      this.onerror?.(err as Error);
      void this.close();
      return;
    }
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.readBuffer.readMessage();
      } catch (err) {
        this.onerror?.(err as Error); // The bad line has been consumed; carry on with the next.
        continue;
      }
      if (message === null) break;
      this.onmessage?.(message);
    }
  }

  private onChildExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exitInfo = { code, signal };
    this.markExited();
    // Checked right away: once the group is empty its PGID may be handed to someone else.
    if (this.child?.pid !== undefined && !isProcessGroupAlive(this.child.pid)) this.groupGone = true;
    if (this.state === 'starting' || this.state === 'open') {
      this.state = 'closing';
      this.closing = this.shutdown(false); // The child quit by itself; reap whatever it left in its group.
    }
  }

  private async shutdown(requested: boolean): Promise<void> {
    const child = this.child as ChildProcess & { pid: number };
    const pgid = child.pid;
    if (requested) {
      try {
        child.stdin?.end();
      } catch {
        // Already closed by the child.
      }
    }
    let gone = this.signalGroup('SIGTERM') ? await this.waitGone(pgid, this.options.killGraceMs ?? 2000) : true;
    if (!gone) gone = this.signalGroup('SIGKILL') ? await this.waitGone(pgid, KILL_WAIT_MS) : true;
    if (gone) this.unregister?.();
    else this.onerror?.(new Error(`Process group ${pgid} of ${JSON.stringify(this.options.command)} survived SIGKILL; left to the reaper`));
    await within(this.stdioClosed, STDIO_DRAIN_MS);
    // A process outside the group (one that called setsid) may still hold the pipes; stop listening anyway.
    child.stdin?.destroy();
    child.stdout?.destroy();
    child.stderr?.destroy();
    this.stderrLog.flush();
    this.readBuffer.clear();
    this.state = 'closed';
    if (this.exitInfo) this.options.onExit?.(this.exitInfo.code, this.exitInfo.signal);
    this.onclose?.();
  }

  /** Signal the group unless it is known to be gone; returns false if there was nothing left to signal. */
  private signalGroup(signal: NodeJS.Signals): boolean {
    const pgid = this.child?.pid;
    if (pgid === undefined || this.groupGone) return false;
    try {
      if (!killProcessGroup(pgid, signal)) this.groupGone = true;
    } catch (err) {
      this.onerror?.(err as Error);
    }
    return !this.groupGone || !this.exitInfo;
  }

  /** True once the leader has been reaped and no live member of its group remains, false after `ms`. */
  private async waitGone(pgid: number, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    if (!(await within(this.exited, ms))) return false;
    if (this.groupGone || (await waitForProcessGroupExit(pgid, Math.max(0, deadline - Date.now())))) this.groupGone = true;
    return this.groupGone;
  }

  private failStart(err: unknown, reason?: string): SwitchboardError {
    const { command } = this.options;
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      reason ??
      (code === 'ENOENT'
        ? 'command not found; is it installed and on the PATH given to the server?'
        : code === 'EACCES'
          ? 'permission denied; is it an executable file?'
          : (err as Error).message);
    const error = new SwitchboardError('SWB_UPSTREAM_UNAVAILABLE', `Cannot start upstream command ${JSON.stringify(command)}: ${why}`, { command, ...(code ? { errno: code } : {}) }, { cause: err });
    this.state = 'closed';
    this.onerror?.(error);
    return error;
  }
}
