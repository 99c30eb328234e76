import { SwitchboardError, type SensitiveDataMode } from '../shared/index.js';
import { findSensitive, redactSensitive } from './sensitive-data.js';

/** Which side of a tools/call a finding is on. */
export type CallDirection = 'arguments' | 'result';

/** One credential or card number found in a tool call. Never carries the value itself. */
export interface SensitiveFinding {
  /** Stable rule id: `sensitive-data.<kind>`. */
  rule: string;
  /** The detector, e.g. `aws-access-key`, `card-number` (see sensitive-data.ts). */
  kind: string;
  where: CallDirection;
  /** JSON path of the string it was found in, e.g. `arguments.message`, `result.content[0].text`. */
  path: string;
  /** The match masked to its first four characters and its length. */
  evidence: string;
}

/** The outcome of scanning one side of a call under one mode. */
export interface CallScan<T> {
  mode: SensitiveDataMode;
  findings: SensitiveFinding[];
  /** What goes on: the input itself, or (mode `redact`, with findings) a redacted copy. */
  value: T;
  /** What the activity log may keep: the input when nothing was found, otherwise a redacted copy. */
  logged: T;
  /** Mode `block` with at least one finding: the call must not go on. */
  blocked: boolean;
}

/** Deeper than this is not walked (no MCP payload nests this far; it bounds the recursion). */
const MAX_DEPTH = 64;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Content whose `data` is base64 media, not text a person wrote. */
const MEDIA = new Set(['image', 'audio']);

const childPath = (path: string, key: string) => (IDENT.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

/**
 * Scan one side of a tools/call for credentials and card numbers (strings and object keys, any depth,
 * skipping `_meta`, base64 media and resource blobs). Returns the same object references when nothing
 * is found, so a clean call costs one walk and no copies.
 */
export function scanCallPayload<T>(input: T, where: CallDirection, mode: SensitiveDataMode): CallScan<T> {
  if (mode === 'off') return { mode, findings: [], value: input, logged: input, blocked: false };
  const findings: SensitiveFinding[] = [];
  const inspect = (text: string, path: string): string => {
    const found = findSensitive(text);
    if (!found.length) return text;
    for (const m of found) findings.push({ rule: `sensitive-data.${m.kind}`, kind: m.kind, where, path, evidence: m.masked });
    return redactSensitive(text);
  };
  const walk = (v: unknown, path: string, depth: number): unknown => {
    if (typeof v === 'string') return v.length < 8 ? v : inspect(v, path);
    if (v === null || typeof v !== 'object' || depth > MAX_DEPTH) return v;
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const next = walk(v[i], `${path}[${i}]`, depth + 1);
        if (next !== v[i]) (out ??= v.slice())[i] = next;
      }
      return out ?? v;
    }
    const obj = v as Record<string, unknown>;
    const media = typeof obj['type'] === 'string' && MEDIA.has(obj['type']);
    let out: Record<string, unknown> | undefined;
    for (const key of Object.keys(obj)) {
      if (key === '_meta' || key === 'blob' || (media && key === 'data')) continue;
      // A key can hold a secret too: its finding names the object holding it, and paths below use the redacted key.
      const cleanKey = key.length < 8 ? key : inspect(key, `${path} (a key)`);
      const at = childPath(path, cleanKey);
      const next = walk(obj[key], at, depth + 1);
      if (cleanKey !== key || next !== obj[key]) {
        out ??= { ...obj };
        if (cleanKey !== key) delete out[key];
        out[cleanKey] = next;
      }
    }
    return out ?? v;
  };
  const redacted = walk(input, where, 0) as T;
  if (!findings.length) return { mode, findings, value: input, logged: input, blocked: false };
  return { mode, findings, value: mode === 'redact' ? redacted : input, logged: redacted, blocked: mode === 'block' };
}

/** A short, value-free summary of findings: `aws-access-key at arguments.key (AKIA…(20 chars))`. */
export function describeFindings(findings: readonly SensitiveFinding[], max = 5): string {
  const shown = findings.slice(0, max).map((f) => `${f.kind} at ${f.path} (${f.evidence})`);
  return shown.join('; ') + (findings.length > max ? `; and ${findings.length - max} more` : '');
}

/** The refusal of a call in `block` mode: before it reaches the upstream, or instead of its result. */
export function sensitiveDataRefusal(scan: CallScan<unknown>, tool: string): SwitchboardError {
  const kinds = [...new Set(scan.findings.map((f) => f.kind))];
  const where = scan.findings[0]!.where;
  const message =
    where === 'arguments'
      ? `The call to ${tool} was refused: its arguments contain sensitive data (${kinds.join(', ')}); it was not sent to the server`
      : `The result of ${tool} was withheld: it contains sensitive data (${kinds.join(', ')})`;
  return new SwitchboardError('SWB_TRUST_SENSITIVE_DATA', message, { where, kinds, findings: scan.findings.map(({ kind, path, evidence }) => ({ kind, path, evidence })) });
}
