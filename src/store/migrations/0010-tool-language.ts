import type { Kysely, Migration } from 'kysely';

/**
 * The language of a hosted tool's code: `python` (Pyodide) or `javascript` (QuickJS), on the tool and
 * on each version (a rollback restores the language with the code). Existing tools are Python.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('hosted_tools').addColumn('language', 'text', (c) => c.notNull().defaultTo('python')).execute();
    await db.schema.alterTable('hosted_tool_versions').addColumn('language', 'text', (c) => c.notNull().defaultTo('python')).execute();
  },
};
