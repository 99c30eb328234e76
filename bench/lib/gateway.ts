import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerConfig, SwitchboardConfig } from '../../src/config/types.js';
import { startNode } from './procs.js';

/** Where the gateway is compiled to for the benchmark (gitignored; dist/ is left alone). */
export const benchDist = (root: string): string => join(root, 'bench', 'results', 'dist');

/** Compile src/ with the build tsconfig; type errors elsewhere are tolerated as long as JS is emitted. */
export function buildGateway(root: string): string {
  const out = benchDist(root);
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const res = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', out, '--sourceMap', 'false'], { cwd: root, encoding: 'utf8' });
  if (!existsSync(join(out, 'main.js'))) throw new Error(`gateway build failed:\n${res.stdout}${res.stderr}`);
  if (res.status !== 0) console.warn(`warning: tsc reported errors (JS was emitted anyway):\n${res.stdout.slice(0, 2000)}`);
  return out;
}

export const FIXTURE = 'bench/fixtures/echo-server.ts';

/** A stdio upstream running the echo fixture (through tsx, from the repository root). */
export function stdioServer(name: string, root: string): ServerConfig {
  return { ...base(name), transport: 'stdio', command: process.execPath, args: ['--import', 'tsx', FIXTURE, '--stdio'], cwd: root };
}

export function httpServer(name: string, url: string): ServerConfig {
  return { ...base(name), transport: 'streamable-http', url };
}

function base(name: string): Omit<ServerConfig, 'transport'> {
  return { name, args: [], env: {}, headers: {}, enabled: true, quarantined: false, timeoutMs: 30_000 };
}

export interface GatewayProc {
  /** The MCP endpoint, `<base>/mcp`. */
  url: string;
  pid: number;
  /** Upstream states once settled. */
  states: string[];
  /** Spawn to READY (listening and every upstream settled), ms. */
  startMs: number;
  /** Run a full garbage collection in the gateway and wait for it. */
  gc(): Promise<void>;
  stop(): Promise<void>;
}

/** Start the compiled gateway in its own process on 127.0.0.1 with a temp data dir. */
export async function startGateway(root: string, dist: string, servers: ServerConfig[], prefix: 'always' | 'never'): Promise<GatewayProc> {
  const dir = mkdtempSync(join(tmpdir(), 'swb-bench-'));
  const config: SwitchboardConfig = {
    servers,
    gateway: { prefix, separator: '__' },
    http: { host: '127.0.0.1', port: 0, maxBodyBytes: 4 * 1024 * 1024, allowedHosts: [], allowedOrigins: [] },
    allowUnauthenticatedLoopback: true,
  };
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(config));
  const t0 = performance.now();
  // BENCH_CPU_PROF=<dir>: write a V8 CPU profile of each gateway process there (on exit).
  const prof = process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_CPU_PROF']] : [];
  const p = await startNode([...prof, '--expose-gc', 'bench/gateway-proc.mjs', dist, configPath, join(dir, 'data')], root, 120_000);
  const startMs = performance.now() - t0;
  const states = JSON.parse(p.ready[1] ?? '[]') as string[];
  const stop = async () => {
    await p.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `${p.ready[0]}/mcp`, pid: p.pid, states, startMs, gc: () => p.ask('gc', 'GC'), stop };
}
