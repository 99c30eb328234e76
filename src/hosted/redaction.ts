/** Masking of a hosted server's secret values in what its execution logs keep. */

export const MASK = '********';

/** Values shorter than this are not masked: they would shred ordinary text and protect nothing. */
const MIN_SECRET_LENGTH = 3;

/**
 * Replace every occurrence of each secret value, raw and in its JSON-escaped spelling (arguments and
 * results are logged as JSON text), longest first so a secret containing another is masked whole.
 */
export function maskSecrets(text: string, values: readonly string[]): string {
  let out = text;
  const forms = new Set<string>();
  for (const v of values) {
    if (v.length < MIN_SECRET_LENGTH) continue;
    forms.add(v);
    forms.add(JSON.stringify(v).slice(1, -1));
  }
  for (const f of [...forms].sort((a, b) => b.length - a.length)) if (out.includes(f)) out = out.split(f).join(MASK);
  return out;
}

/** At most `maxBytes` of UTF-8, with a marker saying how much was cut. */
export function truncate(text: string, maxBytes: number): string {
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return text;
  const cut = Buffer.from(text).subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
  return `${cut}… [${bytes - Buffer.byteLength(cut)} more bytes]`;
}
