import { z } from 'zod';
import { PROFILE_NAME, ProfileSchema } from '../shared/index.js';
import { MAX_TIMEOUT_MS } from './defaults.js';
import { TRANSPORT_SPELLINGS } from './transport.js';

/** Server names and aliases: 1-64 characters of letters, digits, `_` and `-`. */
export const NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The tool-name separator: 1-4 characters of letters, digits, `_`, `.` and `-`. */
export const SEPARATOR_PATTERN = /^[A-Za-z0-9_.-]{1,4}$/;

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const NAME_RULE = 'must be 1-64 characters of letters, digits, "_" and "-"';

/** A strict object whose unknown-key issue lists the keys it knows. */
function strictSection<T extends z.core.$ZodLooseShape>(shape: T) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown key (expected one of: ${known})` : undefined),
  });
}

/** `gateway`: how tool names are prefixed. Our own section, so unknown keys are errors (they are typos). */
export const gatewaySchema = strictSection({
  prefix: z.enum(['always', 'never']).optional(),
  separator: z.string().regex(SEPARATOR_PATTERN, 'must be 1-4 characters of letters, digits, "_", "." and "-"').optional(),
  exposure: z
    .string()
    .regex(/^(?:all|search|profile:[A-Za-z0-9_-]{1,64})$/, 'must be "all", "search" or "profile:<name>"')
    .optional(),
});

/** `http`: the listener. Our own section, so unknown keys are errors. Port 0 picks a free port. */
export const httpSchema = strictSection({
  host: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65535).optional(),
  maxBodyBytes: z.number().int().min(1).optional(),
  allowedHosts: z.array(z.string().min(1)).optional(),
  allowedOrigins: z.array(z.string().min(1)).optional(),
});

/** Our top-level settings. Other top-level keys (server sections, `inputs`, editor settings) pass by. */
export const settingsSchema = z.object({
  gateway: gatewaySchema.optional(),
  http: httpSchema.optional(),
  apiKey: z.string().min(1).optional(),
  allowUnauthenticatedLoopback: z.boolean().optional(),
  /** Named tool profiles served on /mcp/p/<name>. */
  profiles: z.record(z.string().regex(PROFILE_NAME, 'profile names must be 1-64 characters of letters, digits, "_" and "-"'), ProfileSchema).optional(),
});

const transportSpelling = z.enum(TRANSPORT_SPELLINGS).nullish();
const stringMap = z.record(z.string(), z.string()).nullish();

/**
 * One server entry in any of the accepted formats. Unknown keys are ignored (configs are pasted from
 * other tools) and `null` counts as absent (some tools write it for empty fields).
 */
export const serverEntrySchema = z.object({
  command: z.string().min(1).nullish(),
  args: z.array(z.string()).nullish(),
  env: stringMap,
  cwd: z.string().min(1).nullish(),
  working_dir: z.string().min(1).nullish(),
  url: z.string().min(1).nullish(),
  headers: z.record(z.string().regex(HEADER_NAME, 'not a valid HTTP header name'), z.string()).nullish(),
  transport: transportSpelling,
  type: transportSpelling,
  protocol: transportSpelling,
  enabled: z.boolean().nullish(),
  disabled: z.boolean().nullish(),
  alias: z.string().regex(NAME_PATTERN, NAME_RULE).nullish(),
  quarantined: z.boolean().nullish(),
  timeoutMs: z.number().int().min(1).max(MAX_TIMEOUT_MS).nullish(),
  autoApproveToolChanges: z.boolean().nullish(),
  sessionScope: z.enum(['caller', 'shared']).nullish(),
});

export type ServerEntry = z.infer<typeof serverEntrySchema>;
export type Settings = z.infer<typeof settingsSchema>;
