import type { TransportKind } from './types.js';

/** Every accepted spelling of a transport, in `transport`, `type` (VS Code) or `protocol` (MCPProxy). */
export const TRANSPORT_SPELLINGS = ['stdio', 'sse', 'streamable-http', 'http', 'streamableHttp', 'auto'] as const;

export type TransportSpelling = (typeof TRANSPORT_SPELLINGS)[number];

/** The keys a server entry may name its transport with, in order of precedence for messages. */
export const TRANSPORT_KEYS = ['transport', 'type', 'protocol'] as const;

const CANONICAL: Record<TransportSpelling, TransportKind | undefined> = {
  stdio: 'stdio',
  sse: 'sse',
  'streamable-http': 'streamable-http',
  http: 'streamable-http',
  streamableHttp: 'streamable-http',
  auto: undefined,
};

/** Map a spelling to its transport; `auto` maps to `undefined` (decide from `command` / `url`). */
export function canonicalTransport(spelling: TransportSpelling): TransportKind | undefined {
  return CANONICAL[spelling];
}

/** The transport for a remote server that names none: `sse` when the URL path ends in `/sse`, else streamable HTTP. */
export function inferRemoteTransport(url: string): TransportKind {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    pathname = url.split(/[?#]/, 1)[0] ?? url;
  }
  return /\/sse\/?$/.test(pathname) ? 'sse' : 'streamable-http';
}
