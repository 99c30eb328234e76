import type { Kysely } from 'kysely';

/** Table shapes for the mutable state of 2025-era MCP sessions. */
export interface SessionsTables {
  mcp_sessions: { key: string; log_level: string | null; ended: number; updated_at: number };
  mcp_session_subscriptions: { key: string; uri: string };
}

/** One session's stored state; what the fields mean is the gateway's business. */
export interface StoredSessionState {
  key: string;
  logLevel: string | null;
  /** Sorted. */
  subscriptions: string[];
  /** The client ended the session (DELETE): it must not be served again. */
  ended: boolean;
  /** Milliseconds since the epoch. */
  updatedAt: number;
}

/**
 * Queries for session state; the only code that touches these tables. Every write is a single
 * idempotent change (a level, one subscription), so two gateways changing one session concurrently
 * both keep their change; an ended session stays ended.
 */
export interface SessionsRepo {
  get(key: string): Promise<StoredSessionState | undefined>;
  setLogLevel(key: string, level: string): Promise<void>;
  subscribe(key: string, uri: string): Promise<void>;
  unsubscribe(key: string, uri: string): Promise<void>;
  /** Mark a session ended (a tombstone that keeps other gateways from serving it again). */
  end(key: string): Promise<void>;
  /** Sessions changed at or after `sinceMs` (how replicas notice each other's changes). */
  changedSince(sinceMs: number): Promise<StoredSessionState[]>;
  /** Forget sessions not changed since `beforeMs`; returns how many went. */
  prune(beforeMs: number): Promise<number>;
}

type Db = Kysely<SessionsTables>;

/** Create the row or bump its time; `level` set when given. Ended rows keep their tombstone and time. */
async function touch(db: Db, key: string, level?: string): Promise<void> {
  const now = Date.now();
  await db
    .insertInto('mcp_sessions')
    .values({ key, log_level: level ?? null, ended: 0, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ updated_at: now, ...(level !== undefined ? { log_level: level } : {}) }).where('mcp_sessions.ended', '=', 0))
    .execute();
}

async function load(db: Db, rows: { key: string; log_level: string | null; ended: number; updated_at: number }[]): Promise<StoredSessionState[]> {
  if (rows.length === 0) return [];
  const subs = await db
    .selectFrom('mcp_session_subscriptions')
    .select(['key', 'uri'])
    .where(
      'key',
      'in',
      rows.map((r) => r.key),
    )
    .orderBy('uri')
    .execute();
  const byKey = new Map<string, string[]>();
  for (const s of subs) byKey.set(s.key, [...(byKey.get(s.key) ?? []), s.uri]);
  return rows.map((r) => ({ key: r.key, logLevel: r.log_level, subscriptions: byKey.get(r.key) ?? [], ended: r.ended !== 0, updatedAt: r.updated_at }));
}

export function createSessionsRepo(db: Db): SessionsRepo {
  return {
    async get(key) {
      const row = await db.selectFrom('mcp_sessions').selectAll().where('key', '=', key).executeTakeFirst();
      return row ? (await load(db, [row]))[0] : undefined;
    },
    async setLogLevel(key, level) {
      await touch(db, key, level);
    },
    async subscribe(key, uri) {
      // The change first, then the time: a replica that sees the new time also sees the change.
      await db.insertInto('mcp_session_subscriptions').values({ key, uri }).onConflict((oc) => oc.doNothing()).execute();
      await touch(db, key);
    },
    async unsubscribe(key, uri) {
      await db.deleteFrom('mcp_session_subscriptions').where('key', '=', key).where('uri', '=', uri).execute();
      await touch(db, key);
    },
    async end(key) {
      const now = Date.now();
      await db
        .insertInto('mcp_sessions')
        .values({ key, log_level: null, ended: 1, updated_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ ended: 1, updated_at: now }))
        .execute();
      await db.deleteFrom('mcp_session_subscriptions').where('key', '=', key).execute();
    },
    async changedSince(sinceMs) {
      const rows = await db.selectFrom('mcp_sessions').selectAll().where('updated_at', '>=', sinceMs).orderBy('updated_at').execute();
      return load(db, rows);
    },
    async prune(beforeMs) {
      return db.transaction().execute(async (tx) => {
        const old = tx.selectFrom('mcp_sessions').select('key').where('updated_at', '<', beforeMs);
        await tx.deleteFrom('mcp_session_subscriptions').where('key', 'in', old).execute();
        const r = await tx.deleteFrom('mcp_sessions').where('updated_at', '<', beforeMs).executeTakeFirst();
        return Number(r.numDeletedRows);
      });
    },
  };
}
