import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import pino from 'pino';
import { EXPORT_FORMATS, writeAtomically, type ExportFormat, type ImportResult } from '../admin/index.js';
import { loadConfig } from '../config/index.js';
import { createSwitchboard, type Switchboard } from '../main.js';
import { fullAccess, SwitchboardError } from '../shared/index.js';
import type { Output } from './commands.js';
import { renderTable } from './table.js';

export interface TransferFlags {
  config?: string | undefined;
  format?: string | undefined;
  out?: string | undefined;
  'dry-run'?: boolean | undefined;
  json: boolean;
}

export const TRANSFER_USAGE = `  switchboard export [--format generic|claude|vscode|cursor|backup] [--out FILE] [--data DIR]
  switchboard import FILE [--dry-run] [--json] [--data DIR]`;

/** The data dir's admin service, without listeners or upstreams; changes reach a running gateway through the store. */
async function withSwitchboard<T>(configFlag: string | undefined, dataDir: string, fn: (sb: Switchboard) => Promise<T>): Promise<T> {
  const { path, config } = await loadConfig(configFlag);
  const sb = await createSwitchboard({ config, dataDir, logger: pino({ level: 'silent' }), ...(path ? { configPath: path } : {}) });
  try {
    return await fn(sb);
  } finally {
    await sb.close();
  }
}

/** `switchboard export`: to stdout, or atomically to `--out` (mode 0600, since a backup lists every server). */
export async function exportCommand(f: TransferFlags, dataDir: string, io: Output): Promise<number> {
  const format = (f.format ?? 'generic') as ExportFormat;
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    io.err(`SWB_INVALID_ARGUMENT: --format must be one of ${EXPORT_FORMATS.join(', ')}, got '${f.format}'`);
    return 2;
  }
  const doc = await withSwitchboard(f.config, dataDir, (sb) => sb.admin.backup.export(format));
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  if (f.out) {
    await writeAtomically(resolve(f.out), text);
    io.err(`Wrote the ${format} export to ${resolve(f.out)}`);
  } else {
    io.out(text.trimEnd());
  }
  return 0;
}

function planTable(r: ImportResult): string {
  const rows = r.servers.map((s) => [s.name, s.action.toUpperCase(), s.transport, s.reason ?? '']);
  const lines = [`Format: ${r.format}`, renderTable(['SERVER', 'ACTION', 'TRANSPORT', 'NOTE'], rows)];
  if (r.settings) lines.push(`Settings: ${r.settings}`);
  if (r.secrets.length) lines.push(renderTable(['SERVER', 'SECRET', 'ACTION', 'VALUE'], r.secrets.map((s) => [s.server, s.name, s.action, s.value])));
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  const s = r.summary;
  lines.push(`${r.dry_run ? 'Dry run — nothing changed' : 'Imported'}: ${s.add} to add, ${s.update} to update, ${s.unchanged} unchanged, ${s.conflict} conflicts, ${s.invalid} invalid${r.dry_run ? '' : '; new and updated servers are quarantined until approved'}`);
  return lines.join('\n');
}

/** `switchboard import FILE [--dry-run]`: the same plan and all-or-nothing apply as POST /api/import. */
export async function importCommand(file: string | undefined, f: TransferFlags, dataDir: string, io: Output): Promise<number> {
  if (!file) {
    io.err(`SWB_INVALID_ARGUMENT: import needs a FILE\n${TRANSFER_USAGE}`);
    return 2;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(resolve(file), 'utf8'));
  } catch (err) {
    throw new SwitchboardError('SWB_IMPORT_FORMAT_UNKNOWN', `Cannot read ${resolve(file)} as JSON: ${(err as Error).message}`, { file: resolve(file) });
  }
  const actor = fullAccess('local', 'cli', `cli:${userInfo().username}`);
  const result = await withSwitchboard(f.config, dataDir, (sb) => sb.admin.backup.import(doc, { dryRun: f['dry-run'] === true, actor }));
  io.out(f.json ? JSON.stringify(result, null, 2) : planTable(result));
  return 0;
}
