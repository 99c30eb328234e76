import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_ACTIVITY } from '../activity/index.js';
import { createCatalog } from '../catalog/index.js';
import { fullAccess, type Principal, type RawItem } from '../shared/index.js';
import { GatedRequests } from './gated-requests.js';
import { SessionRegistry } from './sessions.js';

const tools = (...names: string[]) => names.map((name) => ({ name, inputSchema: { type: 'object' } }));

function setup(pageSize = 1000) {
  const catalog = createCatalog({ prefix: 'always', separator: '__' });
  catalog.configure([{ name: 'alpha', prefix: 'alpha' }, { name: 'beta', prefix: 'beta' }], { prefix: 'always', separator: '__' });
  catalog.setSource('alpha', { tools: tools('read_a', 'write_a', 'unread'), resources: [], resourceTemplates: [], prompts: [{ name: 'p' }] });
  catalog.setSource('beta', { tools: tools('read_b'), resources: [{ uri: 'b://r', name: 'r' }], resourceTemplates: [], prompts: [] });
  const gated = new GatedRequests({
    catalog,
    upstreams: { connection: () => undefined, timeoutMs: () => 1000, prefix: (s) => s, readyServers: () => [] },
    sessions: new SessionRegistry(),
    activity: NO_ACTIVITY,
    prefixed: () => true,
    pageSize,
  });
  return { catalog, gated };
}

const key = (id: string, over: Partial<Principal> = {}): Principal => ({ kind: 'api_key', id, name: id, scopes: ['read', 'execute'], ...over });
const names = (page: RawItem, list = 'tools') => (page[list] as RawItem[]).map((t) => t['name'] ?? t['uri']);

describe('list pages through the gate', () => {
  test('full-access principals share one unfiltered page object', () => {
    const { gated } = setup();
    const a = gated.listPage(fullAccess('bootstrap', 'b', 'b'), 'tools', undefined);
    const b = gated.listPage(fullAccess('admin_token', 't', 't'), 'tools', undefined);
    const c = gated.listPage(key('plain'), 'tools', undefined);
    assert.equal(a, b);
    assert.equal(a, c, 'a key without allow-lists sees the same page');
    assert.deepEqual(names(a), ['alpha__read_a', 'alpha__unread', 'alpha__write_a', 'beta__read_b']);
  });

  test('keys with the same allow-lists share a filtered page; others get their own', () => {
    const { gated } = setup();
    const one = gated.listPage(key('one', { tools: ['alpha__read*', 'beta/*'] }), 'tools', undefined);
    const two = gated.listPage(key('two', { tools: ['alpha__read*', 'beta/*'] }), 'tools', undefined);
    const other = gated.listPage(key('three', { servers: ['beta'] }), 'tools', undefined);
    assert.equal(one, two);
    assert.deepEqual(names(one), ['alpha__read_a', 'beta__read_b']);
    assert.deepEqual(names(other), ['beta__read_b']);
    assert.deepEqual(names(gated.listPage(key('r', { scopes: ['read'] }), 'tools', undefined)), []);
    assert.deepEqual(names(gated.listPage(key('r', { scopes: ['read'] }), 'prompts', undefined), 'prompts'), ['alpha__p']);
    assert.deepEqual(names(gated.listPage(key('x', { scopes: ['execute'] }), 'resources', undefined), 'resources'), []);
  });

  test('a catalogue change invalidates every view', () => {
    const { catalog, gated } = setup();
    const p = key('one', { servers: ['alpha'] });
    const before = gated.listPage(p, 'tools', undefined);
    catalog.setSource('alpha', { tools: tools('read_a', 'new_one'), resources: [], resourceTemplates: [], prompts: [] });
    const after = gated.listPage(p, 'tools', undefined);
    assert.notEqual(before, after);
    assert.deepEqual(names(after), ['alpha__new_one', 'alpha__read_a']);
  });

  test('filtered views paginate over what the principal sees, and cursors stay per view', () => {
    const { gated } = setup(1);
    const p = key('one', { tools: ['alpha/*'] });
    const seen: unknown[] = [];
    let cursor: string | undefined;
    do {
      const page = gated.listPage(p, 'tools', cursor);
      seen.push(...names(page));
      cursor = page['nextCursor'] as string | undefined;
    } while (cursor);
    assert.deepEqual(seen, ['alpha__read_a', 'alpha__unread', 'alpha__write_a']);
    assert.equal(gated.listPage(p, 'tools', undefined), gated.listPage(key('two', { tools: ['alpha/*'] }), 'tools', undefined));
  });

  test('listAll returns the whole visible list', () => {
    const { gated } = setup(1);
    assert.deepEqual(gated.listAll(key('one', { servers: ['beta'] }), 'tools').map((t) => t['name']), ['beta__read_b']);
    assert.equal(gated.listAll(fullAccess('local', 'l', 'l'), 'tools').length, 4);
  });
});
