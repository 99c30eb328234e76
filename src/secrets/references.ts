import type { ServerConfig } from '../config/index.js';

/** Secret names: like environment variable names, so they read naturally in `${secret:NAME}`. */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

const REFERENCE = /\$\{secret:([^}]*)\}/g;

/** Every secret name referenced in one string, in order of appearance, without duplicates. */
export function referencesIn(text: string): string[] {
  return [...new Set([...text.matchAll(REFERENCE)].map((m) => m[1]!))];
}

/** Where a server may use `${secret:NAME}`: its env values, its header values and its URL. */
function referableStrings(server: ServerConfig): string[] {
  return [...Object.values(server.env), ...Object.values(server.headers), ...(server.url ? [server.url] : [])];
}

/** The secret names a server's configuration references. */
export function secretReferences(server: ServerConfig): string[] {
  return [...new Set(referableStrings(server).flatMap(referencesIn))];
}

/** `true` when the whole string is made of `${secret:...}` references (nothing else to hide). */
export function onlyReferences(text: string): boolean {
  return text !== '' && text.replace(REFERENCE, '') === '';
}

/**
 * Replace every `${secret:NAME}` in env values, header values and the URL with `lookup(NAME)`.
 * Names whose lookup is `undefined` are reported in `missing` and their references are left as written.
 * Keys, the command, args and cwd are never touched.
 */
export function substituteSecrets(server: ServerConfig, lookup: (name: string) => string | undefined): { config: ServerConfig; missing: string[] } {
  const missing = new Set<string>();
  const fill = (text: string): string =>
    text.replace(REFERENCE, (whole, name: string) => {
      const value = lookup(name);
      if (value === undefined) {
        missing.add(name);
        return whole;
      }
      return value;
    });
  const mapValues = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, fill(v)]));
  const config: ServerConfig = { ...server, env: mapValues(server.env), headers: mapValues(server.headers), ...(server.url ? { url: fill(server.url) } : {}) };
  return { config, missing: [...missing] };
}
