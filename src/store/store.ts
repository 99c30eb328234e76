import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type MigrationProvider } from 'kysely';
import { MIGRATIONS } from './migrations.js';

interface Schema {
  meta: { key: string; value: string };
  upstream_events: { id: number | undefined; at: string | undefined; server: string; state: string };
}

export interface UpstreamEvent {
  at: string;
  server: string;
  state: string;
}

/** Switchboard's persistent state. SQLite in the data directory; the only importer of DB drivers. */
export interface Store {
  readonly path: string;
  recordUpstreamState(server: string, state: string): void;
  upstreamEvents(server: string, limit?: number): Promise<UpstreamEvent[]>;
  /** Applied migration names, oldest first. */
  migrations(): Promise<string[]>;
  close(): Promise<void>;
}

const KEEP_EVENTS_PER_SERVER = 500;

/** Open (creating if needed) the store in `dataDir` and bring its schema up to date. */
export async function openStore(dataDir: string): Promise<Store> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'switchboard.db');
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
  const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    await db.destroy();
    throw new Error(`Could not migrate ${path}: ${(error as Error).message ?? String(error)}`);
  }
  let closed = false;
  // State changes are rare and off the request path; writes are fire-and-forget but ordered.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    path,
    recordUpstreamState(server, state) {
      if (closed) return;
      queue = queue
        .then(() => db.insertInto('upstream_events').values({ server, state, id: undefined, at: undefined }).execute())
        .then(() =>
          db
            .deleteFrom('upstream_events')
            .where('server', '=', server)
            .where('id', 'not in', db.selectFrom('upstream_events').select('id').where('server', '=', server).orderBy('id', 'desc').limit(KEEP_EVENTS_PER_SERVER))
            .execute(),
        )
        .catch(() => undefined);
    },
    async upstreamEvents(server, limit = 50) {
      await queue;
      const rows = await db.selectFrom('upstream_events').select(['at', 'server', 'state']).where('server', '=', server).orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({ at: r.at!, server: r.server, state: r.state }));
    },
    async migrations() {
      const rows = await new Migrator({ db, provider }).getMigrations();
      return rows.filter((m) => m.executedAt).map((m) => m.name);
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      await db.destroy();
    },
  };
}
