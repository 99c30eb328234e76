import type { Selectable } from 'kysely';

/** Row shapes of the auth tables, the records the repo hands out, and the mapping between them. */

export interface UsersTable {
  id: string;
  username: string;
  username_key: string;
  password_hash: string;
  role: string;
  disabled: number;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface RefreshTokensTable {
  id: string;
  token_hash: string;
  family_id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  replaced_by: string | null;
  revoked_at: string | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  scopes_json: string;
  servers_json: string | null;
  tools_json: string | null;
  expires_at: string | null;
  created_by_kind: string;
  created_by: string;
  created_by_name: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface AuthCredentialsTable {
  name: string;
  secret_hash: string;
  rotated_at: string;
}

/** Table shapes for users, refresh tokens, API keys and the admin token. */
export interface AuthTables {
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  api_keys: ApiKeysTable;
  auth_credentials: AuthCredentialsTable;
}

/** A user as stored (the password hash never leaves the auth code). */
export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  role: string;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface RefreshTokenRecord {
  id: string;
  familyId: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  replacedBy: string | null;
  revokedAt: string | null;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** The first characters of the secret, for recognising a key in lists. */
  prefix: string;
  scopes: string[];
  servers: string[] | null;
  tools: string[] | null;
  expiresAt: string | null;
  createdBy: { kind: string; id: string; name: string };
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** A key as the authenticator needs it: the record plus its owner's current state when a user created it. */
export interface ApiKeyAuthRecord extends ApiKeyRecord {
  keyHash: string;
  /** Absent when the creator was not a user (admin token, bootstrap key, CLI) or the user is gone. */
  owner?: { role: string; disabled: boolean };
  ownerMissing: boolean;
}

export interface NewUser {
  id: string;
  username: string;
  passwordHash: string;
  role: string;
  now: string;
}

export interface UserPatch {
  role?: string;
  disabled?: boolean;
  passwordHash?: string;
  failedLogins?: number;
  lockedUntil?: string | null;
}

export interface NewApiKey {
  id: string;
  name: string;
  prefix: string;
  keyHash: string;
  scopes: readonly string[];
  servers: readonly string[] | null;
  tools: readonly string[] | null;
  expiresAt: string | null;
  createdBy: { kind: string; id: string; name: string };
  now: string;
}

export interface NewRefreshToken {
  id: string;
  tokenHash: string;
  familyId: string;
  userId: string;
  now: string;
  expiresAt: string;
}

/** The outcome of exchanging a refresh token, decided inside one transaction. */
export type RotateResult =
  | { kind: 'rotated'; previous: RefreshTokenRecord }
  | { kind: 'unknown' }
  | { kind: 'expired' }
  | { kind: 'revoked' }
  /** The token had already been exchanged: its whole family is now revoked. */
  | { kind: 'reused'; previous: RefreshTokenRecord };

export const KEY_COLUMNS = ['id', 'name', 'prefix', 'scopes_json', 'servers_json', 'tools_json', 'expires_at', 'created_by_kind', 'created_by', 'created_by_name', 'created_at', 'revoked_at', 'last_used_at'] as const;

export function toUser(r: Selectable<UsersTable>): UserRecord {
  return { id: r.id, username: r.username, passwordHash: r.password_hash, role: r.role, disabled: r.disabled !== 0, failedLogins: r.failed_logins, lockedUntil: r.locked_until, createdAt: r.created_at, updatedAt: r.updated_at };
}

export function toToken(r: Selectable<RefreshTokensTable>): RefreshTokenRecord {
  return { id: r.id, familyId: r.family_id, userId: r.user_id, createdAt: r.created_at, expiresAt: r.expires_at, replacedBy: r.replaced_by, revokedAt: r.revoked_at };
}

export function toKey(r: Pick<Selectable<ApiKeysTable>, (typeof KEY_COLUMNS)[number]>): ApiKeyRecord {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: JSON.parse(r.scopes_json) as string[],
    servers: r.servers_json === null ? null : (JSON.parse(r.servers_json) as string[]),
    tools: r.tools_json === null ? null : (JSON.parse(r.tools_json) as string[]),
    expiresAt: r.expires_at,
    createdBy: { kind: r.created_by_kind, id: r.created_by, name: r.created_by_name },
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  };
}

export function userRow(u: NewUser): UsersTable {
  return { id: u.id, username: u.username, username_key: u.username.toLowerCase(), password_hash: u.passwordHash, role: u.role, disabled: 0, failed_logins: 0, locked_until: null, created_at: u.now, updated_at: u.now };
}

