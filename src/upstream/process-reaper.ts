import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/*
 * Guarantees that upstream process groups die with the gateway, however the gateway dies.
 *
 * A single watchdog (`/bin/sh`, its own session via setsid, so terminal signals and group kills aimed
 * at the gateway miss it) reads "+PGID" / "-PGID" lines from a pipe whose only write end the gateway
 * holds. When the gateway dies - even by SIGKILL, which runs no JS at all - the kernel closes that end,
 * the watchdog reads EOF, SIGTERMs every group still registered, waits up to ~1 s, then SIGKILLs them.
 * Killing whole groups covers grandchildren, which PR_SET_PDEATHSIG (setpriv --pdeathsig) cannot.
 */
const WATCHDOG_SCRIPT = `
trap '' INT HUP PIPE
g=' '
while IFS= read -r l; do
  p=\${l#?}
  case $p in ''|0*|*[!0-9]*|1) continue;; esac
  case $l in
    +*) g="$g$p ";;
    -*) n=' '; for x in $g; do [ "$x" = "$p" ] || n="$n$x "; done; g=$n;;
  esac
done
[ "$g" = ' ' ] && exit 0
for x in $g; do kill -s TERM -- "-$x" 2>/dev/null; done
i=0
while [ $i -lt 10 ]; do
  a=; for x in $g; do kill -s 0 -- "-$x" 2>/dev/null && a=1; done
  [ -z "$a" ] && exit 0
  sleep 0.1; i=$((i + 1))
done
for x in $g; do kill -s KILL -- "-$x" 2>/dev/null; done
`;

const registered = new Set<number>();
let watchdog: ChildProcess | undefined;
let lastSpawnAt = 0;
let respawnTimer: NodeJS.Timeout | undefined;
let exitHookInstalled = false;

function assertPgid(pgid: number): void {
  // A bad value here would mean kill(-1) or kill(-ourGroup): refuse rather than risk it.
  if (!Number.isInteger(pgid) || pgid <= 1 || pgid === process.pid) throw new RangeError(`Refusing to manage process group ${pgid}`);
}

function send(line: string): void {
  const stdin = watchdog?.stdin;
  if (stdin && !stdin.destroyed && stdin.writable) stdin.write(line);
}

function spawnWatchdog(): void {
  lastSpawnAt = Date.now();
  let child: ChildProcess;
  try {
    child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT], { detached: true, stdio: ['pipe', 'ignore', 'ignore'], env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' } });
  } catch {
    return; // No watchdog possible; the process 'exit' hook still covers orderly exits.
  }
  watchdog = child;
  child.on('error', () => {});
  child.stdin?.on('error', () => {}); // EPIPE if it dies; handled by the 'exit' listener below.
  child.once('exit', () => {
    if (watchdog === child) watchdog = undefined;
    if (registered.size > 0) scheduleRespawn();
  });
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  for (const pgid of registered) send(`+${pgid}\n`);
}

function scheduleRespawn(): void {
  if (respawnTimer || watchdog) return;
  // Throttled so a watchdog that dies on start (e.g. sh missing) cannot become a fork loop.
  const wait = Math.max(0, lastSpawnAt + 1000 - Date.now());
  respawnTimer = setTimeout(() => {
    respawnTimer = undefined;
    if (!watchdog && registered.size > 0) spawnWatchdog();
  }, wait);
  respawnTimer.unref();
}

function onProcessExit(): void {
  // Orderly exit: signal now, synchronously. The watchdog sees EOF right after and escalates to SIGKILL.
  const signal = watchdog ? 'SIGTERM' : 'SIGKILL';
  for (const pgid of registered) {
    try {
      killProcessGroup(pgid, signal);
    } catch {
      // Nothing useful to do while exiting; the watchdog gets its turn.
    }
  }
}

/**
 * Start the watchdog now if it is not running. Call it before spawning a child so that registering the
 * child right after `spawn()` returns leaves no window in which a gateway crash would orphan it.
 */
export function ensureProcessReaper(): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', onProcessExit);
  }
  if (!watchdog && !respawnTimer) spawnWatchdog();
}

/**
 * Put a process group under the reaper: it is killed if the gateway exits or dies while registered.
 * Returns an idempotent unregister function; call it only once the group has no live member left,
 * because a registered PGID is signalled blindly and its number is reusable after the group is gone.
 */
export function registerProcessGroup(pgid: number): () => void {
  assertPgid(pgid);
  ensureProcessReaper();
  if (!registered.has(pgid)) {
    registered.add(pgid);
    send(`+${pgid}\n`);
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (registered.delete(pgid)) send(`-${pgid}\n`);
  };
}

/**
 * Send `signal` to every process of group `pgid`. Returns false if the group no longer exists
 * (ESRCH); other failures (EPERM) are thrown.
 */
export function killProcessGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  assertPgid(pgid);
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** Linux process state letter from /proc (`R`, `S`, `Z`, ...), or undefined if there is no such process. */
function procState(pid: number | string): { state: string; pgid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; fields resume after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', pgid: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

const isLive = (state: string): boolean => state !== 'Z' && state !== 'X' && state !== 'x';

/**
 * Whether group `pgid` still has a live (non-zombie) member. Zombies are dead: they only wait for
 * their parent (or init) to reap them, and they keep the PGID number from being reused meanwhile.
 */
export function isProcessGroupAlive(pgid: number): boolean {
  if (!killProcessGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true;
  const leader = procState(pgid);
  if (leader && leader.pgid === pgid && isLive(leader.state)) return true;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const name of entries) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const info = procState(name);
    if (info && info.pgid === pgid && isLive(info.state)) return true;
  }
  return false;
}

/** Resolve true once group `pgid` has no live member, or false after `timeoutMs`. Polls every 20 ms. */
export async function waitForProcessGroupExit(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isProcessGroupAlive(pgid)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(20, Math.max(1, deadline - Date.now()))));
  }
}

/** PID of the running watchdog, if any (diagnostics and tests). */
export function processReaperPid(): number | undefined {
  return watchdog?.pid;
}

/** PGIDs currently registered (diagnostics and tests). */
export function registeredProcessGroups(): number[] {
  return [...registered];
}
