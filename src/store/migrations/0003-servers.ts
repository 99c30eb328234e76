import { sql, type Kysely, type Migration } from 'kysely';

/** Tables for servers added through the API, per-server admin state (enabled, quarantine, disabled tools, allowed hosts). */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;
    // Servers added through the API, the CLI, the MCP management tools or an import. The definition is
    // kept as written (placeholders unexpanded) and normalised when the effective set is computed.
    await db.schema
      .createTable('stored_servers')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(now))
      .addColumn('updated_at', 'text', (c) => c.notNull().defaultTo(now))
      .execute();
    // Admin state for every server name, whether it comes from the config file or the store. Rows
    // outlive a server leaving the config file, so quarantine cannot be lifted by removing and re-adding it.
    await db.schema
      .createTable('server_state')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('enabled', 'integer')
      .addColumn('quarantined_by', 'text')
      .addColumn('quarantined_at', 'text')
      .addColumn('quarantine_reason', 'text')
      .addColumn('approved_by', 'text')
      .addColumn('approved_at', 'text')
      .addColumn('disabled_tools', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('allowed_hosts', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('updated_at', 'text', (c) => c.notNull().defaultTo(now))
      .execute();
    // One row; bumped by every write so other processes on the same data dir notice changes cheaply.
    await db.schema
      .createTable('servers_revision')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .execute();
    await db.insertInto('servers_revision' as never).values({ id: 1, revision: 0 } as never).execute();
  },
};
