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
    activity_retention_days: z.number().int().min(0).max(3650).default(30).describe('Activity records older than this many days are deleted by the background cleanup; 0 keeps everything'),
  })
  .strict();

export type Settings = z.infer<typeof SettingsSchema>;

/** The settings a fresh installation starts with. */
export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}
