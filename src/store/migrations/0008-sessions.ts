import type { Kysely, Migration } from 'kysely';

/**
 * The mutable state of 2025-era MCP sessions (log level, resource subscriptions) and their end, so a
 * restarted gateway or a replica sharing the data dir serves a session it did not open. Each change is
 * one idempotent statement on its own row, so replicas changing the same session do not overwrite
 * each other.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('mcp_sessions')
      // A random key sealed inside the session id, never the id itself.
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('log_level', 'text')
      .addColumn('ended', 'integer', (c) => c.notNull().defaultTo(0))
      // Milliseconds since the epoch: replicas poll for sessions changed since their last look.
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('mcp_sessions_updated_at').on('mcp_sessions').column('updated_at').execute();
    await db.schema
      .createTable('mcp_session_subscriptions')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('uri', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('mcp_session_subscriptions_pk', ['key', 'uri'])
      .execute();
  },
};
