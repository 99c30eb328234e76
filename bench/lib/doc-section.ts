// Sections of docs/benchmarks.md that separate benchmarks own: each sits between
// `<!-- <name>-bench:start -->` and `<!-- <name>-bench:end -->`, so running one benchmark on its own
// replaces its section and leaves the rest of the file as it was.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DOC = join(import.meta.dirname, '..', '..', 'docs', 'benchmarks.md');

export function writeDocSection(name: string, section: string): void {
  const start = `<!-- ${name}-bench:start -->`;
  const end = `<!-- ${name}-bench:end -->`;
  const doc = readFileSync(DOC, 'utf8');
  const block = `${start}\n${section}${end}\n`;
  const at = doc.indexOf(start);
  const stop = doc.indexOf(end);
  writeFileSync(DOC, at >= 0 && stop > at ? doc.slice(0, at) + block + doc.slice(stop + end.length + 1) : `${doc.trimEnd()}\n\n${block}`);
}
