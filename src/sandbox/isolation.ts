/**
 * The OS-level layers around a sandbox process, detected once per host: a network namespace (no
 * network at all), a PID namespace (no other process visible or signallable), an unprivileged user
 * (when the gateway runs as root), resource limits (CPU, open files, no core dumps) and Node's
 * permission model (read access to the Pyodide files and the runner only; no child processes,
 * workers, native addons or code generation from strings). Each is reported as a layer; a missing one
 * is said loudly rather than skipped silently.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { SandboxLayer } from './types.js';

/** What this host supports, probed once. */
export interface IsolationSupport {
  /** Flags for `unshare`, empty when no namespace could be created. */
  unshareFlags: string[];
  netns: boolean;
  pidns: boolean;
  /** Runs the sandbox as nobody (65534) through setpriv; only when the gateway is root. */
  dropUser: boolean;
  /** Why a root gateway could not drop to nobody (the layer's detail says it). */
  dropUserProblem?: string;
  prlimit: boolean;
  /** The Node flag that turns the permission model on (`--experimental-permission` on Node 20). */
  permissionFlag: string;
}

/** Files the sandbox process needs to read. */
export interface RuntimePaths {
  node: string;
  pyodideDir: string;
  runtimeDir: string;
  /** QuickJS (JavaScript tools): the core library, its FFI types and the WebAssembly variant; absent when not installed. */
  quickjs?: { coreDir: string; ffiDir: string; variantDir: string };
}

/** The package root of a resolved entry file (`<root>/dist/index.js`). */
const packageRoot = (entry: string) => dirname(dirname(entry));

function quickjsPaths(require: NodeRequire): RuntimePaths['quickjs'] {
  try {
    const core = require.resolve('quickjs-emscripten-core');
    const ffi = createRequire(core).resolve('@jitl/quickjs-ffi-types');
    const variant = createRequire(require.resolve('quickjs-emscripten')).resolve('@jitl/quickjs-wasmfile-release-sync');
    return { coreDir: packageRoot(core), ffiDir: packageRoot(ffi), variantDir: packageRoot(variant) };
  } catch {
    return undefined;
  }
}

const NOBODY = 65534;

let resolvedPaths: RuntimePaths | undefined;

/**
 * Where Pyodide, QuickJS and runner.mjs are read from by sandbox processes. Normally where they are
 * installed; but when the gateway runs as root (so sandboxes run as nobody) and nobody cannot read
 * them there — a checkout under a private directory, such as a 0700 home or mktemp directory — they
 * are copied once per gateway process into a fresh world-readable temp directory, as the snapshot is.
 */
export function runtimePaths(): RuntimePaths {
  if (resolvedPaths) return resolvedPaths;
  resolvedPaths = readableRuntime(installedRuntimePaths());
  return resolvedPaths;
}

/** `paths` as a sandbox running as nobody can read them: unchanged, or a world-readable copy. */
export function readableRuntime(paths: RuntimePaths): RuntimePaths {
  return isRoot() && nobodyCanRead('/') && !nobodyCanReadRuntime(paths) ? readableCopy(paths) : paths;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const DROP_TO_NOBODY = () => [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--'];
const nobodyCanRead = (path: string) => works('setpriv', [...DROP_TO_NOBODY(), 'test', '-r', path]);

/** One file of each tree the sandbox reads: if nobody can read these, it can read the rest. */
function nobodyCanReadRuntime(p: RuntimePaths): boolean {
  const files = [join(p.pyodideDir, 'pyodide.asm.wasm'), join(p.runtimeDir, 'runner.mjs'), ...(p.quickjs ? [join(p.quickjs.coreDir, 'package.json'), join(p.quickjs.variantDir, 'package.json')] : [])];
  return files.every(nobodyCanRead);
}

/** Copy the runtime into `<tmp>/switchboard-runtime-*` (node_modules layout kept, so bare imports resolve). */
function readableCopy(p: RuntimePaths): RuntimePaths {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-runtime-'));
  const modules = join(dir, 'node_modules');
  const copy = (from: string, name: string) => {
    const to = join(modules, name);
    cpSync(from, to, { recursive: true, dereference: true });
    return to;
  };
  const copied: RuntimePaths = {
    node: p.node,
    pyodideDir: copy(p.pyodideDir, 'pyodide'),
    runtimeDir: join(dir, 'runtime'),
    ...(p.quickjs
      ? { quickjs: { coreDir: copy(p.quickjs.coreDir, 'quickjs-emscripten-core'), ffiDir: copy(p.quickjs.ffiDir, '@jitl/quickjs-ffi-types'), variantDir: copy(p.quickjs.variantDir, '@jitl/quickjs-wasmfile-release-sync') } }
      : {}),
  };
  cpSync(p.runtimeDir, copied.runtimeDir, { recursive: true, dereference: true });
  // Readable by the unprivileged sandbox user, writable only by the gateway.
  openUp(dir);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return copied;
}

function openUp(path: string): void {
  if (statSync(path).isDirectory()) {
    chmodSync(path, 0o755);
    for (const name of readdirSync(path)) openUp(join(path, name));
  } else chmodSync(path, 0o644);
}

/** Where Pyodide and runner.mjs are installed (from src/ under tsx, or from the package root when compiled). */
function installedRuntimePaths(): RuntimePaths {
  const require = createRequire(import.meta.url);
  const pyodideDir = dirname(require.resolve('pyodide/package.json'));
  const beside = fileURLToPath(new URL('./runtime/', import.meta.url));
  const fromRoot = fileURLToPath(new URL('../../src/sandbox/runtime/', import.meta.url));
  const runtimeDir = existsSync(join(beside, 'runner.mjs')) ? beside : fromRoot;
  const quickjs = quickjsPaths(require);
  return { node: process.execPath, pyodideDir, runtimeDir: runtimeDir.replace(/\/$/, ''), ...(quickjs ? { quickjs } : {}) };
}

function works(command: string, args: string[]): boolean {
  try {
    const res = spawnSync(command, args, { stdio: 'ignore', timeout: 5000, env: {} });
    return res.status === 0;
  } catch {
    return false;
  }
}

let cached: IsolationSupport | undefined;

/** Probe the host once (a few short-lived processes) and remember the answer. */
export function detectIsolation(paths: RuntimePaths = runtimePaths()): IsolationSupport {
  if (cached) return cached;
  const root = isRoot();
  const candidates = [
    ...(root ? [['--net', '--pid', '--fork', '--kill-child']] : []),
    ['--user', '--map-root-user', '--net', '--pid', '--fork', '--kill-child'],
    ...(root ? [['--net']] : []),
    ['--user', '--map-root-user', '--net'],
  ];
  let unshareFlags: string[] = [];
  for (const flags of candidates) {
    if (works('unshare', [...flags, '--', 'true'])) {
      unshareFlags = flags;
      break;
    }
  }
  // nobody must also be able to run Node itself (a Node under a private directory, e.g. ~/.nvm, cannot).
  const dropUser = root && nobodyCanReadRuntime(paths) && works('setpriv', [...DROP_TO_NOBODY(), paths.node, '--version']);
  const dropUserProblem = root && !dropUser ? `nobody (65534) cannot run ${paths.node} or read the sandbox runtime (is Node installed under a private directory?)` : undefined;
  const major = Number(process.versions.node.split('.')[0]);
  cached = {
    unshareFlags,
    netns: unshareFlags.includes('--net'),
    pidns: unshareFlags.includes('--pid'),
    dropUser,
    ...(dropUserProblem ? { dropUserProblem } : {}),
    prlimit: works('prlimit', ['--cpu=5', '--', 'true']),
    permissionFlag: major >= 23 ? '--permission' : '--experimental-permission',
  };
  return cached;
}

/** Limits fixed when a process is spawned (the rest are applied per job inside the process). */
export interface SpawnLimits {
  cpuSeconds: number;
  maxOpenFiles: number;
}

/** The argv that starts one locked-down runner. */
export function sandboxCommand(
  support: IsolationSupport,
  paths: RuntimePaths,
  limits: SpawnLimits,
  runner: { snapshotFile?: string; mode: 'serve' | 'snapshot' },
): { command: string; args: string[] } {
  const node = [
    paths.node,
    support.permissionFlag,
    `--allow-fs-read=${paths.pyodideDir}/`,
    `--allow-fs-read=${paths.runtimeDir}/`,
    ...(runner.snapshotFile ? [`--allow-fs-read=${runner.snapshotFile}`] : []),
    ...(paths.quickjs ? [`--allow-fs-read=${paths.quickjs.coreDir}/`, `--allow-fs-read=${paths.quickjs.ffiDir}/`, `--allow-fs-read=${paths.quickjs.variantDir}/`] : []),
    '--disallow-code-generation-from-strings',
    '--max-old-space-size=256',
    '--no-warnings',
    join(paths.runtimeDir, 'runner.mjs'),
    paths.pyodideDir,
    paths.runtimeDir,
    runner.snapshotFile ?? '-',
    runner.mode,
    ...(paths.quickjs ? [paths.quickjs.coreDir, paths.quickjs.variantDir] : []),
  ];
  // Boot (Pyodide from a snapshot) costs about a second of CPU; RLIMIT_CPU is the backstop, the host
  // measures the job's own CPU precisely.
  const rlimits = support.prlimit ? ['prlimit', `--cpu=${limits.cpuSeconds + 10}`, `--nofile=${limits.maxOpenFiles}`, '--core=0', '--'] : [];
  const drop = support.dropUser ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--no-new-privs', '--'] : [];
  const argv = [...(support.unshareFlags.length ? ['unshare', ...support.unshareFlags, '--'] : []), ...drop, ...rlimits, ...node];
  return { command: argv[0]!, args: argv.slice(1) };
}

/** The layers as detected (the process-level probe in sandbox.ts confirms them from the inside). */
export function describeLayers(support: IsolationSupport, snapshot: boolean): SandboxLayer[] {
  return [
    { name: 'process', active: true, detail: 'a separate OS process per call, empty environment, stdio used only for framed IPC' },
    { name: 'fresh-interpreter', active: true, detail: snapshot ? 'one process per call, restored from a memory snapshot' : 'one process per call (cold start: no snapshot)' },
    { name: 'node-permission-model', active: true, detail: `${support.permissionFlag}: reads only Pyodide and the runner; no writes, child processes, workers, addons or eval` },
    { name: 'network-namespace', active: support.netns, detail: support.netns ? 'unshare --net: no interfaces but a down loopback; http goes through the host' : 'unavailable: unshare --net failed on this host' },
    { name: 'pid-namespace', active: support.pidns, detail: support.pidns ? 'unshare --pid: no other process is visible or can be signalled' : 'unavailable on this host' },
    { name: 'unprivileged-user', active: support.dropUser || support.unshareFlags.includes('--user'), detail: support.dropUser ? 'runs as nobody (65534)' : support.unshareFlags.includes('--user') ? 'an unprivileged user namespace' : `unavailable: runs as the gateway user${support.dropUserProblem ? `; ${support.dropUserProblem}` : ''}` },
    { name: 'resource-limits', active: support.prlimit, detail: support.prlimit ? 'prlimit: CPU, open files, no core dumps; memory capped on the WebAssembly heap' : 'unavailable: prlimit missing (memory and wall time are still enforced)' },
    { name: 'python-guard', active: true, detail: 'JS bridge, ctypes, os, sockets removed; whitelisted modules as facades; audit hook; introspection refused' },
  ];
}
