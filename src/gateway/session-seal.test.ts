import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { fullAccess } from '../shared/index.js';
import { StateSeal } from './modern/state-seal.js';
import { openSessionId, sealSessionId } from './session-seal.js';

const CALLER = { kind: 'api_key' as const, id: 'key_0123456789abcdef' };
const CLAUDE_LIKE = {
  caller: CALLER,
  protocolVersion: '2025-11-25',
  capabilities: { roots: { listChanged: true }, sampling: {}, elicitation: { form: {}, url: {} } },
  clientInfo: { name: 'claude-code', version: '2.0.14', title: 'Claude Code' },
};

test('a sealed session id is short visible ASCII that hides and carries the session', () => {
  const seal = new StateSeal([randomBytes(32)]);
  const sid = sealSessionId(seal, CLAUDE_LIKE, 1_700_000_000_000);
  assert.match(sid, /^v1\.[A-Za-z0-9_-]+$/);
  assert.ok(sid.length <= 320, `length ${sid.length}`);
  assert.doesNotMatch(sid, /claude|key_/);
  const opened = openSessionId(seal, sid)!;
  assert.equal(opened.caller.kind, 'api_key');
  assert.equal(opened.caller.id, CALLER.id);
  assert.equal(opened.protocolVersion, '2025-11-25');
  assert.deepEqual(opened.capabilities, CLAUDE_LIKE.capabilities);
  assert.deepEqual(opened.clientInfo, { name: 'claude-code', version: '2.0.14' });
  assert.equal(opened.createdAt, 1_700_000_000_000);
  assert.equal(opened.exposure, undefined);
  assert.notEqual(openSessionId(seal, sealSessionId(seal, CLAUDE_LIKE))!.key, opened.key, 'every session gets its own store key');
});

test('altered, truncated, foreign-key and other-purpose ids do not open', () => {
  const key = randomBytes(32);
  const seal = new StateSeal([key]);
  const sid = sealSessionId(seal, CLAUDE_LIKE);
  for (let i = 3; i < sid.length; i += 5) {
    const c = sid[i] === 'A' ? 'B' : 'A';
    assert.equal(openSessionId(seal, sid.slice(0, i) + c + sid.slice(i + 1)), undefined, `position ${i}`);
  }
  assert.equal(openSessionId(seal, sid.slice(0, -3)), undefined);
  assert.equal(openSessionId(new StateSeal([randomBytes(32)]), sid), undefined, 'another gateway key');
  // A requestState sealed by the same key for the 2026 era is not a session id.
  assert.equal(openSessionId(seal, seal.seal('mrtr', { k: 'held', h: 'x', r: 1 })), undefined);
  assert.equal(openSessionId(seal, seal.seal('mcp-session', { not: 'a session' })), undefined, 'a payload of the wrong shape');
  assert.equal(openSessionId(seal, '6f1c1d9e-0000-4000-8000-000000000000'), undefined);
  assert.equal(openSessionId(seal, 'x'.repeat(10_000)), undefined);
});

test('after a key rotation the previous key still opens ids it sealed; new ids use the new key', () => {
  const old = randomBytes(32);
  const fresh = randomBytes(32);
  const before = sealSessionId(new StateSeal([old]), CLAUDE_LIKE);
  const rotated = new StateSeal([fresh, old]);
  assert.ok(openSessionId(rotated, before));
  const after = sealSessionId(rotated, CLAUDE_LIKE);
  assert.equal(openSessionId(new StateSeal([old]), after), undefined);
  assert.ok(openSessionId(new StateSeal([fresh]), after));
});

test('outsized client capabilities and info are cut down to what routing needs; exposure is kept', () => {
  const seal = new StateSeal([randomBytes(32)]);
  const principal = fullAccess('user', 'u_1', 'someone');
  const big = { ...CLAUDE_LIKE.capabilities, experimental: { blob: 'x'.repeat(5000) }, extra: { more: 'y'.repeat(3000) } };
  const sid = sealSessionId(seal, { caller: { kind: principal.kind, id: principal.id }, protocolVersion: '2025-06-18', capabilities: big, clientInfo: { name: 'n'.repeat(1000), version: '1', icons: [{ src: 'z'.repeat(2000) }] }, exposure: { mode: 'profile', profile: 'ops' } });
  assert.ok(sid.length < 600, `length ${sid.length}`);
  const opened = openSessionId(seal, sid)!;
  assert.deepEqual(opened.capabilities, CLAUDE_LIKE.capabilities);
  assert.equal((opened.clientInfo['name'] as string).length, 128);
  assert.equal(opened.clientInfo['icons'], undefined);
  assert.deepEqual(opened.exposure, { mode: 'profile', profile: 'ops' });
});
