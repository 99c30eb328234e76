import type { SealedRecord, SecretsRepo, StoredSecret } from '../store/index.js';
import { seal, unseal } from './cipher.js';
import type { MasterKey } from './master-key.js';

/** What is known about one secret; never its value. */
export interface SecretMeta {
  server: string;
  name: string;
  /** `set` has a value; `missing` is a placeholder; `unreadable` was encrypted with another master key (or altered). */
  status: 'set' | 'missing' | 'unreadable';
  createdAt: string;
  updatedAt: string;
}

/** A secret as a backup carries it: the sealed value only, and only under the key that made it. */
export interface SealedSecret {
  server: string;
  name: string;
  sealed?: SealedRecord;
}

/**
 * The decrypted secrets, cached in memory so that resolving a server's configuration and redacting the
 * activity log need no I/O; every write goes to the store first and to the cache once committed.
 */
export interface SecretVault {
  readonly keyId: string;
  /** (Re)read every secret from the store and decrypt what the current key can. */
  load(): Promise<void>;
  list(server: string): SecretMeta[];
  /** Every secret of every server. */
  all(): SecretMeta[];
  get(server: string, name: string): SecretMeta | undefined;
  /** The value in clear, for resolving `${secret:NAME}`; `undefined` unless the status is `set`. */
  reveal(server: string, name: string): string | undefined;
  /** Every value in clear, for redaction. */
  values(): Iterable<string>;
  /** Create a secret; without a value it is a placeholder. Throws SWB_STATE_CONFLICT when it exists. */
  create(server: string, name: string, value?: string): Promise<SecretMeta>;
  /** Set (creating if needed) a value. */
  set(server: string, name: string, value: string): Promise<SecretMeta>;
  delete(server: string, name: string): Promise<boolean>;
  deleteServer(server: string): Promise<number>;
  /** Every secret as stored (ciphertext only), for backups. */
  sealedAll(): Promise<SealedSecret[]>;
  /** Whether the current key can open a sealed value for this slot. */
  opens(server: string, name: string, sealed: SealedRecord): boolean;
}

interface Cached {
  meta: SecretMeta;
  value?: string;
}

export function createSecretVault(repo: SecretsRepo, master: MasterKey): SecretVault {
  const cache = new Map<string, Cached>();
  const slot = (server: string, name: string) => `${server}\u0000${name}`;

  function remember(s: StoredSecret): SecretMeta {
    const value = s.sealed ? unseal(master, s.server, s.name, s.sealed) : undefined;
    const status: SecretMeta['status'] = !s.sealed ? 'missing' : value === undefined ? 'unreadable' : 'set';
    const meta = { server: s.server, name: s.name, status, createdAt: s.createdAt, updatedAt: s.updatedAt };
    cache.set(slot(s.server, s.name), value === undefined ? { meta } : { meta, value });
    return meta;
  }

  return {
    keyId: master.id,
    async load() {
      const rows = await repo.list();
      cache.clear();
      for (const r of rows) remember(r);
    },
    list(server) {
      return [...cache.values()].filter((c) => c.meta.server === server).map((c) => c.meta).sort((a, b) => a.name.localeCompare(b.name));
    },
    all: () => [...cache.values()].map((c) => c.meta),
    get: (server, name) => cache.get(slot(server, name))?.meta,
    reveal: (server, name) => cache.get(slot(server, name))?.value,
    *values() {
      for (const c of cache.values()) if (c.value !== undefined && c.value !== '') yield c.value;
    },
    async create(server, name, value) {
      const row = await repo.write((w) => w.insert(server, name, value === undefined ? undefined : seal(master, server, name, value)));
      return remember(row);
    },
    async set(server, name, value) {
      const row = await repo.write((w) => w.put(server, name, seal(master, server, name, value)));
      return remember(row);
    },
    async delete(server, name) {
      const gone = await repo.write((w) => w.delete(server, name));
      cache.delete(slot(server, name));
      return gone;
    },
    async deleteServer(server) {
      const n = await repo.write((w) => w.deleteServer(server));
      for (const [k, c] of cache) if (c.meta.server === server) cache.delete(k);
      return n;
    },
    async sealedAll() {
      return (await repo.list()).map((s) => ({ server: s.server, name: s.name, ...(s.sealed ? { sealed: s.sealed } : {}) }));
    },
    opens: (server, name, sealed) => unseal(master, server, name, sealed) !== undefined,
  };
}
