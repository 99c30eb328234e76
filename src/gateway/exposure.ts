/**
 * How a session sees the catalogue's tools: all it may use (`/mcp`), only three meta-tools to search,
 * describe and call them (`/mcp/search`), or a named profile's picks (`/mcp/p/<name>`). Prompts and
 * resources are the same in every mode; the policy gate applies in every mode alike.
 */
export type Exposure = { readonly mode: 'all' } | { readonly mode: 'search' } | { readonly mode: 'profile'; readonly profile: string };

export const ALL_TOOLS: Exposure = Object.freeze({ mode: 'all' });
export const SEARCH_TOOLS: Exposure = Object.freeze({ mode: 'search' });

export function sameExposure(a: Exposure, b: Exposure): boolean {
  return a.mode === b.mode && (a.mode !== 'profile' || a.profile === (b as { profile: string }).profile);
}

/** The `gateway.exposure` setting (`all`, `search`, `profile:<name>`) as an exposure; anything else is all tools. */
export function parseExposure(text: string | undefined): Exposure {
  if (text === 'search') return SEARCH_TOOLS;
  if (text?.startsWith('profile:')) return { mode: 'profile', profile: text.slice('profile:'.length) };
  return ALL_TOOLS;
}

/** The URL path a mode is served on. */
export function exposurePath(e: Exposure): string {
  return e.mode === 'all' ? '/mcp' : e.mode === 'search' ? '/mcp/search' : `/mcp/p/${e.profile}`;
}
