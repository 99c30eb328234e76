import { ROLE_SCOPES, ROLES, type Principal, type Role, type Scope } from '../shared/index.js';
import type { ApiKeyAuthRecord, AuthRepo, UserRecord } from '../store/index.js';
import { ACCESS_TOKEN_TTL_S } from './access-tokens.js';

/** The admin token's row in the credentials table. */
export const ADMIN_TOKEN = 'admin_token';
/** Bound on cached keys, users and remembered misses, so presenting random keys cannot grow memory. */
const MAX_ENTRIES = 10_000;

interface KeyEntry {
  record: ApiKeyAuthRecord;
}

export interface AuthLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

function evictOldest<K, V>(map: Map<K, V>): void {
  while (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
}

/**
 * What a credential check needs, kept in memory so /mcp never waits on the database for a credential
 * it has seen before: API keys by digest (with misses remembered briefly), users by id, the admin
 * token's digest and the refresh families revoked within an access token's lifetime.
 *
 * Other processes on the same store (the CLI, another replica) change these rows too; `sync()` reloads
 * every cached entry in a handful of queries and runs on a short timer, so a revocation anywhere takes
 * effect here within one period. A key seen for the first time is looked up at once.
 */
export class CredentialCache {
  private readonly keys = new Map<string, KeyEntry>();
  private readonly misses = new Map<string, number>();
  private readonly users = new Map<string, UserRecord | null>();
  private adminTokenHash: string | undefined;
  private revokedFamilies = new Set<string>();
  private readonly usedKeys = new Set<string>();
  /** Families this process revoked since the last sync. */
  private readonly recentLocal = new Set<string>();

  constructor(
    private readonly repo: AuthRepo,
    private readonly now: () => number,
    /** How long a miss is remembered before the store is asked again. */
    private readonly missTtlMs: number,
  ) {}

  /** The key with this digest, from memory or (first sight) the store; undefined when there is none. */
  async key(hash: string): Promise<ApiKeyAuthRecord | undefined> {
    const hit = this.keys.get(hash);
    if (hit) return hit.record;
    const missedAt = this.misses.get(hash);
    if (missedAt !== undefined && this.now() - missedAt < this.missTtlMs) return undefined;
    const [record] = await this.repo.apiKeysByHash([hash]);
    if (!record) {
      this.misses.delete(hash);
      this.misses.set(hash, this.now());
      evictOldest(this.misses);
      return undefined;
    }
    this.misses.delete(hash);
    this.keys.set(hash, { record });
    evictOldest(this.keys);
    return record;
  }

  /** Drop a key (after this process revoked it) so its next use reads the store. */
  forgetKey(id: string): void {
    for (const [hash, e] of this.keys) if (e.record.id === id) this.keys.delete(hash);
  }

  /** Remember that a key was used; written in batches by `sync()`. */
  markUsed(id: string): void {
    this.usedKeys.add(id);
  }

  async user(id: string): Promise<UserRecord | undefined> {
    if (this.users.has(id)) return this.users.get(id) ?? undefined;
    const [u] = await this.repo.usersByIds([id]);
    this.users.set(id, u ?? null);
    evictOldest(this.users);
    return u;
  }

  /** Drop a user and the keys they created (their owner state is part of each key's entry). */
  forgetUser(id: string): void {
    this.users.delete(id);
    for (const [hash, e] of this.keys) if (e.record.createdBy.kind === 'user' && e.record.createdBy.id === id) this.keys.delete(hash);
  }

  adminToken(): string | undefined {
    return this.adminTokenHash;
  }

  setAdminToken(hash: string): void {
    this.adminTokenHash = hash;
  }

  familyRevoked(familyId: string): boolean {
    return this.revokedFamilies.has(familyId);
  }

  /** Reload everything cached from the store and write pending last-used times. */
  async sync(): Promise<void> {
    const nowIso = new Date(this.now()).toISOString();
    if (this.usedKeys.size > 0) {
      const ids = [...this.usedKeys];
      this.usedKeys.clear();
      await this.repo.touchApiKeys(ids, nowIso);
    }
    const hashes = [...this.keys.keys()];
    if (hashes.length > 0) {
      const fresh = new Map((await this.repo.apiKeysByHash(hashes)).map((r) => [r.keyHash, r]));
      for (const h of hashes) {
        const r = fresh.get(h);
        if (r) this.keys.set(h, { record: r });
        else this.keys.delete(h);
      }
    }
    const userIds = [...this.users.keys()];
    if (userIds.length > 0) {
      const fresh = new Map((await this.repo.usersByIds(userIds)).map((u) => [u.id, u]));
      for (const id of userIds) this.users.set(id, fresh.get(id) ?? null);
    }
    this.adminTokenHash = (await this.repo.credential(ADMIN_TOKEN))?.secretHash;
    // A little longer than an access token lives: older revocations concern only expired tokens.
    const since = new Date(this.now() - (ACCESS_TOKEN_TTL_S + 60) * 1000).toISOString();
    const revoked = new Set(await this.repo.revokedFamiliesSince(since));
    // Keep local revocations the store has not confirmed yet (a write racing this read).
    for (const f of this.revokedFamilies) if (!revoked.has(f) && this.recentLocal.has(f)) revoked.add(f);
    this.revokedFamilies = revoked;
    this.recentLocal.clear();
  }

  /** Revoke locally and keep it through the next sync even if the store read misses it. */
  noteRevokedFamily(familyId: string): void {
    this.revokedFamilies.add(familyId);
    this.recentLocal.add(familyId);
  }
}

/** The scopes a key really has: its own, narrowed to what its creator's role allows today. */
export function keyPrincipal(r: ApiKeyAuthRecord): Principal {
  const own = r.scopes.filter((s): s is Scope => (ROLE_SCOPES.admin as readonly string[]).includes(s));
  const cap = r.owner && (ROLES as readonly string[]).includes(r.owner.role) ? ROLE_SCOPES[r.owner.role as Role] : undefined;
  const scopes = cap ? own.filter((s) => cap.includes(s)) : own;
  return {
    kind: 'api_key',
    id: r.id,
    name: r.name,
    scopes,
    ...(r.servers ? { servers: r.servers } : {}),
    ...(r.tools ? { tools: r.tools } : {}),
  };
}

export function userPrincipal(u: UserRecord): Principal {
  const role = (ROLES as readonly string[]).includes(u.role) ? (u.role as Role) : 'viewer';
  return { kind: 'user', id: u.id, name: u.username, role, scopes: ROLE_SCOPES[role] };
}
