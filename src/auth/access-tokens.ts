import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { ROLES, type Role } from '../shared/index.js';

/** Access tokens live 15 minutes; the refresh token (7 days) gets a new one. */
export const ACCESS_TOKEN_TTL_S = 15 * 60;
const ISSUER = 'switchboard';
const AUDIENCE = 'switchboard';

export interface AccessClaims {
  /** User id. */
  sub: string;
  role: Role;
  jti: string;
  /** The refresh-token family (one login): revoking it ends this token too. */
  sid: string;
  iat: number;
  exp: number;
}

export async function signAccessToken(key: Uint8Array, claims: { sub: string; role: Role; sid: string }, now = Date.now()): Promise<{ token: string; claims: AccessClaims }> {
  const iat = Math.floor(now / 1000);
  const full: AccessClaims = { ...claims, jti: randomUUID(), iat, exp: iat + ACCESS_TOKEN_TTL_S };
  const token = await new SignJWT({ role: full.role, sid: full.sid })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(full.sub)
    .setJti(full.jti)
    .setIssuedAt(full.iat)
    .setExpirationTime(full.exp)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .sign(key);
  return { token, claims: full };
}

/** The claims of a valid token; `expired` or `invalid` otherwise (never a throw). */
export async function verifyAccessToken(key: Uint8Array, token: string, now = Date.now()): Promise<AccessClaims | 'expired' | 'invalid'> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, currentDate: new Date(now) });
    const { sub, jti, iat, exp } = payload;
    const role = payload['role'];
    const sid = payload['sid'];
    if (typeof sub !== 'string' || typeof jti !== 'string' || typeof sid !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') return 'invalid';
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) return 'invalid';
    return { sub, role: role as Role, jti, sid, iat, exp };
  } catch (err) {
    return err instanceof joseErrors.JWTExpired ? 'expired' : 'invalid';
  }
}

/** Cheap shape test, so opaque keys are never handed to the JWT parser. */
export function looksLikeJwt(s: string): boolean {
  return s.startsWith('eyJ') && s.split('.').length === 3;
}
