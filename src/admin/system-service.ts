import { arch, freemem, loadavg, platform, totalmem } from 'node:os';
import type { HealthLevel, UpstreamState } from '../upstream/index.js';
import { VERSION } from '../version.js';
import type { AdminDeps, SessionSummary } from './admin.js';
import { checkConfigFile, checkDataDir, checkSandboxLayers, checkServers, type DoctorReport } from './doctor.js';
import { sandboxLayers } from '../hosted/index.js';
import type { ServersService } from './servers-service.js';
import type { ServerConflict } from './server-set.js';

/** `GET /api/v1/status` (MCPProxy's shape, extended). */
export interface StatusReport {
  status: 'running';
  version: string;
  started_at: string;
  uptime_s: number;
  servers: { total: number; connected: number; quarantined: number; disabled: number; failing: number };
  tools: { total: number };
  sessions: { active: number };
}

export interface InfoReport {
  name: 'switchboard';
  version: string;
  node_version: string;
  platform: string;
  arch: string;
  pid: number;
  started_at: string;
  data_dir: string;
  config_path: string | null;
  endpoints: { mcp: string; sse: string; api: string; docs: string; openapi: string; events: string; health: string };
}

export interface Problem {
  server: string;
  state: UpstreamState;
  level: HealthLevel;
  summary: string;
  detail: string;
  action: string;
}

export interface Diagnostics {
  generated_at: string;
  version: string;
  runtime: { node_version: string; platform: string; pid: number; uptime_s: number; rss_mb: number; heap_used_mb: number };
  store: { path: string; data_dir: string; migrations: string[] };
  config: { path: string | null; file_servers: number; prefix: string; separator: string };
  servers: { total: number; by_state: Record<string, number> };
  problems: Problem[];
  conflicts: ServerConflict[];
  sessions: number;
  pending_approvals: number;
}

export interface Dashboard {
  uptime_s: number;
  servers: {
    total: number;
    by_health: Record<HealthLevel, number>;
    by_admin_state: { enabled: number; disabled: number; quarantined: number };
  };
  tools: { total: number };
  sessions: { active: number };
  approvals: { pending: number };
}

export interface HealthDetail {
  status: 'ok' | 'degraded';
  version: string;
  uptime_s: number;
  checks: { name: string; ok: boolean; detail: string }[];
  servers: { name: string; state: UpstreamState; level: HealthLevel; admin_state: string; summary: string }[];
}

export interface ServicesHealth {
  status: 'ok' | 'degraded';
  uptime_s: number;
  servers_count: number;
  servers_connected: number;
  total_tools: number;
  sessions: number;
  /** The gateway process's CPU use since the previous sample, in % of one core. */
  cpu_percent: number;
  load_average: number[];
  process_rss_mb: number;
  memory_used_mb: number;
  memory_total_mb: number;
  memory_percent: number;
}

/** Status, info, diagnostics, doctor, sessions, dashboard and health reports over the running gateway. */
export interface SystemService {
  status(): Promise<StatusReport>;
  /** `baseUrl` (e.g. `http://127.0.0.1:8080`) makes endpoint addresses absolute. */
  info(baseUrl?: string): InfoReport;
  diagnostics(): Promise<Diagnostics>;
  /** The checks of `switchboard doctor`, on this gateway's state. */
  doctor(): Promise<DoctorReport>;
  sessions(): SessionSummary[];
  dashboard(): Promise<Dashboard>;
  healthDetail(): Promise<HealthDetail>;
  healthServices(): Promise<ServicesHealth>;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export function createSystemService(deps: AdminDeps, servers: ServersService, requireAllLayers: () => boolean = () => true): SystemService {
  const uptime = () => Math.round((Date.now() - deps.startedAt) / 1000);
  const toolsTotal = () => deps.catalog.snapshot().tools.length;
  // The layers are probed once per process (a sandbox process is started to confirm them).
  const sandboxChecks = async () => checkSandboxLayers(await sandboxLayers(), requireAllLayers());
  let cpuSample = { usage: process.cpuUsage(), at: performance.now() };

  function cpuPercent(): number {
    const now = { usage: process.cpuUsage(), at: performance.now() };
    const used = now.usage.user - cpuSample.usage.user + (now.usage.system - cpuSample.usage.system);
    const wallUs = (now.at - cpuSample.at) * 1000;
    cpuSample = now;
    return wallUs > 0 ? Math.round((used / wallUs) * 1000) / 10 : 0;
  }

  async function degraded(): Promise<boolean> {
    return (await servers.list()).some((s) => s.health.admin_state === 'enabled' && s.health.level !== 'healthy');
  }

  return {
    async status() {
      const list = await servers.list();
      return {
        status: 'running',
        version: VERSION,
        started_at: new Date(deps.startedAt).toISOString(),
        uptime_s: uptime(),
        servers: {
          total: list.length,
          connected: list.filter((s) => s.connected).length,
          quarantined: list.filter((s) => s.quarantined).length,
          disabled: list.filter((s) => !s.enabled).length,
          failing: list.filter((s) => s.health.admin_state === 'enabled' && s.health.level === 'unhealthy').length,
        },
        tools: { total: toolsTotal() },
        sessions: { active: deps.sessions().length },
      };
    },

    info(baseUrl = '') {
      const at = (path: string) => `${baseUrl}${path}`;
      return {
        name: 'switchboard',
        version: VERSION,
        node_version: process.version,
        platform: platform(),
        arch: arch(),
        pid: process.pid,
        started_at: new Date(deps.startedAt).toISOString(),
        data_dir: deps.store.dataDir,
        config_path: deps.configPath ?? null,
        endpoints: { mcp: at('/mcp'), sse: at('/sse'), api: at('/api'), docs: at('/docs'), openapi: at('/docs/json'), events: at('/events'), health: at('/health') },
      };
    },

    async diagnostics() {
      const list = await servers.list();
      const byState: Record<string, number> = {};
      for (const s of list) byState[s.state] = (byState[s.state] ?? 0) + 1;
      const mem = process.memoryUsage();
      const config = deps.config();
      return {
        generated_at: new Date().toISOString(),
        version: VERSION,
        runtime: { node_version: process.version, platform: platform(), pid: process.pid, uptime_s: uptime(), rss_mb: mb(mem.rss), heap_used_mb: mb(mem.heapUsed) },
        store: { path: deps.store.path, data_dir: deps.store.dataDir, migrations: await deps.store.migrations() },
        config: { path: deps.configPath ?? null, file_servers: config.servers.length, prefix: config.gateway.prefix, separator: config.gateway.separator },
        servers: { total: list.length, by_state: byState },
        problems: list
          .filter((s) => s.problem !== null || (s.health.admin_state === 'enabled' && s.health.level !== 'healthy'))
          .map((s) => ({ server: s.name, state: s.state, level: s.health.level, summary: s.health.summary, detail: s.health.detail, action: s.health.action })),
        conflicts: await servers.conflicts(),
        sessions: deps.sessions().length,
        pending_approvals: list.filter((s) => s.quarantined).length,
      };
    },

    async doctor() {
      const { check: config } = await checkConfigFile(deps.configPath, deps.env);
      const checks = [config, await checkDataDir(deps.store), ...checkServers(await servers.list(), await servers.conflicts()), ...(await sandboxChecks())];
      return { ok: checks.every((c) => c.ok), checks };
    },

    sessions: () => deps.sessions(),

    async dashboard() {
      const list = await servers.list();
      const by_health: Record<HealthLevel, number> = { healthy: 0, degraded: 0, unhealthy: 0 };
      for (const s of list) by_health[s.health.level]++;
      return {
        uptime_s: uptime(),
        servers: {
          total: list.length,
          by_health,
          by_admin_state: {
            enabled: list.filter((s) => s.health.admin_state === 'enabled').length,
            disabled: list.filter((s) => s.health.admin_state === 'disabled').length,
            quarantined: list.filter((s) => s.health.admin_state === 'quarantined').length,
          },
        },
        tools: { total: toolsTotal() },
        sessions: { active: deps.sessions().length },
        approvals: { pending: list.filter((s) => s.quarantined).length },
      };
    },

    async healthDetail() {
      const list = await servers.list();
      const store = await checkDataDir(deps.store);
      const bad = list.filter((s) => s.health.admin_state === 'enabled' && s.health.level !== 'healthy');
      return {
        status: store.ok && bad.length === 0 ? 'ok' : 'degraded',
        version: VERSION,
        uptime_s: uptime(),
        checks: [
          { name: 'store', ok: store.ok, detail: store.detail },
          { name: 'servers', ok: bad.length === 0, detail: bad.length ? `not healthy: ${bad.map((s) => s.name).join(', ')}` : `${list.length} server(s)` },
          ...(await sandboxChecks()).map((c) => ({ name: c.check, ok: c.ok, detail: c.detail })),
        ],
        servers: list.map((s) => ({ name: s.name, state: s.state, level: s.health.level, admin_state: s.health.admin_state, summary: s.health.summary })),
      };
    },

    async healthServices() {
      const list = await servers.list();
      const total = totalmem();
      const used = total - freemem();
      return {
        status: (await degraded()) ? 'degraded' : 'ok',
        uptime_s: uptime(),
        servers_count: list.length,
        servers_connected: list.filter((s) => s.connected).length,
        total_tools: toolsTotal(),
        sessions: deps.sessions().length,
        cpu_percent: cpuPercent(),
        load_average: loadavg().map((l) => Math.round(l * 100) / 100),
        process_rss_mb: mb(process.memoryUsage().rss),
        memory_used_mb: mb(used),
        memory_total_mb: mb(total),
        memory_percent: Math.round((used / total) * 1000) / 10,
      };
    },
  };
}
