import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { createActivityLog, type ActivityLog } from './activity/index.js';
import { createAdmin, type AdminService } from './admin/index.js';
import { registerApi } from './api/index.js';
import { createIdentity, type Identity } from './auth/index.js';
import { createCatalog } from './catalog/index.js';
import { createEventBus, type EventBus } from './events/index.js';
import { type SwitchboardConfig, watchConfig, type ConfigWatcher } from './config/index.js';
import { GatewayCore, LegacySseEndpoint, loadStateKeys, ModernEndpoint, parseExposure, SessionContinuity, StateSeal, StreamableHttpEndpoint } from './gateway/index.js';
import { buildHttpApp, checkHostAndOrigin, isCrossSiteOrigin, isLoopbackHost } from './http/index.js';
import { SwitchboardError } from './shared/index.js';
import { openStore, type Store } from './store/index.js';
import { Upstreams, type UpstreamSupervisor } from './upstream/index.js';
import { VERSION } from './version.js';
import type { Sandbox } from './hosted/index.js';
import { registerManagementTools } from './mcp-admin/index.js';

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
  /** Idle time and cap of per-caller upstream sessions (tests shorten the idle time). */
  callerPool?: { idleMs?: number; max?: number };
  /** The hosted-tool sandbox (tests pass one with their own egress client); created on first use otherwise. */
  sandbox?: Sandbox;
}

/** The running gateway, as the CLI and the tests hold it. */
export interface Switchboard {
  readonly core: GatewayCore;
  readonly upstreams: Upstreams;
  readonly store: Store;
  readonly events: EventBus;
  readonly activity: ActivityLog;
  readonly admin: AdminService;
  /** Users, logins, API keys, the admin token and the bootstrap keys. */
  readonly identity: Identity;
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
  const env = opts.env ?? process.env;
  const identity = await createIdentity({ repo: store.auth, dataDir: store.dataDir, env, bootstrapKeys: bootstrapKeys(opts.config, env), log });
  let config = opts.config;
  const catalog = createCatalog(config.gateway);
  const started = Date.now();
  const events = createEventBus();
  // Retention is read from the settings at every cleanup; `admin` exists long before the first one runs.
  const activity = createActivityLog({ repo: store.activity, events, logger: log, retentionDays: () => admin.settings.get().activity_retention_days });
  // The core and the supervisors refer to each other through these callbacks; `core` is set below
  // before any upstream starts.
  let core!: GatewayCore;
  const upstreams = new Upstreams(
    {
      // Listings reach the catalogue through the servers service, which hides disabled tools.
      onListing: (server, listing) => {
        admin.servers.publishListing(server, listing);
        void core.resubscribe(server);
        events.emit('tools.indexed', { server, tools: listing.tools.length, resources: listing.resources.length, prompts: listing.prompts.length });
      },
      onDown: (server) => admin.servers.sourceDown(server),
      onStateChange: (server, state) => {
        log.info({ server, state }, 'upstream state');
        store.recordUpstreamState(server, state);
        events.emit('servers.changed', { server, state });
      },
      onServerRequest: (server, method, params, signal, caller) => core.handleUpstreamRequest(server, method, params, signal, caller),
      onNotification: (server, method, params, caller) => core.handleUpstreamNotification(server, method, params, caller),
    },
    { pingIntervalMs: opts.pingIntervalMs ?? 30_000, ...(opts.retry ? { retry: opts.retry } : {}), ...(opts.callerPool ? { callerPool: opts.callerPool } : {}) },
  );
  core = new GatewayCore({
    catalog,
    activity,
    version: VERSION,
    prefixed: () => config.gateway.prefix === 'always',
    upstreams: {
      // Hosted servers and the management tools are in-process sources, reached the same way.
      connection: (s) => upstreams.get(s)?.connection ?? admin.sources.connection(s),
      timeoutMs: (s) => upstreams.get(s)?.config.timeoutMs ?? 60_000,
      prefix: (s) => prefixOf(upstreams.get(s)?.config ?? { name: s }),
      readyServers: () => upstreams.list().filter((u) => u.connection).map((u) => u.name),
    },
    // /mcp/search and /mcp/p/<name>: the admin's search index and profiles, read in memory.
    search: (caller, query, limit) => admin.search.find(caller, query, limit),
    profiles: { version: () => admin.profiles.version(), get: (name) => admin.profiles.get(name) },
    // Credentials and card numbers in tools/call arguments and results (settings, read per call).
    sensitiveData: () => admin.settings.get().sensitive_data,
  });

  async function applyConfig(next: SwitchboardConfig): Promise<void> {
    config = next;
    // The effective set is the file's servers plus stored ones, with admin state from the store:
    // computed in one place, so a reload cannot undo quarantine, disabling or disabled tools.
    await admin.servers.activate();
  }
  const admin = createAdmin({
    store,
    upstreams,
    catalog,
    events,
    activity,
    identity,
    logger: log,
    env,
    config: () => config,
    ...(opts.configPath ? { configPath: opts.configPath } : {}),
    applyConfig: (next) => applyConfig(next),
    sessions: () => core.sessions.all().map((s) => ({ id: s.id, transport: s.transport, caller: s.principal.name, createdAt: new Date(s.createdAt).toISOString(), lastSeen: new Date(s.lastSeen).toISOString() })),
    mcp: core.operations,
    startedAt: started,
    ...(opts.sandbox ? { sandbox: opts.sandbox } : {}),
  });
  // Secrets and settings are read once into memory; flags and `${secret:...}` resolve without I/O after this.
  await Promise.all([admin.secrets.ready, admin.settings.ready, admin.hosted.ready, admin.trust.ready, admin.profiles.ready]);
  admin.profiles.onChange((name) => core.profileChanged(name));
  const stopManagementTools = registerManagementTools(admin);

  return {
    core,
    upstreams,
    store,
    events,
    activity,
    admin,
    identity,
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
      stopManagementTools();
      await admin.servers.close();
      await admin.hosted.close();
      await upstreams.stopAll();
      await activity.close();
      await identity.close();
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
  const sb = await createSwitchboard(opts);
  const env = opts.env ?? process.env;
  // Secure by default: credentials are required unless this is a loopback bind and the config opens it.
  const openLoopback = () => isLoopbackHost(host) && sb.config().allowUnauthenticatedLoopback;
  if (!isLoopbackHost(host) && bootstrapKeys(cfg, env).length === 0 && !(await anyStoredCredential(sb))) {
    await sb.close();
    throw new SwitchboardError('SWB_AUTH_REQUIRED', `Refusing to listen on ${host} without an API key: set SWITCHBOARD_API_KEY or "apiKey" in the config, create an admin with \`switchboard admin create\`, or bind to 127.0.0.1`);
  }
  if (openLoopback()) log.warn('"allowUnauthenticatedLoopback" is on: requests without credentials from this machine act as the local operator.');
  const authenticateAny = sb.identity.authenticator({ openLoopback });
  // The local operator has no credentials a browser would have to attach, so a page on another site
  // could otherwise drive the REST API with "simple" requests (no preflight); such requests must sign in.
  const authenticate: typeof authenticateAny = async (creds) => {
    const who = await authenticateAny(creds);
    if (!(who instanceof SwitchboardError) && who.kind === 'local' && isCrossSiteOrigin(creds.headers, sb.config().http.allowedOrigins)) {
      return new SwitchboardError('SWB_HTTP_FORBIDDEN_ORIGIN', `Origin '${String(creds.headers.origin)}' may not act as the local operator; send credentials`);
    }
    return who;
  };
  const stateKeys = loadStateKeys(sb.store.dataDir, env);
  const modern = new ModernEndpoint(sb.core, {
    stateKeys,
    version: VERSION,
    ...positiveInt(env['SWITCHBOARD_SSE_KEEPALIVE_MS'], 'keepAliveMs'),
    ...positiveInt(env['SWITCHBOARD_INPUT_HOLD_MS'], 'holdMs'),
    onError: (err) => log.debug({ err: err.message }, '2026-era request refused'),
  });
  // Session ids are sealed under the same keys (bound to their own purpose): a restarted gateway, or a
  // replica with the same key and data dir, serves sessions it did not open.
  const continuity = new SessionContinuity({
    seal: new StateSeal(stateKeys),
    store: sb.store.sessions,
    ...positiveInt(env['SWITCHBOARD_SESSION_SYNC_MS'], 'syncIntervalMs'),
    onError: (err) => log.warn({ err: err.message }, 'session state could not be stored or read'),
  });
  const streamable = new StreamableHttpEndpoint(sb.core, { idleTimeoutMs: 60 * 60_000, modern, continuity });
  const sse = new LegacySseEndpoint(sb.core, '/messages');
  const app = buildHttpApp({
    bindHost: host,
    allowedHosts: cfg.http.allowedHosts,
    allowedOrigins: cfg.http.allowedOrigins,
    maxBodyBytes: cfg.http.maxBodyBytes,
    authenticate,
    faces: { streamable, sse },
    mcpExposure: () => parseExposure(sb.config().gateway.exposure),
    health: () => sb.health(),
  });
  await registerApi(
    app,
    { admin: sb.admin, authenticate },
    // The REST API gets the MCP endpoint's DNS-rebinding Host check; browser origins are CORS's business there.
    { checkHost: (headers) => checkHostAndOrigin(headers, { bindHost: host, allowedHosts: cfg.http.allowedHosts, allowedOrigins: ['*'] }) },
  );
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
        void sb
          .applyConfig(next)
          .then(() => sb.events.emit('config.reloaded', { path: opts.configPath, source: 'file' }))
          .catch((err: unknown) => log.error({ err: (err as Error).message }, 'applying the reloaded configuration failed'));
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
      await modern.close();
      await app.close();
      await sb.close();
    },
  };
}

/** An optional numeric tuning knob from the environment (ignored unless a positive integer). */
function positiveInt<K extends string>(text: string | undefined, key: K): { [P in K]?: number } {
  const n = Number(text);
  return (Number.isInteger(n) && n > 0 ? { [key]: n } : {}) as { [P in K]?: number };
}

function prefixOf(s: { name: string; alias?: string }): string {
  return s.alias ?? s.name;
}

/** SWITCHBOARD_API_KEY and the config's `apiKey`: full-access keys for scripts, CI and first-run setup. */
function bootstrapKeys(cfg: SwitchboardConfig, env: Readonly<Record<string, string | undefined>>): string[] {
  return [cfg.apiKey, env['SWITCHBOARD_API_KEY']].filter((k): k is string => typeof k === 'string' && k !== '');
}

/** Whether anyone could authenticate without a bootstrap key: a user, an API key or the admin token. */
async function anyStoredCredential(sb: Switchboard): Promise<boolean> {
  const auth = sb.store.auth;
  if ((await auth.countUsers()) > 0) return true;
  if ((await sb.identity.adminTokenStatus()).configured) return true;
  return (await auth.countActiveApiKeys(new Date().toISOString())) > 0;
}
