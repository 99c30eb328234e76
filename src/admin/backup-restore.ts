import { z } from 'zod';
import { SwitchboardError, type Settings } from '../shared/index.js';
import type { BackupRows, SealedRecord, StoredSecret } from '../store/index.js';
import type { AdminDeps } from './admin.js';
import { BackupSectionShapes, type SectionKeys } from './backup-sections.js';
import { signedPart } from './backup-signature.js';
import { BACKUP_MARK } from './export-formats.js';
import type { SecretsService } from './secrets-service.js';
import type { SettingsService } from './settings-service.js';

const BackupSecret = z.object({
  server: z.string(),
  name: z.string(),
  ciphertext: z.string().optional(),
  nonce: z.string().optional(),
  tag: z.string().optional(),
  key_id: z.string().optional(),
});

const BackupShape = z.object({
  format: z.literal(BACKUP_MARK),
  version: z.literal(1),
  created_at: z.string(),
  key_id: z.string(),
  servers: z.array(z.record(z.string(), z.unknown())),
  settings: z.record(z.string(), z.unknown()),
  secrets: z.array(BackupSecret),
  // Profiles, pins and hosted servers: absent from backups written before they were added.
  ...BackupSectionShapes,
  signature: z.object({ alg: z.literal('HMAC-SHA256'), key_id: z.string().optional(), value: z.string() }),
});

/** A backup whose signature checked out. */
export type BackupDocument = z.infer<typeof BackupShape>;

/** One secret an import restores. */
export interface PlannedSecret {
  server: string;
  name: string;
  action: 'add' | 'update' | 'unchanged';
  /** `restored`: the sealed value from the backup; `placeholder`: no value (none in the backup, or not readable). */
  value: 'restored' | 'placeholder';
  sealed?: SealedRecord;
}

function refuse(message: string, details?: Record<string, unknown>): SwitchboardError {
  return new SwitchboardError('SWB_IMPORT_SIGNATURE_INVALID', message, details);
}

/**
 * Check a backup's signature (HMAC-SHA256 under a key derived from the master key, over the canonical
 * JSON of everything but the signature), then its shape and its settings. The signature comes first, so
 * an altered file is refused as altered whatever was changed.
 */
export function verifyBackup(doc: Record<string, unknown>, secrets: SecretsService, settings: SettingsService): BackupDocument {
  const sig = doc['signature'] as { value?: unknown; key_id?: unknown } | undefined;
  if (!sig || typeof sig.value !== 'string') throw refuse('The backup is not signed; only a backup written by `GET /api/export?format=backup` can be restored');
  if (!secrets.verify(signedPart(doc), sig.value)) {
    const other = typeof doc['key_id'] === 'string' && doc['key_id'] !== secrets.keyId;
    throw refuse(
      other
        ? `The backup was signed with another master key (key id ${String(doc['key_id'])}; this gateway uses ${secrets.keyId}); set SWITCHBOARD_MASTER_KEY to the key of the gateway that wrote it`
        : 'The backup signature does not match its content: the file was altered after it was written',
      { key_id: secrets.keyId },
    );
  }
  const parsed = BackupShape.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
    throw new SwitchboardError('SWB_VALIDATION_FAILED', `The backup is signed but not a version this gateway reads: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
  settings.validate(parsed.data.settings);
  return parsed.data;
}

export interface BackupState {
  secrets: readonly PlannedSecret[];
  /** The settings to store, when they change. */
  settings?: Settings;
  /** Profiles, pins and hosted servers: each key is made exactly what `rows` holds for it. */
  sections?: { keys: SectionKeys; rows: BackupRows };
}

/** A row the store refuses (a signed backup from another schema version, say) is the backup's problem, not a crash. */
async function restoreWrite(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (err) {
    if (err instanceof SwitchboardError) throw err;
    throw new SwitchboardError('SWB_VALIDATION_FAILED', `The backup could not be restored (nothing was changed): ${(err as Error).message}`, {}, { cause: err });
  }
}

const hasSections = (k: SectionKeys | undefined) => !!k && (k.profiles.length > 0 || k.pinServers.length > 0 || k.hosted.length > 0);

/**
 * Write a backup's secrets, settings, profiles, pins and hosted servers in one transaction, then run
 * `writeServers` (the servers service's own transaction). If that fails, everything the first
 * transaction wrote goes back to what it was (again in one transaction) before the error is passed on,
 * so a failed import leaves nothing behind. `reloaded` runs afterwards either way, so in-memory state
 * (pins, profiles, hosted servers) matches the store. Without a backup state it just runs `writeServers`.
 */
export async function restoreBackupState(
  deps: AdminDeps,
  parts: { secrets: SecretsService; settings: SettingsService; reloaded?: () => Promise<void> },
  state: BackupState | undefined,
  writeServers: () => Promise<void>,
): Promise<void> {
  if (!state || (state.secrets.length === 0 && !state.settings && !hasSections(state.sections?.keys))) return writeServers();
  const repo = deps.store.secrets;
  const slot = (s: { server: string; name: string }) => `${s.server}\u0000${s.name}`;
  const touched = new Set(state.secrets.map(slot));
  const before = new Map<string, StoredSecret>((await repo.list()).filter((s) => touched.has(slot(s))).map((s) => [slot(s), s]));
  const settingsBefore = parts.settings.get();
  const sections = state.sections && hasSections(state.sections.keys) ? state.sections : undefined;
  const sectionsBefore = sections ? await deps.store.backup.readFor(sections.keys) : undefined;
  const writeSections = async (w: Parameters<Parameters<typeof deps.store.backup.write>[0]>[0], keys: SectionKeys, rows: BackupRows) => {
    await w.replaceProfiles(keys.profiles, rows.profiles);
    await w.replacePins(keys.pinServers, rows.pins, rows.serverTrust);
    await w.replaceHosted(keys.hosted, rows.hosted);
  };
  try {
    await restoreWrite(() => deps.store.backup.write(async (w) => {
      for (const s of state.secrets) {
        if (s.sealed) await w.secrets.put(s.server, s.name, s.sealed);
        else if (!before.has(slot(s))) await w.secrets.insert(s.server, s.name);
      }
      if (state.settings) await w.secrets.putSettings(state.settings);
      if (sections) await writeSections(w, sections.keys, sections.rows);
    }));
    try {
      await writeServers();
    } catch (err) {
      await deps.store.backup.write(async (w) => {
        for (const s of state.secrets) {
          const prev = before.get(slot(s));
          if (prev) await w.secrets.put(prev.server, prev.name, prev.sealed);
          else await w.secrets.delete(s.server, s.name);
        }
        if (state.settings) await w.secrets.putSettings(settingsBefore);
        if (sections && sectionsBefore) await writeSections(w, sections.keys, sectionsBefore);
      });
      throw err;
    }
  } finally {
    await parts.secrets.vault.load();
    await parts.settings.reload();
    if (sections) await parts.reloaded?.();
  }
}
