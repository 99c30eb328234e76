import { createHash } from 'node:crypto';

/** Longest name Switchboard exposes; longer ones get a deterministic hash suffix. */
export const MAX_EXPOSED_NAME = 64;

export interface NamingRules {
  prefix: 'always' | 'never';
  separator: string;
}

/** Characters MCP clients accept in tool names; anything else is replaced so the name stays usable. */
const UNSAFE = /[^A-Za-z0-9_.-]/g;
const UNSAFE_TEST = /[^A-Za-z0-9_.-]/;

/**
 * Shorten a name to MAX_EXPOSED_NAME, keeping it unique and stable: the suffix is a hash of the full
 * name, so the same long name always maps to the same short one, whatever else is in the catalogue.
 */
export function fitName(full: string): string {
  if (full.length <= MAX_EXPOSED_NAME && !UNSAFE_TEST.test(full)) return full;
  return `${full.replace(UNSAFE, '_').slice(0, MAX_EXPOSED_NAME - 9)}_${hash8(full)}`;
}

function hash8(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8);
}

/** The prefixed form of a name: `<serverPrefix><separator><name>`, fitted to the length limit. */
export function prefixedName(serverPrefix: string, name: string, rules: NamingRules): string {
  return fitName(`${serverPrefix}${rules.separator}${name}`);
}

export interface NameRequest {
  /** Server name or alias used as the prefix. */
  serverPrefix: string;
  /** Position of the server in the configuration; earlier servers win bare names. */
  serverOrder: number;
  name: string;
}

/**
 * Assign exposed names to items from several servers. With prefix "always" every name is prefixed.
 * With "never" names stay bare; when two servers offer the same name, the server earlier in the
 * configuration keeps the bare name and the others get the prefixed form, so adding a server later in
 * the file never renames what clients already use.
 */
export function assignNames<T extends NameRequest>(items: readonly T[], rules: NamingRules): Map<T, string> {
  const out = new Map<T, string>();
  if (rules.prefix === 'always') {
    for (const it of items) out.set(it, prefixedName(it.serverPrefix, it.name, rules));
    return out;
  }
  const owner = new Map<string, T>();
  for (const it of items) {
    const cur = owner.get(it.name);
    if (!cur || it.serverOrder < cur.serverOrder) owner.set(it.name, it);
  }
  const taken = new Set<string>();
  for (const it of items) {
    if (owner.get(it.name) === it) {
      const bare = fitName(it.name);
      out.set(it, bare);
      taken.add(bare);
    }
  }
  for (const it of items) {
    if (out.has(it)) continue;
    let name = prefixedName(it.serverPrefix, it.name, rules);
    // A prefixed fallback can itself collide with a bare name; keep it unique and deterministic.
    if (taken.has(name)) name = fitName(`${name}${rules.separator}${it.serverOrder}`);
    out.set(it, name);
    taken.add(name);
  }
  return out;
}
