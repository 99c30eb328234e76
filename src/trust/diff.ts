import { canonicalJson, type PinnedDefinition } from './fingerprint.js';

/** One difference between two definitions, at a JSON path (`inputSchema.properties.path.description`). */
export interface DefinitionChange {
  path: string;
  change: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What changed from `before` to `after`, down to the leaves of objects (arrays compare whole, as a
 * reordered enum or `required` list is one change). Paths are sorted, so the output is deterministic.
 */
export function diffDefinitions(before: PinnedDefinition | null, after: PinnedDefinition): DefinitionChange[] {
  const out: DefinitionChange[] = [];
  walk(before ?? {}, after, '', out);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function walk(a: unknown, b: unknown, path: string, out: DefinitionChange[]): void {
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const p = path ? `${path}.${key}` : key;
      if (!(key in b) || b[key] === undefined) out.push({ path: p, change: 'removed', before: a[key] });
      else if (!(key in a) || a[key] === undefined) out.push({ path: p, change: 'added', after: b[key] });
      else walk(a[key], b[key], p, out);
    }
    return;
  }
  if (canonicalJson(a) !== canonicalJson(b)) out.push({ path: path || '(root)', change: 'changed', before: a, after: b });
}
