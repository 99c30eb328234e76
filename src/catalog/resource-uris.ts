/**
 * Reversible resource URI rewriting. With prefixed names, an upstream's URI `U` is exposed as
 * `switchboard://<server>/<U>` (U verbatim, so URI templates keep their `{variables}` and expand as
 * before). Without prefixes, URIs pass unchanged and are routed by ownership.
 */
const SCHEME = 'switchboard://';

export function exposeUri(serverPrefix: string, uri: string, prefixed: boolean): string {
  return prefixed ? `${SCHEME}${serverPrefix}/${uri}` : uri;
}

/** Split an exposed URI into the server prefix and the upstream's own URI, or undefined if not ours. */
export function parseExposedUri(uri: string): { serverPrefix: string; uri: string } | undefined {
  if (!uri.startsWith(SCHEME)) return undefined;
  const rest = uri.slice(SCHEME.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  return { serverPrefix: rest.slice(0, slash), uri: rest.slice(slash + 1) };
}

/**
 * Match a concrete URI against an RFC 6570 level-1 template (`{var}` segments, plus `{+var}`/`{/var}`
 * forms treated loosely). Used only to route reads and completions without prefixes.
 */
export function matchesTemplate(template: string, uri: string): boolean {
  const pattern = template
    .split(/(\{[^}]*\})/)
    .map((part) => (part.startsWith('{') ? (part.startsWith('{+') || part.startsWith('{/') ? '.*' : '[^/?#]*') : escapeRegExp(part)))
    .join('');
  return new RegExp(`^${pattern}$`).test(uri);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
