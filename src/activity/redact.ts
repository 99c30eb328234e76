/**
 * Redaction for everything the activity log keeps or broadcasts: values under secret-looking keys,
 * the live set of registered secret values wherever they appear, and well-known token shapes. Also
 * bounds the size of what is kept, so one huge argument cannot bloat the log.
 */

export const REDACTED = '[REDACTED]';

/** Returns the current secret values; must be synchronous and cheap (a cached set). */
export type SecretValuesGetter = () => Iterable<string>;

export interface RedactLimits {
  maxDepth: number;
  maxString: number;
  maxItems: number;
}

const DEFAULT_LIMITS: RedactLimits = { maxDepth: 10, maxString: 2000, maxItems: 100 };

/**
 * Key names (lower-cased, separators removed) whose values are always redacted, matched as a suffix so
 * `github_token` and `db_password` are caught while `max_tokens` and `tokenizer` are not.
 */
const SENSITIVE_SUFFIXES = ['password', 'passwd', 'pwd', 'passphrase', 'secret', 'secrets', 'token', 'apikey', 'authorization', 'cookie', 'cookies', 'credential', 'credentials', 'privatekey', 'accesskey', 'signature', 'sessionkey', 'bearer'];
const SENSITIVE_PREFIXES = ['password', 'secretvalue', 'secretkey', 'apikey', 'authorization', 'privatekey', 'credential'];

/** Shapes of well-known credentials that are redacted even under innocent keys. */
const TOKEN_PATTERNS: readonly RegExp[] = [
  /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b(sk|pk|rk)-[A-Za-z0-9_-]{16,}/g,
  /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /\bsbk_[A-Za-z0-9_-]{16,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];
/** Credentials passed in URL query strings (`?token=…`, `&api_key=…`). */
const QUERY_PARAM = /([?&](?:access_token|token|api[_-]?key|apikey|key|secret|password|auth|sig|signature)=)[^&\s#"']+/gi;

/** Secret values shorter than this are not searched for: they would redact ordinary words. */
const MIN_SECRET_LENGTH = 4;

/** Whether values under this key are always redacted (`db_password` yes, `max_tokens` no). */
export function isSensitiveKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SENSITIVE_SUFFIXES.some((s) => k.endsWith(s)) || SENSITIVE_PREFIXES.some((p) => k.startsWith(p));
}

export interface Redactor {
  /** Add a source of secret values; returns the function that removes it. */
  registerSecretValues(getter: SecretValuesGetter): () => void;
  /** A redacted, size-bounded copy of a JSON-like value (never mutates the input). */
  value(v: unknown): unknown;
  /** A redacted copy of a string (secret values, token shapes, URL credentials). */
  text(s: string): string;
}

/** A redactor with its own set of secret-value sources. */
export function createRedactor(limits: Partial<RedactLimits> = {}): Redactor {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  const getters = new Set<SecretValuesGetter>();

  function secretValues(): string[] {
    const out: string[] = [];
    for (const g of getters) {
      try {
        for (const v of g()) if (typeof v === 'string' && v.length >= MIN_SECRET_LENGTH) out.push(v);
      } catch {
        // A failing source must not stop the record; the other rules still apply.
      }
    }
    // Longest first, so a secret that contains another is replaced whole.
    return out.sort((a, b) => b.length - a.length);
  }

  function text(s: string, secrets: readonly string[]): string {
    // Scan only what can be kept, plus a margin longer than any secret: a secret or token cut at the
    // scan boundary lies past the final cut, so no fragment of it survives.
    const scanned = Math.min(s.length, lim.maxString + Math.max(256, secrets[0]?.length ?? 0));
    let out = scanned < s.length ? s.slice(0, scanned) : s;
    for (const v of secrets) if (out.includes(v)) out = out.split(v).join(REDACTED);
    for (const re of TOKEN_PATTERNS) out = out.replace(re, (_m, scheme: unknown) => (typeof scheme === 'string' && /^(bearer|basic)$/i.test(scheme) ? `${scheme} ${REDACTED}` : REDACTED));
    out = out.replace(QUERY_PARAM, `$1${REDACTED}`);
    const length = out.length + (s.length - scanned);
    if (length > lim.maxString) out = `${out.slice(0, lim.maxString)}…[+${length - lim.maxString} chars]`;
    return out;
  }

  function walk(v: unknown, depth: number, secrets: readonly string[]): unknown {
    if (typeof v === 'string') return text(v, secrets);
    if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
    if (typeof v === 'bigint') return String(v);
    if (typeof v !== 'object') return undefined;
    if (depth >= lim.maxDepth) return '[…]';
    if (Array.isArray(v)) {
      const items = v.slice(0, lim.maxItems).map((x) => walk(x, depth + 1, secrets));
      if (v.length > lim.maxItems) items.push(`[+${v.length - lim.maxItems} items]`);
      return items;
    }
    const out: Record<string, unknown> = {};
    const entries = Object.entries(v as Record<string, unknown>);
    for (const [k, x] of entries.slice(0, lim.maxItems)) {
      out[k] = isSensitiveKey(k) && x !== null && x !== undefined && x !== '' ? REDACTED : walk(x, depth + 1, secrets);
    }
    if (entries.length > lim.maxItems) out['…'] = `[+${entries.length - lim.maxItems} keys]`;
    return out;
  }

  return {
    registerSecretValues(getter) {
      getters.add(getter);
      return () => getters.delete(getter);
    },
    value: (v) => walk(v, 0, secretValues()),
    text: (s) => text(s, secretValues()),
  };
}

/** Keep at most `maxBytes` of serialised JSON; a larger value becomes a truncated preview. */
export function boundJson(v: unknown, maxBytes: number): unknown {
  if (v === undefined) return undefined;
  const s = JSON.stringify(v);
  if (s === undefined || s.length <= maxBytes) return v;
  return { truncated: true, bytes: s.length, preview: s.slice(0, maxBytes) };
}
