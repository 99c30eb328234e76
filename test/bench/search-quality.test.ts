/**
 * The search benchmark as a CI floor: the committed queries over the committed corpus of real tool
 * definitions must stay above the goal, and search must stay fast on a replicated catalogue
 * (a loose ceiling: CI machines are shared; the benchmark reports the real percentiles).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documents, evaluate, latency, loadCorpus, loadQueries } from '../../bench/search/evaluate.js';

test('search quality floor on the real-server corpus: recall@5 ≥ 0.85, MRR ≥ 0.8', () => {
  const corpus = loadCorpus();
  const queries = loadQueries();
  assert.ok(corpus.total_tools >= 300, `corpus has ${corpus.total_tools} tools`);
  assert.ok(queries.length >= 150, `${queries.length} queries`);
  const q = evaluate(documents(corpus), queries);
  assert.ok(q.recallAt5 >= 0.85, `recall@5 ${q.recallAt5.toFixed(3)}; misses: ${q.misses.map((m) => m.q).join(' | ')}`);
  assert.ok(q.mrr >= 0.8, `MRR ${q.mrr.toFixed(3)}`);
});

test('search latency stays in single-digit milliseconds on 5,000 tools', () => {
  const l = latency(loadCorpus(), loadQueries(), 5_000, 2);
  assert.equal(l.tools, 5_000);
  assert.ok(l.p99Ms < 15, `p99 ${l.p99Ms.toFixed(2)} ms`);
});
