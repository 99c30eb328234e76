import type { Kysely, Migration } from 'kysely';

/** Tables for users, sessions (refresh token families), API keys, the admin token, login attempts. */
export const migration: Migration = {
  async up(_db: Kysely<unknown>) {
    // Filled in with the auth tables.
  },
};
