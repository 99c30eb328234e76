import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { NO_ACTIVITY, type ActivityRecorder } from './activity/index.js';
import { createAdmin, type AdminService } from './admin/index.js';
import { registerApi } from './api/index.js';
import { createAuthenticator } from './auth/index.js';
import { createCatalog } from './catalog/index.js';
import { createEventBus, type EventBus } from './events/index.js';
import { type SwitchboardConfig, watchConfig, type ConfigWatcher } from './config/index.js';
import { GatewayCore, LegacySseEndpoint, StreamableHttpEndpoint } from './gateway/index.js';
import { buildHttpApp, isLoopbackHost } from './http/index.js';
import { SwitchboardError } from './shared/index.js';
import { openStore, type Store } from './store/index.js';
import { Upstreams, type UpstreamSupervisor } from './upstream/index.js';
import { VERSION } from './version.js';

export interface SwitchboardOptions {
  config: SwitchboardConfig;
  /** Watched for hot reload when given. */
  configPath?: string;
  dataDir: string;
  logger?: Logger;
  /** Environment consulted for SWITCHBOARD_API_KEY (defaults to process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Ping interval for upstream liveness checks (tests shorten it). */
  pingIntervalMs?: number;
  /** Retry tuning (tests shorten backoff). */
  retry?: { baseMs?: number; capMs?: number };
}

/** The running gateway, as the CLI and the tests hold it. */
export interface Switchboard {
  readonly core: GatewayCore;
  readonly upstreams: Upstreams;
  readonly store: Store;
  readonly events: EventBus;
  readonly activity: ActivityRecorder;
  readonly admin: AdminService;
  config(): SwitchboardConfig;
  /** Re-apply a configuration (what a config file edit does). */
  applyConfig(next: SwitchboardConfig): Promise<void>;
  /** Wait until every enabled server has left the starting state (or the timeout passes). */
  settled(timeoutMs?: number): Promise<void>;
  health(): HealthReport;
  close(): Promise<void>;
}

export interface ServingSwitchboard extends Switchboard {
  readonly url: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  version: string;
  uptime_s: number;
  sessions: number;
  servers: ReturnType<UpstreamSupervisor['status']>[];
}

/** Build the gateway core (catalogue, supervisors, MCP dispatch) without any listener. */
export async function createSwitchboard(opts: SwitchboardOptions): Promise<Switchboard> {
  const log = opts.logger ?? pino({ level: 'silent' });
  const store = await openStore(opts.dataDir);
  let config = opts.config;
  const catalog = createCatalog(config.gateway);
  const started = Date.now();
  // The core and the supervisors refer to each other through these callbacks; `core` is set below
  // before any upstream starts.
  let core!: GatewayCore;
  const upstreams = new Upstreams(
    {
      onListing: (server, listing) => {
        catalog.setSource(server, listing);
        void core.resubscribe(server);
      },
      onDown: (server) => catalog.removeSource(server),
      onStateChange: (server, state) => {
        log.info({ server, state }, 'upstream state');
        store.recordUpstreamState(server, state);
      },
      onServerRequest: (server, method, params, signal) => core.handleUpstreamRequest(server, method, params, signal),
      onNotification: (server, method, params) => core.handleUpstreamNotification(server, method, params),
    },
    { pingIntervalMs: opts.pingIntervalMs ?? 30_000, ...(opts.retry ? { retry: opts.retry } : {}) },
  );
  core = new GatewayCore({
    catalog,
    version: VERSION,
    prefixed: () => config.gateway.prefix === 'always',
    upstreams: {
      connection: (s) => upstreams.get(s)?.connection,
      timeoutMs: (s) => upstreams.get(s)?.config.timeoutMs ?? 60_000,
      prefix: (s) => prefixOf(upstreams.get(s)?.config ?? { name: s }),
      readyServers: () => upstreams.list().filter((u) => u.connection).map((u) => u.name),
    },
  });

  async function applyConfig(next: SwitchboardConfig): Promise<void> {
    config = next;
    catalog.configure(next.servers.map((s) => ({ name: s.name, prefix: prefixOf(s) })), next.gateway);
    const result = await upstreams.apply(next.servers);
    log.info(result, 'configuration applied');
  }
  catalog.configure(config.servers.map((s) => ({ name: s.name, prefix: prefixOf(s) })), config.gateway);
  const events = createEventBus();
  const activity = NO_ACTIVITY;
  const admin = createAdmin({
    store,
    upstreams,
    events,
    activity,
    logger: log,
    env: opts.env ?? process.env,
    config: () => config,
    ...(opts.configPath ? { configPath: opts.configPath } : {}),
    sessions: () => core.sessions.all().map((s) => ({ id: s.id, transport: s.transport, createdAt: new Date(s.createdAt).toISOString(), lastSeen: new Date(s.lastSeen).toISOString() })),
    mcp: {
      // Wired to the gateway's principal-aware operations by the policy-gate work.
      listTools: async () => [],
      callTool: async () => { throw new SwitchboardError('SWB_INTERNAL_ERROR', 'not wired yet'); },
      listResources: async () => [],
      readResource: async () => { throw new SwitchboardError('SWB_INTERNAL_ERROR', 'not wired yet'); },
      listPrompts: async () => [],
      getPrompt: async () => { throw new SwitchboardError('SWB_INTERNAL_ERROR', 'not wired yet'); },
    },
    startedAt: started,
  });

  return {
    core,
    upstreams,
    store,
    events,
    activity,
    admin,
    config: () => config,
    applyConfig,
    async settled(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until && upstreams.list().some((u) => u.state === 'starting' || (u.state === 'stopped' && u.config.enabled && !u.config.quarantined))) {
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    health() {
      const servers = upstreams.list().map((u) => u.status());
      const bad = servers.some((s) => s.health.admin_state === 'enabled' && s.health.level !== 'healthy');
      return { status: bad ? 'degraded' : 'ok', version: VERSION, uptime_s: Math.round((Date.now() - started) / 1000), sessions: core.sessions.size, servers };
    },
    async close() {
      await Promise.all(core.sessions.all().map((s) => core.closeSession(s.id)));
      await upstreams.stopAll();
      await store.close();
    },
  };
}

/** Start the gateway: listen first (so /health answers at once), then bring upstreams up. */
export async function serveSwitchboard(opts: SwitchboardOptions & { host?: string; port?: number }): Promise<ServingSwitchboard> {
  const log = opts.logger ?? pino({ level: 'silent' });
  const cfg = opts.config;
  const host = opts.host ?? cfg.http.host;
  const port = opts.port ?? cfg.http.port;
  const env = opts.env ?? process.env;
  const apiKeys = [cfg.apiKey, env['SWITCHBOARD_API_KEY']].filter((k): k is string => typeof k === 'string' && k !== '');
  if (!apiKeys.length && !isLoopbackHost(host)) {
    throw new SwitchboardError('SWB_AUTH_REQUIRED', `Refusing to listen on ${host} without an API key: set SWITCHBOARD_API_KEY or "apiKey" in the config, or bind to 127.0.0.1`);
  }
  if (!apiKeys.length && !cfg.allowUnauthenticatedLoopback) {
    log.warn('No API key configured: /mcp is open to every local process. Set SWITCHBOARD_API_KEY, or "allowUnauthenticatedLoopback": true to silence this.');
  }
  const sb = await createSwitchboard(opts);
  const streamable = new StreamableHttpEndpoint(sb.core, { idleTimeoutMs: 60 * 60_000 });
  const sse = new LegacySseEndpoint(sb.core, '/messages');
  const app = buildHttpApp({
    bindHost: host,
    allowedHosts: cfg.http.allowedHosts,
    allowedOrigins: cfg.http.allowedOrigins,
    maxBodyBytes: cfg.http.maxBodyBytes,
    apiKeys,
    faces: { streamable, sse },
    health: () => sb.health(),
  });
  const authenticate = createAuthenticator({ bootstrapKeys: apiKeys, openLoopback: apiKeys.length === 0 && isLoopbackHost(host) });
  await registerApi(app, { admin: sb.admin, authenticate });
  await app.listen({ host, port });
  const addr = app.server.address() as AddressInfo;
  const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  log.info({ url }, 'switchboard listening');
  await sb.applyConfig(cfg);

  let watcher: ConfigWatcher | undefined;
  if (opts.configPath) {
    watcher = watchConfig(
      opts.configPath,
      (next) => {
        log.info({ path: opts.configPath }, 'configuration changed; reloading');
        void sb.applyConfig(next);
      },
      (err) => log.error({ code: err.code, message: err.message }, 'configuration rejected; keeping the running one'),
      { initial: cfg },
    );
  }
  return {
    ...sb,
    url,
    async close() {
      watcher?.close();
      await sse.close();
      await streamable.close();
      await app.close();
      await sb.close();
    },
  };
}

function prefixOf(s: { name: string; alias?: string }): string {
  return s.alias ?? s.name;
}
