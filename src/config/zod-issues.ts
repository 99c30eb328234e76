import type { z } from 'zod';
import { issueAt, jsonTypeOf, type ConfigIssue, type PathSegment } from './issues.js';

type ZodIssue = z.core.$ZodIssue & { input?: unknown };

const TYPE_NAMES: Record<string, string> = { int: 'integer', record: 'object' };

/** Show a scalar input in a message, briefly; objects and arrays are named by type only. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return jsonTypeOf(value);
}

function invalidType(iss: Extract<ZodIssue, { code: 'invalid_type' }>): string {
  const expected = TYPE_NAMES[iss.expected] ?? iss.expected;
  const got = jsonTypeOf(iss.input);
  // Show the number itself where its type alone would not explain the problem (1.5, Infinity from 1e999).
  const shown = got === 'number' && (expected === 'integer' || expected === 'number') ? show(iss.input) : got;
  return `expected ${expected}, got ${shown}`;
}

function bound(kind: 'at least' | 'at most', origin: string, limit: number | bigint, inclusive: boolean): string {
  if (origin === 'string') return kind === 'at least' && limit === 1 ? 'must not be empty' : `must be ${kind} ${limit} characters`;
  if (origin === 'array') return `must have ${kind} ${limit} items`;
  const op = kind === 'at least' ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
  return `must be ${op} ${limit}`;
}

/** Turn one zod issue into a short, path-free problem description. */
function describe(iss: ZodIssue): string {
  switch (iss.code) {
    case 'invalid_type':
      return invalidType(iss);
    case 'too_small':
      return bound('at least', iss.origin, iss.minimum, iss.inclusive ?? true);
    case 'too_big':
      return bound('at most', iss.origin, iss.maximum, iss.inclusive ?? true);
    case 'invalid_value':
      return `expected one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')}; got ${show(iss.input)}`;
    case 'invalid_key':
      return `invalid key ${show(iss.input)}: ${iss.issues.map((i) => i.message).join('; ')}`;
    case 'invalid_format':
      return iss.message.startsWith('Invalid') ? `invalid ${iss.format}: got ${show(iss.input)}` : `${iss.message}; got ${show(iss.input)}`;
    default:
      return iss.message;
  }
}

/**
 * Convert zod's issues into ConfigIssues whose paths start at `base` (the location of the validated
 * value inside the whole document). Unknown keys in a strict object become one issue per key (with the
 * schema's own message when it set one).
 * Parse with `{ reportInput: true }` so messages can say what was found.
 */
export function fromZodIssues(issues: readonly ZodIssue[], base: readonly PathSegment[]): ConfigIssue[] {
  return issues.flatMap((iss) => {
    const path = [...base, ...(iss.path as PathSegment[])];
    if (iss.code === 'unrecognized_keys') {
      const message = iss.message.startsWith('Unrecognized') ? 'unknown key' : iss.message;
      return iss.keys.map((k) => issueAt([...path, k], message));
    }
    return [issueAt(path, describe(iss))];
  });
}
