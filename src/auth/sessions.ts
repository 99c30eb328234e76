import { ROLES, SwitchboardError, type Role } from '../shared/index.js';
import type { AuthRepo, UserRecord } from '../store/index.js';
import { ACCESS_TOKEN_TTL_S, signAccessToken } from './access-tokens.js';
import type { AuthLog, CredentialCache } from './credential-cache.js';
import type { LoginLimiter } from './login-limiter.js';
import { burnVerification, hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { SECRET_PREFIX, newId, newSecret, secretDigest } from './secret-tokens.js';

/** Refresh tokens live 7 days; each exchange issues a new one with a fresh 7 days. */
export const REFRESH_TOKEN_TTL_S = 7 * 24 * 60 * 60;

/** What a login, a refresh or a setup hands the client. */
export interface TokenPair {
  access_token: string;
  token_type: 'bearer';
  /** Seconds. */
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
}

export interface SessionDeps {
  repo: AuthRepo;
  cache: CredentialCache;
  limiter: LoginLimiter;
  signingKey: Uint8Array;
  now: () => number;
  log: AuthLog;
}

function rateLimited(retryAfterS: number, message: string): SwitchboardError {
  return new SwitchboardError('SWB_AUTH_RATE_LIMITED', message, { retry_after_s: Math.max(1, retryAfterS) });
}

const BAD_LOGIN = () => new SwitchboardError('SWB_AUTH_INVALID', 'Invalid user name or password');

function roleOf(u: UserRecord): Role {
  return (ROLES as readonly string[]).includes(u.role) ? (u.role as Role) : 'viewer';
}

/**
 * Password logins and the token pairs they yield: rate limits and lockout, refresh-token rotation with
 * reuse detection, logout and password changes. Every failure is a SwitchboardError.
 */
export class Sessions {
  constructor(private readonly d: SessionDeps) {}

  /** A new login (family) for a user who has just proved who they are. */
  async issue(user: UserRecord): Promise<TokenPair> {
    const now = this.d.now();
    const familyId = newId('fam');
    const refresh = newSecret(SECRET_PREFIX.refreshToken);
    await this.d.repo.insertRefreshToken({ id: newId('rt'), tokenHash: secretDigest(refresh), familyId, userId: user.id, now: new Date(now).toISOString(), expiresAt: new Date(now + REFRESH_TOKEN_TTL_S * 1000).toISOString() });
    return this.pair(user, familyId, refresh, now);
  }

  private async pair(user: UserRecord, familyId: string, refresh: string, now: number): Promise<TokenPair> {
    const { token } = await signAccessToken(this.d.signingKey, { sub: user.id, role: roleOf(user), sid: familyId }, now);
    return { access_token: token, token_type: 'bearer', expires_in: ACCESS_TOKEN_TTL_S, refresh_token: refresh, refresh_expires_in: REFRESH_TOKEN_TTL_S };
  }

  /**
   * Check a password for the named user, counting failures per address and per name. Throws 429 while
   * the address or the account is locked out, 401 for a wrong name or password or a disabled account.
   */
  async checkPassword(username: string, password: string, ip: string): Promise<UserRecord> {
    const { limiter, repo } = this.d;
    const now = this.d.now();
    const ipWait = limiter.ipRetryAfter(ip, now);
    if (ipWait > 0) throw rateLimited(ipWait, `Too many failed logins from this address; retry in ${ipWait} s`);
    const user = await repo.userByName(username);
    if (!user) {
      const nameWait = limiter.nameRetryAfter(username, now);
      if (nameWait > 0) throw rateLimited(nameWait, `Too many failed logins for this account; retry in ${nameWait} s`);
      await burnVerification(password);
      limiter.recordIpFailure(ip, now);
      limiter.recordNameFailure(username, now);
      throw BAD_LOGIN();
    }
    const lockedFor = user.lockedUntil ? Math.ceil((Date.parse(user.lockedUntil) - now) / 1000) : 0;
    if (lockedFor > 0) throw rateLimited(lockedFor, `Too many failed logins for this account; retry in ${lockedFor} s`);
    if (!(await verifyPassword(password, user.passwordHash))) {
      limiter.recordIpFailure(ip, now);
      const until = new Date(now + limiter.limits.lockoutMs).toISOString();
      const { locked } = await repo.recordLoginFailure(user.id, { threshold: limiter.limits.userFailures, until }, new Date(now).toISOString());
      if (locked) this.d.log.warn({ user: user.username, ip, until }, 'account locked after repeated failed logins');
      throw BAD_LOGIN();
    }
    if (user.disabled) throw new SwitchboardError('SWB_AUTH_INVALID', 'This account is disabled');
    const upgrade = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
    if (user.failedLogins > 0 || user.lockedUntil || upgrade) {
      await repo.updateUser(user.id, { failedLogins: 0, lockedUntil: null, ...(upgrade ? { passwordHash: upgrade } : {}) }, new Date(now).toISOString());
    }
    return user;
  }

  async login(username: string, password: string, ip: string): Promise<{ user: UserRecord; tokens: TokenPair }> {
    const user = await this.checkPassword(username, password, ip);
    return { user, tokens: await this.issue(user) };
  }

  /** Exchange a refresh token for a new pair; presenting one that was already exchanged revokes its whole family. */
  async refresh(refreshToken: string): Promise<{ user: UserRecord; tokens: TokenPair }> {
    const now = this.d.now();
    const next = newSecret(SECRET_PREFIX.refreshToken);
    const result = await this.d.repo.rotateRefreshToken(secretDigest(refreshToken), {
      id: newId('rt'),
      tokenHash: secretDigest(next),
      now: new Date(now).toISOString(),
      expiresAt: new Date(now + REFRESH_TOKEN_TTL_S * 1000).toISOString(),
    });
    switch (result.kind) {
      case 'unknown':
        throw new SwitchboardError('SWB_AUTH_INVALID', 'Unknown refresh token', { reason: 'unknown' });
      case 'expired':
        throw new SwitchboardError('SWB_AUTH_INVALID', 'The refresh token has expired; log in again', { reason: 'expired' });
      case 'revoked':
        throw new SwitchboardError('SWB_AUTH_INVALID', 'The refresh token has been revoked; log in again', { reason: 'revoked' });
      case 'reused':
        this.d.cache.noteRevokedFamily(result.previous.familyId);
        this.d.log.warn({ userId: result.previous.userId, family: result.previous.familyId }, 'refresh token reused: the login is revoked');
        throw new SwitchboardError('SWB_AUTH_INVALID', 'This refresh token was already used; the login it belongs to has been revoked. Log in again', { reason: 'reuse_detected' });
    }
    const user = await this.d.repo.userById(result.previous.userId);
    if (!user || user.disabled) {
      await this.d.repo.revokeFamily(result.previous.familyId, new Date(now).toISOString());
      this.d.cache.noteRevokedFamily(result.previous.familyId);
      throw new SwitchboardError('SWB_AUTH_INVALID', 'This account is disabled or gone');
    }
    return { user, tokens: await this.pair(user, result.previous.familyId, next, now) };
  }

  /** End one login: its refresh tokens and every access token issued for it stop working. */
  async revokeFamily(familyId: string): Promise<void> {
    await this.d.repo.revokeFamily(familyId, new Date(this.d.now()).toISOString());
    this.d.cache.noteRevokedFamily(familyId);
  }

  /** The family a refresh token belongs to, when it exists and belongs to `userId` (if given). */
  async familyOf(refreshToken: string, userId?: string): Promise<string | undefined> {
    const t = await this.d.repo.refreshTokenByHash(secretDigest(refreshToken));
    if (!t || (userId !== undefined && t.userId !== userId)) return undefined;
    return t.familyId;
  }

  /** Set a new password after checking the current one; every login of the user ends, a new one starts. */
  async changePassword(userId: string, current: string, next: string, ip: string): Promise<{ user: UserRecord; tokens: TokenPair }> {
    const user = await this.d.repo.userById(userId);
    if (!user) throw new SwitchboardError('SWB_AUTH_INVALID', 'This account is gone');
    try {
      await this.checkPassword(user.username, current, ip);
    } catch (err) {
      if (err instanceof SwitchboardError && err.code === 'SWB_AUTH_INVALID') throw new SwitchboardError('SWB_AUTH_FORBIDDEN', 'The current password is wrong');
      throw err;
    }
    await this.setPassword(user.id, next);
    const fresh = (await this.d.repo.userById(user.id))!;
    return { user: fresh, tokens: await this.issue(fresh) };
  }

  /** Store a new password hash and end all the user's logins (also used by an admin's reset). */
  async setPassword(userId: string, password: string): Promise<void> {
    const nowIso = new Date(this.d.now()).toISOString();
    await this.d.repo.updateUser(userId, { passwordHash: await hashPassword(password), failedLogins: 0, lockedUntil: null }, nowIso);
    await this.endAllLogins(userId);
  }

  async endAllLogins(userId: string): Promise<void> {
    const nowIso = new Date(this.d.now()).toISOString();
    await this.d.repo.revokeUserTokens(userId, nowIso);
    for (const f of await this.d.repo.revokedFamiliesSince(nowIso)) this.d.cache.noteRevokedFamily(f);
    this.d.cache.forgetUser(userId);
  }
}
