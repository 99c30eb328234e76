import type { RawItem } from '../shared/index.js';
import { isStopword, terms, words } from './analyze.js';
import { buildFuzzyIndex, type FuzzyIndex } from './fuzzy.js';
import { stem } from './stemmer.js';
import { synonymsOf } from './synonyms.js';

/** One tool as the index sees it: the catalogue's entry shape (exposed name, owning server, raw definition). */
export interface SearchDocument {
  /** The name clients call the tool by. */
  exposed: string;
  server: string;
  /** The upstream's own tool name. */
  original: string;
  item: RawItem;
}

export interface SearchHit<D extends SearchDocument = SearchDocument> {
  doc: D;
  /** Relevance; comparable only within one result list. */
  score: number;
}

export interface SearchOptions<D extends SearchDocument> {
  /** At most this many hits (default 15). */
  limit?: number;
  /** Only documents this accepts are returned (the caller's policy gate); checked best-first, lazily. */
  accept?: (doc: D) => boolean;
}

/** What goes beyond plain BM25F; all on by default (the benchmark switches them off to measure each). */
export interface SearchFeatures {
  stemming: boolean;
  synonyms: boolean;
  typos: boolean;
  /** Favour tools matching more of the query's words, and exact name matches. */
  coordination: boolean;
  /** Favour read-only or destructive tools when the query asks for them. */
  annotations: boolean;
}

export const ALL_FEATURES: SearchFeatures = Object.freeze({ stemming: true, synonyms: true, typos: true, coordination: true, annotations: true });

export interface ToolIndex<D extends SearchDocument = SearchDocument> {
  readonly size: number;
  search(query: string, opts?: SearchOptions<D>): SearchHit<D>[];
}

/** Field weights and length normalisation of BM25F. */
const FIELDS = {
  name: { weight: 3.0, b: 0.3 },
  title: { weight: 2.0, b: 0.5 },
  server: { weight: 1.5, b: 0 },
  description: { weight: 1.0, b: 0.75 },
  params: { weight: 0.5, b: 0.75 },
} as const;
type Field = keyof typeof FIELDS;
const FIELD_NAMES = Object.keys(FIELDS) as Field[];
const K1 = 1.2;
const FUZZY_WEIGHT = 0.7;
/** Descriptions past this many characters add little but noise (some carry whole manuals). */
const MAX_TEXT = 2000;
/** Query words considered; longer queries are cut (the matched-word mask is 32 bits). */
const MAX_QUERY_WORDS = 24;

const READ_ONLY_INTENT = new Set(['readonly', 'safe', 'safely', 'inspect', 'nondestructive', 'harmless'].map(stem));
const DESTRUCTIVE_INTENT = new Set(['delete', 'remove', 'drop', 'destroy', 'erase', 'wipe', 'permanently', 'destructive', 'purge', 'overwrite'].map(stem));
const NEGATIONS = new Set(['without', 'not', 'no', 'never', 'non']);

const str = (v: unknown): string => (typeof v === 'string' ? v.slice(0, MAX_TEXT) : '');

/** The text of each field of one tool definition. */
function fieldTexts(doc: SearchDocument): Record<Field, string> {
  const item = doc.item;
  const annotations = (item['annotations'] ?? {}) as RawItem;
  const params: string[] = [];
  const props = ((item['inputSchema'] as RawItem | undefined)?.['properties'] ?? {}) as Record<string, RawItem>;
  for (const [name, schema] of Object.entries(props).slice(0, 50)) {
    params.push(name, str(schema?.['description']).slice(0, 300));
  }
  return {
    name: `${doc.original} ${doc.exposed === doc.original ? '' : doc.exposed}`,
    title: `${str(item['title'])} ${str(annotations['title'])}`,
    server: doc.server,
    description: str(item['description']),
    params: params.join(' '),
  };
}

interface Posting {
  docs: Int32Array;
  /** BM25F saturation of the term in each document: tf~ / (k1 + tf~). */
  impacts: Float32Array;
  idf: number;
}

/** Build an immutable index over `docs` (rebuilt whole when the catalogue changes, off the request path). */
export function buildToolIndex<D extends SearchDocument>(docs: readonly D[], features: SearchFeatures = ALL_FEATURES): ToolIndex<D> {
  const n = docs.length;
  const analyse = features.stemming ? terms : (text: string) => words(text).filter((w) => !isStopword(w));
  const analysed = docs.map((d) => {
    const texts = fieldTexts(d);
    const fields = {} as Record<Field, string[]>;
    for (const f of FIELD_NAMES) fields[f] = analyse(texts[f]);
    return fields;
  });
  const avgLen = {} as Record<Field, number>;
  for (const f of FIELD_NAMES) avgLen[f] = analysed.reduce((s, a) => s + a[f].length, 0) / Math.max(1, n) || 1;

  const raw = new Map<string, { docs: number[]; tf: number[] }>();
  analysed.forEach((fields, i) => {
    const pseudo = new Map<string, number>();
    for (const f of FIELD_NAMES) {
      const { weight, b } = FIELDS[f];
      const norm = 1 - b + (b * fields[f].length) / avgLen[f];
      for (const t of fields[f]) pseudo.set(t, (pseudo.get(t) ?? 0) + weight / norm);
    }
    for (const [t, tf] of pseudo) {
      let p = raw.get(t);
      if (!p) raw.set(t, (p = { docs: [], tf: [] }));
      p.docs.push(i);
      p.tf.push(tf);
    }
  });
  const postings = new Map<string, Posting>();
  for (const [t, p] of raw) {
    const df = p.docs.length;
    postings.set(t, {
      docs: Int32Array.from(p.docs),
      impacts: Float32Array.from(p.tf, (tf) => tf / (K1 + tf)),
      idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)),
    });
  }
  const fuzzy = buildFuzzyIndex(postings.keys());
  const nameKeys = docs.map((d) => words(d.original).join(' '));
  const hints = docs.map((d) => {
    const a = (d.item['annotations'] ?? {}) as RawItem;
    return { readOnly: a['readOnlyHint'] === true, destructive: a['destructiveHint'] === true };
  });
  const scores = new Float64Array(n);
  const matched = new Uint32Array(n);

  return {
    size: n,
    search(query, opts = {}) {
      const limit = Math.max(0, Math.floor(opts.limit ?? 15));
      const q = analyseQuery(query, postings, fuzzy, features);
      if (!q.terms.length || limit === 0) return [];
      const touched: number[] = [];
      for (const { term, weight, word } of q.terms) {
        const p = postings.get(term)!;
        const w = p.idf * weight;
        const bit = 1 << word;
        for (let k = 0; k < p.docs.length; k++) {
          const d = p.docs[k]!;
          if (scores[d] === 0) touched.push(d);
          scores[d] = scores[d]! + w * p.impacts[k]!;
          matched[d] = matched[d]! | bit;
        }
      }
      const queryName = q.words.join(' ');
      const ranked: { d: number; s: number }[] = [];
      for (const d of touched) {
        let s = scores[d]!;
        if (features.coordination) {
          // A tool that answers every word of the query beats one that repeats a single word.
          s *= 0.4 + (0.6 * popcount(matched[d]!)) / q.wordCount;
          if (nameKeys[d] === queryName) s *= 2;
        }
        if (q.readOnly) s *= hints[d]!.readOnly ? 1.3 : hints[d]!.destructive ? 0.7 : 1;
        if (q.destructive) s *= hints[d]!.destructive ? 1.2 : hints[d]!.readOnly ? 0.8 : 1;
        ranked.push({ d, s });
        scores[d] = 0;
        matched[d] = 0;
      }
      ranked.sort((a, b) => b.s - a.s || (docs[a.d]!.exposed < docs[b.d]!.exposed ? -1 : 1));
      const hits: SearchHit<D>[] = [];
      for (const r of ranked) {
        if (hits.length >= limit) break;
        const doc = docs[r.d]!;
        if (opts.accept && !opts.accept(doc)) continue;
        hits.push({ doc, score: Math.round(r.s * 1000) / 1000 });
      }
      return hits;
    },
  };
}

interface QueryTerm {
  term: string;
  weight: number;
  /** Index of the query word it came from (for the coordination factor). */
  word: number;
}

interface AnalysedQuery {
  terms: QueryTerm[];
  words: string[];
  wordCount: number;
  readOnly: boolean;
  destructive: boolean;
}

/** Query words → weighted index terms: the word's stem, typo corrections when it is unknown, synonyms. */
function analyseQuery(query: string, postings: ReadonlyMap<string, Posting>, fuzzy: FuzzyIndex, features: SearchFeatures): AnalysedQuery {
  const all = words(query).slice(0, 64);
  const kept = all.filter((w) => !isStopword(w)).slice(0, MAX_QUERY_WORDS);
  const best = new Map<string, QueryTerm>();
  const add = (term: string, weight: number, word: number) => {
    if (!postings.has(term)) return;
    const prev = best.get(term);
    if (!prev || prev.weight < weight) best.set(term, { term, weight, word });
  };
  let readOnly = /read[\s-]?only/i.test(query);
  let destructive = false;
  kept.forEach((w, i) => {
    const s = features.stemming ? stem(w) : w;
    const bases = postings.has(s) || !features.typos ? [s] : fuzzy.near(s).concat(s === w ? [] : fuzzy.near(w).filter((t) => t !== s));
    for (const b of bases) add(b, b === s ? 1 : FUZZY_WEIGHT, i);
    if (features.synonyms) for (const b of bases.length ? bases : [s]) for (const syn of synonymsOf(b)) add(syn.term, syn.weight * (b === s ? 1 : FUZZY_WEIGHT), i);
    if (READ_ONLY_INTENT.has(s)) readOnly = true;
    if (DESTRUCTIVE_INTENT.has(s) && !NEGATIONS.has(kept[i - 1] ?? '')) destructive = true;
  });
  if (/\b(without|not|never)\s+(modify|modifying|changing|change|writing|deleting)/i.test(query)) readOnly = true;
  if (readOnly) destructive = false;
  if (!features.annotations) readOnly = destructive = false;
  return { terms: [...best.values()], words: kept, wordCount: Math.max(1, kept.length), readOnly, destructive };
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
