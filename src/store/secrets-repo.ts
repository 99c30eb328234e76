import type { Kysely, Selectable } from 'kysely';
import { SwitchboardError } from '../shared/index.js';

/** Table shapes for encrypted per-server secrets and the settings document. */
export interface SecretsTables {
  server_secrets: {
    server: string;
    name: string;
    /** base64; all four crypto columns are null for a placeholder without a value. */
    ciphertext: string | null;
    nonce: string | null;
    tag: string | null;
    key_id: string | null;
    created_at: string;
    updated_at: string;
  };
  settings: { key: string; value: string; updated_at: string };
}

/** An encrypted value as stored (base64 fields) and the id of the key that made it. */
export interface SealedRecord {
  ciphertext: string;
  nonce: string;
  tag: string;
  keyId: string;
}

/** One secret slot of one server; `sealed` is absent for a placeholder. */
export interface StoredSecret {
  server: string;
  name: string;
  sealed?: SealedRecord;
  createdAt: string;
  updatedAt: string;
}

/** The settings document as stored: JSON, validated by the settings service. */
export interface StoredSettings {
  value: unknown;
  updatedAt: string;
}

/** Reads and writes inside one transaction; see {@link SecretsRepo.write}. */
export interface SecretsWriter {
  get(server: string, name: string): Promise<StoredSecret | undefined>;
  /** Throws SWB_STATE_CONFLICT when the server already has a secret of that name. */
  insert(server: string, name: string, sealed?: SealedRecord): Promise<StoredSecret>;
  /** Create or replace the value (a placeholder keeps its creation time). */
  put(server: string, name: string, sealed?: SealedRecord): Promise<StoredSecret>;
  delete(server: string, name: string): Promise<boolean>;
  /** Every secret of one server; returns how many were removed. */
  deleteServer(server: string): Promise<number>;
  putSettings(value: unknown): Promise<StoredSettings>;
}

/** Queries for encrypted per-server secrets and the settings document; the only code that touches these tables. */
export interface SecretsRepo {
  /** Every secret of every server, ordered by server then name. */
  list(): Promise<StoredSecret[]>;
  settings(): Promise<StoredSettings | undefined>;
  /** Run `fn` in one transaction: all of its writes happen, or none. */
  write<T>(fn: (w: SecretsWriter) => Promise<T>): Promise<T>;
}

type Db = Kysely<SecretsTables>;
type Row = Selectable<SecretsTables['server_secrets']>;

const SETTINGS_KEY = 'settings';

function toSecret(r: Row): StoredSecret {
  const sealed = r.ciphertext !== null && r.nonce !== null && r.tag !== null && r.key_id !== null ? { ciphertext: r.ciphertext, nonce: r.nonce, tag: r.tag, keyId: r.key_id } : undefined;
  return { server: r.server, name: r.name, ...(sealed ? { sealed } : {}), createdAt: r.created_at, updatedAt: r.updated_at };
}

function sealedColumns(sealed?: SealedRecord) {
  return { ciphertext: sealed?.ciphertext ?? null, nonce: sealed?.nonce ?? null, tag: sealed?.tag ?? null, key_id: sealed?.keyId ?? null };
}

function writer(db: Db): SecretsWriter {
  const now = () => new Date().toISOString();
  const get = async (server: string, name: string) => {
    const r = await db.selectFrom('server_secrets').selectAll().where('server', '=', server).where('name', '=', name).executeTakeFirst();
    return r ? toSecret(r) : undefined;
  };
  return {
    get,
    async insert(server, name, sealed) {
      if (await get(server, name)) throw new SwitchboardError('SWB_STATE_CONFLICT', `Server '${server}' already has a secret named '${name}'`, { server, name });
      const at = now();
      const row = { server, name, ...sealedColumns(sealed), created_at: at, updated_at: at };
      await db.insertInto('server_secrets').values(row).execute();
      return toSecret(row);
    },
    async put(server, name, sealed) {
      const at = now();
      const cols = { ...sealedColumns(sealed), updated_at: at };
      await db
        .insertInto('server_secrets')
        .values({ server, name, ...cols, created_at: at })
        .onConflict((oc) => oc.columns(['server', 'name']).doUpdateSet(cols))
        .execute();
      return (await get(server, name))!;
    },
    async delete(server, name) {
      const r = await db.deleteFrom('server_secrets').where('server', '=', server).where('name', '=', name).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async deleteServer(server) {
      const r = await db.deleteFrom('server_secrets').where('server', '=', server).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async putSettings(value) {
      const at = now();
      const text = JSON.stringify(value);
      await db
        .insertInto('settings')
        .values({ key: SETTINGS_KEY, value: text, updated_at: at })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: text, updated_at: at }))
        .execute();
      return { value, updatedAt: at };
    },
  };
}

/** The writer for use inside a transaction another repo opened (backup restores). */
export { writer as secretsWriter };

export function createSecretsRepo(db: Db): SecretsRepo {
  return {
    async list() {
      const rows = await db.selectFrom('server_secrets').selectAll().orderBy('server').orderBy('name').execute();
      return rows.map(toSecret);
    },
    async settings() {
      const r = await db.selectFrom('settings').selectAll().where('key', '=', SETTINGS_KEY).executeTakeFirst();
      return r ? { value: JSON.parse(r.value) as unknown, updatedAt: r.updated_at } : undefined;
    },
    write: (fn) => db.transaction().execute((tx) => fn(writer(tx))),
  };
}
