import { z } from 'zod';

/** An exact browser origin (`https://app.example.com`, no path), or `*` (which never carries credentials). */
const Origin = z.string().refine(
  (o) => {
    if (o === '*') return true;
    try {
      return new URL(o).origin === o;
    } catch {
      return false;
    }
  },
  { message: 'must be "*" or an origin such as "https://app.example.com" (scheme, host and optional port; no path or trailing slash)' },
);

/** What the gateway does with credentials and card numbers it finds in tool-call arguments or results. */
export const SENSITIVE_DATA_MODES = ['off', 'detect', 'redact', 'block'] as const;
export type SensitiveDataMode = (typeof SENSITIVE_DATA_MODES)[number];

const SensitiveDataMode = z.enum(SENSITIVE_DATA_MODES);

/**
 * Scanning of tools/call traffic. `detect` is the default for both directions: calls are never broken
 * by a false positive, every finding is recorded (masked), and the activity log keeps redacted copies.
 */
const SensitiveDataSettings = z
  .object({
    arguments: SensitiveDataMode.default('detect').describe('off: no scan; detect: record findings; redact: replace matches before forwarding; block: refuse the call before it reaches the upstream'),
    results: SensitiveDataMode.default('detect').describe('off: no scan; detect: record findings; redact: replace matches before returning; block: withhold the result and fail the call'),
  })
  .strict();

/**
 * The one settings document. Flat, so every reader names a flag the same way (`settings.get().x`);
 * every field has a default, so `{}` is a complete document. The security policy is the first group.
 */
export const SettingsSchema = z
  .object({
    quarantine_config_servers: z.boolean().default(false).describe('Security policy: servers written in the config file start quarantined too, until an admin approves them'),
    auto_approve_tool_changes: z.boolean().default(false).describe("Security policy: when an approved server's tools change, accept the change without an admin"),
    login_max_attempts: z.number().int().min(1).max(1000).default(5).describe('Security policy: failed logins (per account and address) within the window before a lockout'),
    login_window_minutes: z.number().int().min(1).max(1440).default(15).describe('Security policy: window over which failed logins are counted'),
    login_lockout_minutes: z.number().int().min(1).max(10080).default(15).describe('Security policy: how long a locked-out login stays locked'),
    api_key_rate_limit_per_minute: z.number().int().min(0).max(1_000_000).default(600).describe('Security policy: requests per minute allowed for each API key or token on the REST API; 0 means no limit'),
    cors_allowed_origins: z.array(Origin).max(100).default([]).describe('Security policy: browser origins allowed to call the REST API (CORS); "*" allows any origin, never with credentials'),
    remote_tool_editing: z.boolean().default(false).describe('Security policy: the MCP management tools (switchboard_*) may create and edit hosted tools; off, they can only read'),
    tool_approval_mode: z.enum(['require_approval', 'auto_approve']).default('require_approval').describe('Security policy: require_approval keeps every hosted tool out of the catalogue until an admin approves it; auto_approve approves publish requests an admin makes through the REST API or CLI (never requests made through MCP)'),
    network_access_policy: z.enum(['allowlist', 'public']).default('allowlist').describe("Security policy: allowlist lets hosted tools reach only their server's allowed hosts and approved network requests; public adds any public host (private, loopback and metadata addresses stay blocked)"),
    module_approval_mode: z.enum(['require_approval', 'auto_approve']).default('require_approval').describe('Security policy: whether a module request needs an admin; always-forbidden modules are refused either way'),
    redact_secrets_in_output: z.boolean().default(true).describe("Security policy: mask a hosted server's secret values in execution logs (arguments, result, stdout, errors)"),
    test_before_approval: z.boolean().default(false).describe('Security policy: callers without the admin scope may test-run hosted tools that are not approved yet (admins always may)'),
    hosted_require_all_layers: z.boolean().default(true).describe('Security policy: refuse to run hosted tools when any sandbox isolation layer is unavailable on this host (see switchboard doctor)'),
    mcp_management_tools: z.boolean().default(false).describe('Security policy: offer the switchboard_* management tools to MCP clients (as the in-process server "switchboard", subject to key scopes and the policy gate)'),
    allowed_modules_extra: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'must be a Python module name')).max(500).default([]).describe('Python modules hosted tools may import beyond the default whitelist (admins extend it; tools can only request)'),
    log_retention_days: z.number().int().min(0).max(3650).default(30).describe('Hosted-tool execution logs older than this many days are deleted; 0 keeps everything'),
    sensitive_data: SensitiveDataSettings.default({ arguments: 'detect', results: 'detect' }).describe('Security policy: credentials (cloud and API keys, tokens, private keys, connection strings with a password) and card numbers in tool-call arguments and results: off | detect | redact | block, per direction'),
    activity_retention_days: z.number().int().min(0).max(3650).default(30).describe('Activity records older than this many days are deleted by the background cleanup; 0 keeps everything'),
  })
  .strict();

export type Settings = z.infer<typeof SettingsSchema>;

/** The settings a fresh installation starts with. */
export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}
