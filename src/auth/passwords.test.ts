import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { globProblems } from './globs.js';
import { LoginLimiter } from './login-limiter.js';
import { hashPassword, needsRehash, verifyPassword } from './passwords.js';

describe('password hashes', () => {
  test('scrypt with its parameters in the hash; verify accepts the password and nothing else', async () => {
    const h = await hashPassword('correct horse');
    assert.match(h, /^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.equal(await verifyPassword('correct horse', h), true);
    assert.equal(await verifyPassword('correct horsf', h), false);
    assert.notEqual(await hashPassword('correct horse'), h, 'salted');
  });

  test('Unicode forms compare equal (NFC)', async () => {
    const h = await hashPassword('caf\u00e9 au lait');
    assert.equal(await verifyPassword('cafe\u0301 au lait', h), true);
  });

  test('a malformed or absurd hash is a failed check, never a throw', async () => {
    for (const bad of ['', 'plain', 'scrypt$15$8$1$x$y', 'scrypt$40$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'bcrypt$...']) {
      assert.equal(await verifyPassword('x', bad), false, bad);
    }
  });

  test('weaker parameters ask for a rehash', async () => {
    const weak = await hashPassword('pw', { logN: 10, r: 8, p: 1 });
    assert.equal(await verifyPassword('pw', weak), true);
    assert.equal(needsRehash(weak), true);
    assert.equal(needsRehash(await hashPassword('pw')), false);
  });
});

describe('allow-list globs', () => {
  test('names and glob syntax pass', () => {
    assert.deepEqual(globProblems(['github', 'github__*', 'db-?', 'srv-[abc]', '{a,b}__read_*', 'ns/tool.v1', 'user@host:x']), []);
  });
  test('spaces, control characters, unbalanced brackets, empty or overlong patterns are refused', () => {
    for (const bad of ['', 'has space', 'tab\there', 'db-[abc', 'a{b,c', 'a]', 'x'.repeat(201), 'semi;colon', 'new\nline', '!secret*']) {
      assert.equal(globProblems([bad]).length, 1, JSON.stringify(bad));
    }
    assert.equal(globProblems(Array.from({ length: 101 }, (_, i) => `s${i}`)).length, 1);
  });
});

describe('login limiter', () => {
  const limits = { ipFailures: 3, ipWindowMs: 60_000, userFailures: 2, lockoutMs: 30_000 };

  test('an address waits after too many failures, until its window ends', () => {
    const l = new LoginLimiter(limits);
    for (let i = 0; i < 3; i++) l.recordIpFailure('1.2.3.4', 1000);
    assert.equal(l.ipRetryAfter('1.2.3.4', 1000), 60);
    assert.equal(l.ipRetryAfter('5.6.7.8', 1000), 0);
    assert.equal(l.ipRetryAfter('1.2.3.4', 61_001), 0);
  });

  test('an unknown name locks like an account, case-insensitively', () => {
    const l = new LoginLimiter(limits);
    l.recordNameFailure('Ghost', 0);
    assert.equal(l.nameRetryAfter('ghost', 0), 0);
    l.recordNameFailure('GHOST', 10);
    assert.equal(l.nameRetryAfter('ghost', 10), 30);
    assert.equal(l.nameRetryAfter('ghost', 30_011), 0);
  });
});
