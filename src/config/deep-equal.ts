import type { SwitchboardConfig } from './types.js';

function definedKeys(value: object): string[] {
  return Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
}

/**
 * Structural equality for JSON-like values (plain objects, arrays, primitives). Object key order is
 * irrelevant and a key holding `undefined` counts as absent; array order matters.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = definedKeys(ra);
  return keys.length === definedKeys(rb).length && keys.every((k) => deepEqual(ra[k], rb[k]));
}

/** Whether two normalised configurations are the same (what a reload compares). */
export function configsEqual(a: SwitchboardConfig, b: SwitchboardConfig): boolean {
  return deepEqual(a, b);
}
