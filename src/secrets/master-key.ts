import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SwitchboardError } from '../shared/index.js';

/** The environment variable that supplies the master key. */
export const MASTER_KEY_ENV = 'SWITCHBOARD_MASTER_KEY';
/** The file the key is generated into when the environment does not supply one. */
export const MASTER_KEY_FILE = 'master.key';

const KEY_BYTES = 32;

/** The AES-256 key that encrypts secrets, and a fingerprint of it that is safe to store and show. */
export interface MasterKey {
  readonly key: Buffer;
  /** 16 hex characters derived one-way from the key; stored beside each ciphertext. */
  readonly id: string;
  readonly source: 'env' | 'file';
}

/** A non-reversible fingerprint, so a ciphertext can say which key made it without revealing that key. */
export function keyIdOf(key: Buffer): string {
  return createHmac('sha256', key).update('switchboard/master-key-id/v1').digest('hex').slice(0, 16);
}

/**
 * Decode a key written as 64 hex characters, or as base64 / base64url (with or without padding) of
 * exactly 32 bytes. Anything else is refused; the message gives the length, never the text.
 */
export function decodeMasterKey(text: string, origin: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) {
    const bytes = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === KEY_BYTES) return bytes;
    throw new SwitchboardError('SWB_SECRET_MASTER_KEY_INVALID', `${origin} decodes to ${bytes.length} bytes; the master key must be exactly ${KEY_BYTES} bytes (64 hex characters, or 44 base64 characters)`, { origin, bytes: bytes.length });
  }
  throw new SwitchboardError('SWB_SECRET_MASTER_KEY_INVALID', `${origin} is neither 64 hex characters nor base64 (${t.length} characters given); the master key must be exactly ${KEY_BYTES} bytes`, { origin, length: t.length });
}

/**
 * The master key: `SWITCHBOARD_MASTER_KEY` when set (non-empty), else `<dataDir>/master.key`, which is
 * generated (32 random bytes, base64, mode 0600) the first time. A key file readable by others has its
 * mode tightened.
 */
export function loadMasterKey(opts: { env: Readonly<Record<string, string | undefined>>; dataDir: string }): MasterKey {
  const fromEnv = opts.env[MASTER_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const key = decodeMasterKey(fromEnv, MASTER_KEY_ENV);
    return { key, id: keyIdOf(key), source: 'env' };
  }
  const path = join(opts.dataDir, MASTER_KEY_FILE);
  if (!existsSync(path)) {
    const key = randomBytes(KEY_BYTES);
    // `wx`: two processes starting on a fresh data dir must not both write a key.
    try {
      writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      return { key, id: keyIdOf(key), source: 'file' };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new SwitchboardError('SWB_STORE_UNAVAILABLE', `Cannot write the master key file ${path}: ${(err as Error).message}`, { file: path });
      }
    }
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const key = decodeMasterKey(readFileSync(path, 'utf8'), path);
  return { key, id: keyIdOf(key), source: 'file' };
}
