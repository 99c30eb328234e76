import { createHash, randomBytes, randomUUID } from 'node:crypto';

/**
 * Opaque credentials: a recognisable prefix and 32 random bytes. Only their SHA-256 digest is ever
 * stored; the secret exists in clear once, in the response that creates it. SHA-256 (not a slow hash)
 * is right here because the secrets are random, not chosen by people.
 */
export const SECRET_PREFIX = {
  apiKey: 'sbk_',
  adminToken: 'sba_',
  refreshToken: 'sbr_',
} as const;

export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** The stored form of an opaque secret: hex SHA-256. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Enough of a key to recognise it in a list, not enough to narrow a guess. */
export function displayPrefix(secret: string): string {
  return secret.slice(0, 12);
}

export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}
