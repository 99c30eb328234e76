/**
 * A gateway core behind a plain node:http server whose authentication the test supplies (a header
 * naming one of the test's principals), with an activity recorder that keeps everything in memory.
 * Real upstreams, real HTTP, real SDK clients — only the credential check is the test's own.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { ActivityRecorder, McpRequestOutcome, McpRequestStart, PolicyDecisionRecord } from '../../src/activity/index.js';
import { createCatalog } from '../../src/catalog/index.js';
import { defaultConfig } from '../../src/config/defaults.js';
import type { ServerConfig } from '../../src/config/types.js';
import { GatewayCore, LegacySseEndpoint, StreamableHttpEndpoint } from '../../src/gateway/index.js';
import type { Principal } from '../../src/shared/index.js';
import { Upstreams } from '../../src/upstream/index.js';

// The upstream entries are built here rather than taken from harness.ts, which pulls in the whole
// composition root: this gateway needs only the gateway, catalogue and upstream modules.
const pkg = (name: string) => join(resolve(import.meta.dirname, '../..'), 'node_modules/@modelcontextprotocol', name, 'dist/index.js');
const stdio = (name: string, args: string[], env: Record<string, string> = {}): ServerConfig => ({
  name,
  transport: 'stdio',
  command: process.execPath,
  args,
  env,
  headers: {},
  enabled: true,
  quarantined: false,
  timeoutMs: 30_000,
});
export const everythingServer = (): ServerConfig => stdio('everything', [pkg('server-everything'), 'stdio']);
export const memoryServer = (): ServerConfig => stdio('memory', [pkg('server-memory')], { MEMORY_FILE_PATH: join(mkdtempSync(join(tmpdir(), 'sb-gate-')), 'memory.jsonl') });

/** Everything recorded, in order. */
export class RecordingActivity implements ActivityRecorder {
  readonly requests: { start: McpRequestStart; outcome?: McpRequestOutcome }[] = [];
  readonly decisions: PolicyDecisionRecord[] = [];
  mcpRequest(start: McpRequestStart): (outcome: McpRequestOutcome) => void {
    const rec: { start: McpRequestStart; outcome?: McpRequestOutcome } = { start };
    this.requests.push(rec);
    return (outcome) => {
      rec.outcome = outcome;
    };
  }
  policyDecision(rec: PolicyDecisionRecord): void {
    this.decisions.push(rec);
  }
  adminChange(): void {}
  clear(): void {
    this.requests.length = 0;
    this.decisions.length = 0;
  }
}

export interface GateGateway {
  url: string;
  core: GatewayCore;
  activity: RecordingActivity;
  /** An SDK client whose requests carry `x-test-key: <key>`. */
  client(key: string): Promise<Client>;
  stop(): Promise<void>;
}

export const KEY_HEADER = 'x-test-key';

/** Start upstreams and the gateway; `principals` maps the `x-test-key` header value to a principal. */
export async function startGateGateway(servers: ServerConfig[], principals: Record<string, Principal>): Promise<GateGateway> {
  const cfg = defaultConfig();
  const catalog = createCatalog(cfg.gateway);
  const activity = new RecordingActivity();
  let core!: GatewayCore;
  const upstreams = new Upstreams(
    {
      onListing: (server, listing) => catalog.setSource(server, listing),
      onDown: (server) => catalog.removeSource(server),
      onStateChange: () => undefined,
      onServerRequest: (server, method, params, signal) => core.handleUpstreamRequest(server, method, params, signal),
      onNotification: (server, method, params) => core.handleUpstreamNotification(server, method, params),
    },
    { pingIntervalMs: 0, retry: { baseMs: 100, capMs: 400 } },
  );
  core = new GatewayCore({
    catalog,
    activity,
    version: 'test',
    prefixed: () => cfg.gateway.prefix === 'always',
    upstreams: {
      connection: (s) => upstreams.get(s)?.connection,
      timeoutMs: () => 30_000,
      prefix: (s) => s,
      readyServers: () => upstreams.list().filter((u) => u.connection).map((u) => u.name),
    },
  });
  catalog.configure(servers.map((s) => ({ name: s.name, prefix: s.name })), cfg.gateway);
  await upstreams.apply(servers);
  const until = Date.now() + 30_000;
  while (Date.now() < until && upstreams.list().some((u) => !u.connection)) await new Promise((r) => setTimeout(r, 25));

  const streamable = new StreamableHttpEndpoint(core, { idleTimeoutMs: 60_000 });
  const sse = new LegacySseEndpoint(core, '/messages');
  const http: Server = createServer((req, res) => {
    void (async () => {
      const principal = principals[String(req.headers[KEY_HEADER] ?? '')];
      if (!principal) return void res.writeHead(401).end();
      const url = new URL(req.url ?? '/', 'http://x');
      const body = await readJson(req);
      if (url.pathname === '/mcp') return streamable.handle(req, res, body, principal);
      if (url.pathname === '/sse' && req.method === 'GET') return sse.open(req, res, principal);
      if (url.pathname === '/messages' && req.method === 'POST') return sse.post(url.searchParams.get('sessionId') ?? undefined, body, res, principal);
      res.writeHead(404).end();
    })();
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: Client[] = [];
  return {
    url,
    core,
    activity,
    async client(key) {
      const c = new Client({ name: `gate-${key}`, version: '1.0.0' });
      await c.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { [KEY_HEADER]: key } } }));
      clients.push(c);
      return c;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await sse.close();
      await streamable.close();
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
      await Promise.all(core.sessions.all().map((s) => core.closeSession(s.id)));
      await upstreams.stopAll();
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}
