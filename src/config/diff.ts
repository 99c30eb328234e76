import { deepEqual } from './deep-equal.js';
import type { ServerConfig } from './types.js';

/** What changed between two server lists, matched by name. */
export interface ServerDiff {
  /** In `next` only, in `next` order. */
  added: ServerConfig[];
  /** In `prev` only, in `prev` order. */
  removed: ServerConfig[];
  /** In both but different (any field, `enabled` included); the `next` version, in `next` order. */
  changed: ServerConfig[];
  /** In both and deep-equal; the `next` version, in `next` order. */
  unchanged: ServerConfig[];
}

/**
 * Compare two normalised server lists by name, with deep equality on the whole ServerConfig.
 * Names are assumed unique within each list (normalised configs guarantee it).
 */
export function diffServers(prev: readonly ServerConfig[], next: readonly ServerConfig[]): ServerDiff {
  const before = new Map(prev.map((s) => [s.name, s]));
  const after = new Set(next.map((s) => s.name));
  const diff: ServerDiff = { added: [], removed: [], changed: [], unchanged: [] };
  for (const server of next) {
    const old = before.get(server.name);
    if (!old) diff.added.push(server);
    else (deepEqual(old, server) ? diff.unchanged : diff.changed).push(server);
  }
  diff.removed = prev.filter((s) => !after.has(s.name));
  return diff;
}
