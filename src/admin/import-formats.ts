import { SwitchboardError } from '../shared/index.js';
import { BACKUP_MARK, GENERIC_MARK } from './export-formats.js';

/** The formats an import recognises. */
export const IMPORT_FORMATS = ['backup', 'generic', 'claude', 'cursor', 'vscode', 'mcpproxy', 'mcphub'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What detection found: the format, and a document holding only the server sections. */
export interface DetectedImport {
  format: ImportFormat;
  /** `mcpServers` / `servers` / `mcp` sections, ready for the config normaliser. */
  serversDoc: Record<string, unknown>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Cursor writes remote servers as a bare `url`; Claude's tools always name the `type`. */
function claudeOrCursor(servers: Record<string, unknown>): 'claude' | 'cursor' {
  const remotes = Object.values(servers).filter((e) => isObject(e) && e['url'] !== undefined) as Record<string, unknown>[];
  return remotes.some((e) => e['type'] === undefined && e['transport'] === undefined) ? 'cursor' : 'claude';
}

/**
 * Recognise an import document: a Switchboard backup or generic export, Claude Desktop / Cursor
 * (`mcpServers` object), VS Code (`servers`, or `mcp.servers` from settings.json), MCPProxy (`mcpServers`
 * array) or McpHub's generic export (a bare array of server objects). Anything else is
 * SWB_IMPORT_FORMAT_UNKNOWN (422).
 */
export function detectImport(doc: unknown): DetectedImport {
  if (Array.isArray(doc)) return { format: 'mcphub', serversDoc: { mcpServers: doc } };
  if (!isObject(doc)) throw new SwitchboardError('SWB_IMPORT_FORMAT_UNKNOWN', `Cannot import ${doc === null ? 'null' : typeof doc}: expected a JSON object (or an array of servers)`);
  if (doc['format'] === BACKUP_MARK) return { format: 'backup', serversDoc: { mcpServers: doc['servers'] } };
  const sections = Object.fromEntries(['mcpServers', 'servers', 'mcp'].filter((k) => doc[k] !== undefined).map((k) => [k, doc[k]]));
  if (doc['format'] === GENERIC_MARK) return { format: 'generic', serversDoc: sections };
  const mcp = doc['mcpServers'];
  if (Array.isArray(mcp)) return { format: 'mcpproxy', serversDoc: sections };
  if (isObject(mcp)) return { format: claudeOrCursor(mcp), serversDoc: sections };
  if (isObject(doc['servers']) || (isObject(doc['mcp']) && doc['mcp']['servers'] !== undefined)) return { format: 'vscode', serversDoc: sections };
  throw new SwitchboardError('SWB_IMPORT_FORMAT_UNKNOWN', 'Cannot tell what this document is: it has no "mcpServers", "servers" or "mcp.servers" section and is not a Switchboard export', {
    keys: Object.keys(doc).slice(0, 20),
  });
}
