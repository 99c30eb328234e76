import { DEFAULT_TIMEOUT_MS, type ServerConfig } from '../config/index.js';

/** What `GET /api/export?format=` accepts. */
export const EXPORT_FORMATS = ['generic', 'claude', 'vscode', 'cursor', 'backup'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Marks a generic export; the document is also a valid switchboard.json (unknown top-level keys are ignored). */
export const GENERIC_MARK = 'switchboard';
/** Marks a signed backup. */
export const BACKUP_MARK = 'switchboard-backup';

type Entry = Record<string, unknown>;

function nonEmpty<T extends object>(key: string, value: T | undefined): Entry {
  if (value === undefined) return {};
  return (Array.isArray(value) ? value.length : Object.keys(value).length) ? { [key]: value } : {};
}

function local(s: ServerConfig, withCwd: boolean): Entry {
  return { command: s.command, ...nonEmpty('args', s.args), ...nonEmpty('env', s.env), ...(withCwd && s.cwd ? { cwd: s.cwd } : {}) };
}

function remoteType(s: ServerConfig): string {
  return s.transport === 'sse' ? 'sse' : 'http';
}

/**
 * One server as a generic entry (MCPProxy's array form plus Switchboard's own fields): everything a
 * ServerConfig holds, defaults left out. `${env:...}` and `${secret:...}` references stay as written.
 */
export function genericEntry(s: ServerConfig): Entry {
  return {
    name: s.name,
    transport: s.transport,
    ...(s.transport === 'stdio' ? local(s, true) : { url: s.url, ...nonEmpty('headers', s.headers) }),
    ...(s.alias ? { alias: s.alias } : {}),
    ...(s.timeoutMs !== DEFAULT_TIMEOUT_MS ? { timeoutMs: s.timeoutMs } : {}),
    enabled: s.enabled,
    ...(s.quarantined ? { quarantined: true } : {}),
  };
}

/** Claude Desktop `mcpServers` (remote servers in the `type` + `url` form Claude's tools read). */
function claudeEntry(s: ServerConfig): Entry {
  const body = s.transport === 'stdio' ? local(s, false) : { type: remoteType(s), url: s.url, ...nonEmpty('headers', s.headers) };
  return { ...body, ...(s.enabled ? {} : { disabled: true }) };
}

/** Cursor `mcpServers`: remote servers by `url` alone (the type only when the URL would not say SSE). */
function cursorEntry(s: ServerConfig): Entry {
  if (s.transport === 'stdio') return { ...local(s, false), ...(s.enabled ? {} : { disabled: true }) };
  const saysSse = /\/sse\/?$/.test(s.url ?? '');
  const type = s.transport === 'sse' && !saysSse ? { type: 'sse' } : s.transport !== 'sse' && saysSse ? { type: 'http' } : {};
  return { url: s.url, ...type, ...nonEmpty('headers', s.headers), ...(s.enabled ? {} : { disabled: true }) };
}

/** VS Code `.vscode/mcp.json` `servers`, every entry with its `type`. */
function vscodeEntry(s: ServerConfig): Entry {
  const body = s.transport === 'stdio' ? { type: 'stdio', ...local(s, true) } : { type: remoteType(s), url: s.url, ...nonEmpty('headers', s.headers) };
  return { ...body, ...(s.enabled ? {} : { disabled: true }) };
}

/**
 * A client configuration file. Quarantined servers are left out: a client would run them directly,
 * past the approval they are waiting for.
 */
export function clientDocument(format: 'claude' | 'vscode' | 'cursor', servers: readonly ServerConfig[]): Entry {
  const usable = servers.filter((s) => !s.quarantined);
  const entry = format === 'claude' ? claudeEntry : format === 'cursor' ? cursorEntry : vscodeEntry;
  const map = Object.fromEntries(usable.map((s) => [s.name, entry(s)]));
  return format === 'vscode' ? { servers: map } : { mcpServers: map };
}

/** The generic Switchboard export: a valid switchboard.json in the array form, with a format mark. */
export function genericDocument(servers: readonly ServerConfig[], exportedAt: string, version: string): Entry {
  return { format: GENERIC_MARK, version: 1, switchboard_version: version, exported_at: exportedAt, mcpServers: servers.map(genericEntry) };
}
