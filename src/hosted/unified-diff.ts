/**
 * A unified diff of two texts (the `diff -u` format), for comparing tool versions. Line-based, from a
 * longest-common-subsequence table: tool code is at most a few thousand lines.
 */

type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

/** Lines beyond which the quadratic table would cost too much; such texts are compared as a whole. */
const MAX_CELLS = 25_000_000;

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function operations(a: string[], b: string[]): Op[] {
  if (a.length * b.length > MAX_CELLS) return [...a.map((line, i): Op => ({ kind: '-', line, a: i, b: 0 })), ...b.map((line, j): Op => ({ kind: '+', line, a: a.length, b: j }))];
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: common-subsequence length of a[i..] and b[j..], in one flat array.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[at(i, j)] = a[i] === b[j] ? lcs[at(i + 1, j + 1)]! + 1 : Math.max(lcs[at(i + 1, j)]!, lcs[at(i, j + 1)]!);
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: ' ', line: a[i]!, a: i++, b: j++ });
    else if (j < m && (i >= n || lcs[at(i, j + 1)]! > lcs[at(i + 1, j)]!)) ops.push({ kind: '+', line: b[j]!, a: i, b: j++ });
    else ops.push({ kind: '-', line: a[i]!, a: i++, b: j });
  }
  return ops;
}

/**
 * `--- from` / `+++ to` headers and `@@ -l,s +l,s @@` hunks with `context` lines around each change.
 * Equal texts give an empty string.
 */
export function unifiedDiff(before: string, after: string, labels: { from: string; to: string }, context = 3): string {
  const ops = operations(splitLines(before), splitLines(after));
  const changed = ops.map((o, k) => (o.kind !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) return '';
  // Group changes whose context windows touch into one hunk.
  const hunks: [number, number][] = [];
  for (const k of changed) {
    const start = Math.max(0, k - context);
    const end = Math.min(ops.length - 1, k + context);
    const last = hunks.at(-1);
    if (last && start <= last[1] + 1) last[1] = end;
    else hunks.push([start, end]);
  }
  const out = [`--- ${labels.from}`, `+++ ${labels.to}`];
  for (const [start, end] of hunks) {
    const slice = ops.slice(start, end + 1);
    const aLines = slice.filter((o) => o.kind !== '+').length;
    const bLines = slice.filter((o) => o.kind !== '-').length;
    const aStart = aLines ? slice.find((o) => o.kind !== '+')!.a + 1 : slice[0]!.a;
    const bStart = bLines ? slice.find((o) => o.kind !== '-')!.b + 1 : slice[0]!.b;
    out.push(`@@ -${aStart},${aLines} +${bStart},${bLines} @@`);
    for (const o of slice) out.push(`${o.kind}${o.line}`);
  }
  return `${out.join('\n')}\n`;
}
