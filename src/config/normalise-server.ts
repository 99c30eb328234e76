import { resolve } from 'node:path';
import { DEFAULT_TIMEOUT_MS } from './defaults.js';
import { expandEnv, expandEnvValues, type EnvSource } from './expand-env.js';
import { issueAt, type ConfigIssue, type PathSegment } from './issues.js';
import { NAME_PATTERN, NAME_RULE, serverEntrySchema, type ServerEntry } from './schema.js';
import type { RawEntry } from './sources.js';
import { canonicalTransport, inferRemoteTransport, TRANSPORT_KEYS } from './transport.js';
import type { ServerConfig, TransportKind } from './types.js';
import { fromZodIssues } from './zod-issues.js';

/** What normalising a server needs besides the entry itself. */
export interface ServerContext {
  env: EnvSource;
  /** Relative `cwd` values are resolved against this directory. */
  baseDir: string;
  issues: ConfigIssue[];
}

type Declared = { key: string; kind: TransportKind };
/** The fields every server has, placed after the transport-specific ones. */
type Common = Pick<ServerConfig, 'enabled' | 'alias' | 'quarantined' | 'timeoutMs' | 'autoApproveToolChanges' | 'sessionScope'>;

/** The transport the entry names, if any; `transport`, `type` and `protocol` must agree. */
function declaredTransport(e: ServerEntry, path: PathSegment[], issues: ConfigIssue[]): Declared | undefined {
  let first: Declared | undefined;
  for (const key of TRANSPORT_KEYS) {
    const spelling = e[key];
    const kind = spelling == null ? undefined : canonicalTransport(spelling);
    if (kind === undefined) continue;
    if (first && first.kind !== kind) issues.push(issueAt([...path, key], `"${spelling}" conflicts with "${first.key}" (${first.kind})`));
    first ??= { key, kind };
  }
  return first;
}

/** Check that the entry is exactly one of local (command) or remote (url), consistent with its declared transport. */
function checkShape(e: ServerEntry, path: PathSegment[], declared: Declared | undefined, issues: ConfigIssue[]): boolean {
  const before = issues.length;
  if (e.command != null && e.url != null) {
    issues.push(issueAt(path, 'has both "command" and "url"; a server is either local (command, stdio) or remote (url)'));
  } else if (e.command == null && e.url == null) {
    issues.push(issueAt(path, 'needs "command" (a local stdio server) or "url" (a remote server)'));
  } else if (declared?.kind === 'stdio' && e.command == null) {
    issues.push(issueAt([...path, declared.key], 'transport "stdio" needs "command", but the entry has "url"'));
  } else if (declared && declared.kind !== 'stdio' && e.url == null) {
    issues.push(issueAt([...path, declared.key], `transport "${declared.kind}" needs "url", but the entry has "command"`));
  }
  return issues.length === before;
}

/** Reject non-empty fields that the server's kind would silently ignore. */
function checkUnusedFields(e: ServerEntry, path: PathSegment[], issues: ConfigIssue[]): void {
  const local = e.command != null;
  const unused: [keyof ServerEntry, boolean][] = local
    ? [
        ['headers', Object.keys(e.headers ?? {}).length > 0],
        // One process serves every caller; a process per caller would be another feature.
        ['sessionScope', e.sessionScope != null],
      ]
    : [['args', (e.args ?? []).length > 0], ['env', Object.keys(e.env ?? {}).length > 0], ['cwd', e.cwd != null], ['working_dir', e.working_dir != null]];
  for (const [key, present] of unused) {
    if (present) issues.push(issueAt([...path, key], local ? 'only used by remote (url) servers' : 'only used by local (command) servers'));
  }
}

function readCwd(e: ServerEntry, path: PathSegment[], issues: ConfigIssue[]): string | undefined {
  if (e.cwd != null && e.working_dir != null && e.cwd !== e.working_dir) {
    issues.push(issueAt([...path, 'working_dir'], `conflicts with "cwd" (${JSON.stringify(e.cwd)})`));
  }
  return e.cwd ?? e.working_dir ?? undefined;
}

function readEnabled(e: ServerEntry, path: PathSegment[], issues: ConfigIssue[]): boolean {
  if (e.enabled != null && e.disabled != null && e.enabled === e.disabled) {
    issues.push(issueAt([...path, 'disabled'], `contradicts "enabled": ${e.enabled}`));
  }
  return e.enabled ?? !(e.disabled ?? false);
}

function checkUrl(url: string, path: PathSegment[], issues: ConfigIssue[]): void {
  // A `${secret:...}` placeholder is expanded later; only the scheme can be checked now.
  if (url.includes('${secret:')) {
    if (!/^https?:\/\//i.test(url)) issues.push(issueAt(path, 'must be an http:// or https:// URL'));
    return;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return void issues.push(issueAt(path, 'not a valid URL'));
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    issues.push(issueAt(path, `must be an http:// or https:// URL, got ${parsed.protocol}//`));
  }
}

function buildLocal(name: string, e: ServerEntry, common: Common, path: PathSegment[], ctx: ServerContext): ServerConfig {
  const cwd = readCwd(e, path, ctx.issues);
  return {
    name,
    transport: 'stdio',
    command: e.command ?? '',
    args: (e.args ?? []).map((arg, i) => expandEnv(arg, [...path, 'args', i], ctx.env, ctx.issues)),
    env: expandEnvValues(e.env ?? {}, [...path, 'env'], ctx.env, ctx.issues),
    ...(cwd === undefined ? {} : { cwd: resolve(ctx.baseDir, cwd) }),
    headers: {},
    ...common,
  };
}

function buildRemote(name: string, e: ServerEntry, common: Common, path: PathSegment[], declared: Declared | undefined, ctx: ServerContext): ServerConfig {
  const before = ctx.issues.length;
  const url = expandEnv(e.url ?? '', [...path, 'url'], ctx.env, ctx.issues);
  if (ctx.issues.length === before) checkUrl(url, [...path, 'url'], ctx.issues);
  return {
    name,
    transport: declared?.kind ?? inferRemoteTransport(url),
    args: [],
    env: {},
    url,
    headers: expandEnvValues(e.headers ?? {}, [...path, 'headers'], ctx.env, ctx.issues),
    ...common,
  };
}

/**
 * Validate one raw entry and turn it into a ServerConfig. Every problem is added to `ctx.issues`;
 * the result is `undefined` when there was any. Cross-server rules (duplicates, prefixes) are not
 * checked here.
 */
export function normaliseServer(entry: RawEntry, ctx: ServerContext): ServerConfig | undefined {
  const { issues } = ctx;
  const before = issues.length;
  if (!NAME_PATTERN.test(entry.name)) issues.push(issueAt(entry.namePath, `invalid server name ${JSON.stringify(entry.name)}: ${NAME_RULE}`));
  const parsed = serverEntrySchema.safeParse(entry.value, { reportInput: true });
  if (!parsed.success) return void issues.push(...fromZodIssues(parsed.error.issues, entry.path));
  const e = parsed.data;
  const declared = declaredTransport(e, entry.path, issues);
  if (!checkShape(e, entry.path, declared, issues)) return undefined;
  checkUnusedFields(e, entry.path, issues);
  const common: Common = {
    enabled: readEnabled(e, entry.path, issues),
    ...(e.alias == null ? {} : { alias: e.alias }),
    quarantined: e.quarantined ?? false,
    timeoutMs: e.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(e.autoApproveToolChanges == null ? {} : { autoApproveToolChanges: e.autoApproveToolChanges }),
    ...(e.sessionScope == null ? {} : { sessionScope: e.sessionScope }),
  };
  const server =
    e.command != null
      ? buildLocal(entry.name, e, common, entry.path, ctx)
      : buildRemote(entry.name, e, common, entry.path, declared, ctx);
  return issues.length === before ? server : undefined;
}
