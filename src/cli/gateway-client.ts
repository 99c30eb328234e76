import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SwitchboardConfig } from '../config/index.js';
import { serveSwitchboard, type HealthReport } from '../main.js';
import { SwitchboardError, type RawItem } from '../shared/index.js';
import { connectUpstream, type UpstreamConnection } from '../upstream/index.js';

/** A connection to a gateway, running elsewhere or started in this process for one command. */
export interface GatewayClient {
  readonly mode: 'remote' | 'in-process';
  health(): Promise<HealthReport>;
  mcp(): Promise<UpstreamConnection>;
  /** Call a REST API path (GET unless `init.method`) with the client's credentials; the JSON body and the status. */
  api(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

const NO_HOOKS = {
  onServerRequest: async (method: string): Promise<RawItem> => {
    throw new Error(`The CLI cannot answer ${method}`);
  },
  onNotification: () => undefined,
  onClosed: () => undefined,
};

/** Use the gateway at `url` when it answers /health; otherwise start one from `config` on a free port. */
export async function openGatewayClient(url: string, apiKey: string | undefined, config: SwitchboardConfig, dataDir: string): Promise<GatewayClient> {
  if (await answers(url)) return clientFor(url, apiKey, 'remote', async () => undefined);
  const scratch = mkdtempSync(join(tmpdir(), 'switchboard-cli-'));
  // A one-off bootstrap key known only to this process: the gateway requires credentials by default.
  const key = `sb-cli-${randomBytes(24).toString('base64url')}`;
  const sb = await serveSwitchboard({ config, dataDir: dataDir || scratch, host: '127.0.0.1', port: 0, env: { SWITCHBOARD_API_KEY: key } });
  await sb.settled(config.servers.reduce((m, s) => Math.max(m, s.timeoutMs), 10_000));
  return clientFor(sb.url, key, 'in-process', async () => {
    await sb.close();
    rmSync(scratch, { recursive: true, force: true });
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1500) });
    const body = (await res.json()) as { version?: unknown };
    return res.ok && typeof body.version === 'string';
  } catch {
    return false;
  }
}

function clientFor(url: string, apiKey: string | undefined, mode: GatewayClient['mode'], stop: () => Promise<void>): GatewayClient {
  let conn: UpstreamConnection | undefined;
  return {
    mode,
    async health() {
      const res = await fetch(`${url}/health`);
      return (await res.json()) as HealthReport;
    },
    async mcp() {
      try {
        conn ??= await connectUpstream(
          { name: 'gateway', transport: 'streamable-http', url: `${url}/mcp`, headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {}, args: [], env: {}, enabled: true, quarantined: false, timeoutMs: 120_000 },
          NO_HOOKS,
          undefined,
        );
      } catch (err) {
        throw refusal(err, url, apiKey) ?? err;
      }
      return conn;
    },
    async api(path, init = {}) {
      const headers: Record<string, string> = { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) };
      const res = await fetch(`${url}${path}`, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}), signal: AbortSignal.timeout(60_000) });
      return { status: res.status, body: (await res.json()) as unknown };
    },
    async close() {
      await conn?.close();
      await stop();
    },
  };
}

/** The HTTP status of a refused connection (401/403), looked up along the error's causes. */
function refusedStatus(err: unknown): number | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const status = (e as { status?: unknown }).status;
    if (status === 401 || status === 403) return status;
  }
  return undefined;
}

/**
 * A running gateway that refuses the CLI's credentials, said in the CLI user's terms (the gateway is
 * not an "upstream" to them) with what to do; undefined for any other failure.
 */
function refusal(err: unknown, url: string, apiKey: string | undefined): SwitchboardError | undefined {
  const status = refusedStatus(err);
  if (status === 403) return new SwitchboardError('SWB_AUTH_FORBIDDEN', `The gateway at ${url} refused the key in SWITCHBOARD_API_KEY for MCP (it lacks a scope this needs)`);
  if (status !== 401) return undefined;
  if (apiKey) return new SwitchboardError('SWB_AUTH_INVALID', `The gateway at ${url} refused the key in SWITCHBOARD_API_KEY (wrong, revoked or expired)`);
  return new SwitchboardError('SWB_AUTH_REQUIRED', `The gateway at ${url} requires credentials: set SWITCHBOARD_API_KEY to an API key (\`switchboard keys create\` prints one)`);
}
