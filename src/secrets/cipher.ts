import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MasterKey } from './master-key.js';

/** One encrypted value as stored: base64 ciphertext, 96-bit nonce and 128-bit tag, and the key's id. */
export interface SealedValue {
  ciphertext: string;
  nonce: string;
  tag: string;
  keyId: string;
}

/**
 * Additional authenticated data binds a ciphertext to its slot, so a value copied onto another
 * server's or name's row does not decrypt.
 */
function slotAad(server: string, name: string): Buffer {
  return Buffer.from(`switchboard-secret\u0000${server}\u0000${name}`, 'utf8');
}

/** Encrypt one secret value with AES-256-GCM under a fresh random nonce. */
export function seal(master: MasterKey, server: string, name: string, value: string): SealedValue {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', master.key, nonce);
  cipher.setAAD(slotAad(server, name));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return { ciphertext: ciphertext.toString('base64'), nonce: nonce.toString('base64'), tag: cipher.getAuthTag().toString('base64'), keyId: master.id };
}

/** Decrypt a sealed value; `undefined` when it was made with another key or has been altered. */
export function unseal(master: MasterKey, server: string, name: string, sealed: SealedValue): string | undefined {
  if (sealed.keyId !== master.id) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', master.key, Buffer.from(sealed.nonce, 'base64'));
    decipher.setAAD(slotAad(server, name));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * A key derived from the master key for another purpose (e.g. signing backups), so the master key is
 * never used for two things and one key carried to a new machine is enough to restore there.
 */
export function deriveKey(master: MasterKey, purpose: string): Buffer {
  return createHmac('sha256', master.key).update(`switchboard/derived/${purpose}`).digest();
}

/** HMAC-SHA256 (base64url) of `text` under the key derived for `purpose`. */
export function sign(master: MasterKey, purpose: string, text: string): string {
  return createHmac('sha256', deriveKey(master, purpose)).update(text, 'utf8').digest('base64url');
}

/** Constant-time check of a {@link sign} signature. */
export function verifySignature(master: MasterKey, purpose: string, text: string, signature: string): boolean {
  const want = Buffer.from(sign(master, purpose, text), 'base64url');
  const got = Buffer.from(signature, 'base64url');
  return got.length === want.length && timingSafeEqual(got, want);
}
