import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB, tens of milliseconds) — OWASP's floor for scrypt. The
 * parameters are written into every hash, so raising them later leaves old hashes verifiable and
 * `needsRehash` tells the login code to upgrade them.
 */
const DEFAULT_COST = { logN: 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Upper bounds accepted when reading a hash, so a tampered row cannot make one verification eat the machine. */
const MAX_LOG_N = 20;

/** Passwords longer than this are refused before hashing (scrypt cost grows with input length too). */
export const MAX_PASSWORD_LENGTH = 1024;
export const MIN_PASSWORD_LENGTH = 8;

export interface ScryptCost {
  logN: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.logN;
  const opts: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 128 * N * cost.r * cost.p + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_BYTES, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$<log2 N>$<r>$<p>$<salt, base64url>$<key, base64url>` */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.logN, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parse(stored: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![logN, r, p].every((n) => Number.isInteger(n) && n > 0) || logN > MAX_LOG_N || r > 32 || p > 16) return undefined;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const key = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 8 || key.length !== KEY_BYTES) return undefined;
  return { cost: { logN, r, p }, salt, key };
}

/** Constant-time check of `password` against a stored hash; false (never a throw) for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const h = parse(stored);
  if (!h || password.length > MAX_PASSWORD_LENGTH) return false;
  const key = await derive(password, h.salt, h.cost);
  return timingSafeEqual(key, h.key);
}

/** True when the stored hash uses weaker parameters than today's (rehash on the next successful login). */
export function needsRehash(stored: string, cost: ScryptCost = DEFAULT_COST): boolean {
  const h = parse(stored);
  return !h || h.cost.logN < cost.logN || h.cost.r < cost.r || h.cost.p < cost.p;
}

let dummy: Promise<string> | undefined;

/**
 * Spend the same time as a real verification when there is no user to verify against, so response
 * times do not reveal which user names exist.
 */
export async function burnVerification(password: string): Promise<false> {
  dummy ??= hashPassword('switchboard-no-such-user');
  await verifyPassword(password, await dummy);
  return false;
}
