import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerConfig } from '../config/index.js';
import { SwitchboardError } from '../shared/index.js';
import { decodeMasterKey, keyIdOf, loadMasterKey, MASTER_KEY_FILE, onlyReferences, seal, secretReferences, sign, substituteSecrets, unseal, verifySignature } from './index.js';

const server = (over: Partial<ServerConfig> = {}): ServerConfig => ({ name: 'gh', transport: 'stdio', command: 'x', args: ['${secret:NOT_IN_ARGS}'], env: {}, headers: {}, enabled: true, quarantined: false, timeoutMs: 60_000, ...over });

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sb-secrets-'));
}

describe('master key', () => {
  const raw = randomBytes(32);

  test('accepts 64 hex characters, base64 and base64url (with or without padding)', () => {
    for (const text of [raw.toString('hex'), raw.toString('hex').toUpperCase(), raw.toString('base64'), raw.toString('base64url'), `  ${raw.toString('base64')}\n`]) {
      assert.deepEqual(decodeMasterKey(text, 'TEST'), raw, text);
    }
  });

  test('refuses a wrong length clearly, without echoing the key', () => {
    const short = randomBytes(16).toString('base64');
    for (const text of [short, 'abc', randomBytes(33).toString('hex'), 'not a key!']) {
      assert.throws(
        () => decodeMasterKey(text, 'SWITCHBOARD_MASTER_KEY'),
        (err: unknown) => err instanceof SwitchboardError && err.code === 'SWB_SECRET_MASTER_KEY_INVALID' && err.message.includes('32 bytes') && !err.message.includes(text.trim()),
      );
    }
  });

  test('from the environment when set; the env value wins over a key file', () => {
    const dir = tempDir();
    try {
      const k = loadMasterKey({ env: { SWITCHBOARD_MASTER_KEY: raw.toString('hex') }, dataDir: dir });
      assert.equal(k.source, 'env');
      assert.deepEqual(k.key, raw);
      assert.equal(k.id, keyIdOf(raw));
      assert.throws(() => statSync(join(dir, MASTER_KEY_FILE)), 'no key file is written when the environment supplies the key');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('generated into the data dir with mode 0600 and reused; a loose mode is tightened', () => {
    const dir = tempDir();
    try {
      const first = loadMasterKey({ env: {}, dataDir: dir });
      const file = join(dir, MASTER_KEY_FILE);
      assert.equal(first.source, 'file');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.deepEqual(decodeMasterKey(readFileSync(file, 'utf8'), file), first.key);
      chmodSync(file, 0o644);
      const again = loadMasterKey({ env: { SWITCHBOARD_MASTER_KEY: '' }, dataDir: dir });
      assert.deepEqual(again.key, first.key, 'the same key comes back (an empty variable counts as unset)');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      writeFileSync(file, 'garbage\n');
      assert.throws(() => loadMasterKey({ env: {}, dataDir: dir }), (e: unknown) => e instanceof SwitchboardError && e.code === 'SWB_SECRET_MASTER_KEY_INVALID');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the key id is a fingerprint, not the key', () => {
    const id = keyIdOf(raw);
    assert.match(id, /^[0-9a-f]{16}$/);
    assert.ok(!raw.toString('hex').includes(id));
  });
});

describe('sealing', () => {
  const master = { key: randomBytes(32), id: 'k1', source: 'env' as const };
  const other = { key: randomBytes(32), id: 'k2', source: 'env' as const };

  test('AES-256-GCM round trip with a fresh nonce each time; the ciphertext does not contain the value', () => {
    const a = seal(master, 'gh', 'TOKEN', 'ghp_value');
    const b = seal(master, 'gh', 'TOKEN', 'ghp_value');
    assert.notEqual(a.nonce, b.nonce);
    assert.notEqual(a.ciphertext, b.ciphertext);
    assert.equal(Buffer.from(a.nonce, 'base64').length, 12);
    assert.equal(Buffer.from(a.tag, 'base64').length, 16);
    assert.ok(!Buffer.from(a.ciphertext, 'base64').toString('latin1').includes('ghp_value'));
    assert.equal(unseal(master, 'gh', 'TOKEN', a), 'ghp_value');
  });

  test('bound to its slot and key; tampering fails closed', () => {
    const s = seal(master, 'gh', 'TOKEN', 'v');
    assert.equal(unseal(master, 'other', 'TOKEN', s), undefined, 'another server');
    assert.equal(unseal(master, 'gh', 'OTHER', s), undefined, 'another name');
    assert.equal(unseal({ ...other, id: 'k1' }, 'gh', 'TOKEN', s), undefined, 'another key');
    assert.equal(unseal(other, 'gh', 'TOKEN', s), undefined, 'another key id');
    const flipped = Buffer.from(s.ciphertext, 'base64');
    flipped[0]! ^= 1;
    assert.equal(unseal(master, 'gh', 'TOKEN', { ...s, ciphertext: flipped.toString('base64') }), undefined);
  });

  test('signatures verify only for the same text and key', () => {
    const sig = sign(master, 'backup', 'text');
    assert.ok(verifySignature(master, 'backup', 'text', sig));
    assert.ok(!verifySignature(master, 'backup', 'text2', sig));
    assert.ok(!verifySignature(other, 'backup', 'text', sig));
    assert.ok(!verifySignature(master, 'other-purpose', 'text', sig));
    assert.ok(!verifySignature(master, 'backup', 'text', 'short'));
  });
});

describe('${secret:NAME} references', () => {
  test('found in env values, header values and the URL, never in args or keys', () => {
    assert.deepEqual(secretReferences(server({ env: { A: '${secret:A}', B: 'x-${secret:B}-${secret:A}' } })), ['A', 'B']);
    assert.deepEqual(secretReferences(server({ transport: 'streamable-http', command: undefined, args: [], url: 'https://h/${secret:U}', headers: { authorization: 'Bearer ${secret:T}' } })), ['T', 'U']);
    assert.deepEqual(secretReferences(server()), []);
  });

  test('substitution fills what it can and reports the rest, leaving those references as written', () => {
    const s = server({ env: { A: '${secret:A}', B: 'pre ${secret:B}' } });
    const { config, missing } = substituteSecrets(s, (n) => (n === 'A' ? 'value-a' : undefined));
    assert.deepEqual(config.env, { A: 'value-a', B: 'pre ${secret:B}' });
    assert.deepEqual(missing, ['B']);
    assert.deepEqual(config.args, s.args, 'args untouched');
    assert.deepEqual(s.env, { A: '${secret:A}', B: 'pre ${secret:B}' }, 'the input is not mutated');
  });

  test('onlyReferences tells a pure reference from a value that may be a credential', () => {
    assert.ok(onlyReferences('${secret:A}'));
    assert.ok(onlyReferences('${secret:A}${secret:B}'));
    assert.ok(!onlyReferences('Bearer ${secret:A}'));
    assert.ok(!onlyReferences(''));
  });
});
