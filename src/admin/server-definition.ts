import { z } from 'zod';
import { normaliseConfig, type ServerConfig, type TransportKind } from '../config/index.js';
import { SwitchboardError } from '../shared/index.js';

/** Server names and aliases: the config file's rule (1-64 letters, digits, `_`, `-`). */
export const SERVER_NAME = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of letters, digits, "_" and "-"');

/** Shown instead of env and header values that are not placeholders; sending it back keeps the stored value. */
export const MASK = '********';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The fields that define how to reach a server (the same meaning as a config-file entry). */
const definitionShape = {
  transport: z.enum(['stdio', 'sse', 'streamable-http', 'http']).optional().describe('Default: stdio with `command`, streamable-http (or sse for a URL ending in /sse) with `url`'),
  command: z.string().min(1).max(4096).optional().describe('Executable of a local (stdio) server'),
  args: z.array(z.string().max(16_384)).max(256).optional(),
  env: z.record(z.string().min(1).max(256), z.string().max(16_384)).optional().describe('Environment of a stdio server; values may use ${env:NAME} and ${secret:NAME}'),
  cwd: z.string().min(1).max(4096).optional(),
  url: z.string().min(1).max(4096).optional().describe('URL of a remote (SSE or Streamable HTTP) server'),
  headers: z.record(z.string().regex(HEADER_NAME, 'not a valid HTTP header name'), z.string().max(16_384)).optional(),
  alias: SERVER_NAME.optional().describe('Replaces the name as the tool-name prefix'),
  timeout_ms: z.number().int().min(1).max(2_147_483_647).optional(),
  session_scope: z.enum(['caller', 'shared']).optional().describe('Remote servers: one upstream session per caller identity (caller, the default) or one for everyone (shared)'),
  description: z.string().max(2000).optional(),
};

/** PUT body: a full definition (the name is in the path). */
export const ServerDefinitionInput = z.strictObject({ ...definitionShape, enabled: z.boolean().optional() });
export type ServerDefinitionInput = z.infer<typeof ServerDefinitionInput>;

/** POST body / `create` input: a definition with its name. */
export const ServerCreateInput = z.strictObject({ name: SERVER_NAME, ...definitionShape, enabled: z.boolean().optional() });
export type ServerCreateInput = z.infer<typeof ServerCreateInput>;

/** PATCH body: any subset; `null` clears an optional field. */
export const ServerPatchInput = z.strictObject({
  ...definitionShape,
  transport: definitionShape.transport.unwrap().nullable().optional(),
  command: definitionShape.command.unwrap().nullable().optional(),
  cwd: definitionShape.cwd.unwrap().nullable().optional(),
  url: definitionShape.url.unwrap().nullable().optional(),
  alias: SERVER_NAME.nullable().optional(),
  timeout_ms: definitionShape.timeout_ms.unwrap().nullable().optional(),
  session_scope: definitionShape.session_scope.unwrap().nullable().optional(),
  description: definitionShape.description.unwrap().nullable().optional(),
  enabled: z.boolean().optional(),
});
export type ServerPatchInput = z.infer<typeof ServerPatchInput>;

/** What the store keeps: a config-file style entry (camelCase `timeoutMs`), placeholders unexpanded. */
export interface Definition {
  transport?: string;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  alias?: string;
  timeoutMs?: number;
  sessionScope?: 'caller' | 'shared';
}

const DEFINITION_KEYS = ['transport', 'command', 'args', 'env', 'cwd', 'url', 'headers', 'alias'] as const;

/** The stored definition for an input. */
export function toDefinition(input: ServerDefinitionInput | ServerCreateInput): Definition {
  const def: Record<string, unknown> = {};
  for (const key of DEFINITION_KEYS) if (input[key] !== undefined) def[key] = input[key];
  if (input.timeout_ms !== undefined) def['timeoutMs'] = input.timeout_ms;
  if (input.session_scope !== undefined) def['sessionScope'] = input.session_scope;
  return compact(def);
}

/** Drop empty fields so equal definitions compare equal. */
function compact(def: Record<string, unknown>): Definition {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(def)) {
    if (v === undefined || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && v !== null && Object.keys(v).length === 0)) continue;
    out[key] = v;
  }
  return out as Definition;
}

/** Apply a PATCH to a stored definition; `null` clears a field. */
export function patchDefinition(def: Definition, patch: ServerPatchInput): Definition {
  const next: Record<string, unknown> = { ...def };
  for (const key of DEFINITION_KEYS) {
    const v = patch[key];
    if (v === null) delete next[key];
    else if (v !== undefined) next[key] = v;
  }
  if (patch.timeout_ms === null) delete next['timeoutMs'];
  else if (patch.timeout_ms !== undefined) next['timeoutMs'] = patch.timeout_ms;
  if (patch.session_scope === null) delete next['sessionScope'];
  else if (patch.session_scope !== undefined) next['sessionScope'] = patch.session_scope;
  // Switching between local and remote drops the other kind's fields rather than failing on them.
  const switched = (patch.url && patch.command === undefined && def.command) || (patch.command && patch.url === undefined && def.url);
  if (switched) {
    for (const k of patch.url ? ['command', 'args', 'env', 'cwd'] : ['url', 'headers', 'sessionScope']) delete next[k];
    if (patch.transport === undefined) delete next['transport'];
  }
  return compact(next);
}

/** Masked values sent back unchanged keep what is stored; any other masked value is an error. */
export function unmask(def: Definition, previous: Definition | undefined): Definition {
  const keep = (field: 'env' | 'headers') => {
    const map = def[field];
    if (!map) return undefined;
    return Object.fromEntries(
      Object.entries(map).map(([k, v]) => {
        if (v !== MASK) return [k, v];
        const old = previous?.[field]?.[k];
        if (old === undefined) throw new SwitchboardError('SWB_VALIDATION_FAILED', `${field}.${k} is the mask "${MASK}" but there is no stored value to keep`, { field: `${field}.${k}` });
        return [k, old];
      }),
    );
  };
  const env = keep('env');
  const headers = keep('headers');
  return { ...def, ...(env ? { env } : {}), ...(headers ? { headers } : {}) };
}

/** Values are shown when they only reference placeholders' names; literal values may be secrets. */
export function maskValues(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, /\$\{(secret|env):[^}]+\}/.test(v) ? v : MASK]));
}

export interface NormaliseContext {
  env: Readonly<Record<string, string | undefined>>;
  /** Relative `cwd` values resolve against it. */
  baseDir: string;
}

/**
 * Validate a definition the way the config file is validated and turn it into a ServerConfig.
 * Throws SWB_VALIDATION_FAILED with `details.issues` (paths relative to the definition).
 */
export function normaliseDefinition(name: string, def: Definition, ctx: NormaliseContext): ServerConfig {
  try {
    const cfg = normaliseConfig({ mcpServers: { [name]: def } }, { env: ctx.env, baseDir: ctx.baseDir });
    return cfg.servers[0]!;
  } catch (err) {
    if (!(err instanceof SwitchboardError) || err.code !== 'SWB_CONFIG_INVALID') throw err;
    const prefix = `mcpServers.${name}`;
    const issues = ((err.details?.['issues'] as { path: string; message: string }[]) ?? []).map((i) => ({
      path: i.path.startsWith(prefix) ? i.path.slice(prefix.length).replace(/^\./, '').replace(/\btimeoutMs\b/, 'timeout_ms') || '(root)' : i.path,
      message: i.message,
    }));
    throw new SwitchboardError('SWB_VALIDATION_FAILED', `Invalid server definition: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
}

/** The transport a definition names or implies, for display when it cannot be normalised. */
export function impliedTransport(def: Definition): TransportKind {
  if (def.command) return 'stdio';
  if (def.transport === 'sse' || /\/sse\/?$/.test(def.url ?? '')) return 'sse';
  return 'streamable-http';
}

/** JSON with sorted keys, so equal definitions compare equal whatever order their keys were written in. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) => (val && typeof val === 'object' && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => a.localeCompare(b))) : val));
}

/** Validate service input with a schema; SWB_VALIDATION_FAILED lists every issue (faces validate first, the CLI and MCP tools rely on this). */
export function parseInput<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  throw new SwitchboardError('SWB_VALIDATION_FAILED', `Invalid server: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
}
