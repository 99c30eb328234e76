import type { Kysely, Migration } from 'kysely';

/** Tables for encrypted per-server secrets and the settings document. */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('server_secrets')
      .addColumn('server', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      // AES-256-GCM output, base64; all null for a placeholder. Never the value in clear.
      .addColumn('ciphertext', 'text')
      .addColumn('nonce', 'text')
      .addColumn('tag', 'text')
      .addColumn('key_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('server_secrets_pk', ['server', 'name'])
      .execute();
    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
