/**
 * npm run bench:search — search quality and latency, and the size of tools/list per exposure mode.
 * Quality: recall@1, recall@5 and MRR of the committed queries (queries.json, written before tuning)
 * over the committed corpus (corpus.json, extracted by running real MCP servers), with each step beyond
 * BM25F switched on in turn. Latency: p50/p99 over 10,000 tools (the corpus replicated under distinct
 * server names). Writes bench/results/search.json and the "Tool search" section of docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEARCH_MODE_TOOLS } from '../../src/gateway/index.js';
import { matchesAny } from '../../src/policy/index.js';
import { ALL_FEATURES, type SearchFeatures } from '../../src/search/index.js';
import { writeDocSection } from '../lib/doc-section.js';
import { documents, evaluate, latency, loadCorpus, loadQueries, type Latency, type Quality } from './evaluate.js';

const ROOT = join(import.meta.dirname, '../..');
const LATENCY_TOOLS = 10_000;

const NONE: SearchFeatures = { stemming: false, synonyms: false, typos: false, coordination: false, annotations: false };
const STEPS: [string, SearchFeatures][] = [
  ['BM25F (field weights, identifier splitting)', NONE],
  ['+ stemming', { ...NONE, stemming: true }],
  ['+ synonyms', { ...NONE, stemming: true, synonyms: true }],
  ['+ typo tolerance', { ...NONE, stemming: true, synonyms: true, typos: true }],
  ['+ coordination and exact-name bonus', { ...ALL_FEATURES, annotations: false }],
  ['+ annotation boosts (all, the default)', ALL_FEATURES],
];

/** The profile used to size the profile mode: what a code-review assistant needs from GitHub. */
const EXAMPLE_PROFILE = ['github__*pull_request*', 'github__get_file_contents', 'github__search_code'];

export interface TokenRow {
  mode: string;
  tools: number;
  bytes: number;
  tokens: number;
}

export interface SearchBench {
  corpus: { servers: number; tools: number };
  queries: number;
  steps: { name: string; quality: Omit<Quality, 'misses'> }[];
  misses: Quality['misses'];
  latency: Latency;
  tokens: TokenRow[];
}

const tokens = (value: unknown) => {
  const bytes = Buffer.byteLength(JSON.stringify(value));
  return { bytes, tokens: Math.round(bytes / 4) };
};

export function runSearchBench(log: (s: string) => void = console.log): SearchBench {
  const corpus = loadCorpus();
  const queries = loadQueries();
  const docs = documents(corpus);
  const steps = STEPS.map(([name, f]) => {
    const { misses: _misses, ...quality } = evaluate(docs, queries, f);
    log(`  ${name.padEnd(44)} recall@1 ${quality.recallAt1.toFixed(3)}  recall@5 ${quality.recallAt5.toFixed(3)}  MRR ${quality.mrr.toFixed(3)}`);
    return { name, quality };
  });
  const { misses } = evaluate(docs, queries);
  const lat = latency(corpus, queries, LATENCY_TOOLS);
  log(`  latency over ${lat.tools} tools: p50 ${lat.p50Ms.toFixed(2)} ms, p99 ${lat.p99Ms.toFixed(2)} ms (index built in ${lat.buildMs.toFixed(0)} ms)`);

  const items = docs.map((d) => d.item);
  const profile = docs.filter((d) => matchesAny(EXAMPLE_PROFILE, d.exposed)).map((d) => d.item);
  const searchAnswer = { tools: docs.slice(0, 10).map((d) => ({ name: d.exposed, title: d.item['title'] ?? null, description: String(d.item['description'] ?? '').slice(0, 500), server: d.server })) };
  const rows: TokenRow[] = [
    { mode: '/mcp (all tools)', tools: items.length, ...tokens({ tools: items }) },
    { mode: '/mcp/search (three meta-tools)', tools: SEARCH_MODE_TOOLS.length, ...tokens({ tools: SEARCH_MODE_TOOLS }) },
    { mode: `/mcp/p/code-review (${EXAMPLE_PROFILE.join(', ')})`, tools: profile.length, ...tokens({ tools: profile }) },
    { mode: '/mcp/search: one search_tools answer (10 hits)', tools: 10, ...tokens(searchAnswer) },
    { mode: '/mcp/search: one describe_tools answer (3 tools)', tools: 3, ...tokens({ tools: items.slice(0, 3), unknown: [] }) },
  ];
  for (const r of rows) log(`  ${r.mode.padEnd(60)} ${String(r.tools).padStart(4)} tools ${String(r.tokens).padStart(7)} tokens`);
  return { corpus: { servers: corpus.servers.length, tools: docs.length }, queries: queries.length, steps, misses, latency: lat, tokens: rows };
}

const table = (head: string[], rows: (string | number)[][]) => [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/** The "Tool search" section of docs/benchmarks.md. */
export function renderSearchSection(r: SearchBench): string {
  const last = r.steps[r.steps.length - 1]!.quality;
  return `## 4. Tool search

\`npm run bench:search\` (bench/search/run.ts). Corpus: ${r.corpus.tools} tool definitions from ${r.corpus.servers} MCP servers published on
npm, extracted by running them (bench/search/corpus.json, with package versions). ${r.queries} natural-language queries with the tools
that answer them (bench/search/queries.json), written before the ranking was tuned; a query counts as found when any of its
expected tools is among the first k results. Goals: recall@5 ≥ 0.85, p99 ≤ 5 ms at 10,000 tools.

${table(['Ranking', 'recall@1', 'recall@5', 'MRR'], r.steps.map((s) => [s.name, s.quality.recallAt1.toFixed(3), s.quality.recallAt5.toFixed(3), s.quality.mrr.toFixed(3)]))}

Latency over ${r.latency.tools.toLocaleString('en')} tools (the corpus replicated under distinct server names), ${r.latency.searches} searches
(every query ${r.latency.searches / r.queries} times, after a warm-up), limit 15: p50 **${r.latency.p50Ms.toFixed(2)} ms**, p99 **${r.latency.p99Ms.toFixed(2)} ms**,
max ${r.latency.maxMs.toFixed(2)} ms. Building that index takes ${r.latency.buildMs.toFixed(0)} ms; it happens once per catalogue change, off the request path.

Result: recall@5 ${last.recallAt5.toFixed(3)} (goal 0.85: ${last.recallAt5 >= 0.85 ? 'pass' : '**FAIL**'}), p99 ${r.latency.p99Ms.toFixed(2)} ms (goal 5 ms: ${r.latency.p99Ms <= 5 ? 'pass' : '**FAIL**'}).

### tools/list size per exposure mode

Tokens estimated as UTF-8 bytes ÷ 4 of the JSON a client receives (no tokenizer package ships offline for every model).

${table(['Mode', 'tools', 'bytes', '≈ tokens'], r.tokens.map((t) => [t.mode, t.tools, t.bytes.toLocaleString('en'), t.tokens.toLocaleString('en')]))}
`;
}

export function writeSearchSection(section: string): void {
  writeDocSection('search', section);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  console.log(`Tool search benchmark`);
  const r = runSearchBench();
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'search.json'), JSON.stringify(r, null, 2));
  writeSearchSection(renderSearchSection(r));
  console.log(`\nWrote docs/benchmarks.md (section 4) and bench/results/search.json; ${r.misses.length} queries missed the top 5.`);
}
