import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Hosted servers and their Python tools: every saved version, the approval requests (tool publication
 * is a status on the tool; module and network requests are rows), and per-call execution logs.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('hosted_servers')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('description', 'text')
      .addColumn('running', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('allowed_hosts', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('timeout_ms', 'integer')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('hosted_tools')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('server', 'text', (c) => c.notNull().references('hosted_servers.name').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('input_schema', 'text', (c) => c.notNull())
      .addColumn('submitted_by', 'text', (c) => c.notNull())
      .addColumn('submitted_via', 'text', (c) => c.notNull())
      .addColumn('reviewed_by', 'text')
      .addColumn('reviewed_at', 'text')
      .addColumn('review_reason', 'text')
      .addColumn('publish_requested_at', 'text')
      .addColumn('publish_note', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('hosted_tools_server_name', ['server', 'name'])
      .execute();
    await db.schema
      .createTable('hosted_tool_versions')
      .addColumn('tool_id', 'text', (c) => c.notNull().references('hosted_tools.id').onDelete('cascade'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('input_schema', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('hosted_tool_versions_pk', ['tool_id', 'version'])
      .execute();
    await db.schema
      .createTable('hosted_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('server', 'text', (c) => c.notNull())
      .addColumn('tool_id', 'text')
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('justification', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('requested_via', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('hosted_requests_status').on('hosted_requests').columns(['kind', 'status']).execute();
    await db.schema
      .createTable('hosted_executions')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('tool_id', 'text', (c) => c.notNull())
      .addColumn('server', 'text', (c) => c.notNull())
      .addColumn('tool', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull().defaultTo(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`))
      .addColumn('caller', 'text', (c) => c.notNull())
      .addColumn('ok', 'integer', (c) => c.notNull())
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('arguments', 'text', (c) => c.notNull())
      .addColumn('result', 'text')
      .addColumn('stdout', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .execute();
    await db.schema.createIndex('hosted_executions_tool').on('hosted_executions').columns(['tool_id', 'id']).execute();
  },
};
