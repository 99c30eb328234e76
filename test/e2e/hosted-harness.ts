/**
 * A gateway for hosted-tool tests: a bootstrap key, captured log lines, a REST client, keys with
 * chosen scopes, and a sandbox whose egress client resolves `*.test` names to a loopback HTTP server
 * the test runs (the real SSRF checks otherwise: only these names may reach loopback).
 */
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createEgressClient, createSandbox } from '../../src/hosted/index.js';
import { serveSwitchboard, type ServingSwitchboard } from '../../src/main.js';
import { config, tempDir } from './harness.js';

export const BOOTSTRAP = 'hosted-harness-bootstrap-key';

export interface Reply {
  status: number;
  text: string;
  body: any;
}

export interface HostedGateway extends ServingSwitchboard {
  logs: string[];
  /** The loopback API hosted tools call as `api.test:<port>` / `other.test:<port>`. */
  apiPort: number;
  /** Every request the loopback API received: path and X-Key header. */
  apiHits: { path: string; key: string | undefined }[];
  api(method: string, path: string, body?: unknown, key?: string | null): Promise<Reply>;
  key(scopes: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startHostedGateway(): Promise<HostedGateway> {
  const apiHits: HostedGateway['apiHits'] = [];
  const upstreamApi: Server = createServer((req, res) => {
    const key = req.headers['x-key'] as string | undefined;
    apiHits.push({ path: req.url ?? '', key });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ temp: 21, key }));
  });
  await new Promise<void>((r) => upstreamApi.listen(0, '127.0.0.1', r));
  const apiPort = (upstreamApi.address() as AddressInfo).port;
  const egress = createEgressClient({
    resolve: async (host) => (host.endsWith('.test') ? [{ address: '127.0.0.1', family: 4 }] : []),
    allowAddress: (address, port) => address === '127.0.0.1' && port === apiPort,
  });
  const dataDir = tempDir('sb-hosted-');
  const logs: string[] = [];
  const logger = pino({ level: 'trace' }, new Writable({ write: (chunk, _enc, cb) => (logs.push(String(chunk)), cb()) }));
  const sb = await serveSwitchboard({
    config: config([], { allowUnauthenticatedLoopback: false }),
    dataDir,
    host: '127.0.0.1',
    port: 0,
    env: { SWITCHBOARD_API_KEY: BOOTSTRAP },
    logger,
    pingIntervalMs: 0,
    sandbox: createSandbox({ poolSize: 1, egress }),
  });
  const api: HostedGateway['api'] = async (method, path, body, key = BOOTSTRAP) => {
    const res = await fetch(`${sb.url}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, text, body: parsed };
  };
  return {
    ...sb,
    logs,
    apiPort,
    apiHits,
    api,
    async key(scopes) {
      const r = await api('POST', '/api/keys', { name: `k-${scopes.join('-')}-${Math.random().toString(36).slice(2, 8)}`, scopes });
      if (r.status !== 201) throw new Error(`cannot make a key: ${r.status} ${r.text}`);
      return r.body.secret as string;
    },
    async stop() {
      await sb.close();
      await new Promise((r) => upstreamApi.close(r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
