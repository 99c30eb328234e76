import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStateKeys, STATE_KEY_FILE, StateSeal } from './state-seal.js';

test('sealed state opens only with the same purpose and a known key, and is not readable', () => {
  const key = randomBytes(32);
  const seal = new StateSeal([key]);
  const text = seal.seal('mrtr', { h: 'call-1', r: 2 });
  assert.doesNotMatch(text, /call-1/);
  assert.deepEqual(seal.open('mrtr', text), { h: 'call-1', r: 2 });
  assert.equal(seal.open('session', text), undefined, 'bound to its purpose');
  assert.equal(new StateSeal([randomBytes(32)]).open('mrtr', text), undefined, 'a foreign key does not open it');
  assert.notEqual(seal.seal('mrtr', { h: 'call-1', r: 2 }), text, 'a fresh nonce each time');
});

test('any altered character, truncation or garbage is refused', () => {
  const seal = new StateSeal([randomBytes(32)]);
  const text = seal.seal('mrtr', { ok: true });
  for (let i = 3; i < text.length; i += 7) {
    const c = text[i] === 'A' ? 'B' : 'A';
    assert.equal(seal.open('mrtr', text.slice(0, i) + c + text.slice(i + 1)), undefined, `position ${i}`);
  }
  assert.equal(seal.open('mrtr', text.slice(0, -4)), undefined);
  assert.equal(seal.open('mrtr', `${text}-TAMPERED`), undefined);
  assert.equal(seal.open('mrtr', 'v1.'), undefined);
  assert.equal(seal.open('mrtr', 'hello'), undefined);
});

test('rotation: the new key seals, the previous key still opens what it sealed', () => {
  const old = randomBytes(32);
  const fresh = randomBytes(32);
  const before = new StateSeal([old]).seal('mrtr', { n: 1 });
  const rotated = new StateSeal([fresh, old]);
  assert.deepEqual(rotated.open('mrtr', before), { n: 1 });
  assert.equal(new StateSeal([old]).open('mrtr', rotated.seal('mrtr', { n: 2 })), undefined);
});

test('keys: generated once in the data dir with mode 0600, or taken from the environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-state-key-'));
  try {
    const a = loadStateKeys(dir, {});
    assert.equal(statSync(join(dir, STATE_KEY_FILE)).mode & 0o777, 0o600);
    assert.deepEqual(loadStateKeys(dir, {}), a, 'stable across restarts');
    const env = randomBytes(32);
    const prev = randomBytes(32);
    const keys = loadStateKeys(dir, { SWITCHBOARD_STATE_KEY: env.toString('base64'), SWITCHBOARD_STATE_KEY_PREVIOUS: prev.toString('hex') });
    assert.deepEqual(keys, [env, prev]);
    assert.throws(() => loadStateKeys(dir, { SWITCHBOARD_STATE_KEY: 'short' }), /32 bytes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
