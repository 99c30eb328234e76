import { z } from 'zod';
import { guard, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { GUARDED_ERRORS, page } from '../envelope.js';

/**
 * System reports: status, info, diagnostics, doctor, sessions, dashboard and detailed health. The
 * public, minimal `/health` lives in http/app.ts. Everything here needs the `read` scope.
 */

const TAG = 'system';
const Level = z.enum(['healthy', 'degraded', 'unhealthy']);
const Count = z.number().int();

const Status = z.object({
  status: z.literal('running'),
  version: z.string(),
  started_at: z.string(),
  uptime_s: Count,
  servers: z.object({ total: Count, connected: Count, quarantined: Count, disabled: Count, failing: Count }),
  tools: z.object({ total: Count }),
  sessions: z.object({ active: Count }),
});

const Info = z.object({
  name: z.literal('switchboard'),
  version: z.string(),
  node_version: z.string(),
  platform: z.string(),
  arch: z.string(),
  pid: Count,
  started_at: z.string(),
  data_dir: z.string(),
  config_path: z.string().nullable(),
  endpoints: z.object({ mcp: z.string(), sse: z.string(), api: z.string(), docs: z.string(), openapi: z.string(), events: z.string(), health: z.string() }),
});

const Diagnostics = z.object({
  generated_at: z.string(),
  version: z.string(),
  runtime: z.object({ node_version: z.string(), platform: z.string(), pid: Count, uptime_s: Count, rss_mb: z.number(), heap_used_mb: z.number() }),
  store: z.object({ path: z.string(), data_dir: z.string(), migrations: z.array(z.string()) }),
  config: z.object({ path: z.string().nullable(), file_servers: Count, prefix: z.string(), separator: z.string() }),
  servers: z.object({ total: Count, by_state: z.record(z.string(), Count) }),
  problems: z.array(z.object({ server: z.string(), state: z.string(), level: Level, summary: z.string(), detail: z.string(), action: z.string() })),
  conflicts: z.array(z.object({ name: z.string(), reason: z.string() })).describe('Config-file servers left out because a stored server has the name or tool prefix'),
  sessions: Count,
  pending_approvals: Count,
});

const Doctor = z.object({ ok: z.boolean(), checks: z.array(z.object({ check: z.string(), ok: z.boolean(), detail: z.string() })) });

const Session = z.object({ id: z.string(), transport: z.string(), caller: z.string().optional(), createdAt: z.string(), lastSeen: z.string() });
const PageQuery = z.object({ page: z.coerce.number().int().min(1).default(1), page_size: z.coerce.number().int().min(1).max(500).default(50) });

const Dashboard = z.object({
  uptime_s: Count,
  servers: z.object({
    total: Count,
    by_health: z.object({ healthy: Count, degraded: Count, unhealthy: Count }),
    by_admin_state: z.object({ enabled: Count, disabled: Count, quarantined: Count }),
  }),
  tools: z.object({ total: Count }),
  sessions: z.object({ active: Count }),
  approvals: z.object({ pending: Count.describe('Quarantined servers waiting for an admin') }),
});

const HealthDetail = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptime_s: Count,
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
  servers: z.array(z.object({ name: z.string(), state: z.string(), level: Level, admin_state: z.string(), summary: z.string() })),
});

const ServicesHealth = z.object({
  status: z.enum(['ok', 'degraded']),
  uptime_s: Count,
  servers_count: Count,
  servers_connected: Count,
  total_tools: Count,
  sessions: Count,
  cpu_percent: z.number().describe("The gateway process's CPU use since the previous sample, in % of one core"),
  load_average: z.array(z.number()),
  process_rss_mb: z.number(),
  memory_used_mb: z.number().describe('System memory in use'),
  memory_total_mb: z.number(),
  memory_percent: z.number(),
});

export function systemRoutes(app: ApiApp, deps: ApiDeps): void {
  const system = () => deps.admin.system;
  const read = { preHandler: guard(deps, 'read') };
  const doc = (summary: string, response: z.ZodType) => ({ tags: [TAG], summary, security: SECURED, response: { 200: response, ...GUARDED_ERRORS } });

  app.get('/api/v1/status', { ...read, schema: doc('Gateway status: uptime, server and tool counts', Status) }, async () => system().status());
  app.get('/api/info', { ...read, schema: doc('Version, runtime and endpoint addresses', Info) }, async (req) => system().info(`${req.protocol}://${req.host}`));
  app.get('/api/diagnostics', { ...read, schema: doc('Problems, conflicts and runtime details for troubleshooting', Diagnostics) }, async () => system().diagnostics());
  app.get('/api/doctor', { ...read, schema: doc('The checks of `switchboard doctor` on the running gateway', Doctor) }, async () => system().doctor());
  app.get('/api/dashboard', { ...read, schema: doc('Dashboard counts: servers by health and admin state, tools, sessions, pending approvals', Dashboard) }, async () => system().dashboard());
  app.get('/health/detail', { ...read, schema: doc('Detailed health: store and per-server state', HealthDetail) }, async () => system().healthDetail());
  app.get('/health/services', { ...read, schema: doc('Service health: uptime, server and tool counts, CPU and memory', ServicesHealth) }, async () => system().healthServices());
  app.get(
    '/api/sessions',
    { ...read, schema: { tags: [TAG], summary: 'Active MCP client sessions', security: SECURED, querystring: PageQuery, response: { 200: page(Session), ...GUARDED_ERRORS } } },
    async (req) => {
      const all = system().sessions();
      const { page: p, page_size } = req.query;
      return { items: all.slice((p - 1) * page_size, p * page_size), total: all.length, page: p, page_size, pages: Math.max(1, Math.ceil(all.length / page_size)) };
    },
  );
}
