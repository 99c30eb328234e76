import picomatch from 'picomatch';

/** What a server or tool allow-list entry may contain: name characters and glob syntax, nothing else. */
const GLOB_CHARS = /^[A-Za-z0-9_.\-/:@*?[\]{},+]+$/;
const MAX_GLOB_LENGTH = 200;
export const MAX_GLOBS = 100;

/**
 * Check allow-list patterns. They are matched against whole names by the policy gate (so `github`
 * matches only `github`, never `github-enterprise`); here they must only be well-formed: non-empty,
 * no spaces or control characters, balanced brackets and braces. Returns the problems, one per bad entry.
 */
export function globProblems(patterns: readonly string[]): string[] {
  const problems: string[] = [];
  if (patterns.length > MAX_GLOBS) problems.push(`at most ${MAX_GLOBS} patterns`);
  for (const p of patterns) {
    if (p.length === 0 || p.length > MAX_GLOB_LENGTH) {
      problems.push(`'${p.slice(0, 40)}': must be 1-${MAX_GLOB_LENGTH} characters`);
      continue;
    }
    if (p.startsWith('!')) {
      // The gate has no negation; a leading ! would silently be a literal that matches nothing.
      problems.push(`'${p}': negation is not supported; list what the key may use instead`);
      continue;
    }
    if (!GLOB_CHARS.test(p)) {
      problems.push(`'${p}': only letters, digits, _ . - / : @ + and the glob characters * ? [ ] { } , are allowed`);
      continue;
    }
    if (!balanced(p)) {
      problems.push(`'${p}': unbalanced [ ] or { }`);
      continue;
    }
    try {
      picomatch.makeRe(p, { strictBrackets: true });
    } catch (err) {
      problems.push(`'${p}': ${(err as Error).message}`);
    }
  }
  return problems;
}

function balanced(p: string): boolean {
  let square = 0;
  let curly = 0;
  for (const ch of p) {
    if (ch === '[') square++;
    else if (ch === ']') square--;
    else if (ch === '{') curly++;
    else if (ch === '}') curly--;
    if (square < 0 || curly < 0 || square > 1) return false;
  }
  return square === 0 && curly === 0;
}
