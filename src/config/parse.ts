import { configInvalidError, issueAt, type ConfigIssue, type PathSegment } from './issues.js';
import { parseJsonText } from './json-text.js';
import { collectConfig, type NormaliseOptions } from './normalise.js';
import type { SwitchboardConfig } from './types.js';

/** Top-level keys whose contents Switchboard reads; repeated keys elsewhere (say, editor settings) are not our business. */
const OWN_KEYS = new Set(['mcpServers', 'servers', 'gateway', 'http', 'apiKey', 'allowUnauthenticatedLoopback', 'profiles']);

function isOwnPath(path: readonly PathSegment[]): boolean {
  const [top, second] = path;
  if (typeof top === 'string' && OWN_KEYS.has(top)) return true;
  return top === 'mcp' && (path.length === 1 || second === 'servers');
}

function duplicateKeyIssues(paths: readonly PathSegment[][]): ConfigIssue[] {
  return paths.filter(isOwnPath).map((path) => issueAt(path, 'key appears more than once in the same object (JSON keeps only the last)'));
}

/**
 * Parse `switchboard.json` text in any accepted format (Claude Desktop / Cursor `mcpServers` object,
 * MCPProxy `mcpServers` array, VS Code `servers` / `mcp.servers`, plus Switchboard's own settings)
 * into a normalised SwitchboardConfig.
 *
 * Throws SWB_CONFIG_UNREADABLE for invalid JSON (with line and column), and SWB_CONFIG_INVALID with
 * `details.issues: {path, message}[]` listing every problem otherwise.
 */
export function parseConfig(text: string, options: NormaliseOptions = {}): SwitchboardConfig {
  const doc = parseJsonText(text, options.source);
  const issues = duplicateKeyIssues(doc.duplicateKeys);
  const config = collectConfig(doc.value, options, issues);
  if (issues.length > 0 || !config) throw configInvalidError(issues, options.source);
  return config;
}
