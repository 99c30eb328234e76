import picomatch from 'picomatch/posix.js';

/**
 * Allow-list globs. Every pattern matches a whole name, never a substring: `read*` matches
 * `read_graph` but not `unread`. The language is deliberately small — `*`, `?`, `**`, `[abc]`,
 * `{a,b}` — with no negation (`!x` is a literal `!`) and no extglobs, so an allow-list only ever
 * grants what its patterns spell out. Matching is case-sensitive, as MCP names are.
 */
const OPTIONS = { dot: true, nonegate: true, noextglob: true } as const;

type Matcher = (name: string) => boolean;

/** Compiled matchers by pattern; patterns come from a handful of keys, so the cache stays small. */
const compiled = new Map<string, Matcher>();
const MAX_COMPILED = 10_000;
const NOTHING: Matcher = () => false;

function matcher(pattern: string): Matcher {
  let m = compiled.get(pattern);
  if (m) return m;
  try {
    m = picomatch(pattern, OPTIONS) as Matcher;
  } catch {
    // An unusable pattern (empty, malformed) fails closed: it grants nothing.
    m = NOTHING;
  }
  if (compiled.size < MAX_COMPILED) compiled.set(pattern, m);
  return m;
}

/** Whether `name` matches any of the patterns as a whole. */
export function matchesAny(patterns: readonly string[], name: string): boolean {
  for (const p of patterns) if (matcher(p)(name)) return true;
  return false;
}

/**
 * Whether a pattern is usable in an allow-list (non-empty, compiles, no control characters). For the
 * faces that accept allow-lists, so a typo is refused when the key is created instead of silently
 * granting nothing later.
 */
export function isValidPattern(pattern: string): boolean {
  if (typeof pattern !== 'string' || pattern.trim() === '' || pattern.length > 256) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(pattern)) return false;
  return matcher(pattern) !== NOTHING;
}
