import { formatPath, issueAt, type ConfigIssue } from './issues.js';
import type { RawEntry } from './sources.js';
import type { GatewaySettings, ServerConfig } from './types.js';

/** A normalised server together with the raw entry it came from (for error paths). */
export interface PlacedServer {
  server: ServerConfig;
  entry: RawEntry;
}

/** A name may be defined once per file, whichever sections the definitions are in. */
export function checkDuplicateNames(entries: readonly RawEntry[], issues: ConfigIssue[]): void {
  const first = new Map<string, RawEntry>();
  for (const entry of entries) {
    const prev = first.get(entry.name);
    if (prev) issues.push(issueAt(entry.namePath, `duplicate server name "${entry.name}" (already defined at ${formatPath(prev.namePath)})`));
    else first.set(entry.name, entry);
  }
}

function describeOwner(owner: ServerConfig): string {
  return owner.alias === undefined ? `server "${owner.name}"` : `server "${owner.name}" (as its alias)`;
}

/**
 * With `prefix: "always"` every tool is exposed as `<alias ?? name><separator><tool>`, so each
 * prefix must be unique and must not contain the separator (the name then splits unambiguously at
 * the first separator). Duplicate names are reported by checkDuplicateNames, not again here.
 */
export function checkPrefixes(placed: readonly PlacedServer[], gateway: GatewaySettings, issues: ConfigIssue[]): void {
  if (gateway.prefix !== 'always') return;
  const owners = new Map<string, ServerConfig>();
  for (const { server, entry } of placed) {
    const prefix = server.alias ?? server.name;
    const where = server.alias === undefined ? entry.namePath : [...entry.path, 'alias'];
    if (prefix.includes(gateway.separator)) {
      issues.push(issueAt(where, `"${prefix}" contains the tool-name separator "${gateway.separator}"; set an "alias" without it or change "gateway.separator"`));
    }
    const owner = owners.get(prefix);
    if (!owner) owners.set(prefix, server);
    else if (owner.name !== server.name) issues.push(issueAt(where, `tool prefix "${prefix}" is already used by ${describeOwner(owner)}`));
  }
}
