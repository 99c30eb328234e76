import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fullAccess, type Principal } from '../shared/index.js';
import { decide, filterVisible, isValidPattern, viewSignature, type PolicyItem } from './index.js';

const key = (over: Partial<Principal>): Principal => ({ kind: 'api_key', id: 'k1', name: 'key', scopes: ['read', 'execute'], ...over });
const tool = (server: string, original: string, name = `${server}__${original}`): PolicyItem => ({ kind: 'tool', server, name, original });
const resource = (server: string, name: string): PolicyItem => ({ kind: 'resource', server, name });
const prompt = (server: string, name: string): PolicyItem => ({ kind: 'prompt', server, name, original: name });

describe('decide: scopes', () => {
  test('tools need execute; resources, templates and prompts need read; admin implies both', () => {
    const readOnly = key({ scopes: ['read'] });
    const execOnly = key({ scopes: ['execute'] });
    const admin = key({ scopes: ['admin'] });
    assert.deepEqual(decide(readOnly, 'call', tool('memory', 'read_graph')), { allowed: false, reason: 'missing_scope:execute' });
    assert.deepEqual(decide(readOnly, 'list', tool('memory', 'read_graph')), { allowed: false, reason: 'missing_scope:execute' });
    assert.equal(decide(readOnly, 'read', resource('everything', 'demo://resource/static/document/a.md')).allowed, true);
    assert.equal(decide(readOnly, 'get', prompt('everything', 'simple-prompt')).allowed, true);
    assert.equal(decide(readOnly, 'complete', { kind: 'resource_template', server: 'everything', name: 'demo://x/{id}' }).allowed, true);
    assert.deepEqual(decide(execOnly, 'read', resource('everything', 'x')), { allowed: false, reason: 'missing_scope:read' });
    assert.deepEqual(decide(execOnly, 'get', prompt('everything', 'p')), { allowed: false, reason: 'missing_scope:read' });
    assert.equal(decide(execOnly, 'call', tool('memory', 'read_graph')).allowed, true);
    for (const item of [tool('a', 'b'), resource('a', 'b'), prompt('a', 'b')]) assert.equal(decide(admin, 'list', item).allowed, true);
    assert.deepEqual(decide(key({ scopes: ['write'] }), 'call', tool('a', 'b')), { allowed: false, reason: 'missing_scope:execute' });
  });

  test('seeing and using are one decision', () => {
    const principals = [key({}), key({ scopes: ['read'] }), key({ servers: ['mem*'] }), key({ tools: ['*echo'] }), key({ tools: ['everything/get-*'] })];
    const items = [tool('memory', 'read_graph'), tool('everything', 'echo'), tool('everything', 'get-sum'), resource('memory', 'm://x'), prompt('everything', 'p')];
    for (const p of principals) {
      for (const it of items) {
        const seen = decide(p, 'list', it).allowed;
        const used = decide(p, it.kind === 'tool' ? 'call' : it.kind === 'prompt' ? 'get' : 'read', it).allowed;
        assert.equal(seen, used, `${JSON.stringify(p)} × ${it.name}`);
      }
    }
  });

  test('an action that does not apply to the kind is refused', () => {
    assert.deepEqual(decide(fullAccess('local', 'l', 'l'), 'call', resource('a', 'b')), { allowed: false, reason: 'action_not_applicable' });
    assert.deepEqual(decide(fullAccess('local', 'l', 'l'), 'read', tool('a', 'b')), { allowed: false, reason: 'action_not_applicable' });
  });
});

describe('decide: allow-lists', () => {
  test('server globs match the whole server name', () => {
    const p = key({ servers: ['mem*', 'every?hing'] });
    assert.equal(decide(p, 'call', tool('memory', 'read_graph')).allowed, true);
    assert.equal(decide(p, 'call', tool('everything', 'echo')).allowed, true);
    assert.deepEqual(decide(p, 'call', tool('my-memory', 'read_graph')), { allowed: false, reason: 'server_not_allowed' });
    assert.deepEqual(decide(p, 'read', resource('fs', 'file:///x')), { allowed: false, reason: 'server_not_allowed' });
    assert.deepEqual(decide(p, 'get', prompt('fs', 'p')), { allowed: false, reason: 'server_not_allowed' });
  });

  test('tool globs match the whole exposed name, never a substring', () => {
    const p = key({ tools: ['read*', 'everything__echo'] });
    assert.equal(decide(p, 'call', tool('x', 'r', 'read_graph')).allowed, true);
    assert.deepEqual(decide(p, 'call', tool('x', 'r', 'unread')), { allowed: false, reason: 'tool_not_allowed' });
    assert.deepEqual(decide(p, 'call', tool('x', 'r', 'memory__read_graph')), { allowed: false, reason: 'tool_not_allowed' });
    assert.equal(decide(p, 'call', tool('everything', 'echo')).allowed, true);
    assert.deepEqual(decide(p, 'call', tool('everything', 'echo', 'everything__echo2')), { allowed: false, reason: 'tool_not_allowed' });
    assert.deepEqual(decide(p, 'call', tool('everything', 'echo', 'xeverything__echo')), { allowed: false, reason: 'tool_not_allowed' });
  });

  test('a pattern with "/" matches server/original-name, whatever the prefix or separator', () => {
    const p = key({ tools: ['memory/read_*', '*/echo'] });
    assert.equal(decide(p, 'call', tool('memory', 'read_graph', 'read_graph')).allowed, true, 'bare exposed name');
    assert.equal(decide(p, 'call', tool('memory', 'read_graph', 'mem.read_graph')).allowed, true, 'aliased, other separator');
    assert.equal(decide(p, 'call', tool('everything', 'echo')).allowed, true);
    assert.equal(decide(p, 'call', tool('remote', 'echo', 'remote__echo')).allowed, true);
    assert.deepEqual(decide(p, 'call', tool('memory', 'create_entities')), { allowed: false, reason: 'tool_not_allowed' });
    assert.deepEqual(decide(p, 'call', tool('memory2', 'read_graph')), { allowed: false, reason: 'tool_not_allowed' }, 'server part is whole too');
    // The exposed name is not matched by a slash pattern, nor the qualified name by a plain one.
    assert.deepEqual(decide(key({ tools: ['memory*'] }), 'call', tool('memory', 'read_graph', 'read_graph')), { allowed: false, reason: 'tool_not_allowed' });
  });

  test('server and tool lists both apply; tool lists do not restrict resources or prompts', () => {
    const p = key({ servers: ['everything'], tools: ['*/echo'] });
    assert.equal(decide(p, 'call', tool('everything', 'echo')).allowed, true);
    assert.deepEqual(decide(p, 'call', tool('memory', 'echo')), { allowed: false, reason: 'server_not_allowed' });
    assert.deepEqual(decide(p, 'call', tool('everything', 'add')), { allowed: false, reason: 'tool_not_allowed' });
    assert.equal(decide(p, 'read', resource('everything', 'demo://r')).allowed, true);
    assert.equal(decide(p, 'get', prompt('everything', 'simple-prompt')).allowed, true);
  });

  test('an empty allow-list allows nothing; an absent one allows everything', () => {
    assert.deepEqual(decide(key({ servers: [] }), 'call', tool('a', 'b')), { allowed: false, reason: 'server_not_allowed' });
    assert.deepEqual(decide(key({ tools: [] }), 'call', tool('a', 'b')), { allowed: false, reason: 'tool_not_allowed' });
    assert.equal(decide(key({}), 'call', tool('a', 'b')).allowed, true);
  });
});

describe('glob edge cases', () => {
  const allowed = (pattern: string, name: string) => decide(key({ tools: [pattern] }), 'call', tool('s', 'o', name)).allowed;

  test('wildcards, classes and braces', () => {
    assert.equal(allowed('*', 'anything.at-all_1'), true);
    assert.equal(allowed('*', '.dotted'), true, 'dot names are not hidden');
    assert.equal(allowed('get-?um', 'get-sum'), true);
    assert.equal(allowed('get-?um', 'get-sums'), false);
    assert.equal(allowed('{echo,add}', 'add'), true);
    assert.equal(allowed('{echo,add}', 'echoadd'), false);
    assert.equal(allowed('[ab]*', 'beta'), true);
    assert.equal(allowed('[ab]*', 'cat'), false);
  });

  test('case-sensitive; no negation, no extglobs, no regex', () => {
    assert.equal(allowed('Echo', 'echo'), false);
    assert.equal(allowed('!echo', 'add'), false, 'a leading ! is not a negation that grants everything else');
    assert.equal(allowed('!echo', '!echo'), true);
    assert.equal(allowed('+(a)', 'aaa'), false);
    assert.equal(allowed('a.*', 'abc'), false, 'a dot is a literal dot');
    assert.equal(allowed('.*', 'x'), false);
  });

  test('unusable patterns grant nothing and are reported invalid', () => {
    assert.equal(allowed('', ''), false);
    assert.equal(isValidPattern(''), false);
    assert.equal(isValidPattern('   '), false);
    assert.equal(isValidPattern('a\nb'), false);
    assert.equal(isValidPattern('x'.repeat(300)), false);
    for (const ok of ['*', 'memory/*', 'read_*', '{a,b}', 'every?hing', '[ab]c']) assert.equal(isValidPattern(ok), true, ok);
  });
});

describe('filterVisible and viewSignature', () => {
  const items = [tool('everything', 'echo'), tool('memory', 'read_graph'), tool('memory', 'unread')];

  test('filterVisible keeps order and agrees with decide', () => {
    const p = key({ servers: ['memory'], tools: ['*read*'] });
    assert.deepEqual(filterVisible(p, items).map((i) => i.name), ['memory__read_graph', 'memory__unread']);
    assert.deepEqual(filterVisible(key({ scopes: ['read'] }), items), []);
    assert.equal(filterVisible(fullAccess('bootstrap', 'b', 'b'), items).length, 3);
  });

  test('principals that see the same things share a signature', () => {
    assert.equal(viewSignature(fullAccess('bootstrap', 'b', 'b'), 'tool'), '*');
    assert.equal(viewSignature(key({ id: 'other' }), 'tool'), '*');
    assert.equal(viewSignature(key({ scopes: ['read'] }), 'tool'), '-');
    assert.equal(viewSignature(key({ scopes: ['read'], tools: ['x'] }), 'resource'), '*', 'tool lists do not narrow resources');
    const a = viewSignature(key({ id: 'a', servers: ['m*'] }), 'tool');
    assert.equal(a, viewSignature(key({ id: 'b', servers: ['m*'] }), 'tool'));
    assert.notEqual(a, viewSignature(key({ servers: ['m*'], tools: ['x'] }), 'tool'));
    assert.notEqual(a, '*');
  });
});
