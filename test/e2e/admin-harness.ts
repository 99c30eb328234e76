/**
 * A gateway for control-plane tests: a bootstrap key, captured log lines, a recorded REST client, keys
 * with chosen scopes, and a byte-level search of the data directory.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { SwitchboardConfig } from '../../src/config/types.js';
import { serveSwitchboard, type ServingSwitchboard } from '../../src/main.js';
import { tempDir } from './harness.js';
import { rmSync } from 'node:fs';

export const BOOTSTRAP = 'admin-harness-bootstrap-key';

export interface Reply {
  status: number;
  text: string;
  body: any;
  headers: Headers;
}

export interface AdminGateway extends ServingSwitchboard {
  dataDir: string;
  /** Every log line the gateway wrote (pino JSON, all levels). */
  logs: string[];
  /** The text of every response `api` received. */
  responses: string[];
  api(method: string, path: string, body?: unknown, opts?: { key?: string | null; raw?: string; contentType?: string }): Promise<Reply>;
  /** A new API key with these scopes, made through the API. */
  key(scopes: string[]): Promise<string>;
  stop(opts?: { keepDataDir?: boolean }): Promise<void>;
}

export async function startAdminGateway(cfg: SwitchboardConfig, opts: { env?: Record<string, string>; configPath?: string; dataDir?: string } = {}): Promise<AdminGateway> {
  const dataDir = opts.dataDir ?? tempDir('sb-admin-');
  const logs: string[] = [];
  const logger = pino({ level: 'trace' }, new Writable({ write: (chunk, _enc, cb) => (logs.push(String(chunk)), cb()) }));
  const sb = await serveSwitchboard({
    config: cfg,
    dataDir,
    host: '127.0.0.1',
    port: 0,
    env: { SWITCHBOARD_API_KEY: BOOTSTRAP, ...opts.env },
    logger,
    pingIntervalMs: 0,
    retry: { baseMs: 100, capMs: 400 },
    ...(opts.configPath ? { configPath: opts.configPath } : {}),
  });
  await sb.settled(30_000);
  const responses: string[] = [];
  const api: AdminGateway['api'] = async (method, path, body, o = {}) => {
    const key = o.key === undefined ? BOOTSTRAP : o.key;
    const payload = o.raw ?? (body === undefined ? undefined : JSON.stringify(body));
    const res = await fetch(`${sb.url}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(payload !== undefined ? { 'content-type': o.contentType ?? 'application/json' } : {}) },
      ...(payload !== undefined ? { body: payload } : {}),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    responses.push(text);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, text, body: parsed, headers: res.headers };
  };
  return {
    ...sb,
    dataDir,
    logs,
    responses,
    api,
    async key(scopes) {
      const r = await api('POST', '/api/keys', { name: `k-${scopes.join('-')}-${Math.random().toString(36).slice(2, 8)}`, scopes });
      if (r.status !== 201) throw new Error(`cannot make a key: ${r.status} ${r.text}`);
      return r.body.secret as string;
    },
    async stop(o = {}) {
      await sb.close();
      if (!o.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Files under `dir` whose bytes contain `needle` (UTF-8), as paths relative to `dir`. */
export function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const bytes = Buffer.from(needle, 'utf8');
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (readFileSync(p).includes(bytes)) found.push(p.slice(dir.length + 1));
    }
  };
  walk(dir);
  return found;
}

/** Assert an error envelope with this status and code. */
export function expectError(r: Reply, status: number, code: string): void {
  if (r.status !== status || r.body?.error?.code !== code) throw new Error(`expected ${status} ${code}, got ${r.status} ${r.text.slice(0, 400)}`);
}
