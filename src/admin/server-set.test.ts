import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerConfig } from '../config/index.js';
import type { ServerStateRecord, ServersSnapshot } from '../store/index.js';
import { normaliseAllowedHosts } from './allowed-hosts.js';
import { MASK, maskValues, normaliseDefinition, patchDefinition, toDefinition, unmask } from './server-definition.js';
import { computeServerSet, defaultState } from './server-set.js';

const file = (name: string, extra: Partial<ServerConfig> = {}): ServerConfig => ({ name, transport: 'stdio', command: 'node', args: [], env: {}, headers: {}, enabled: true, quarantined: false, timeoutMs: 1000, ...extra });
const ctx = { env: { HOME_DIR: '/home/x' }, baseDir: '/tmp' };
const stored = (name: string, definition: Record<string, unknown>) => ({ name, definition, createdBy: 'ada', createdAt: 't', updatedAt: 't' });
const state = (name: string, s: Partial<ServerStateRecord>): ServerStateRecord => ({ ...defaultState(name), ...s });
const snap = (over: Partial<ServersSnapshot> = {}): ServersSnapshot => ({ revision: 1, servers: [], states: [], ...over });
const compute = (fileServers: ServerConfig[], snapshot: ServersSnapshot, q = false) =>
  computeServerSet({ file: fileServers, snapshot, prefixed: true, quarantineConfigServers: q, normalise: (n, d) => normaliseDefinition(n, d, ctx) });

test('the effective set: file servers first, then stored ones; admin state from the store wins over the file', () => {
  const set = compute(
    [file('a'), file('b', { enabled: false }), file('c', { quarantined: true })],
    snap({ servers: [stored('s', { command: 'node' })], states: [state('a', { enabled: false }), state('b', { enabled: true }), state('s', { quarantine: { by: 'bob', at: 't', reason: 'r' } })] }),
  );
  assert.deepEqual(set.servers.map((s) => [s.name, s.source, s.enabled, s.quarantined]), [
    ['a', 'config', false, false],
    ['b', 'config', true, false],
    ['c', 'config', true, true],
    ['s', 'api', true, true],
  ]);
  assert.deepEqual(set.servers.map((s) => [s.config?.enabled, s.config?.quarantined]), [[false, false], [true, false], [true, true], [true, true]]);
});

test('an approval outlasts the file flag; the setting quarantines every unapproved file server', () => {
  const approved = state('c', { approved: { by: 'root', at: 't' } });
  assert.equal(compute([file('c', { quarantined: true })], snap({ states: [approved] })).servers[0]!.quarantined, false);
  const set = compute([file('a'), file('c')], snap({ states: [approved] }), true);
  assert.deepEqual(set.servers.map((s) => s.quarantined), [true, false]);
});

test('a stored server keeps its name: a clashing config-file entry (name or prefix) is left out and reported', () => {
  const set = compute([file('dup'), file('other', { alias: 'pfx' }), file('fine')], snap({ servers: [stored('dup', { command: 'x' }), stored('pfx', { command: 'y' })] }));
  assert.deepEqual(set.servers.map((s) => `${s.source}:${s.name}`), ['config:fine', 'api:dup', 'api:pfx']);
  assert.deepEqual(set.conflicts.map((c) => c.name), ['dup', 'other']);
});

test('an invalid stored definition is a problem of that server only', () => {
  const set = compute([file('a')], snap({ servers: [stored('bad', { command: 'x', url: 'http://y' }), stored('env', { command: 'x', env: { T: '${env:MISSING}' } })] }));
  assert.equal(set.servers[0]!.config?.name, 'a');
  assert.match(set.servers[1]!.problem!, /both "command" and "url"/);
  assert.match(set.servers[2]!.problem!, /MISSING is not set/);
  assert.equal(set.servers[1]!.config, undefined);
});

test('definitions: validation paths, masking and unmasking, patches that switch kind', () => {
  assert.throws(() => normaliseDefinition('x', toDefinition({ url: 'ftp://nope' }), ctx), (e: Error & { code?: string; details?: any }) => e.code === 'SWB_VALIDATION_FAILED' && e.details.issues[0].path === 'url');
  const def = toDefinition({ command: 'node', args: [], env: { TOKEN: 'abc', REF: '${secret:TOKEN}' }, timeout_ms: 5 });
  assert.deepEqual(def, { command: 'node', env: { TOKEN: 'abc', REF: '${secret:TOKEN}' }, timeoutMs: 5 });
  assert.deepEqual(maskValues(def.env!), { TOKEN: MASK, REF: '${secret:TOKEN}' });
  assert.deepEqual(unmask({ command: 'node', env: { TOKEN: MASK, NEW: 'v' } }, def).env, { TOKEN: 'abc', NEW: 'v' });
  assert.throws(() => unmask({ env: { OTHER: MASK } }, def), /no stored value/);
  const remote = patchDefinition({ ...def, transport: 'stdio' }, { url: 'http://127.0.0.1:1/mcp' });
  assert.deepEqual(remote, { url: 'http://127.0.0.1:1/mcp', timeoutMs: 5 });
  assert.deepEqual(patchDefinition(def, { timeout_ms: null, args: ['a'] }), { command: 'node', args: ['a'], env: def.env });
});

test('allowed hosts are validated and canonicalised', () => {
  assert.deepEqual(normaliseAllowedHosts(['API.example.com', 'api.example.com', 'x.io:8443', '*.github.com', '10.0.0.1', '[::1]:80']), ['api.example.com', 'x.io:8443', '*.github.com', '10.0.0.1', '[::1]:80']);
  for (const bad of ['http://x.io', 'x.io:0', 'x.io:99999', '-x.io', 'a b', '[zz]']) {
    assert.throws(() => normaliseAllowedHosts([bad]), (e: Error & { code?: string }) => e.code === 'SWB_VALIDATION_FAILED', bad);
  }
});
