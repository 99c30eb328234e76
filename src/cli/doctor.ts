import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { checkConfigFile, type DoctorCheck } from '../admin/index.js';
import { resolveConfigPath } from '../config/index.js';
import { createSwitchboard } from '../main.js';
import type { Output } from './commands.js';
import { renderTable, truncate } from './table.js';

export type { DoctorCheck };

/**
 * `switchboard doctor`: bring the configured servers up in this process and run the admin system
 * service's checks (the same as `GET /api/doctor` on a running gateway). The data directory is used
 * when it exists, so stored servers and quarantine count; otherwise a scratch one.
 */
export async function runDoctorChecks(configFlag: string | undefined, dataDir: string): Promise<DoctorCheck[]> {
  const path = resolveConfigPath(configFlag);
  const { check, config } = await checkConfigFile(path, process.env);
  if (!config) return [check];
  const scratch = existsSync(dataDir) ? undefined : mkdtempSync(join(tmpdir(), 'switchboard-doctor-'));
  try {
    const sb = await createSwitchboard({ config, dataDir: scratch ?? dataDir, logger: pino({ level: 'silent' }), ...(path ? { configPath: path } : {}) });
    try {
      await sb.applyConfig(config);
      await sb.settled(sb.upstreams.list().reduce((m, u) => Math.max(m, u.config.timeoutMs), 5_000));
      return (await sb.admin.system.doctor()).checks;
    } finally {
      await sb.close();
    }
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

export async function doctor(configFlag: string | undefined, dataDir: string, json: boolean, io: Output): Promise<number> {
  const checks = await runDoctorChecks(configFlag, dataDir);
  if (json) io.out(JSON.stringify({ ok: checks.every((c) => c.ok), checks }, null, 2));
  else io.out(renderTable(['CHECK', 'RESULT', 'DETAIL'], checks.map((c) => [c.check, c.ok ? 'ok' : 'FAIL', truncate(c.detail, 100)])));
  return checks.every((c) => c.ok) ? 0 : 1;
}
