/**
 * Search-quality evaluation shared by the benchmark (bench/search/run.ts) and the CI floor test
 * (test/bench/search-quality.test.ts): recall@1, recall@5, MRR over the committed queries, and
 * latency percentiles over a corpus replicated to a given size.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_FEATURES, buildToolIndex, type SearchDocument, type SearchFeatures } from '../../src/search/index.js';

const HERE = import.meta.dirname;

export interface CorpusServer {
  server: string;
  package: string;
  version: string;
  tools: Record<string, unknown>[];
}
export interface Corpus {
  total_tools: number;
  servers: CorpusServer[];
}
export interface Query {
  q: string;
  expect: string[];
}

export function loadCorpus(): Corpus {
  return JSON.parse(readFileSync(join(HERE, 'corpus.json'), 'utf8')) as Corpus;
}
export function loadQueries(): Query[] {
  return (JSON.parse(readFileSync(join(HERE, 'queries.json'), 'utf8')) as { queries: Query[] }).queries;
}

/** The corpus as catalogue entries (prefixed names, as a gateway exposes them); `copies` > 1 replicates it with distinct server names. */
export function documents(corpus: Corpus, copies = 1, servers?: readonly string[]): SearchDocument[] {
  const docs: SearchDocument[] = [];
  for (let c = 0; c < copies; c++) {
    for (const s of corpus.servers) {
      if (servers && !servers.includes(s.server)) continue;
      const server = c === 0 ? s.server : `${s.server}-${c}`;
      for (const t of s.tools) {
        const original = String(t['name']);
        docs.push({ server, original, exposed: `${server}__${original}`, item: { ...t, name: `${server}__${original}` } });
      }
    }
  }
  return docs;
}

/** The replica a hit belongs to does not matter: `github-3/create_issue` answers `github/create_issue`. */
const keyOf = (d: SearchDocument) => `${d.server.replace(/-\d+$/, '')}/${d.original}`;

export interface Quality {
  queries: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
  misses: { q: string; expect: string[]; got: string[] }[];
}

export function evaluate(docs: SearchDocument[], queries: Query[], features: SearchFeatures = ALL_FEATURES): Quality {
  const index = buildToolIndex(docs, features);
  let at1 = 0;
  let at5 = 0;
  let rr = 0;
  const misses: Quality['misses'] = [];
  for (const { q, expect } of queries) {
    const hits = index.search(q, { limit: 10 }).map((h) => keyOf(h.doc));
    const rank = hits.findIndex((k) => expect.includes(k));
    if (rank === 0) at1++;
    if (rank >= 0 && rank < 5) at5++;
    else misses.push({ q, expect, got: hits.slice(0, 5) });
    if (rank >= 0) rr += 1 / (rank + 1);
  }
  const n = queries.length;
  return { queries: n, recallAt1: at1 / n, recallAt5: at5 / n, mrr: rr / n, misses };
}

export interface Latency {
  tools: number;
  buildMs: number;
  searches: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Search latency over `copies` replicas of the corpus (every query, `rounds` times, after a warm-up). */
export function latency(corpus: Corpus, queries: Query[], targetTools: number, rounds = 5): Latency {
  const copies = Math.ceil(targetTools / corpus.total_tools);
  const docs = documents(corpus, copies).slice(0, targetTools);
  const t0 = performance.now();
  const index = buildToolIndex(docs);
  const buildMs = performance.now() - t0;
  for (const { q } of queries) index.search(q, { limit: 15 });
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const { q } of queries) {
      const s = performance.now();
      index.search(q, { limit: 15 });
      samples.push(performance.now() - s);
    }
  }
  samples.sort((a, b) => a - b);
  const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  return { tools: docs.length, buildMs, searches: samples.length, p50Ms: pct(0.5), p99Ms: pct(0.99), maxMs: samples[samples.length - 1]! };
}
