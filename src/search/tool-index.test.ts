import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { words, terms } from './analyze.js';
import { editDistance } from './fuzzy.js';
import { stem } from './stemmer.js';
import { buildToolIndex, type SearchDocument } from './tool-index.js';

const doc = (server: string, name: string, description: string, extra: Record<string, unknown> = {}): SearchDocument => ({ server, original: name, exposed: `${server}__${name}`, item: { name: `${server}__${name}`, description, ...extra } });

const DOCS = [
  doc('fs', 'read_text_file', 'Read the complete contents of a file as text', { annotations: { readOnlyHint: true } }),
  doc('fs', 'write_file', 'Create a new file or overwrite an existing file', { annotations: { destructiveHint: true } }),
  doc('fs', 'delete_file', 'Remove a file from disk', { annotations: { destructiveHint: true } }),
  doc('fs', 'list_directory', 'List the entries of a folder'),
  doc('github', 'createPullRequest', 'Open a pull request', { inputSchema: { type: 'object', properties: { head: { type: 'string', description: 'branch with the changes' } } } }),
  doc('github', 'create_issue', 'Create a new issue in a repository'),
  doc('maps', 'maps_geocode', 'Convert an address into geographic coordinates'),
  doc('db', 'drop_table', 'Drop a table'),
  doc('db', 'describe_table', 'Show the columns of a table', { annotations: { readOnlyHint: true } }),
];
const index = buildToolIndex(DOCS);
const top = (q: string, n = 1) => index.search(q, { limit: n }).map((h) => h.doc.original);

describe('analysis', () => {
  test('identifiers split on _ - . and camelCase; digits apart', () => {
    assert.deepEqual(words('getFileInfo read_text-file.v2 HTMLParser'), ['get', 'file', 'info', 'read', 'text', 'file', 'v', '2', 'html', 'parser']);
    assert.deepEqual(terms('the running files'), ['run', 'file']);
  });
  test('Porter stemming conflates inflections', () => {
    for (const [a, b] of [['creating', 'created'], ['repositories', 'repository'], ['connection', 'connected'], ['relational', 'relate']]) assert.equal(stem(a!), stem(b!), `${a} ~ ${b}`);
  });
  test('edit distance counts a transposition as one edit', () => {
    assert.equal(editDistance('fiel', 'file'), 1);
    assert.equal(editDistance('geocde', 'geocode'), 1);
    assert.equal(editDistance('abc', 'xyz', 1), 2);
  });
});

describe('ranking', () => {
  test('plain-language queries find the tool', () => {
    assert.deepEqual(top('read a file'), ['read_text_file']);
    assert.deepEqual(top('open a pull request'), ['createPullRequest']);
    assert.deepEqual(top('file a bug in the repo'), ['create_issue'], 'synonyms: bug → issue, repo → repository');
    assert.deepEqual(top('latitude and longitude of an address'), ['maps_geocode']);
    assert.deepEqual(top('show folder contents'), ['list_directory']);
  });
  test('parameter descriptions and server names count', () => {
    assert.deepEqual(top('branch with changes'), ['createPullRequest']);
    assert.ok(top('github', 2).every((n) => ['createPullRequest', 'create_issue'].includes(n)));
  });
  test('typos are tolerated', () => {
    assert.deepEqual(top('raed fiel'), ['read_text_file']);
    assert.deepEqual(top('geocdoe adress'), ['maps_geocode']);
  });
  test('annotations: a read-only query prefers read-only tools, a destructive one destructive tools', () => {
    assert.deepEqual(top('table (read-only)'), ['describe_table']);
    assert.deepEqual(top('permanently drop table'), ['drop_table']);
  });
  test('the gate filter and the limit apply; nothing matches nothing', () => {
    assert.deepEqual(index.search('file', { limit: 10, accept: (d) => d.server !== 'fs' }).map((h) => h.doc.server), []);
    assert.equal(index.search('file', { limit: 2 }).length, 2);
    assert.deepEqual(index.search('zzzz qqqq'), []);
    assert.deepEqual(index.search(''), []);
    assert.deepEqual(index.search('the of and'), []);
  });
  test('deterministic order and scores', () => {
    assert.deepEqual(index.search('file'), buildToolIndex([...DOCS].reverse()).search('file'));
  });
});
