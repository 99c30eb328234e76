/**
 * Typo tolerance: the terms of a vocabulary within one edit (insertion, deletion, substitution or
 * transposition of neighbours) of a word. Every term and each of its one-letter deletions is indexed,
 * so a lookup costs a few map reads (the "symmetric delete" method), not a scan of the vocabulary.
 */

/** Words shorter than this are not corrected: too many short words are one edit apart. */
export const MIN_FUZZY_LENGTH = 4;

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** Optimal string alignment distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = a.length;
  const m = b.length;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}

export interface FuzzyIndex {
  /** Vocabulary terms one edit away from `word` (never `word` itself). */
  near(word: string): string[];
}

export function buildFuzzyIndex(vocabulary: Iterable<string>): FuzzyIndex {
  const keys = new Map<string, string[]>();
  const put = (key: string, term: string) => {
    const list = keys.get(key);
    if (!list) keys.set(key, [term]);
    else if (list[list.length - 1] !== term) list.push(term);
  };
  for (const term of vocabulary) {
    if (term.length < MIN_FUZZY_LENGTH - 1) continue;
    put(term, term);
    for (const d of deletions(term)) put(d, term);
  }
  return {
    near(word) {
      if (word.length < MIN_FUZZY_LENGTH) return [];
      const found = new Set<string>();
      for (const key of [word, ...deletions(word)]) for (const t of keys.get(key) ?? []) if (t !== word) found.add(t);
      return [...found].filter((t) => editDistance(word, t, 1) <= 1);
    },
  };
}
