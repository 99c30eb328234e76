import type { IncomingHttpHeaders } from 'node:http';
import type { SwitchboardError } from './errors.js';

/**
 * Who is calling. Every face (REST, /mcp, CLI, UI) resolves its credentials to one Principal before
 * anything else runs; the policy gate decides with it alone.
 */
export const SCOPES = ['read', 'write', 'execute', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** The scopes a user of each role holds. */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  admin: ['read', 'write', 'execute', 'admin'],
  editor: ['read', 'write', 'execute'],
  viewer: ['read'],
};

export interface Principal {
  /** How the caller authenticated. `bootstrap` is SWITCHBOARD_API_KEY / config apiKey; `anonymous` only on an opened loopback bind. */
  readonly kind: 'user' | 'api_key' | 'admin_token' | 'bootstrap' | 'anonymous' | 'local';
  /** Stable id: user id, key id, or a fixed name for the built-in kinds. */
  readonly id: string;
  /** Human-readable label for logs and the activity table (user name, key name). */
  readonly name: string;
  readonly role?: Role;
  readonly scopes: readonly Scope[];
  /** Glob allow-lists on whole server / tool names; absent means every one. */
  readonly servers?: readonly string[];
  readonly tools?: readonly string[];
}

export function hasScope(p: Principal, scope: Scope): boolean {
  return p.scopes.includes('admin') || p.scopes.includes(scope);
}

/** A principal with every scope and no allow-lists (bootstrap key, admin token, local CLI). */
export function fullAccess(kind: Principal['kind'], id: string, name: string): Principal {
  return { kind, id, name, role: 'admin', scopes: [...SCOPES] };
}

/** What a request presents: headers, and the query string (`?apikey=` counts only on event streams). */
export interface Credentials {
  headers: IncomingHttpHeaders;
  query?: Record<string, unknown>;
  /** Whether `?apikey=` may be used (event streams only: browsers cannot set headers on EventSource). */
  allowQueryKey?: boolean;
  /** Client address, for login rate limits. */
  ip?: string;
}

/** Resolves credentials to a principal; an error (401) when they are missing or wrong. */
export type Authenticate = (creds: Credentials) => Promise<Principal | SwitchboardError>;

/** One caller identity as a map key (kind and id; the name and scopes may change): `api_key:k_123`. */
export function principalKey(p: Pick<Principal, 'kind' | 'id'>): string {
  return `${p.kind}:${p.id}`;
}
