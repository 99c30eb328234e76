import { dirname } from 'node:path';
import { loadConfigFile, normaliseConfig, type ServerConfig } from '../config/index.js';
import { SwitchboardError, type Principal, type Settings } from '../shared/index.js';
import { VERSION } from '../version.js';
import type { AdminDeps } from './admin.js';
import { restoreBackupState, verifyBackup, type BackupDocument, type PlannedSecret } from './backup-restore.js';
import { blockedSections, planSections, sectionsDocument, sectionsRows, type SectionsPlan } from './backup-sections.js';
import { canonicalJson, signedPart } from './backup-signature.js';
import { BACKUP_MARK, clientDocument, genericDocument, genericEntry, type ExportFormat } from './export-formats.js';
import { detectImport, type ImportFormat } from './import-formats.js';
import { planServers, toCreateInput, type PlannedServer } from './import-plan.js';
import { KEEP_ENV_REFERENCES } from './reference-env.js';
import { normaliseDefinition } from './server-definition.js';
import { computeServerSet, type PlacedServer } from './server-set.js';
import type { SecretsService } from './secrets-service.js';
import type { ServersService } from './servers-service.js';
import type { SettingsService } from './settings-service.js';

/** The outcome of an import, dry run or not. */
export interface ImportResult {
  format: ImportFormat;
  dry_run: boolean;
  /** `true` once everything was written; a dry run never writes. */
  applied: boolean;
  servers: PlannedServer[];
  summary: Record<PlannedServer['action'], number>;
  /** Backups only: whether the settings document changes. */
  settings: 'update' | 'unchanged' | null;
  /** Backups only: the secrets restored (values only as they were sealed) or created as placeholders. */
  secrets: Omit<PlannedSecret, 'sealed'>[];
  /** Backups only: stored profiles created, replaced or unchanged. */
  profiles: SectionsPlan['profiles'];
  /** Backups only: tool and prompt pins (with their approval state) created, replaced, unchanged or removed. */
  pins: SectionsPlan['pins'];
  /** Backups only: hosted servers with their tools, versions and module/network requests. */
  hosted: SectionsPlan['hosted'];
  warnings: string[];
}

export interface ImportOptions {
  dryRun: boolean;
  actor: Principal;
}

/** Export the servers in a client's format or as a signed backup; import any of them back. */
export interface BackupService {
  export(format: ExportFormat): Promise<Record<string, unknown>>;
  /**
   * Detect the format, plan per server, and (unless a dry run) apply all or nothing: imported servers
   * start quarantined; a conflict or invalid server fails the whole import (SWB_IMPORT_CONFLICT, 409)
   * before anything is written. A backup must carry a valid signature (else 422).
   */
  import(doc: unknown, opts: ImportOptions): Promise<ImportResult>;
}

export interface BackupServiceParts {
  secrets: SecretsService;
  settings: SettingsService;
  servers: ServersService;
  /** Re-read what a restore wrote behind the services' backs (pins, profiles, hosted servers). */
  reloaded?: () => Promise<void>;
}

export function createBackupService(deps: AdminDeps, parts: BackupServiceParts): BackupService {
  const { secrets, settings, servers } = parts;
  const baseDir = () => (deps.configPath ? dirname(deps.configPath) : process.cwd());
  const prefixed = () => deps.config().gateway.prefix === 'always';

  /**
   * The effective servers with `${env:...}` kept as written: the config file is read again with
   * references preserved, because the running configuration holds the expanded values.
   */
  async function effective(): Promise<PlacedServer[]> {
    const snapshot = await deps.store.servers.load();
    const file = deps.configPath ? (await loadConfigFile(deps.configPath, { env: KEEP_ENV_REFERENCES })).servers : deps.config().servers;
    const set = computeServerSet({
      file,
      snapshot,
      prefixed: prefixed(),
      quarantineConfigServers: settings.get().quarantine_config_servers,
      normalise: (name, def) => normaliseDefinition(name, def, { env: KEEP_ENV_REFERENCES, baseDir: baseDir() }),
    });
    return set.servers.filter((p) => p.config);
  }

  async function backupDocument(): Promise<Record<string, unknown>> {
    await secrets.ready;
    const placed = await effective();
    const doc: Record<string, unknown> = {
      format: BACKUP_MARK,
      version: 1,
      switchboard_version: VERSION,
      created_at: new Date().toISOString(),
      key_id: secrets.keyId,
      servers: placed.map((p) => ({
        ...genericEntry(p.config!),
        source: p.source,
        ...(p.stored?.description !== undefined ? { description: p.stored.description } : {}),
        state: { enabled: p.enabled, quarantined: p.quarantined, disabled_tools: p.state.disabledTools, allowed_hosts: p.state.allowedHosts },
      })),
      settings: settings.get(),
      // Values only as ciphertext under the master key; a placeholder has none.
      secrets: (await secrets.vault.sealedAll()).map((s) => ({ server: s.server, name: s.name, ...(s.sealed ? { ciphertext: s.sealed.ciphertext, nonce: s.sealed.nonce, tag: s.sealed.tag, key_id: s.sealed.keyId } : {}) })),
      // Profiles, pins and hosted servers as stored; hosted servers' secrets are in `secrets` above.
      ...sectionsDocument(await deps.store.backup.read()),
    };
    return { ...doc, signature: { alg: 'HMAC-SHA256', key_id: secrets.keyId, value: secrets.sign(signedPart(doc)) } };
  }

  /** The imported servers, validated like a config file (all problems at once, with JSON paths). */
  function incomingServers(serversDoc: Record<string, unknown>): ServerConfig[] {
    return normaliseConfig({ ...serversDoc, gateway: deps.config().gateway }, { env: KEEP_ENV_REFERENCES, baseDir: baseDir(), source: 'the import' }).servers;
  }

  function summarise(planned: PlannedServer[]): ImportResult['summary'] {
    const summary = { add: 0, update: 0, conflict: 0, unchanged: 0, invalid: 0 };
    for (const p of planned) summary[p.action]++;
    return summary;
  }

  return {
    async export(format) {
      if (format === 'backup') return backupDocument();
      const configs = (await effective()).map((p) => p.config!);
      if (format === 'generic') return genericDocument(configs, new Date().toISOString(), VERSION);
      return clientDocument(format, configs);
    },

    async import(doc, opts) {
      await Promise.all([secrets.ready, settings.ready]);
      const detected = detectImport(doc);
      const backup: BackupDocument | undefined = detected.format === 'backup' ? verifyBackup(doc as Record<string, unknown>, secrets, settings) : undefined;
      const incoming = incomingServers(detected.serversDoc);
      const planned = planServers({
        incoming,
        current: await effective(),
        fileServers: deps.config().servers,
        running: { env: deps.env, baseDir: baseDir() },
        prefixed: prefixed(),
      });
      const sections = backup ? sectionsRows(backup) : undefined;
      const importedNames = new Set([...incoming.map((s) => s.name), ...(sections?.keys.hosted ?? [])]);
      const sectionsPlan = backup && sections ? await planBackupSections(backup, sections, incoming) : { plan: { profiles: [], pins: [], hosted: [] }, warnings: [] };
      const secretPlan = backup ? planSecrets(backup, importedNames, secrets) : [];
      const settingsChange = backup ? (canonicalJson(backup.settings) === canonicalJson(settings.get()) ? 'unchanged' : 'update') : null;
      const restored = new Set(secretPlan.filter((s) => s.value === 'restored').map((s) => `${s.server}/${s.name}`));
      const warnings = [
        ...secretPlan.filter((s) => s.value === 'placeholder').map((s) => `secret ${s.name} of server ${s.server} has no value in the backup; it is created as a placeholder`),
        ...sectionsPlan.warnings,
        ...incoming.flatMap((c) => secrets.missingFor(c).filter((n) => !restored.has(`${c.name}/${n}`)).map((n) => `server ${c.name} uses \${secret:${n}}, which has no value here; set it before approving the server`)),
      ];
      const shownSecrets = secretPlan.map(({ sealed: _sealed, ...shown }) => shown);
      const result: ImportResult = { format: detected.format, dry_run: opts.dryRun, applied: false, servers: planned, summary: summarise(planned), settings: settingsChange, secrets: shownSecrets, ...sectionsPlan.plan, warnings };
      if (opts.dryRun) return result;

      const blocked = planned.filter((p) => p.action === 'conflict' || p.action === 'invalid');
      const blockedOthers = blockedSections(sectionsPlan.plan);
      if (blocked.length || blockedOthers.length) {
        const named = [...blocked.map((p) => `${p.name} (${p.action}: ${p.reason})`), ...blockedOthers];
        throw new SwitchboardError('SWB_IMPORT_CONFLICT', `Nothing was imported: ${named.join('; ')}`, { servers: blocked, ...(blockedOthers.length ? { other: blockedOthers } : {}) });
      }
      const writes = planned.filter((p) => p.action === 'add' || p.action === 'update').map((p) => incoming.find((c) => c.name === p.name)!);
      const descriptions = new Map((backup?.servers ?? []).map((s) => [String(s['name']), typeof s['description'] === 'string' ? s['description'] : undefined]));
      const restoreParts = { secrets, settings, ...(parts.reloaded ? { reloaded: parts.reloaded } : {}) };
      const state = backup && { secrets: secretPlan, settings: settingsChange === 'update' ? (backup.settings as Settings) : undefined, ...(sections ? { sections } : {}) };
      await restoreBackupState(deps, restoreParts, state, async () => {
        if (writes.length) await servers.createMany(writes.map((c) => toCreateInput(c, descriptions.get(c.name))), { actor: opts.actor, quarantined: true, replaceExisting: true, reason: `imported (${detected.format})` });
      });
      if (backup) await restoreServerState(backup, writes, opts.actor);
      deps.activity.adminChange({ actor: opts.actor, action: 'import.apply', target: detected.format, after: { summary: result.summary, settings: settingsChange, secrets: secretPlan.length, profiles: result.profiles.length, pins: result.pins.length, hosted: result.hosted.map((h) => `${h.name}:${h.action}`) } });
      deps.logger.info({ format: detected.format, ...result.summary, actor: opts.actor.name }, 'import applied');
      return { ...result, applied: true };
    },
  };

  /** The dry-run plan for a backup's profiles, pins and hosted servers, against what is stored now. */
  async function planBackupSections(backup: BackupDocument, sections: ReturnType<typeof sectionsRows>, incoming: readonly ServerConfig[]) {
    const current = await deps.store.backup.readFor(sections.keys);
    const upstreamNames = new Set([...incoming.map((c) => c.name), ...(await effective()).map((p) => p.name)]);
    const configProfiles = new Set(Object.keys(deps.config().profiles ?? {}));
    const toolOwners = new Map((await deps.store.hosted.tools()).map((t) => [t.id, t.server]));
    return planSections(backup, sections.keys, sections.rows, { current, upstreamNames, configProfiles, toolOwners });
  }

  /** Disabled tools and allowed hosts recorded in a backup, put back on the servers it created or replaced. */
  async function restoreServerState(backup: BackupDocument, written: readonly ServerConfig[], actor: Principal): Promise<void> {
    const states = new Map(backup.servers.map((s) => [String(s['name']), s['state'] as { disabled_tools?: string[]; allowed_hosts?: string[] } | undefined]));
    for (const c of written) {
      const state = states.get(c.name);
      if (state?.disabled_tools?.length) await servers.setDisabledTools(c.name, state.disabled_tools, actor);
      if (state?.allowed_hosts?.length) await servers.setAllowedHosts(c.name, state.allowed_hosts, actor);
    }
  }
}

/** Each secret of an imported server: restored with its sealed value, or a placeholder. */
function planSecrets(backup: BackupDocument, imported: ReadonlySet<string>, secrets: SecretsService): PlannedSecret[] {
  return backup.secrets
    .filter((s) => imported.has(s.server))
    .map((s) => {
      const existing = secrets.vault.get(s.server, s.name);
      const sealed = s.ciphertext && s.nonce && s.tag ? { ciphertext: s.ciphertext, nonce: s.nonce, tag: s.tag, keyId: s.key_id ?? backup.key_id } : undefined;
      const restorable = sealed !== undefined && secrets.vault.opens(s.server, s.name, sealed);
      const action = !existing ? 'add' : restorable ? 'update' : 'unchanged';
      return { server: s.server, name: s.name, action, value: restorable ? 'restored' : 'placeholder', ...(restorable ? { sealed } : {}) };
    });
}
