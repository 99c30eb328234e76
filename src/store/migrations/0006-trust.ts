import type { Kysely, Migration } from 'kysely';

/** Tables for tool and prompt pinning, per-server trust settings, and exposure profiles. */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    // One row per tool or prompt an upstream ever offered: the definition it offers now, the one an
    // admin (or the baseline) approved, the scanner's findings and the resulting state.
    await db.schema
      .createTable('tool_pins')
      .addColumn('server', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('approved_fingerprint', 'text')
      .addColumn('approved_definition', 'text')
      .addColumn('findings', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('decided_by', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('tool_pins_pk', ['server', 'kind', 'name'])
      .execute();
    // Per-server override of the auto_approve_tool_changes setting (null: follow the setting).
    await db.schema
      .createTable('server_trust')
      .addColumn('server', 'text', (c) => c.primaryKey())
      .addColumn('auto_approve', 'integer')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('profiles')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
