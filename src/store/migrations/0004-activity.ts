import type { Kysely, Migration } from 'kysely';

/** Tables for the activity log (MCP requests, policy decisions, admin changes). */
export const migration: Migration = {
  async up(_db: Kysely<unknown>) {
    // Filled in with the activity tables.
  },
};
