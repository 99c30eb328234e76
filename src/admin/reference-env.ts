/**
 * An environment in which every `${env:NAME}` "expands" to itself. Normalising a document with it
 * validates the document while keeping references as written, so exports and stored definitions never
 * carry the gateway's environment values (which are often credentials).
 */
export const KEEP_ENV_REFERENCES: Readonly<Record<string, string | undefined>> = new Proxy(
  {},
  { get: (_target, key) => (typeof key === 'string' ? `\${env:${key}}` : undefined) },
);
