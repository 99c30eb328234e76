import type { ActivityEntry } from '../store/index.js';

export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Columns of the CSV export, in order. Payloads are JSON text in their cells. */
export const CSV_COLUMNS = [
  'id',
  'at',
  'type',
  'status',
  'caller_kind',
  'caller_id',
  'caller_name',
  'session_id',
  'method',
  'server',
  'tool',
  'target',
  'duration_ms',
  'result_bytes',
  'request_id',
  'error_code',
  'error_message',
  'reason',
  'arguments',
  'before',
  'after',
] as const;

/**
 * One CSV cell (RFC 4180 quoting). Text that a spreadsheet would run as a formula (leading `=`, `+`,
 * `-`, `@`, tab or carriage return) is prefixed with `'` so opening an export cannot execute anything.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  let s = typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV header row. */
export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

/** One record as a CSV row (payloads as JSON text). */
export function csvRow(e: ActivityEntry): string {
  const flat: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    ...e,
    caller_kind: e.caller?.kind ?? null,
    caller_id: e.caller?.id ?? null,
    caller_name: e.caller?.name ?? null,
    arguments: e.arguments,
    before: e.before,
    after: e.after,
  };
  return `${CSV_COLUMNS.map((c) => csvCell(flat[c])).join(',')}\r\n`;
}

/** One record as a JSON Lines line. */
export function jsonLine(e: ActivityEntry): string {
  return `${JSON.stringify(e)}\n`;
}

/** Encode records as an export stream: a header line for CSV, one line per record. */
export async function* encodeExport(records: AsyncIterable<ActivityEntry>, format: ExportFormat): AsyncGenerator<string> {
  if (format === 'csv') yield csvHeader();
  for await (const e of records) yield format === 'csv' ? csvRow(e) : jsonLine(e);
}
