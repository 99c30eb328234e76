import type { Kysely } from 'kysely';

/** Table shapes for servers added through the API, per-server admin state (enabled, quarantine, disabled tools, allowed hosts). */
export interface ServersTables {}

/** Queries for servers added through the API, per-server admin state (enabled, quarantine, disabled tools, allowed hosts); the only code that touches these tables. */
export interface ServersRepo {}

export function createServersRepo(_db: Kysely<ServersTables>): ServersRepo {
  return {};
}
