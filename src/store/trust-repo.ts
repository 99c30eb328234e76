import type { Kysely, Selectable } from 'kysely';

/** Table shapes for pinning, per-server trust settings and exposure profiles. */
export interface TrustTables {
  tool_pins: {
    server: string;
    kind: string;
    name: string;
    state: string;
    fingerprint: string;
    /** JSON */
    definition: string;
    approved_fingerprint: string | null;
    approved_definition: string | null;
    /** JSON array */
    findings: string;
    decided_by: string | null;
    updated_at: string;
  };
  server_trust: { server: string; auto_approve: number | null; updated_at: string };
  profiles: { name: string; definition: string; created_by: string; created_at: string; updated_at: string };
}

/** One pinned tool or prompt as stored; the trust module gives the fields their meaning. */
export interface StoredPin {
  server: string;
  kind: string;
  name: string;
  state: string;
  fingerprint: string;
  definition: Record<string, unknown>;
  approvedFingerprint: string | null;
  approvedDefinition: Record<string, unknown> | null;
  findings: unknown[];
  decidedBy: string | null;
  updatedAt: string;
}

export interface StoredServerTrust {
  server: string;
  /** null: follow the `auto_approve_tool_changes` setting. */
  autoApprove: boolean | null;
  updatedAt: string;
}

export interface StoredProfile {
  name: string;
  definition: Record<string, unknown>;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** Writes inside one transaction; see {@link TrustRepo.write}. */
export interface TrustWriter {
  putPins(pins: readonly StoredPin[]): Promise<void>;
  /** Every pin of a server (it was deleted); returns how many went. */
  deletePins(server: string): Promise<number>;
  putServerTrust(server: string, autoApprove: boolean | null): Promise<StoredServerTrust>;
  profile(name: string): Promise<StoredProfile | undefined>;
  putProfile(name: string, definition: Record<string, unknown>, actor: string): Promise<StoredProfile>;
  deleteProfile(name: string): Promise<boolean>;
}

/** Queries for pins, server trust settings and profiles; the only code that touches these tables. */
export interface TrustRepo {
  pins(): Promise<StoredPin[]>;
  serverTrust(): Promise<StoredServerTrust[]>;
  profiles(): Promise<StoredProfile[]>;
  /** Run `fn` in one transaction: all of its writes happen, or none. */
  write<T>(fn: (w: TrustWriter) => Promise<T>): Promise<T>;
}

type Db = Kysely<TrustTables>;

function toPin(r: Selectable<TrustTables['tool_pins']>): StoredPin {
  return {
    server: r.server,
    kind: r.kind,
    name: r.name,
    state: r.state,
    fingerprint: r.fingerprint,
    definition: JSON.parse(r.definition) as Record<string, unknown>,
    approvedFingerprint: r.approved_fingerprint,
    approvedDefinition: r.approved_definition === null ? null : (JSON.parse(r.approved_definition) as Record<string, unknown>),
    findings: JSON.parse(r.findings) as unknown[],
    decidedBy: r.decided_by,
    updatedAt: r.updated_at,
  };
}

function toProfile(r: Selectable<TrustTables['profiles']>): StoredProfile {
  return { name: r.name, definition: JSON.parse(r.definition) as Record<string, unknown>, createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at };
}

function writer(db: Db): TrustWriter {
  const now = () => new Date().toISOString();
  const profile = async (name: string) => {
    const r = await db.selectFrom('profiles').selectAll().where('name', '=', name).executeTakeFirst();
    return r ? toProfile(r) : undefined;
  };
  return {
    async putPins(pins) {
      for (const p of pins) {
        const cols = {
          state: p.state,
          fingerprint: p.fingerprint,
          definition: JSON.stringify(p.definition),
          approved_fingerprint: p.approvedFingerprint,
          approved_definition: p.approvedDefinition === null ? null : JSON.stringify(p.approvedDefinition),
          findings: JSON.stringify(p.findings),
          decided_by: p.decidedBy,
          updated_at: p.updatedAt,
        };
        await db
          .insertInto('tool_pins')
          .values({ server: p.server, kind: p.kind, name: p.name, ...cols })
          .onConflict((oc) => oc.columns(['server', 'kind', 'name']).doUpdateSet(cols))
          .execute();
      }
    },
    async deletePins(server) {
      const r = await db.deleteFrom('tool_pins').where('server', '=', server).executeTakeFirst();
      await db.deleteFrom('server_trust').where('server', '=', server).execute();
      return Number(r.numDeletedRows);
    },
    async putServerTrust(server, autoApprove) {
      const at = now();
      const value = autoApprove === null ? null : autoApprove ? 1 : 0;
      await db
        .insertInto('server_trust')
        .values({ server, auto_approve: value, updated_at: at })
        .onConflict((oc) => oc.column('server').doUpdateSet({ auto_approve: value, updated_at: at }))
        .execute();
      return { server, autoApprove, updatedAt: at };
    },
    profile,
    async putProfile(name, definition, actor) {
      const at = now();
      const text = JSON.stringify(definition);
      await db
        .insertInto('profiles')
        .values({ name, definition: text, created_by: actor, created_at: at, updated_at: at })
        .onConflict((oc) => oc.column('name').doUpdateSet({ definition: text, updated_at: at }))
        .execute();
      return (await profile(name))!;
    },
    async deleteProfile(name) {
      const r = await db.deleteFrom('profiles').where('name', '=', name).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}

export function createTrustRepo(db: Db): TrustRepo {
  return {
    async pins() {
      return (await db.selectFrom('tool_pins').selectAll().orderBy('server').orderBy('kind').orderBy('name').execute()).map(toPin);
    },
    async serverTrust() {
      const rows = await db.selectFrom('server_trust').selectAll().orderBy('server').execute();
      return rows.map((r) => ({ server: r.server, autoApprove: r.auto_approve === null ? null : r.auto_approve === 1, updatedAt: r.updated_at }));
    },
    async profiles() {
      return (await db.selectFrom('profiles').selectAll().orderBy('name').execute()).map(toProfile);
    },
    write: (fn) => db.transaction().execute((tx) => fn(writer(tx))),
  };
}
