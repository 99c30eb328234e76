import type { Kysely } from 'kysely';

/** Table shapes for the activity log (MCP requests, policy decisions, admin changes). */
export interface ActivityTables {}

/** Queries for the activity log (MCP requests, policy decisions, admin changes); the only code that touches these tables. */
export interface ActivityRepo {}

export function createActivityRepo(_db: Kysely<ActivityTables>): ActivityRepo {
  return {};
}
