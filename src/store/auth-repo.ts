import type { Kysely } from 'kysely';
import { KEY_COLUMNS, toKey, toToken, toUser, userRow, type ApiKeyAuthRecord, type ApiKeyRecord, type AuthTables, type NewApiKey, type NewRefreshToken, type NewUser, type RefreshTokenRecord, type RotateResult, type UserPatch, type UserRecord } from './auth-tables.js';

export type { AuthTables, UserRecord, RefreshTokenRecord, ApiKeyRecord, ApiKeyAuthRecord, NewUser, UserPatch, NewApiKey, NewRefreshToken, RotateResult } from './auth-tables.js';

/** Queries for users, refresh tokens, API keys and the admin token; the only code that touches these tables. */
export interface AuthRepo {
  countUsers(): Promise<number>;
  /** Insert only while the table is empty (one transaction): false when a user already exists. */
  insertFirstUser(user: NewUser): Promise<boolean>;
  /** false when the user name is taken (case-insensitively). */
  insertUser(user: NewUser): Promise<boolean>;
  userById(id: string): Promise<UserRecord | undefined>;
  userByName(username: string): Promise<UserRecord | undefined>;
  usersByIds(ids: readonly string[]): Promise<UserRecord[]>;
  listUsers(offset: number, limit: number): Promise<{ items: UserRecord[]; total: number }>;
  /**
   * Update a user. With `keepAdmin`, the change is refused (returns 'last_admin') when it would leave no
   * enabled admin; the check and the write share one transaction.
   */
  updateUser(id: string, patch: UserPatch, now: string, opts?: { keepAdmin?: boolean }): Promise<'ok' | 'missing' | 'last_admin'>;
  /** Delete a user, revoking the API keys they created, refused when it would leave no enabled admin. */
  deleteUser(id: string, now: string): Promise<'ok' | 'missing' | 'last_admin'>;
  /**
   * Count a failed login in one transaction; the `threshold`-th consecutive failure locks the account
   * until `lockUntil` and starts the count again. Returns whether this failure locked it.
   */
  recordLoginFailure(id: string, lock: { threshold: number; until: string }, now: string): Promise<{ locked: boolean }>;

  insertRefreshToken(token: NewRefreshToken): Promise<void>;
  /** Exchange `tokenHash` for `next` (same family) in one transaction; reuse of an exchanged token revokes the family. */
  rotateRefreshToken(tokenHash: string, next: Omit<NewRefreshToken, 'familyId' | 'userId'>): Promise<RotateResult>;
  refreshTokenByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  revokeFamily(familyId: string, now: string): Promise<void>;
  revokeUserTokens(userId: string, now: string): Promise<void>;
  /** Families with a token revoked at or after `since`: access tokens issued for them stop working. */
  revokedFamiliesSince(since: string): Promise<string[]>;
  /** Drop refresh tokens that expired before `before`. */
  deleteExpiredRefreshTokens(before: string): Promise<number>;

  insertApiKey(key: NewApiKey): Promise<void>;
  apiKeyById(id: string): Promise<ApiKeyRecord | undefined>;
  /** Newest first; `createdBy` narrows to the keys one principal created. */
  listApiKeys(filter: { createdBy?: { kind: string; id: string } }, offset: number, limit: number): Promise<{ items: ApiKeyRecord[]; total: number }>;
  /** Sets revoked_at once; returns the key as it is afterwards. */
  revokeApiKey(id: string, now: string): Promise<ApiKeyRecord | undefined>;
  /** Keys neither revoked nor expired at `now`. */
  countActiveApiKeys(now: string): Promise<number>;
  apiKeysByHash(hashes: readonly string[]): Promise<ApiKeyAuthRecord[]>;
  /** Record use of several keys at once (the authenticator batches). */
  touchApiKeys(ids: readonly string[], at: string): Promise<void>;

  credential(name: string): Promise<{ secretHash: string; rotatedAt: string } | undefined>;
  setCredential(name: string, secretHash: string, now: string): Promise<void>;
}

type Db = Kysely<AuthTables>;

/** Bound parameters per IN list: well under every dialect's limit. */
const IN_CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += IN_CHUNK) out.push(items.slice(i, i + IN_CHUNK));
  return out;
}

/** Enabled admins other than `exceptId`. */
async function otherAdmins(db: Db, exceptId: string): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'admin').where('disabled', '=', 0).where('id', '!=', exceptId).executeTakeFirstOrThrow();
  return Number(r.n);
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === '23505' || /UNIQUE constraint/i.test(e.message ?? '');
}

export function createAuthRepo(db: Db): AuthRepo {
  return {
    async countUsers() {
      const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async insertFirstUser(user) {
      return db.transaction().execute(async (trx) => {
        const any = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
        if (any) return false;
        await trx.insertInto('users').values(userRow(user)).execute();
        return true;
      });
    },
    async insertUser(user) {
      try {
        await db.insertInto('users').values(userRow(user)).execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async userById(id) {
      const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toUser(r);
    },
    async userByName(username) {
      const r = await db.selectFrom('users').selectAll().where('username_key', '=', username.toLowerCase()).executeTakeFirst();
      return r && toUser(r);
    },
    async usersByIds(ids) {
      const out: UserRecord[] = [];
      for (const part of chunks(ids)) out.push(...(await db.selectFrom('users').selectAll().where('id', 'in', part).execute()).map(toUser));
      return out;
    },
    async listUsers(offset, limit) {
      const rows = await db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id').offset(offset).limit(limit).execute();
      const total = await this.countUsers();
      return { items: rows.map(toUser), total };
    },
    async updateUser(id, patch, now, opts = {}) {
      return db.transaction().execute(async (trx) => {
        const cur = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
        if (!cur) return 'missing' as const;
        const losesAdmin = cur.role === 'admin' && cur.disabled === 0 && ((patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true);
        if (opts.keepAdmin && losesAdmin && (await otherAdmins(trx, id)) === 0) return 'last_admin' as const;
        await trx
          .updateTable('users')
          .set({
            ...(patch.role !== undefined ? { role: patch.role } : {}),
            ...(patch.disabled !== undefined ? { disabled: patch.disabled ? 1 : 0 } : {}),
            ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
            ...(patch.failedLogins !== undefined ? { failed_logins: patch.failedLogins } : {}),
            ...(patch.lockedUntil !== undefined ? { locked_until: patch.lockedUntil } : {}),
            updated_at: now,
          })
          .where('id', '=', id)
          .execute();
        return 'ok' as const;
      });
    },
    async deleteUser(id, now) {
      return db.transaction().execute(async (trx) => {
        const cur = await trx.selectFrom('users').select(['role', 'disabled']).where('id', '=', id).executeTakeFirst();
        if (!cur) return 'missing' as const;
        if (cur.role === 'admin' && cur.disabled === 0 && (await otherAdmins(trx, id)) === 0) return 'last_admin' as const;
        await trx.updateTable('api_keys').set({ revoked_at: now }).where('created_by_kind', '=', 'user').where('created_by', '=', id).where('revoked_at', 'is', null).execute();
        await trx.deleteFrom('refresh_tokens').where('user_id', '=', id).execute();
        await trx.deleteFrom('users').where('id', '=', id).execute();
        return 'ok' as const;
      });
    },
    async recordLoginFailure(id, lock, now) {
      return db.transaction().execute(async (trx) => {
        const cur = await trx.selectFrom('users').select('failed_logins').where('id', '=', id).executeTakeFirst();
        const n = (cur?.failed_logins ?? 0) + 1;
        const locked = n >= lock.threshold;
        await trx
          .updateTable('users')
          .set({ failed_logins: locked ? 0 : n, ...(locked ? { locked_until: lock.until } : {}), updated_at: now })
          .where('id', '=', id)
          .execute();
        return { locked };
      });
    },

    async insertRefreshToken(t) {
      await db.insertInto('refresh_tokens').values({ id: t.id, token_hash: t.tokenHash, family_id: t.familyId, user_id: t.userId, created_at: t.now, expires_at: t.expiresAt, replaced_by: null, revoked_at: null }).execute();
    },
    async rotateRefreshToken(tokenHash, next) {
      return db.transaction().execute(async (trx): Promise<RotateResult> => {
        const row = await trx.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
        if (!row) return { kind: 'unknown' };
        const cur = toToken(row);
        if (cur.revokedAt) return { kind: 'revoked' };
        if (cur.replacedBy) {
          await trx.updateTable('refresh_tokens').set({ revoked_at: next.now }).where('family_id', '=', cur.familyId).where('revoked_at', 'is', null).execute();
          return { kind: 'reused', previous: cur };
        }
        if (cur.expiresAt <= next.now) return { kind: 'expired' };
        // Conditional on replaced_by still being empty, so two racing exchanges cannot both succeed.
        const upd = await trx.updateTable('refresh_tokens').set({ replaced_by: next.id }).where('id', '=', cur.id).where('replaced_by', 'is', null).executeTakeFirst();
        if (Number(upd.numUpdatedRows) !== 1) return { kind: 'revoked' };
        await trx.insertInto('refresh_tokens').values({ id: next.id, token_hash: next.tokenHash, family_id: cur.familyId, user_id: cur.userId, created_at: next.now, expires_at: next.expiresAt, replaced_by: null, revoked_at: null }).execute();
        return { kind: 'rotated', previous: cur };
      });
    },
    async refreshTokenByHash(tokenHash) {
      const r = await db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return r && toToken(r);
    },
    async revokeFamily(familyId, now) {
      await db.updateTable('refresh_tokens').set({ revoked_at: now }).where('family_id', '=', familyId).where('revoked_at', 'is', null).execute();
    },
    async revokeUserTokens(userId, now) {
      await db.updateTable('refresh_tokens').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
    },
    async revokedFamiliesSince(since) {
      const rows = await db.selectFrom('refresh_tokens').select('family_id').distinct().where('revoked_at', '>=', since).execute();
      return rows.map((r) => r.family_id);
    },
    async deleteExpiredRefreshTokens(before) {
      const r = await db.deleteFrom('refresh_tokens').where('expires_at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    async insertApiKey(k) {
      await db
        .insertInto('api_keys')
        .values({
          id: k.id,
          name: k.name,
          prefix: k.prefix,
          key_hash: k.keyHash,
          scopes_json: JSON.stringify(k.scopes),
          servers_json: k.servers ? JSON.stringify(k.servers) : null,
          tools_json: k.tools ? JSON.stringify(k.tools) : null,
          expires_at: k.expiresAt,
          created_by_kind: k.createdBy.kind,
          created_by: k.createdBy.id,
          created_by_name: k.createdBy.name,
          created_at: k.now,
          revoked_at: null,
          last_used_at: null,
        })
        .execute();
    },
    async apiKeyById(id) {
      const r = await db.selectFrom('api_keys').select(KEY_COLUMNS).where('id', '=', id).executeTakeFirst();
      return r && toKey(r);
    },
    async listApiKeys(filter, offset, limit) {
      let q = db.selectFrom('api_keys');
      if (filter.createdBy) q = q.where('created_by_kind', '=', filter.createdBy.kind).where('created_by', '=', filter.createdBy.id);
      const rows = await q.select(KEY_COLUMNS).orderBy('created_at', 'desc').orderBy('id', 'desc').offset(offset).limit(limit).execute();
      const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return { items: rows.map(toKey), total: Number(total.n) };
    },
    async revokeApiKey(id, now) {
      await db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
      return this.apiKeyById(id);
    },
    async countActiveApiKeys(now) {
      const r = await db
        .selectFrom('api_keys')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async apiKeysByHash(hashes) {
      const out: ApiKeyAuthRecord[] = [];
      for (const part of chunks(hashes)) {
        const rows = await db
          .selectFrom('api_keys')
          .leftJoin('users', (j) => j.onRef('users.id', '=', 'api_keys.created_by').on('api_keys.created_by_kind', '=', 'user'))
          .select([...KEY_COLUMNS.map((c) => `api_keys.${c}` as const), 'api_keys.key_hash', 'users.role as owner_role', 'users.disabled as owner_disabled', 'users.id as owner_id'])
          .where('api_keys.key_hash', 'in', part)
          .execute();
        for (const r of rows) {
          const isUser = r.created_by_kind === 'user';
          out.push({
            ...toKey(r),
            keyHash: r.key_hash,
            ...(isUser && r.owner_id !== null ? { owner: { role: r.owner_role ?? 'viewer', disabled: r.owner_disabled !== 0 } } : {}),
            ownerMissing: isUser && r.owner_id === null,
          });
        }
      }
      return out;
    },
    async touchApiKeys(ids, at) {
      for (const part of chunks(ids)) await db.updateTable('api_keys').set({ last_used_at: at }).where('id', 'in', part).execute();
    },

    async credential(name) {
      const r = await db.selectFrom('auth_credentials').selectAll().where('name', '=', name).executeTakeFirst();
      return r && { secretHash: r.secret_hash, rotatedAt: r.rotated_at };
    },
    async setCredential(name, secretHash, now) {
      await db
        .insertInto('auth_credentials')
        .values({ name, secret_hash: secretHash, rotated_at: now })
        .onConflict((oc) => oc.column('name').doUpdateSet({ secret_hash: secretHash, rotated_at: now }))
        .execute();
    },
  };
}
