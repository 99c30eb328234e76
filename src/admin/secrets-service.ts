import type { ServerConfig } from '../config/index.js';
import { createSecretVault, loadMasterKey, sign, verifySignature, SECRET_NAME, secretReferences, substituteSecrets, type MasterKey, type SecretMeta, type SecretVault } from '../secrets/index.js';
import { SwitchboardError, type Principal } from '../shared/index.js';
import type { AdminDeps } from './admin.js';

/** A secret as every face shows it: never the value. */
export interface SecretView {
  name: string;
  has_value: boolean;
  status: SecretMeta['status'];
  created_at: string;
  updated_at: string;
}

/** Largest accepted secret value (bytes of UTF-8). */
export const MAX_SECRET_BYTES = 64 * 1024;

/** Per-server secrets: placeholders, values (sealed at rest), and `${secret:NAME}` resolution. */
export interface SecretsService {
  /** Resolves once the stored secrets are decrypted into memory; the composition root awaits it. */
  readonly ready: Promise<void>;
  /** The id (fingerprint) of the master key in use. */
  readonly keyId: string;
  list(server: string): Promise<SecretView[]>;
  /** A placeholder (no value) unless `value` is given. 409 when the name exists. */
  create(server: string, name: string, value: string | undefined, actor: Principal): Promise<SecretView>;
  /** Set or replace a value (creating the secret if needed). */
  set(server: string, name: string, value: string, actor: Principal): Promise<SecretView>;
  delete(server: string, name: string, actor: Principal): Promise<void>;
  /** Drop every secret of a server (when the server itself is deleted). */
  deleteAllFor(server: string, actor: Principal): Promise<number>;
  /**
   * The configuration with every `${secret:NAME}` in env values, header values and the URL replaced by
   * the server's secret NAME. Synchronous (the vault is in memory). Throws SWB_SECRET_MISSING naming
   * the secrets (never a value) when any has no value; the caller shows the server in an error state.
   */
  resolveServerSecrets(server: ServerConfig): ServerConfig;
  /** The referenced secrets of a server that have no usable value (empty when it can start). */
  missingFor(server: ServerConfig): string[];
  /** Every secret value in clear, for redaction (the activity log registers it). */
  values(): Iterable<string>;
  /** Called after a server's secrets change, so whoever runs the server can restart it with the new values. */
  onChange(listener: (server: string) => void): () => void;
  /** HMAC-SHA256 of a document under a key derived from the master key (backups are signed with it). */
  sign(text: string): string;
  verify(text: string, signature: string): boolean;
  /** The vault, for the backup service (sealed values only leave through it). */
  readonly vault: SecretVault;
}

function view(m: SecretMeta): SecretView {
  return { name: m.name, has_value: m.status === 'set', status: m.status, created_at: m.createdAt, updated_at: m.updatedAt };
}

function checkName(name: string): void {
  if (!SECRET_NAME.test(name)) {
    throw new SwitchboardError('SWB_VALIDATION_FAILED', `Invalid secret name '${name.slice(0, 140)}': use letters, digits and _, not starting with a digit (at most 128 characters)`, { issues: [{ path: 'name', message: 'must match ^[A-Za-z_][A-Za-z0-9_]{0,127}$' }] });
  }
}

function checkValue(value: string): void {
  if (value === '') throw new SwitchboardError('SWB_VALIDATION_FAILED', 'A secret value cannot be empty; delete the secret or keep it as a placeholder instead', { issues: [{ path: 'value', message: 'must not be empty' }] });
  if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_BYTES) {
    throw new SwitchboardError('SWB_VALIDATION_FAILED', `A secret value may be at most ${MAX_SECRET_BYTES} bytes`, { issues: [{ path: 'value', message: `longer than ${MAX_SECRET_BYTES} bytes` }] });
  }
}

export function createSecretsService(deps: AdminDeps, master: MasterKey = loadMasterKey({ env: deps.env, dataDir: deps.store.dataDir })): SecretsService {
  const vault = createSecretVault(deps.store.secrets, master);
  const listeners = new Set<(server: string) => void>();
  const ready = vault.load().then(() => {
    const unreadable = vault.all().filter((m) => m.status === 'unreadable');
    if (unreadable.length > 0) {
      deps.logger.warn({ secrets: unreadable.map((m) => `${m.server}/${m.name}`), keyId: master.id }, 'some secrets were encrypted with another master key and cannot be read; set them again or restore the old SWITCHBOARD_MASTER_KEY');
    }
  });
  deps.activity.registerSecretValues?.(() => vault.values());

  async function requireServer(server: string): Promise<void> {
    if (deps.upstreams.get(server) || deps.config().servers.some((s) => s.name === server)) return;
    const snapshot = await deps.store.servers.load();
    if (snapshot.servers.some((s) => s.name === server)) return;
    if (await deps.store.hosted.server(server)) return;
    throw new SwitchboardError('SWB_SERVER_NOT_FOUND', `No server named '${server}'`, { server });
  }

  function changed(server: string, name: string, actor: Principal, action: string, before: SecretMeta | undefined, after: SecretMeta | undefined): void {
    deps.activity.adminChange({ actor, action: `secrets.${action}`, target: `${server}/${name}`, ...(before ? { before: { status: before.status } } : {}), ...(after ? { after: { status: after.status } } : {}) });
    deps.logger.info({ server, secret: name, action, actor: actor.name }, 'secret changed');
    for (const l of listeners) {
      try {
        l(server);
      } catch (err) {
        deps.logger.warn({ server, err: (err as Error).message }, 'secret change listener failed');
      }
    }
  }

  function missingFor(server: ServerConfig): string[] {
    return secretReferences(server).filter((name) => vault.reveal(server.name, name) === undefined);
  }

  return {
    ready,
    keyId: master.id,
    vault,
    async list(server) {
      await ready;
      await requireServer(server);
      return vault.list(server).map(view);
    },
    async create(server, name, value, actor) {
      checkName(name);
      if (value !== undefined) checkValue(value);
      await ready;
      await requireServer(server);
      const meta = await vault.create(server, name, value);
      changed(server, name, actor, 'create', undefined, meta);
      return view(meta);
    },
    async set(server, name, value, actor) {
      checkName(name);
      checkValue(value);
      await ready;
      await requireServer(server);
      const before = vault.get(server, name);
      const meta = await vault.set(server, name, value);
      changed(server, name, actor, 'set', before, meta);
      return view(meta);
    },
    async delete(server, name, actor) {
      await ready;
      await requireServer(server);
      const before = vault.get(server, name);
      if (!before) throw new SwitchboardError('SWB_SECRET_NOT_FOUND', `Server '${server}' has no secret named '${name}'`, { server, name });
      await vault.delete(server, name);
      changed(server, name, actor, 'delete', before, undefined);
    },
    async deleteAllFor(server, actor) {
      await ready;
      const n = await vault.deleteServer(server);
      if (n > 0) deps.activity.adminChange({ actor, action: 'secrets.delete_all', target: server, before: { count: n } });
      return n;
    },
    resolveServerSecrets(server) {
      const { config, missing } = substituteSecrets(server, (name) => vault.reveal(server.name, name));
      if (missing.length > 0) {
        const which = missing.map((n) => `${n} (${vault.get(server.name, n)?.status === 'unreadable' ? 'encrypted with another master key' : vault.get(server.name, n) ? 'placeholder without a value' : 'not defined'})`);
        throw new SwitchboardError('SWB_SECRET_MISSING', `Server '${server.name}' cannot start: secret${missing.length > 1 ? 's' : ''} ${which.join(', ')} ${missing.length > 1 ? 'have' : 'has'} no value`, { server: server.name, secrets: missing });
      }
      return config;
    },
    missingFor,
    values: () => vault.values(),
    sign: (text) => sign(master, 'backup-signature', text),
    verify: (text, signature) => verifySignature(master, 'backup-signature', text, signature),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
