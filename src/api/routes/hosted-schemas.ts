import { z } from 'zod';

/** Response and parameter schemas of the hosted-tools and approvals route groups. */

const Json = z.record(z.string(), z.unknown());
const Via = z.enum(['api', 'mcp']).describe('api: REST, CLI or UI; mcp: the switchboard_* management tools');

export const HostedNameParams = z.object({ name: z.string().min(1).max(128).describe('Hosted server name') });
export const ToolIdParams = z.object({ id: z.string().min(1).max(64).describe('Tool id') });
export const VersionParams = ToolIdParams.extend({ version: z.coerce.number().int().min(1).describe('Version number') });
export const CompareQuery = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });
export const PageQuery = z.object({ page: z.coerce.number().int().min(1).default(1), page_size: z.coerce.number().int().min(1).max(500).default(100) });
export const LogsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
export const RequestIdParams = z.object({ id: z.string().min(1).max(64).describe('Request id') });
export const RequestStatusQuery = z.object({ status: z.enum(['pending', 'approved', 'rejected', 'revoked']).optional().describe('Default: every status'), server: z.string().min(1).max(128).optional() });

export const HostedServerView = z
  .object({
    name: z.string(),
    description: z.string().nullable(),
    running: z.boolean().describe('Running servers publish their approved tools to MCP clients'),
    allowed_hosts: z.array(z.string()),
    timeout_ms: z.number().int().nullable(),
    tools: z.object({ total: z.number().int(), approved: z.number().int(), listed: z.number().int() }),
    problem: z.string().nullable(),
    created_by: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .describe('A hosted server');

export const HostedToolView = z
  .object({
    id: z.string(),
    server: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    status: z.enum(['draft', 'pending_review', 'approved', 'rejected', 'revoked']),
    version: z.number().int(),
    input_schema: Json,
    code: z.string().optional().describe('Present where one tool is shown'),
    language: z.enum(['python', 'javascript']).describe('The language of the code: python (Pyodide) or javascript (QuickJS)'),
    kind: z.enum(['python', 'external']).describe('python: runs in the sandbox; external: imported, forwards to a tool of an external MCP source'),
    external: z.object({ source_id: z.string(), source: z.string().nullable(), tool: z.string().describe("The tool's name on the source") }).nullable(),
    listed: z.boolean().describe('Approved and its server running: MCP clients (the gate permitting) see it'),
    submitted_by: z.string().describe('kind:id of the principal whose change made the current code or publish request'),
    submitted_via: Via,
    review: z.object({ by: z.string(), at: z.string(), reason: z.string().nullable() }).nullable(),
    publish_requested_at: z.string().nullable(),
    publish_note: z.string().nullable(),
    created_by: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .describe('A hosted tool');

export const ToolVersionView = z.object({
  version: z.number().int(),
  note: z.string(),
  description: z.string().nullable(),
  input_schema: Json,
  language: z.enum(['python', 'javascript']),
  code: z.string().optional(),
  created_by: z.string(),
  created_at: z.string(),
});

export const CompareView = z.object({ tool_id: z.string(), from: z.number().int(), to: z.number().int(), diff: z.string().describe('Unified diff of the code (empty when equal)'), description_changed: z.boolean(), schema_changed: z.boolean() });

const Problem = z.object({ kind: z.string(), message: z.string(), line: z.number().int().optional(), col: z.number().int().optional() });
export const CodeCheckView = z.object({ valid: z.boolean(), errors: z.array(Problem), warnings: z.array(Problem), imports: z.array(z.string()), description: z.string().nullable(), input_schema: Json.nullable() });

export const TestRunView = z.object({
  ok: z.boolean(),
  tool_id: z.string(),
  version: z.number().int(),
  value: z.unknown().optional(),
  structured_content: Json.optional(),
  text: z.string().optional(),
  error: z.object({ kind: z.string(), message: z.string() }).optional(),
  stdout: z.string().describe('print() output, at most 10 KB'),
  duration_ms: z.number().int(),
});

export const ExecutionView = z.object({
  id: z.number().int(),
  at: z.string(),
  tool: z.string(),
  version: z.number().int(),
  mode: z.enum(['run', 'test']),
  caller: z.string(),
  ok: z.boolean(),
  duration_ms: z.number().int(),
  arguments: z.string().describe('JSON, secret values masked when redact_secrets_in_output is on'),
  result: z.string().nullable().describe('Truncated'),
  stdout: z.string(),
  error: z.string().nullable(),
});

export const RequestView = z
  .object({
    id: z.string(),
    kind: z.enum(['module', 'network']),
    server: z.string(),
    tool_id: z.string().nullable(),
    target: z.string().describe('The module name, or host[:port]'),
    justification: z.string(),
    status: z.enum(['pending', 'approved', 'rejected', 'revoked']),
    requested_by: z.string(),
    requested_via: Via,
    decided_by: z.string().nullable(),
    decided_at: z.string().nullable(),
    reason: z.string().nullable(),
    created_at: z.string(),
  })
  .describe('A module or network-access request');

const RequestCounts = z.object({ pending: z.number().int(), approved: z.number().int(), rejected: z.number().int(), revoked: z.number().int() });
export const StatsView = z.object({
  tools: z.object({ draft: z.number().int(), pending_review: z.number().int(), approved: z.number().int(), rejected: z.number().int(), revoked: z.number().int() }),
  modules: RequestCounts,
  network: RequestCounts,
  pending_total: z.number().int(),
});

export const ModulesView = z.object({ allowed: z.array(z.string()), defaults: z.array(z.string()), added: z.array(z.string()), always_forbidden_examples: z.array(z.string()) });

export const Deleted = z.object({ deleted: z.string() });
