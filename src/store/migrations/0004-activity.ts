import type { Kysely, Migration } from 'kysely';

/**
 * Tables for the activity log (MCP requests, policy decisions, admin changes): one row per record,
 * written in batches. Times are ISO-8601 UTC strings with milliseconds, so they sort and range-compare
 * as text on every dialect.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('activity')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('caller_kind', 'text')
      .addColumn('caller_id', 'text')
      .addColumn('caller_name', 'text')
      .addColumn('session_id', 'text')
      .addColumn('method', 'text')
      .addColumn('server', 'text')
      .addColumn('tool', 'text')
      .addColumn('target', 'text')
      .addColumn('duration_ms', 'integer')
      .addColumn('result_bytes', 'integer')
      .addColumn('request_id', 'text')
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('reason', 'text')
      .addColumn('arguments_json', 'text')
      .addColumn('result_json', 'text')
      .addColumn('before_json', 'text')
      .addColumn('after_json', 'text')
      .execute();
    await db.schema.createIndex('activity_at').on('activity').columns(['at', 'id']).execute();
    await db.schema.createIndex('activity_type_at').on('activity').columns(['type', 'at']).execute();
    await db.schema.createIndex('activity_server_at').on('activity').columns(['server', 'at']).execute();
    await db.schema.createIndex('activity_caller_at').on('activity').columns(['caller_id', 'at']).execute();
    await db.schema.createIndex('activity_session').on('activity').column('session_id').execute();
  },
};
