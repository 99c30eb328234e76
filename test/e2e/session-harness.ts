/**
 * Real gateway processes (`switchboard serve`) that can be stopped and started again on the same port
 * and data dir, and a raw Streamable HTTP wire for sessions that move between them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.js';

export const PROTOCOL = '2025-11-25';
const pkg = (name: string) => join(ROOT, 'node_modules/@modelcontextprotocol', name, 'dist/index.js');

/** A config file with server-everything and the dynamic fixture (stdio), open on loopback. */
export function writeSessionConfig(dir: string, extra: Record<string, unknown> = {}): string {
  const path = join(dir, 'switchboard.json');
  const mcpServers = {
    everything: { command: process.execPath, args: [pkg('server-everything'), 'stdio'] },
    dynamic: { command: process.execPath, args: ['--import', 'tsx', join(ROOT, 'test/fixtures/upstreams/dynamic-server.ts')], cwd: ROOT },
    ...((extra['mcpServers'] as Record<string, unknown> | undefined) ?? {}),
  };
  writeFileSync(path, JSON.stringify({ allowUnauthenticatedLoopback: true, ...extra, mcpServers }, null, 2));
  return path;
}

export interface GatewayProcess {
  url: string;
  proc: ChildProcess;
  /** SIGTERM, and wait for the process to exit. */
  stop(): Promise<void>;
}

/** `switchboard serve` on 127.0.0.1:`port`; resolves once /health shows every server ready. */
export async function startGatewayProcess(opts: { configPath: string; dataDir: string; port: number; env?: Record<string, string>; servers?: number }): Promise<GatewayProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/run.ts'), 'serve', '--config', opts.configPath, '--data', opts.dataDir, '--host', '127.0.0.1', '--port', String(opts.port)], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, SWITCHBOARD_SESSION_SYNC_MS: '300', ...opts.env },
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const url = `http://127.0.0.1:${opts.port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`gateway exited early: ${stderr}`);
    try {
      const h = (await (await fetch(`${url}/health`)).json()) as { servers: { state: string }[] };
      if (h.servers.length >= (opts.servers ?? 2) && h.servers.every((s) => s.state === 'ready')) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > until) {
      proc.kill('SIGKILL');
      throw new Error(`gateway did not become ready: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    proc,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

export interface WireAnswer {
  status: number;
  sessionId: string | null;
  /** The JSON-RPC answer (from JSON or from the response's SSE stream). */
  message: any;
}

/** One JSON-RPC request over POST /mcp; the answer may come as JSON or on an SSE stream. */
export async function rpc(base: string, sid: string | undefined, id: number | string, method: string, params: Record<string, unknown> = {}, headers: Record<string, string> = {}, path = '/mcp'): Promise<WireAnswer> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(sid ? { 'mcp-session-id': sid, 'mcp-protocol-version': PROTOCOL } : {}), ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
  });
  const type = res.headers.get('content-type') ?? '';
  let message: any;
  if (type.includes('text/event-stream')) {
    const events = new SseReader(res);
    message = await events.nextMessage((m) => m.id === id, 15_000);
    await events.cancel();
  } else {
    message = type.includes('json') ? await res.json() : await res.text();
  }
  return { status: res.status, sessionId: res.headers.get('mcp-session-id'), message };
}

/** A notification over POST /mcp (202 expected). */
export async function notify(base: string, sid: string, method: string): Promise<number> {
  const res = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sid, 'mcp-protocol-version': PROTOCOL },
    body: JSON.stringify({ jsonrpc: '2.0', method }),
  });
  await res.body?.cancel();
  return res.status;
}

/** The session's standalone GET stream on one gateway. */
export async function openEvents(base: string, sid: string): Promise<{ status: number; events: SseReader | undefined }> {
  const res = await fetch(`${base}/mcp`, { method: 'GET', headers: { accept: 'text/event-stream', 'mcp-session-id': sid, 'mcp-protocol-version': PROTOCOL } });
  if (res.status !== 200) {
    await res.body?.cancel();
    return { status: res.status, events: undefined };
  }
  return { status: 200, events: new SseReader(res) };
}

/** Minimal SSE parsing for a fetch response: JSON-RPC messages from `data:` lines. */
export class SseReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buf = '';
  /** Every message seen so far, for assertions about what did not arrive. */
  readonly seen: any[] = [];

  constructor(res: Response) {
    this.reader = res.body!.getReader();
  }

  async nextMessage(match: (m: any) => boolean, timeoutMs = 5000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buf.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buf.slice(0, end);
        this.buf = this.buf.slice(end + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).replace(/^ /, ''))
          .join('\n');
        if (!data.trim()) continue;
        const m = JSON.parse(data);
        this.seen.push(m);
        if (match(m)) return m;
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching SSE message within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no matching SSE message within ${timeoutMs} ms`)), left))),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) throw new Error('SSE stream ended');
      this.buf += this.decoder.decode(chunk.value, { stream: true });
    }
  }

  cancel(): Promise<void> {
    return this.reader.cancel().catch(() => undefined);
  }
}

/** The same session id with one base64url character changed (still well-formed, no longer authentic). */
export function tamper(sid: string): string {
  const i = Math.floor(sid.length / 2);
  return sid.slice(0, i) + (sid[i] === 'A' ? 'B' : 'A') + sid.slice(i + 1);
}
