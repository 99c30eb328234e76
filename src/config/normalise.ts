import { z } from 'zod';
import { defaultGateway, defaultHttp } from './defaults.js';
import { expandEnv, type EnvSource } from './expand-env.js';
import { configInvalidError, isPlainObject, issueAt, jsonTypeOf, type ConfigIssue, type PathSegment } from './issues.js';
import { normaliseServer } from './normalise-server.js';
import { settingsSchema } from './schema.js';
import { checkDuplicateNames, checkPrefixes, type PlacedServer } from './server-set.js';
import { collectEntries } from './sources.js';
import type { SwitchboardConfig } from './types.js';
import { fromZodIssues } from './zod-issues.js';

/** Options shared by parseConfig, normaliseConfig and loadConfigFile. */
export interface NormaliseOptions {
  /** Where `${env:NAME}` is looked up. Default: `process.env`. */
  env?: EnvSource;
  /** Directory relative `cwd` values are resolved against. Default: `process.cwd()`. */
  baseDir?: string;
  /** Named in error messages and `details.file` (usually the config file path). */
  source?: string;
}

function parsePart<T>(schema: z.ZodType<T>, value: unknown, path: PathSegment[], issues: ConfigIssue[]): T | undefined {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  issues.push(...fromZodIssues(result.error.issues, path));
  return undefined;
}

/**
 * Build the configuration, adding every problem to `issues` instead of throwing. The result is only
 * meaningful when no issues were added; it is `undefined` when the document is not an object.
 */
export function collectConfig(doc: unknown, options: NormaliseOptions, issues: ConfigIssue[]): SwitchboardConfig | undefined {
  if (!isPlainObject(doc)) {
    issues.push(issueAt([], `expected a JSON object, got ${jsonTypeOf(doc)}`));
    return undefined;
  }
  const env = options.env ?? process.env;
  const settings = parsePart(settingsSchema, doc, [], issues);
  const entries = collectEntries(doc, issues);
  checkDuplicateNames(entries, issues);
  const ctx = { env, baseDir: options.baseDir ?? process.cwd(), issues };
  const placed: PlacedServer[] = entries.flatMap((entry) => {
    const server = normaliseServer(entry, ctx);
    return server ? [{ server, entry }] : [];
  });
  const gateway = { ...defaultGateway(), ...settings?.gateway };
  if (settings) checkPrefixes(placed, gateway, issues);
  const apiKey = settings?.apiKey === undefined ? undefined : expandEnv(settings.apiKey, ['apiKey'], env, issues);
  return {
    servers: placed.map((p) => p.server),
    gateway,
    http: { ...defaultHttp(), ...settings?.http },
    ...(apiKey === undefined ? {} : { apiKey }),
    allowUnauthenticatedLoopback: settings?.allowUnauthenticatedLoopback ?? false,
    ...(settings?.profiles ? { profiles: settings.profiles } : {}),
  };
}

/**
 * Validate and normalise an already-parsed document (any accepted format) into a SwitchboardConfig.
 * Throws SWB_CONFIG_INVALID listing every problem found, each with its JSON path.
 */
export function normaliseConfig(doc: unknown, options: NormaliseOptions = {}): SwitchboardConfig {
  const issues: ConfigIssue[] = [];
  const config = collectConfig(doc, options, issues);
  if (issues.length > 0 || !config) throw configInvalidError(issues, options.source);
  return config;
}
