import type { PinKind, PinnedDefinition } from './fingerprint.js';
import { findSensitive } from './sensitive-data.js';

export type Severity = 'low' | 'medium' | 'high';

/** One thing the scanner found in one field of a definition. */
export interface Finding {
  /** Stable rule id (see RULES). */
  rule: string;
  severity: Severity;
  /** JSON path of the text it was found in, e.g. `inputSchema.properties.path.description`. */
  field: string;
  /** The offending text, shortened, with invisible characters shown as `\u{...}`. */
  evidence: string;
}

/** What the scanner knows beyond the definition: the other servers' tools, to spot shadowing. */
export interface ScanContext {
  /** Names (upstream and exposed) of tools that belong to other servers. */
  otherTools: readonly { server: string; name: string }[];
  /** The scanned server's own tool names: referring to a sibling tool is not shadowing. */
  ownTools?: readonly string[];
}

/** Every rule with its severity and what it looks for (docs/search-and-trust.md renders this table). */
export const RULES: Record<string, { severity: Severity; summary: string }> = {
  'hidden-unicode.tag': { severity: 'high', summary: 'Unicode tag characters (U+E0000-E007F), invisible text a model still reads' },
  'hidden-unicode.bidi': { severity: 'high', summary: 'Bidirectional overrides and isolates that make text read differently than shown' },
  'hidden-unicode.zero-width': { severity: 'medium', summary: 'Zero-width characters outside emoji sequences' },
  'instructions.override': { severity: 'high', summary: 'Tells the model to ignore or replace its previous instructions' },
  'instructions.concealment': { severity: 'high', summary: 'Tells the model to keep something from the user' },
  'instructions.sensitive-files': { severity: 'high', summary: 'Points at credential files (SSH keys, cloud credentials, MCP client configs)' },
  'instructions.model-directive': { severity: 'medium', summary: 'Text addressed to the model rather than describing the tool (<IMPORTANT>, "you must always")' },
  'shadowing.cross-server': { severity: 'medium', summary: "Mentions another server's tool; high when it also gives orders about it" },
  'encoded.base64': { severity: 'medium', summary: 'A long base64 run; high when it decodes to instructions' },
  'encoded.hex': { severity: 'medium', summary: 'A long run of hex digits or escape sequences' },
  'secret.embedded': { severity: 'high', summary: 'A credential in the text: cloud or API key, token, private key, connection string with a password' },
  'url.suspicious': { severity: 'medium', summary: 'A URL to a raw IP, punycode host, link shortener, request collector, or with user info' },
};

const MAX_EVIDENCE = 120;

/** Shows invisible and control characters, shortens around the match. */
function evidence(text: string, index = 0, length = text.length): string {
  const start = Math.max(0, index - 30);
  const slice = text.slice(start, Math.min(text.length, index + Math.max(length, 1) + 30));
  const shown = [...slice].map((ch) => (/[\p{Cf}\p{Cc}\u{E0000}-\u{E007F}]/u.test(ch) && ch !== '\n' ? `\\u{${ch.codePointAt(0)!.toString(16)}}` : ch)).join('');
  return (start > 0 ? '…' : '') + (shown.length > MAX_EVIDENCE ? `${shown.slice(0, MAX_EVIDENCE)}…` : shown) + (index + length + 30 < text.length ? '…' : '');
}

type TextRule = (text: string) => { index: number; length: number } | undefined;

const first = (re: RegExp): TextRule => (text) => {
  const m = re.exec(text);
  return m ? { index: m.index, length: m[0].length } : undefined;
};

const TAG_CHARS = /[\u{E0000}-\u{E007F}]/u;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\u180E\uFEFF]/gu;
const PICTOGRAPH = /\p{Extended_Pictographic}|\uFE0F/u;

/** A zero-width joiner between two emoji builds one glyph (👨‍👩‍👧): that is not hiding anything. */
function hiddenZeroWidth(text: string): { index: number; length: number } | undefined {
  for (const m of text.matchAll(ZERO_WIDTH)) {
    const i = m.index;
    const before = [...text.slice(Math.max(0, i - 2), i)].pop() ?? '';
    const after = [...text.slice(i + 1, i + 3)][0] ?? '';
    if (m[0] === '\u200D' && PICTOGRAPH.test(before) && PICTOGRAPH.test(after)) continue;
    if (m[0] === '\uFEFF' && i === 0) continue;
    return { index: i, length: 1 };
  }
  return undefined;
}

const OVERRIDE = first(/\b(?:ignore|disregard|forget|override|bypass)\s+(?:[\w'-]+\s+){0,3}?(?:previous|prior|above|earlier|preceding|all|any|your|system|other)\s+(?:[\w'-]+\s+)?(?:instructions?|prompts?|rules|guidelines|directions|directives)\b/i);
const CONCEALMENT: TextRule = (text) =>
  first(/\b(?:do not|don't|never|must not|should not)\s+(?:tell|inform|mention|reveal|show|notify|alert|disclose)\b[^.\n]{0,40}?\buser\b/i)(text) ??
  first(/\bwithout\s+(?:telling|informing|notifying|alerting|asking)\s+(?:the\s+)?user\b/i)(text) ??
  first(/\b(?:hide|conceal|keep)\b[^.\n]{0,30}?\b(?:from|secret from)\s+(?:the\s+)?user\b/i)(text) ??
  first(/\b(?:the\s+)?user\s+(?:must|should)\s+(?:not|never)\s+(?:know|see|notice|find out)\b/i)(text);
const SENSITIVE_FILES = first(/(?:~\/|\$HOME\/|\/home\/[^/\s]+\/)?\.ssh\/|\bid_(?:rsa|ed25519|ecdsa|dsa)\b|\.aws\/credentials|\/etc\/(?:passwd|shadow)\b|\bmcp\.json\b|\bclaude_desktop_config\.json\b|\.npmrc\b|\.netrc\b|\.docker\/config\.json/i);
const DIRECTIVE: TextRule = (text) =>
  first(/<\/?\s*(?:important|system|instructions?|secret|hidden|admin)\s*>/i)(text) ??
  first(/\[(?:system|important|instructions?)\]/i)(text) ??
  first(/\b(?:you|the assistant|the model|the ai|claude|the llm)\s+(?:must|should|have to|need to)\s+(?:always|first|now|also|immediately)\b/i)(text) ??
  first(/\bbefore\s+(?:using|calling|invoking)\s+(?:this|any|the)\s+tool\b[^.\n]{0,60}?\b(?:must|always|first|read|call)\b/i)(text) ??
  first(/\bas an? (?:ai|assistant|language model)\b/i)(text);
const HEX = first(/\b(?:[0-9a-fA-F]{2}){40,}\b|(?:\\x[0-9a-fA-F]{2}){8,}|(?:\\u[0-9a-fA-F]{4}){6,}/);
const BASE64 = /[A-Za-z0-9+/_-]{40,}={0,2}/g;
const URLS = /\b(?:https?|ftp|wss?):\/\/[^\s"'<>)\]]+|\b(?:data|javascript):[^\s"'<>]{8,}/gi;
const SHORTENERS = /^(?:bit\.ly|tinyurl\.com|t\.co|goo\.gl|is\.gd|ow\.ly|rebrand\.ly|cutt\.ly|shorturl\.at|tiny\.cc)$/i;
const COLLECTORS = /(?:^|\.)(?:webhook\.site|requestbin\.(?:com|net)|pipedream\.net|ngrok\.io|ngrok-free\.app|ngrok\.app|interact\.sh|oast\.(?:fun|live|me|pro|site|online)|burpcollaborator\.net|beeceptor\.com|requestcatcher\.com|hookbin\.com)$/i;

/** A base64 run that is data, not a long identifier: mixed case and digits, or padding, and it decodes cleanly. */
function base64Payload(text: string): { index: number; length: number; decoded: string } | undefined {
  for (const m of text.matchAll(BASE64)) {
    const run = m[0];
    const mixed = /[A-Z]/.test(run) && /[a-z]/.test(run) && /\d/.test(run);
    if (!mixed && !run.endsWith('=')) continue;
    if (/^[A-Za-z]+(?:[A-Z][a-z]+)+$/.test(run)) continue;
    const decoded = Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    return { index: m.index, length: run.length, decoded };
  }
  return undefined;
}

function suspiciousUrl(text: string): { index: number; length: number } | undefined {
  for (const m of text.matchAll(URLS)) {
    const raw = m[0];
    if (/^(?:data|javascript):/i.test(raw)) return { index: m.index, length: raw.length };
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      continue;
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const loopback = host === 'localhost' || host.startsWith('127.') || host === '::1';
    const rawIp = /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.includes(':');
    if (url.username || url.password || (rawIp && !loopback) || host.split('.').some((l) => l.startsWith('xn--')) || SHORTENERS.test(host) || COLLECTORS.test(host)) {
      return { index: m.index, length: raw.length };
    }
  }
  return undefined;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ORDERS = /\b(?:always|must|instead|never|whenever|before|after|important|do not|don't|rather than|first)\b/i;

/** Compiled once per context: a listing's definitions are all scanned against the same one. */
const shadowPatterns = new WeakMap<ScanContext, RegExp | null>();

/** Distinctive names only: generic ones ("search", "query") would match ordinary prose. */
function shadowPattern(ctx: ScanContext): RegExp | undefined {
  const cached = shadowPatterns.get(ctx);
  if (cached !== undefined) return cached ?? undefined;
  const own = new Set(ctx.ownTools ?? []);
  const names = [...new Set(ctx.otherTools.map((t) => t.name))].filter((n) => n.length >= 6 && /[_.-]|[a-z][A-Z]/.test(n) && !own.has(n));
  names.sort((a, b) => b.length - a.length);
  const re = names.length ? new RegExp(`(?<![A-Za-z0-9_-])(?:${names.map(escapeRe).join('|')})(?![A-Za-z0-9_-])`, 'g') : null;
  shadowPatterns.set(ctx, re);
  return re ?? undefined;
}

/** The scannable texts of a definition with their JSON paths (descriptions, titles, enum and default strings, names). */
function texts(value: unknown, path: string, out: { field: string; text: string }[], depth = 0): void {
  if (depth > 12 || out.length > 2000) return;
  if (typeof value === 'string') {
    out.push({ field: path, text: value });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => texts(v, `${path}[${i}]`, out, depth + 1));
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = path ? `${path}.${k}` : k;
      // Property names are text a model reads too.
      if (path.endsWith('properties')) out.push({ field: `${p}(name)`, text: k });
      texts(v, p, out, depth + 1);
    }
  }
}

/** The instruction rules, also run on decoded payloads. */
const INSTRUCTION_RULES: [string, TextRule][] = [
  ['instructions.override', OVERRIDE],
  ['instructions.concealment', CONCEALMENT],
  ['instructions.sensitive-files', SENSITIVE_FILES],
  ['instructions.model-directive', DIRECTIVE],
];

/**
 * Scan one definition. Deterministic: the same definition and context always give the same findings,
 * at most one per rule and field, in field order.
 */
export function scanDefinition(kind: PinKind, def: PinnedDefinition, ctx: ScanContext = { otherTools: [] }): Finding[] {
  const fields: { field: string; text: string }[] = [];
  texts(def, '', fields);
  const ownName = String(def['name'] ?? '');
  const shadow = shadowPattern(ctx);
  const out: Finding[] = [];
  const add = (rule: string, field: string, text: string, at: { index: number; length: number }, severity = RULES[rule]!.severity) =>
    out.push({ rule, severity, field, evidence: evidence(text, at.index, at.length) });
  for (const { field, text } of fields) {
    const tag = TAG_CHARS.exec(text);
    if (tag) add('hidden-unicode.tag', field, text, { index: tag.index, length: 2 });
    const bidi = BIDI.exec(text);
    if (bidi) add('hidden-unicode.bidi', field, text, { index: bidi.index, length: 1 });
    const zw = hiddenZeroWidth(text);
    if (zw) add('hidden-unicode.zero-width', field, text, zw);
    for (const [rule, check] of INSTRUCTION_RULES) {
      const at = check(text);
      if (at) add(rule, field, text, at);
    }
    if (shadow) {
      // The definition's own name is never shadowing, even when the context did not list it.
      const m = [...text.matchAll(shadow)].find((x) => x[0] !== ownName);
      if (m) {
        const sentence = text.slice(Math.max(0, text.lastIndexOf('.', m.index) + 1), text.indexOf('.', m.index + m[0].length) + 1 || text.length);
        add('shadowing.cross-server', field, text, { index: m.index, length: m[0].length }, ORDERS.test(sentence) ? 'high' : 'medium');
      }
    }
    const b64 = base64Payload(text);
    if (b64) {
      const hidden = INSTRUCTION_RULES.some(([, check]) => check(b64.decoded) !== undefined);
      add('encoded.base64', field, text, b64, hidden ? 'high' : 'medium');
    }
    const hex = HEX(text);
    if (hex) add('encoded.hex', field, text, hex);
    const secret = findSensitive(text).find((s) => s.kind !== 'card-number');
    if (secret) out.push({ rule: 'secret.embedded', severity: 'high', field, evidence: `${secret.kind}: ${secret.masked}` });
    const url = suspiciousUrl(text);
    if (url) add('url.suspicious', field, text, url);
  }
  return out;
}

/** Whether any finding is high severity (such a definition is quarantined). */
export function hasHighSeverity(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'high');
}
