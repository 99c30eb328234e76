import type { Kysely, Migration } from 'kysely';

/** Tables for servers added through the API, per-server admin state (enabled, quarantine, disabled tools, allowed hosts). */
export const migration: Migration = {
  async up(_db: Kysely<unknown>) {
    // Filled in with the servers tables.
  },
};
