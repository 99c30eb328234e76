import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCatalog, fitName, MAX_EXPOSED_NAME, paginate, parseExposedUri, matchesTemplate } from './index.js';
import type { SourceListing } from '../shared/tool-source.js';

const listing = (tools: string[], extra: Partial<SourceListing> = {}): SourceListing => ({
  tools: tools.map((name) => ({ name, inputSchema: { type: 'object' } })),
  resources: [],
  resourceTemplates: [],
  prompts: [],
  ...extra,
});

const always = { prefix: 'always' as const, separator: '__' };
const never = { prefix: 'never' as const, separator: '__' };

test('prefixes names with server or alias and keeps every other field', () => {
  const cat = createCatalog(always);
  cat.configure([{ name: 'everything', prefix: 'everything' }, { name: 'memory', prefix: 'mem' }], always);
  cat.setSource('everything', { ...listing([]), tools: [{ name: 'echo', title: 'Echo', annotations: { readOnlyHint: true }, outputSchema: { type: 'object' }, _meta: { x: 1 }, icons: [{ src: 'i' }], inputSchema: {} }] });
  cat.setSource('memory', listing(['read_graph']));
  const snap = cat.snapshot();
  assert.deepEqual(snap.tools.map((t) => t.exposed), ['everything__echo', 'mem__read_graph']);
  const echo = snap.toolsByName.get('everything__echo')!;
  assert.equal(echo.original, 'echo');
  assert.deepEqual(echo.item, { name: 'everything__echo', title: 'Echo', annotations: { readOnlyHint: true }, outputSchema: { type: 'object' }, _meta: { x: 1 }, icons: [{ src: 'i' }], inputSchema: {} });
});

test('names longer than 64 get a stable hash suffix and stay reversible', () => {
  const long = 'x'.repeat(80);
  const a = fitName(`srv__${long}`);
  assert.equal(a.length, MAX_EXPOSED_NAME);
  assert.equal(a, fitName(`srv__${long}`));
  assert.notEqual(a, fitName(`srv__${long}y`));
  const cat = createCatalog(always);
  cat.configure([{ name: 'srv', prefix: 'srv' }], always);
  cat.setSource('srv', listing([long]));
  const entry = cat.snapshot().toolsByName.get(a)!;
  assert.equal(entry.original, long);
  assert.equal(fitName('bad name!'), fitName('bad name!'));
  assert.match(fitName('bad name!'), /^[A-Za-z0-9_.-]+$/);
});

test('unprefixed collisions: the earlier server keeps the bare name, adding a server renames nothing', () => {
  const cat = createCatalog(never);
  cat.configure([{ name: 'a', prefix: 'a' }, { name: 'b', prefix: 'b' }], never);
  cat.setSource('b', listing(['search', 'only_b']));
  const before = cat.snapshot().tools.map((t) => `${t.exposed}->${t.server}`);
  assert.deepEqual(before, ['only_b->b', 'search->b']);
  cat.setSource('a', listing(['search']));
  const after = cat.snapshot().toolsByName;
  assert.equal(after.get('search')!.server, 'a');
  assert.equal(after.get('b__search')!.server, 'b');
  // Adding a server later in the config never changes existing names.
  cat.configure([{ name: 'a', prefix: 'a' }, { name: 'b', prefix: 'b' }, { name: 'c', prefix: 'c' }], never);
  cat.setSource('c', listing(['search', 'only_b']));
  const names = cat.snapshot().tools.map((t) => `${t.exposed}->${t.server}`);
  assert.ok(names.includes('search->a') && names.includes('b__search->b') && names.includes('only_b->b'));
  assert.ok(names.includes('c__search->c') && names.includes('c__only_b->c'));
});

test('order is deterministic whatever order sources connect in', () => {
  const mk = (first: string) => {
    const cat = createCatalog(always);
    cat.configure([{ name: 'a', prefix: 'a' }, { name: 'b', prefix: 'b' }], always);
    const l = { a: listing(['z', 'm']), b: listing(['c']) } as Record<string, SourceListing>;
    const second = first === 'a' ? 'b' : 'a';
    cat.setSource(first, l[first]!);
    cat.setSource(second, l[second]!);
    return cat.snapshot().tools.map((t) => t.exposed);
  };
  assert.deepEqual(mk('a'), mk('b'));
});

test('resource URIs are rewritten reversibly, templates keep their variables', () => {
  const cat = createCatalog(always);
  cat.configure([{ name: 'fs', prefix: 'fs' }], always);
  cat.setSource('fs', listing([], { resources: [{ uri: 'file:///tmp/a b.txt', name: 'a' }], resourceTemplates: [{ uriTemplate: 'test://t/{id}', name: 't' }] }));
  const snap = cat.snapshot();
  assert.equal(snap.resources[0]!.item['uri'], 'switchboard://fs/file:///tmp/a b.txt');
  assert.equal(snap.resourceTemplates[0]!.item['uriTemplate'], 'switchboard://fs/test://t/{id}');
  assert.deepEqual(cat.resolveUri('switchboard://fs/file:///tmp/a b.txt'), { server: 'fs', uri: 'file:///tmp/a b.txt' });
  assert.deepEqual(cat.resolveUri('switchboard://fs/test://t/42'), { server: 'fs', uri: 'test://t/42' });
  assert.equal(cat.resolveUri('switchboard://nope/x'), undefined);
  assert.equal(cat.resolveUri('file:///tmp/a b.txt'), undefined);
  assert.deepEqual(parseExposedUri('switchboard://s/u://x'), { serverPrefix: 's', uri: 'u://x' });
  assert.equal(parseExposedUri('switchboard:///x'), undefined);
  assert.ok(matchesTemplate('test://t/{id}/data', 'test://t/7/data'));
  assert.ok(!matchesTemplate('test://t/{id}/data', 'test://t/7/other'));
});

test('unprefixed URIs route by listing, template, or sole owner', () => {
  const cat = createCatalog(never);
  cat.configure([{ name: 'a', prefix: 'a' }, { name: 'b', prefix: 'b' }], never);
  cat.setSource('a', listing([], { resources: [{ uri: 'test://static-text', name: 's' }] }));
  cat.setSource('b', listing([], { resourceTemplates: [{ uriTemplate: 'tpl://{x}', name: 't' }] }));
  assert.deepEqual(cat.resolveUri('test://static-text'), { server: 'a', uri: 'test://static-text' });
  assert.deepEqual(cat.resolveUri('tpl://9'), { server: 'b', uri: 'tpl://9' });
  assert.equal(cat.resolveUri('other://x'), undefined);
});

test('change listeners hear only the lists that changed', () => {
  const cat = createCatalog(always);
  cat.configure([{ name: 'a', prefix: 'a' }], always);
  const heard: string[][] = [];
  cat.onChange((k) => heard.push(k));
  cat.setSource('a', listing(['t1']));
  cat.setSource('a', listing(['t1']));
  cat.setSource('a', listing(['t1'], { prompts: [{ name: 'p' }] }));
  cat.removeSource('a');
  assert.deepEqual(heard, [['tools'], ['prompts'], ['tools', 'prompts']]);
});

test('pagination: opaque cursors, stale cursors restart, bad cursors are rejected', () => {
  const items = Array.from({ length: 25 }, (_, i) => i);
  const p1 = paginate(items, undefined, 10, 1);
  assert.deepEqual(p1.page, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const p2 = paginate(items, p1.nextCursor, 10, 1);
  assert.equal(p2.page[0], 10);
  const p3 = paginate(items, p2.nextCursor, 10, 1);
  assert.deepEqual(p3.page, [20, 21, 22, 23, 24]);
  assert.equal(p3.nextCursor, undefined);
  assert.equal(paginate(items, p2.nextCursor, 10, 2).page[0], 0);
  for (const bad of ['%%%', 'eyJvIjotMX0', 42, Buffer.from('{"o":"x","v":1}').toString('base64url')]) {
    assert.throws(() => paginate(items, bad, 10, 1), /Invalid cursor/);
  }
});
