import { stem } from './stemmer.js';
import { words } from './analyze.js';

/**
 * Groups of words people use for the same action or thing when they describe a tool. A query word
 * pulls in the rest of its groups at a lower weight, so "fetch a page" finds "navigate" and "scrape".
 * Plain words here; they are stemmed when the table is built.
 */
const GROUPS: string[] = [
  'get fetch retrieve obtain load read view show display lookup',
  'list enumerate browse show all',
  'create add new make insert generate open',
  'update edit modify change patch set alter',
  'delete remove destroy drop erase purge discard forget unlink trash clear',
  'search find query lookup look seek discover locate',
  'run execute exec invoke launch start trigger perform',
  'stop kill terminate cancel halt abort end',
  'send post message notify publish',
  'file document',
  'directory folder dir path',
  'repository repo project',
  'issue ticket bug',
  'user member person people account profile',
  'comment note reply remark discussion thread',
  'screenshot capture snapshot screen',
  'navigate open go visit browse goto url',
  'click press tap',
  'type fill enter input',
  'web internet online website site page',
  'database db sql',
  'image picture photo illustration',
  'email mail',
  'channel room conversation',
  'memory knowledge graph entity remember fact',
  'move rename relocate',
  'copy duplicate clone',
  'upload attach',
  'download save',
  'location place address geocode coordinate latitude longitude',
  'directions route',
  'merge combine',
  'review approve approval',
  'log logs history',
  'error failure fail failed',
  'flag toggle feature',
  'crawl spider',
  'scrape extract parse',
  'think reason reasoning plan',
  'text content contents',
  'sum add total',
  'tab page window',
  'environment env variable',
  'compress gzip zip',
  'dialog alert popup',
  'style css',
  'video screencast record recording',
  'test tests spec',
  'pipeline build ci workflow job',
  'deploy deployment release rollback',
  'doc docs documentation manual reference',
  'paper article publication research academic scholarly',
  'label tag',
  'emoji reaction react',
  'todo task',
  'diff difference changes',
  'protect lock',
  'dark color theme scheme',
  'performance speed trace profile',
  'accessibility a11y',
  'count number total',
  'schema structure',
  'monitor watch track',
  'question ask answer',
  'message chat',
  'near nearby local',
  'restaurant business place',
  'altitude elevation height',
];

/** Abbreviations and the words they stand for (both directions are indexed as synonyms). */
const ABBREVIATIONS: [string, string][] = [
  ['pr', 'pull request'],
  ['mr', 'merge request'],
  ['repo', 'repository'],
  ['db', 'database'],
  ['dir', 'directory'],
  ['js', 'javascript'],
  ['env', 'environment'],
  ['ci', 'continuous integration'],
  ['kb', 'knowledge base'],
  ['url', 'link'],
  ['a11y', 'accessibility'],
  ['pid', 'process id'],
];

export interface Expansion {
  term: string;
  weight: number;
}

const SYNONYM_WEIGHT = 0.5;
const ABBREVIATION_WEIGHT = 0.9;

function buildTable(): Map<string, Expansion[]> {
  const table = new Map<string, Map<string, number>>();
  const add = (from: string, to: string, weight: number) => {
    if (from === to) return;
    let m = table.get(from);
    if (!m) table.set(from, (m = new Map()));
    m.set(to, Math.max(m.get(to) ?? 0, weight));
  };
  for (const group of GROUPS) {
    const stems = [...new Set(group.split(' ').map((w) => stem(w)))];
    for (const a of stems) for (const b of stems) add(a, b, SYNONYM_WEIGHT);
  }
  for (const [short, long] of ABBREVIATIONS) {
    const s = stem(short);
    for (const w of words(long)) {
      add(s, stem(w), ABBREVIATION_WEIGHT);
      add(stem(w), s, SYNONYM_WEIGHT);
    }
  }
  return new Map([...table].map(([k, m]) => [k, [...m].map(([term, weight]) => ({ term, weight }))]));
}

const TABLE = buildTable();

/** The synonyms of a stemmed term, each with the weight its matches get relative to the term itself. */
export function synonymsOf(term: string): readonly Expansion[] {
  return TABLE.get(term) ?? [];
}
