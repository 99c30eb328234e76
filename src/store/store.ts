import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SwitchboardError } from '../shared/index.js';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type MigrationProvider } from 'kysely';
import { MIGRATIONS } from './migrations.js';
import { createActivityRepo, type ActivityRepo, type ActivityTables } from './activity-repo.js';
import { createAuthRepo, type AuthRepo, type AuthTables } from './auth-repo.js';
import { createSecretsRepo, type SecretsRepo, type SecretsTables } from './secrets-repo.js';
import { createServersRepo, type ServersRepo, type ServersTables } from './servers-repo.js';
import { createTrustRepo, type TrustRepo, type TrustTables } from './trust-repo.js';
import { createHostedRepo, type HostedRepo, type HostedTables } from './hosted-repo.js';
import { createSessionsRepo, type SessionsRepo, type SessionsTables } from './sessions-repo.js';
import { createBackupRepo, type BackupRepo } from './backup-repo.js';
import { createExternalSourcesRepo, type ExternalSourcesRepo, type ExternalSourcesTables } from './external-sources-repo.js';

interface CoreTables {
  meta: { key: string; value: string };
  upstream_events: { id: number | undefined; at: string | undefined; server: string; state: string };
}

/** Every table; each repo declares its own slice. */
export interface Schema extends CoreTables, AuthTables, ServersTables, ActivityTables, SecretsTables, HostedTables, TrustTables, SessionsTables, ExternalSourcesTables {}

export interface UpstreamEvent {
  at: string;
  server: string;
  state: string;
}

/** Switchboard's persistent state. SQLite in the data directory; the only importer of DB drivers. */
export interface Store {
  readonly path: string;
  /** The directory holding the database and key files. */
  readonly dataDir: string;
  readonly auth: AuthRepo;
  readonly servers: ServersRepo;
  readonly activity: ActivityRepo;
  readonly secrets: SecretsRepo;
  /** Tool and prompt pins, per-server trust settings, exposure profiles. */
  readonly trust: TrustRepo;
  /** Hosted servers, their tools and versions, approval requests, execution logs. */
  readonly hosted: HostedRepo;
  /** Mutable state of 2025-era MCP sessions (log level, subscriptions) and their end. */
  readonly sessions: SessionsRepo;
  /** External MCP sources of hosted servers. */
  readonly externalSources: ExternalSourcesRepo;
  /** The rows a backup carries beyond servers, and the one transaction a restore writes them in. */
  readonly backup: BackupRepo;
  recordUpstreamState(server: string, state: string): void;
  upstreamEvents(server: string, limit?: number): Promise<UpstreamEvent[]>;
  /** Applied migration names, oldest first. */
  migrations(): Promise<string[]>;
  close(): Promise<void>;
}

const KEEP_EVENTS_PER_SERVER = 500;

/** Open (creating if needed) the store in `dataDir` and bring its schema up to date. */
export async function openStore(dataDir: string): Promise<Store> {
  const path = join(dataDir, 'switchboard.db');
  let sqlite: Database.Database;
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    sqlite = new Database(path);
  } catch (err) {
    // Clients that launch `switchboard stdio` often start it in an unwritable directory.
    throw new SwitchboardError('SWB_STORE_UNAVAILABLE', `Cannot open the data directory ${resolve(dataDir)}: ${(err as Error).message}`, { dataDir: resolve(dataDir) });
  }
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
    dataDir: resolve(dataDir),
    auth: createAuthRepo(db as unknown as Kysely<AuthTables>),
    servers: createServersRepo(db as unknown as Kysely<ServersTables>),
    activity: createActivityRepo(db as unknown as Kysely<ActivityTables>),
    secrets: createSecretsRepo(db as unknown as Kysely<SecretsTables>),
    trust: createTrustRepo(db as unknown as Kysely<TrustTables>),
    hosted: createHostedRepo(db as unknown as Kysely<HostedTables>),
    sessions: createSessionsRepo(db as unknown as Kysely<SessionsTables>),
    externalSources: createExternalSourcesRepo(db as unknown as Kysely<ExternalSourcesTables>),
    backup: createBackupRepo(db),
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
