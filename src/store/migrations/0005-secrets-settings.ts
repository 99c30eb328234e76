import type { Kysely, Migration } from 'kysely';

/** Tables for encrypted per-server secrets and the settings document. */
export const migration: Migration = {
  async up(_db: Kysely<unknown>) {
    // Filled in with the secrets tables.
  },
};
