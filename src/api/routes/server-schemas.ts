import { z } from 'zod';
import { UPSTREAM_STATES, type UpstreamState } from '../../upstream/index.js';

/** Response and request schemas of the servers route groups (kept apart so the route files stay readable). */

const Json = z.record(z.string(), z.unknown());
const STATES = UPSTREAM_STATES as [UpstreamState, ...UpstreamState[]];

export const NameParams = z.object({ name: z.string().min(1).max(128).describe('Server name') });

export const Health = z
  .object({
    level: z.enum(['healthy', 'degraded', 'unhealthy']),
    admin_state: z.enum(['enabled', 'disabled', 'quarantined']),
    summary: z.string(),
    detail: z.string(),
    action: z.string().describe('Suggested remediation: restart, enable, approve, set_secret, view_logs, wait, or empty'),
  })
  .describe('Health, derived from the state');

const Stamp = z.object({ by: z.string(), at: z.string() });

export const ServerView = z
  .object({
    name: z.string(),
    source: z.enum(['config', 'api']).describe('config: from the config file (read-only here); api: added through the API, CLI or an import'),
    description: z.string().nullable(),
    transport: z.enum(['stdio', 'sse', 'streamable-http']),
    command: z.string().nullable(),
    args: z.array(z.string()),
    env: z.record(z.string(), z.string()).describe('Values other than ${env:…}/${secret:…} placeholders are masked'),
    cwd: z.string().nullable(),
    url: z.string().nullable(),
    headers: z.record(z.string(), z.string()).describe('Values other than placeholders are masked'),
    alias: z.string().nullable(),
    timeout_ms: z.number().int(),
    session_scope: z.enum(['caller', 'shared']).nullable().describe('Remote servers: caller = one upstream session per caller identity, shared = one for everyone; null for stdio'),
    enabled: z.boolean(),
    quarantined: z.boolean(),
    quarantine: Stamp.extend({ reason: z.string() }).nullable(),
    approved: Stamp.nullable(),
    disabled_tools: z.array(z.string()),
    allowed_hosts: z.array(z.string()),
    state: z.enum(STATES),
    connected: z.boolean(),
    health: Health,
    tool_count: z.number().int(),
    resource_count: z.number().int(),
    prompt_count: z.number().int(),
    pid: z.number().int().nullable(),
    protocol_era: z.enum(['legacy', 'modern']).nullable().describe('Protocol era the connected upstream speaks: legacy (2025, initialize) or modern (2026-07-28, server/discover); null while not connected'),
    problem: z.string().nullable().describe('Why the server cannot start (invalid definition, missing secret)'),
    created_by: z.string().nullable(),
    created_at: z.string().nullable(),
    updated_at: z.string().nullable(),
  })
  .describe('Server');

export const ServerStatus = ServerView.extend({ protocol_version: z.string().nullable(), server_info: Json.nullable() }).describe('ServerStatus');

export const ListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(500).default(50),
  admin_state: z.enum(['enabled', 'disabled', 'quarantined']).optional().describe('Only servers in this admin state'),
});

export const Deleted = z.object({ deleted: z.string() });

export const QuarantineBody = z
  .object({
    quarantined: z.boolean().default(true).describe('false lifts the quarantine (the same as /approve)'),
    reason: z.string().max(500).optional(),
  })
  .nullish();

export const LogsQuery = z.object({ lines: z.coerce.number().int().min(1).max(1000).default(100) });
export const ServerLogs = z.object({
  server: z.string(),
  lines: z.array(z.object({ at: z.string(), line: z.string() })).describe("The tail of the process's stderr, oldest first"),
  dropped_lines: z.number().int(),
  events: z.array(z.object({ at: z.string(), state: z.string() })).describe('State changes, newest first'),
});

export const ServerTools = z.object({
  server: z.string(),
  connected: z.boolean(),
  tools: z.array(
    z.object({
      name: z.string().describe("The server's own tool name"),
      exposed_name: z.string().nullable().describe('The name on /mcp; null while disabled'),
      title: z.string().nullable(),
      description: z.string().nullable(),
      input_schema: Json.nullable(),
      disabled: z.boolean(),
    }),
  ),
  disabled_tools: z.array(z.string()),
});
export const DisabledToolsBody = z.object({ disabled_tools: z.array(z.string().min(1).max(256)).max(1000) });

export const TestBody = z.object({ timeout_ms: z.number().int().min(100).max(60_000).optional() }).nullish();
export const TestResult = z.object({
  status: z.enum(['ok', 'error']),
  connected: z.boolean(),
  elapsed_ms: z.number().int(),
  tools_count: z.number().int(),
  tools: z.array(z.object({ name: z.string(), description: z.string().nullable() })),
  server_info: Json.nullable(),
  error: z.string().nullable(),
});

export const InvokeBody = z.object({ tool_name: z.string().min(1).max(256).describe("The server's own tool name"), arguments: Json.default({}) });
export const InvokeResult = z.object({
  status: z.enum(['ok', 'error']).describe('error when the tool reported a failure (isError)'),
  server: z.string(),
  tool_name: z.string(),
  exposed_name: z.string(),
  elapsed_ms: z.number().int(),
  result: z.looseObject({ content: z.array(Json).optional(), structuredContent: Json.optional(), isError: z.boolean().optional() }),
});

export const AllowedHosts = z.object({ server: z.string(), allowed_hosts: z.array(z.string()) });
export const AllowedHostsBody = z.object({ allowed_hosts: z.array(z.string().min(1).max(300)).max(100).describe('host, host:port, *.domain or [IPv6]:port') });
export const AllowedHostBody = z.object({ host: z.string().min(1).max(300) });
export const AllowedHostQuery = z.object({ host: z.string().min(1).max(300) });

export const BulkResult = z.object({ action: z.enum(['enable_all', 'disable_all', 'restart_all', 'reconnect']), servers: z.array(z.string()).describe('The servers the action touched') });
