import { sql, type Kysely, type Selectable } from 'kysely';
import { SwitchboardError } from '../shared/index.js';

/** Table shapes for servers added through the API, per-server admin state (enabled, quarantine, disabled tools, allowed hosts). */
export interface ServersTables {
  stored_servers: {
    name: string;
    definition: string;
    description: string | null;
    created_by: string;
    created_at: string | undefined;
    updated_at: string | undefined;
  };
  server_state: {
    name: string;
    enabled: number | null;
    quarantined_by: string | null;
    quarantined_at: string | null;
    quarantine_reason: string | null;
    approved_by: string | null;
    approved_at: string | null;
    disabled_tools: string;
    allowed_hosts: string;
    updated_at: string | undefined;
  };
  servers_revision: { id: number; revision: number };
}

/** A server defined in the store (not in the config file); the definition as written, placeholders unexpanded. */
export interface StoredServerRecord {
  name: string;
  definition: Record<string, unknown>;
  description?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** The admin state of one server name, whichever source defines the server. */
export interface ServerStateRecord {
  name: string;
  /** `null` follows the definition (the config file's `enabled`). */
  enabled: boolean | null;
  /** Set while quarantined: who, when, why. */
  quarantine: { by: string; at: string; reason: string } | null;
  /** The last approval; an approved server is not quarantined again by its config-file flag. */
  approved: { by: string; at: string } | null;
  /** Upstream (original) tool names hidden from the catalogue. */
  disabledTools: string[];
  /** `host` or `host:port` entries. */
  allowedHosts: string[];
  updatedAt: string;
}

/** Everything the servers slice holds, read in one go. */
export interface ServersSnapshot {
  revision: number;
  servers: StoredServerRecord[];
  states: ServerStateRecord[];
}

export type NewStoredServer = Pick<StoredServerRecord, 'name' | 'definition' | 'description' | 'createdBy'>;
export type StatePut = Omit<ServerStateRecord, 'updatedAt'>;

/** Reads and writes inside one transaction; see {@link ServersRepo.write}. */
export interface ServersWriter {
  server(name: string): Promise<StoredServerRecord | undefined>;
  state(name: string): Promise<ServerStateRecord | undefined>;
  /** Throws SWB_STATE_CONFLICT when the name is taken in the store. */
  insertServer(rec: NewStoredServer): Promise<void>;
  updateServer(name: string, rec: Pick<StoredServerRecord, 'definition' | 'description'>): Promise<void>;
  /** Removes the server and its admin state. */
  deleteServer(name: string): Promise<void>;
  putState(state: StatePut): Promise<void>;
}

/** Queries for servers added through the API, per-server admin state (enabled, quarantine, disabled tools, allowed hosts); the only code that touches these tables. */
export interface ServersRepo {
  load(): Promise<ServersSnapshot>;
  /** Bumped by every write, from any process on the same data dir. */
  revision(): Promise<number>;
  /** Run `fn` in one transaction (all or nothing) and bump the revision. */
  write<T>(fn: (w: ServersWriter) => Promise<T>): Promise<T>;
}

type Db = Kysely<ServersTables>;

function toServer(r: Selectable<ServersTables['stored_servers']>): StoredServerRecord {
  return {
    name: r.name,
    definition: JSON.parse(r.definition) as Record<string, unknown>,
    ...(r.description !== null ? { description: r.description } : {}),
    createdBy: r.created_by,
    createdAt: r.created_at!,
    updatedAt: r.updated_at!,
  };
}

function toState(r: Selectable<ServersTables['server_state']>): ServerStateRecord {
  return {
    name: r.name,
    enabled: r.enabled === null ? null : r.enabled === 1,
    quarantine: r.quarantined_at !== null ? { by: r.quarantined_by ?? '', at: r.quarantined_at, reason: r.quarantine_reason ?? '' } : null,
    approved: r.approved_at !== null ? { by: r.approved_by ?? '', at: r.approved_at } : null,
    disabledTools: JSON.parse(r.disabled_tools) as string[],
    allowedHosts: JSON.parse(r.allowed_hosts) as string[],
    updatedAt: r.updated_at!,
  };
}

function isUniqueViolation(err: unknown): boolean {
  return /^SQLITE_CONSTRAINT/.test(String((err as { code?: unknown }).code ?? ''));
}

function writer(db: Db): ServersWriter {
  const now = () => new Date().toISOString();
  return {
    async server(name) {
      const r = await db.selectFrom('stored_servers').selectAll().where('name', '=', name).executeTakeFirst();
      return r ? toServer(r) : undefined;
    },
    async state(name) {
      const r = await db.selectFrom('server_state').selectAll().where('name', '=', name).executeTakeFirst();
      return r ? toState(r) : undefined;
    },
    async insertServer(rec) {
      const at = now();
      try {
        await db
          .insertInto('stored_servers')
          .values({ name: rec.name, definition: JSON.stringify(rec.definition), description: rec.description ?? null, created_by: rec.createdBy, created_at: at, updated_at: at })
          .execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new SwitchboardError('SWB_STATE_CONFLICT', `A server named '${rec.name}' already exists`, { name: rec.name });
        throw err;
      }
    },
    async updateServer(name, rec) {
      await db
        .updateTable('stored_servers')
        .set({ definition: JSON.stringify(rec.definition), description: rec.description ?? null, updated_at: now() })
        .where('name', '=', name)
        .execute();
    },
    async deleteServer(name) {
      await db.deleteFrom('stored_servers').where('name', '=', name).execute();
      await db.deleteFrom('server_state').where('name', '=', name).execute();
    },
    async putState(s) {
      const row = {
        enabled: s.enabled === null ? null : s.enabled ? 1 : 0,
        quarantined_by: s.quarantine?.by ?? null,
        quarantined_at: s.quarantine?.at ?? null,
        quarantine_reason: s.quarantine?.reason ?? null,
        approved_by: s.approved?.by ?? null,
        approved_at: s.approved?.at ?? null,
        disabled_tools: JSON.stringify(s.disabledTools),
        allowed_hosts: JSON.stringify(s.allowedHosts),
        updated_at: now(),
      };
      await db
        .insertInto('server_state')
        .values({ name: s.name, ...row })
        .onConflict((oc) => oc.column('name').doUpdateSet(row))
        .execute();
    },
  };
}

export function createServersRepo(db: Db): ServersRepo {
  async function revision(q: Db): Promise<number> {
    const r = await q.selectFrom('servers_revision').select('revision').where('id', '=', 1).executeTakeFirst();
    return r?.revision ?? 0;
  }
  return {
    async load() {
      return db.transaction().execute(async (tx) => {
        // Insertion order (rowid) keeps the catalogue order stable: earlier servers win bare-name ties.
        const servers = await tx.selectFrom('stored_servers').selectAll().orderBy(sql`rowid`).execute();
        const states = await tx.selectFrom('server_state').selectAll().orderBy('name').execute();
        return { revision: await revision(tx), servers: servers.map(toServer), states: states.map(toState) };
      });
    },
    revision: () => revision(db),
    async write(fn) {
      return db.transaction().execute(async (tx) => {
        const result = await fn(writer(tx));
        await tx.updateTable('servers_revision').set((eb) => ({ revision: eb('revision', '+', 1) })).where('id', '=', 1).execute();
        return result;
      });
    },
  };
}
