import type { Kysely } from 'kysely';

/** Table shapes for users, sessions (refresh token families), API keys, the admin token, login attempts. */
export interface AuthTables {}

/** Queries for users, sessions (refresh token families), API keys, the admin token, login attempts; the only code that touches these tables. */
export interface AuthRepo {}

export function createAuthRepo(_db: Kysely<AuthTables>): AuthRepo {
  return {};
}
