import { sql, type Kysely, type Migration } from 'kysely';
import { migration as auth } from './migrations/0002-auth.js';
import { migration as servers } from './migrations/0003-servers.js';
import { migration as activity } from './migrations/0004-activity.js';
import { migration as secretsSettings } from './migrations/0005-secrets-settings.js';
import { migration as trust } from './migrations/0006-trust.js';
import { migration as hosted } from './migrations/0007-hosted.js';
import { migration as sessions } from './migrations/0008-sessions.js';
import { migration as externalSources } from './migrations/0009-external-sources.js';
import { migration as toolLanguage } from './migrations/0010-tool-language.js';

/**
 * Schema migrations, applied in key order and recorded by kysely's Migrator. Append only: a shipped
 * migration is never edited, a change is a new entry.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('upstream_events')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('at', 'text', (c) => c.notNull().defaultTo(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`))
        .addColumn('server', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('upstream_events_server_at').on('upstream_events').columns(['server', 'at']).execute();
    },
  },
  '0002_auth': auth,
  '0003_servers': servers,
  '0004_activity': activity,
  '0005_secrets_settings': secretsSettings,
  '0006_trust': trust,
  '0007_hosted': hosted,
  '0008_sessions': sessions,
  '0009_external_sources': externalSources,
  '0010_tool_language': toolLanguage,
};
