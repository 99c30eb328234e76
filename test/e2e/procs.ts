/**
 * Process-table views for leak tests, read straight from /proc (Linux): who is alive, who descends
 * from whom, who is in which process group. Zombies count as dead (they only wait to be reaped).
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  comm: string;
}

export function procInfo(pid: number | string): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; fields resume after the last ')'.
    const close = stat.lastIndexOf(')');
    const [state = '', ppid, pgid] = stat.slice(close + 2).split(' ');
    return { pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), state, comm: stat.slice(stat.indexOf('(') + 1, close) };
  } catch {
    return undefined;
  }
}

export function processTable(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = procInfo(name);
    if (info) out.push(info);
  }
  return out;
}

const live = (p: ProcInfo | undefined): boolean => p !== undefined && p.state !== 'Z' && p.state !== 'X';

/** Alive and not a zombie. */
export function isRunning(pid: number): boolean {
  return live(procInfo(pid));
}

/** Every process (zombies included) whose parent chain leads to `root`, found by walking ppids. */
export function descendants(root: number = process.pid): ProcInfo[] {
  const table = processTable();
  const children = new Map<number, ProcInfo[]>();
  for (const p of table) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  const out: ProcInfo[] = [];
  const queue = [root];
  while (queue.length) {
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c.pid);
    }
  }
  return out;
}

/** Live (non-zombie) members of process group `pgid`. */
export function groupMembers(pgid: number): ProcInfo[] {
  return processTable().filter((p) => p.pgid === pgid && live(p));
}

export function describeProcs(list: ProcInfo[]): string {
  return list.map((p) => `${p.pid}(${p.comm},ppid=${p.ppid},pgid=${p.pgid},${p.state})`).join(' ') || '(none)';
}

/** Last-resort cleanup for a test: SIGKILL each group that still has live members. */
export function killGroups(pgids: Iterable<number>): void {
  const own = procInfo(process.pid)?.pgid;
  for (const g of new Set(pgids)) {
    if (g > 1 && g !== process.pid && g !== own && groupMembers(g).length) {
      try {
        process.kill(-g, 'SIGKILL');
      } catch {
        /* gone meanwhile */
      }
    }
  }
}

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
