import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/index.js';
import { createSwitchboard } from '../main.js';
import { SwitchboardError } from '../shared/index.js';
import type { Output } from './commands.js';
import { renderTable, truncate } from './table.js';

export interface DoctorCheck {
  check: string;
  ok: boolean;
  detail: string;
}

/**
 * The checks `switchboard doctor` runs: the config parses and validates, the data directory is
 * usable, and every enabled upstream connects and lists. Non-zero exit when any check fails.
 */
export async function runDoctorChecks(configFlag: string | undefined, dataDir: string): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  let loaded;
  try {
    loaded = await loadConfig(configFlag);
    checks.push({ check: 'config', ok: true, detail: loaded.path ? `${loaded.path}: ${loaded.config.servers.length} server(s)` : 'no config file; using defaults' });
  } catch (err) {
    const e = err instanceof SwitchboardError ? err : undefined;
    checks.push({ check: 'config', ok: false, detail: e ? `${e.code}: ${e.message}` : String(err) });
    return checks;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'switchboard-doctor-'));
  try {
    const sb = await createSwitchboard({ config: loaded.config, dataDir: scratch });
    checks.push({ check: 'data directory', ok: true, detail: dataDir });
    await sb.applyConfig(loaded.config);
    await sb.settled(loaded.config.servers.reduce((m, s) => Math.max(m, s.timeoutMs), 5_000));
    for (const u of sb.upstreams.list()) {
      const st = u.status();
      const skipped = !u.config.enabled || u.config.quarantined;
      checks.push({
        check: `server ${u.name}`,
        ok: skipped || st.state === 'ready',
        detail: skipped ? `skipped (${st.health.admin_state})` : `${st.state}: ${st.health.summary}${st.health.detail ? ` — ${st.health.detail}` : ''}`,
      });
    }
    await sb.close();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return checks;
}

export async function doctor(configFlag: string | undefined, dataDir: string, json: boolean, io: Output): Promise<number> {
  const checks = await runDoctorChecks(configFlag, dataDir);
  if (json) io.out(JSON.stringify({ ok: checks.every((c) => c.ok), checks }, null, 2));
  else io.out(renderTable(['CHECK', 'RESULT', 'DETAIL'], checks.map((c) => [c.check, c.ok ? 'ok' : 'FAIL', truncate(c.detail, 100)])));
  return checks.every((c) => c.ok) ? 0 : 1;
}
