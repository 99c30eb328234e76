import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfigFile, defaultConfig, type SwitchboardConfig } from '../config/index.js';
import { SwitchboardError } from '../shared/index.js';
import type { Store } from '../store/index.js';
import type { ServerView } from './server-view.js';
import type { ServerConflict } from './server-set.js';

/** One line of `switchboard doctor` / `GET /api/doctor`. */
export interface DoctorCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

/** The config file parses and validates (every problem named by its JSON path). */
export async function checkConfigFile(path: string | undefined, env: Readonly<Record<string, string | undefined>>): Promise<{ check: DoctorCheck; config?: SwitchboardConfig }> {
  if (path === undefined) return { check: { check: 'config', ok: true, detail: 'no config file; using defaults' }, config: defaultConfig() };
  try {
    const config = await loadConfigFile(path, { env });
    return { check: { check: 'config', ok: true, detail: `${path}: ${config.servers.length} server(s)` }, config };
  } catch (err) {
    const e = err instanceof SwitchboardError ? err : undefined;
    const issues = (e?.details?.['issues'] as { path: string; message: string }[] | undefined) ?? [];
    const detail = e ? `${e.code}: ${issues.length > 1 ? issues.map((i) => `${i.path}: ${i.message}`).join('; ') : e.message}` : String(err);
    return { check: { check: 'config', ok: false, detail } };
  }
}

/** The data directory takes writes and the database answers. */
export async function checkDataDir(store: Store): Promise<DoctorCheck> {
  const probe = join(store.dataDir, `.doctor-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(probe, 'ok', { mode: 0o600 });
    await rm(probe, { force: true });
    const applied = await store.migrations();
    return { check: 'data directory', ok: true, detail: `${store.dataDir} (schema ${applied.at(-1) ?? 'empty'})` };
  } catch (err) {
    return { check: 'data directory', ok: false, detail: `${store.dataDir}: ${(err as Error).message}` };
  }
}

/** One check per server: enabled ones must be connected; disabled and quarantined ones are skipped. */
export function checkServers(servers: readonly ServerView[], conflicts: readonly ServerConflict[]): DoctorCheck[] {
  const checks = servers.map((s): DoctorCheck => {
    if (s.problem) return { check: `server ${s.name}`, ok: false, detail: `cannot start: ${s.problem}` };
    if (!s.enabled || s.quarantined) return { check: `server ${s.name}`, ok: true, detail: `skipped (${s.health.admin_state})` };
    return { check: `server ${s.name}`, ok: s.state === 'ready', detail: `${s.state}: ${s.health.summary}${s.health.detail ? ` — ${s.health.detail}` : ''}` };
  });
  for (const c of conflicts) checks.push({ check: `server ${c.name}`, ok: false, detail: `config-file entry left out: ${c.reason}` });
  return checks;
}

/**
 * The sandbox's isolation layers, one check each. A missing layer fails the check only while the
 * security policy requires every layer for hosted tools; otherwise it is reported as a warning.
 */
export function checkSandboxLayers(layers: readonly { name: string; active: boolean; detail: string }[], requireAll: boolean): DoctorCheck[] {
  return layers.map((l) => ({
    check: `sandbox ${l.name}`,
    ok: l.active || !requireAll,
    detail: l.active ? l.detail : `${requireAll ? 'MISSING (hosted tools are refused: hosted_require_all_layers)' : 'WARNING: missing, hosted tools run without it'}: ${l.detail}`,
  }));
}
