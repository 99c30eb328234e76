/**
 * Canonical JSON for signing: object keys sorted at every level, no whitespace. Two documents with the
 * same content give the same text whatever order a tool wrote their keys in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The part of a backup that is signed: everything but the signature itself. */
export function signedPart(doc: Record<string, unknown>): string {
  const { signature: _signature, ...rest } = doc;
  return canonicalJson(rest);
}
