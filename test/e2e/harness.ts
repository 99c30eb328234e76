import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { defaultConfig } from '../../src/config/defaults.js';
import type { ServerConfig, SwitchboardConfig } from '../../src/config/types.js';
import { serveSwitchboard, type ServingSwitchboard } from '../../src/main.js';

export const ROOT = resolve(import.meta.dirname, '../..');
const pkg = (name: string) => join(ROOT, 'node_modules/@modelcontextprotocol', name, 'dist/index.js');

/** A stdio server entry in normalised form. */
export function stdioServer(name: string, command: string, args: string[], extra: Partial<ServerConfig> = {}): ServerConfig {
  return { name, transport: 'stdio', command, args, env: {}, headers: {}, enabled: true, quarantined: false, timeoutMs: 30_000, ...extra };
}

export const everything = (name = 'everything') => stdioServer(name, process.execPath, [pkg('server-everything'), 'stdio']);
export const memory = (name = 'memory', file?: string) => stdioServer(name, process.execPath, [pkg('server-memory')], file ? { env: { MEMORY_FILE_PATH: file } } : {});
export const filesystem = (name: string, dir: string) => stdioServer(name, process.execPath, [pkg('server-filesystem'), dir]);
// The fixture adds tools at run time; they are accepted as they come (tool pinning has its own tests).
export const dynamic = (name = 'dynamic') => stdioServer(name, process.execPath, ['--import', 'tsx', join(ROOT, 'test/fixtures/upstreams/dynamic-server.ts')], { cwd: ROOT, autoApproveToolChanges: true });

export function config(servers: ServerConfig[], over: Partial<SwitchboardConfig> = {}): SwitchboardConfig {
  return { ...defaultConfig(), servers, allowUnauthenticatedLoopback: true, ...over };
}

export interface Gateway extends ServingSwitchboard {
  dataDir: string;
  stop(): Promise<void>;
}

/** Start a gateway on a free loopback port with fast retries; waits until upstreams settle. */
export async function startGateway(cfg: SwitchboardConfig, opts: { env?: Record<string, string>; pingIntervalMs?: number } = {}): Promise<Gateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-'));
  const sb = await serveSwitchboard({ config: cfg, dataDir, host: '127.0.0.1', port: 0, env: opts.env ?? {}, pingIntervalMs: opts.pingIntervalMs ?? 0, retry: { baseMs: 100, capMs: 400 } });
  await sb.settled(30_000);
  return {
    ...sb,
    dataDir,
    async stop() {
      await sb.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ClientOptions {
  headers?: Record<string, string>;
  onSampling?: (params: any) => any;
  onElicitation?: (params: any) => any;
  roots?: { uri: string; name?: string }[];
}

/** An SDK client session to the gateway's /mcp, optionally answering sampling/elicitation/roots. */
export async function connectClient(url: string, opts: ClientOptions = {}): Promise<Client> {
  const caps: Record<string, object> = {};
  if (opts.onSampling) caps['sampling'] = {};
  if (opts.onElicitation) caps['elicitation'] = { form: {} };
  if (opts.roots) caps['roots'] = { listChanged: true };
  const client = new Client({ name: 'e2e', version: '1.0.0' }, { capabilities: caps });
  if (opts.onSampling) client.setRequestHandler('sampling/createMessage', async (req) => opts.onSampling!(req.params));
  if (opts.onElicitation) client.setRequestHandler('elicitation/create', async (req) => opts.onElicitation!(req.params));
  if (opts.roots) client.setRequestHandler('roots/list', async () => ({ roots: opts.roots! }));
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: opts.headers ?? {} } }));
  return client;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

/** server-everything in Streamable HTTP (or SSE) mode on a free port, as a remote upstream. */
export async function startHttpEverything(mode: 'streamableHttp' | 'sse'): Promise<{ url: string; proc: ChildProcess; stop(): void }> {
  const port = await freePort();
  const proc = spawn(process.execPath, [pkg('server-everything'), mode], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  await new Promise<void>((res, rej) => {
    const t = setTimeout(() => rej(new Error('HTTP upstream did not start')), 15_000);
    proc.stderr!.on('data', (d: Buffer) => {
      if (/listening|running/i.test(d.toString())) {
        clearTimeout(t);
        res();
      }
    });
  });
  return {
    url: `http://127.0.0.1:${port}/${mode === 'sse' ? 'sse' : 'mcp'}`,
    proc,
    stop: () => {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    },
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function textOf(result: any): string {
  return (result.content ?? []).filter((c: any) => c.type === 'text').map((c: any) => c.text).join('\n');
}
