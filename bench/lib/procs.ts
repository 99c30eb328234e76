import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const live = new Set<ChildProcess>();

export interface Started {
  child: ChildProcess;
  pid: number;
  /** The words after READY on the child's first stdout line. */
  ready: string[];
  /** Write `line` to the child's stdin and wait for the stdout line `reply`. */
  ask(line: string, reply: string): Promise<void>;
  stop(): Promise<void>;
}

/** Spawn a node process and wait for its "READY …" stdout line (stderr is kept for error messages). */
export function startNode(args: string[], cwd: string, timeoutMs = 60_000): Promise<Started> {
  const child = spawn(process.execPath, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-4000)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return void live.delete(child);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    live.delete(child);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`timed out waiting for READY from ${args.join(' ')}`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`${err.message}\n${stderr}`));
    };
    const early = (code: number | null) => fail(new Error(`${args.join(' ')} exited with ${code}`));
    child.once('exit', early);
    const lines = createInterface({ input: child.stdout! });
    const ask = (line: string, reply: string) =>
      new Promise<void>((done) => {
        const onLine = (l: string) => l === reply && (lines.off('line', onLine), done());
        lines.on('line', onLine);
        child.stdin!.write(`${line}\n`);
      });
    lines.on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      child.off('exit', early);
      resolve({ child, pid: child.pid!, ready: line.split(' ').slice(1), ask, stop });
    });
  });
}

/** Kill whatever is still running (used on failure and by the watchdog). */
export function killAll(): void {
  for (const c of live) c.kill('SIGKILL');
  live.clear();
}

/** VmRSS of a process in bytes (0 when it is gone). */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Every live descendant of `pid` (children, grandchildren, …), from /proc/<n>/stat parent links. */
export function descendantsOf(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
    } catch {
      /* exited meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, pp] of parent) if (pp === p) out.push(child), walk(child);
  };
  walk(pid);
  return out;
}

/** CPU time (user + system) a process has used so far, in ms (from /proc/<pid>/stat, clock ticks of 10 ms). */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}
