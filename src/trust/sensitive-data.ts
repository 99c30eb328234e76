/**
 * Shapes of credentials and personal data in free text: cloud keys, private keys, tokens, connection
 * strings with a password, payment card numbers (Luhn-checked). Used by the description scanner and
 * available to faces that inspect arguments and results.
 */

export interface SensitiveMatch {
  /** Stable id, e.g. `aws-access-key`, `card-number`. */
  kind: string;
  /** The matched text, masked except for a few leading characters. */
  masked: string;
  index: number;
}

interface Detector {
  kind: string;
  pattern: RegExp;
  /** Extra check on the match (Luhn for cards). */
  valid?: (match: string) => boolean;
  /** Text without any of these cannot match, so the regex is skipped (keeps scanning every tool call cheap). */
  hints?: readonly string[];
}

const DETECTORS: Detector[] = [
  { kind: 'aws-access-key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, hints: ['AKIA', 'ASIA'] },
  { kind: 'private-key', pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/g, hints: ['PRIVATE KEY-----'] },
  { kind: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b/g, hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'] },
  { kind: 'slack-token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, hints: ['xox'] },
  { kind: 'stripe-key', pattern: /\b(?:sk|rk)_live_[A-Za-z0-9]{16,}\b/g, hints: ['_live_'] },
  { kind: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, hints: ['AIza'] },
  { kind: 'openai-key', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\b/g, hints: ['sk-'] },
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, hints: ['eyJ'] },
  // scheme://user:password@host — a password in a connection string (not `user@host`, not `:port`).
  { kind: 'connection-string', pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/'"]+:[^\s@/'"]{3,}@[^\s'"]+/gi, hints: ['://'] },
  { kind: 'card-number', pattern: /\b(?:\d[ -]?){12,18}\d\b/g, valid: (m) => luhn(m.replace(/[ -]/g, '')) },
];

/** The Luhn checksum payment card numbers carry (13-19 digits). */
export function luhn(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const hinted = (d: Detector, text: string): boolean => !d.hints || d.hints.some((h) => text.includes(h));

function mask(text: string): string {
  return `${text.slice(0, 4)}…(${text.length} chars)`;
}

/** Every credential-shaped or card-number match in `text`. */
export function findSensitive(text: string): SensitiveMatch[] {
  const out: SensitiveMatch[] = [];
  for (const d of DETECTORS) {
    if (!hinted(d, text)) continue;
    for (const m of text.matchAll(d.pattern)) {
      if (d.valid && !d.valid(m[0])) continue;
      out.push({ kind: d.kind, masked: mask(m[0]), index: m.index });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/** `text` with every sensitive match replaced by `[REDACTED:<kind>]`. */
export function redactSensitive(text: string): string {
  let out = text;
  for (const d of DETECTORS) if (hinted(d, out)) out = out.replace(d.pattern, (m) => (d.valid && !d.valid(m) ? m : `[REDACTED:${d.kind}]`));
  return out;
}
