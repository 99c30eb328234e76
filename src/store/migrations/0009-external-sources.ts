import type { Kysely, Migration } from 'kysely';

/**
 * External MCP sources of hosted servers (an upstream MCP server reached over Streamable HTTP or SSE,
 * whose tools can be imported), and the link from an imported hosted tool to the source tool it
 * forwards to. A source goes with its hosted server; a source with imported tools cannot be deleted
 * (the foreign key refuses it) until those tools are.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('external_sources')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('server', 'text', (c) => c.notNull().references('hosted_servers.name').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('transport', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      // JSON object; values may hold `${secret:NAME}` references to the hosted server's secrets.
      .addColumn('headers', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('timeout_ms', 'integer')
      .addColumn('last_discovered_at', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('external_sources_server_name', ['server', 'name'])
      .execute();
    // `python` tools run in the sandbox; `external` tools forward to a source's tool from the host.
    await db.schema.alterTable('hosted_tools').addColumn('kind', 'text', (c) => c.notNull().defaultTo('python')).execute();
    await db.schema.alterTable('hosted_tools').addColumn('external_source_id', 'text', (c) => c.references('external_sources.id')).execute();
    await db.schema.alterTable('hosted_tools').addColumn('external_tool', 'text').execute();
  },
};
