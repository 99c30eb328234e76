import { createHash, timingSafeEqual } from 'node:crypto';
import { SwitchboardError, fullAccess, type Authenticate, type Credentials, type Principal } from '../shared/index.js';
import type { AuthRepo } from '../store/index.js';
import { looksLikeJwt, verifyAccessToken } from './access-tokens.js';
import { ADMIN_TOKEN, CredentialCache, keyPrincipal, userPrincipal, type AuthLog } from './credential-cache.js';
import { DEFAULT_LOGIN_LIMITS, LoginLimiter, type LoginLimits } from './login-limiter.js';
import { hashPassword } from './passwords.js';
import { SECRET_PREFIX, displayPrefix, newSecret, secretDigest } from './secret-tokens.js';
import { Sessions } from './sessions.js';
import { loadSigningKey } from './signing-key.js';

export interface IdentityOptions {
  repo: AuthRepo;
  /** Where the JWT signing key file lives (unless SWITCHBOARD_JWT_SECRET is set). */
  dataDir: string;
  env: Readonly<Record<string, string | undefined>>;
  /** SWITCHBOARD_API_KEY and the config's `apiKey`: bootstrap keys with every scope, for scripts and CI. */
  bootstrapKeys: readonly string[];
  log?: AuthLog;
  limits?: Partial<LoginLimits>;
  /** How often cached credentials are re-read from the store (default 2 s); 0 for one-shot use (the CLI). */
  syncMs?: number;
  /** Clock, for tests of expiry. */
  now?: () => number;
}

/** Options of one authenticator (one listener). */
export interface AuthenticatorOptions {
  /**
   * Loopback bind opened by `allowUnauthenticatedLoopback`: requests without credentials are the local
   * operator. A function is read per request, so a config reload that closes it applies at once.
   */
  openLoopback: boolean | (() => boolean);
}

/** Who is calling, and the mechanisms behind logins, keys and the admin token. */
export interface Identity {
  authenticator(opts: AuthenticatorOptions): Authenticate;
  readonly sessions: Sessions;
  /** Whether this principal came from one of the bootstrap keys. */
  isBootstrap(p: Principal): boolean;
  /** The login (refresh family) behind a principal resolved from an access token. */
  sessionOf(p: Principal): string | undefined;
  hashPassword(password: string): Promise<string>;
  /** A fresh API key secret and what is stored of it. */
  mintApiKey(): { secret: string; hash: string; prefix: string };
  /** Call after revoking a key in this process, so the next use sees it at once. */
  keyChanged(id: string): void;
  /** Call after changing or deleting a user in this process. */
  userChanged(id: string): void;
  /** Replace the admin token; the new secret is returned once. */
  rotateAdminToken(): Promise<{ token: string; rotatedAt: string }>;
  adminTokenStatus(): Promise<{ configured: boolean; rotatedAt: string | null }>;
  /** Re-read cached credentials now (the timer does it every `syncMs`). */
  sync(): Promise<void>;
  /** Stop the timer and write pending last-used times. */
  close(): Promise<void>;
}

const PURGE_EVERY_MS = 60 * 60_000;
const SILENT: AuthLog = { warn: () => undefined, info: () => undefined };

/** The key a request presents: `Authorization: Bearer`, `X-API-Key`, or `?apikey=` where allowed. */
export function presentedKey(creds: Credentials): string | undefined {
  const auth = creds.headers.authorization;
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim() || undefined;
  const x = creds.headers['x-api-key'];
  if (typeof x === 'string' && x !== '') return x;
  const q = creds.allowQueryKey ? creds.query?.['apikey'] : undefined;
  return typeof q === 'string' && q !== '' ? q : undefined;
}

/** The same digest `secretDigest` stores (as hex): computed once per request, used for every comparison. */
function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

const invalid = (reason: string, message = 'Invalid credentials') => new SwitchboardError('SWB_AUTH_INVALID', message, { reason });

/** Build the identity service on the auth tables; loads the admin token and recent revocations first. */
export async function createIdentity(opts: IdentityOptions): Promise<Identity> {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? SILENT;
  const syncMs = opts.syncMs ?? 2000;
  const cache = new CredentialCache(opts.repo, now, Math.max(syncMs, 1000));
  const signingKey = loadSigningKey(opts.dataDir, opts.env);
  const sessions = new Sessions({ repo: opts.repo, cache, limiter: new LoginLimiter({ ...DEFAULT_LOGIN_LIMITS, ...opts.limits }), signingKey, now, log });
  const bootstrap = opts.bootstrapKeys.filter((k) => k !== '').map(sha256);
  const bootstrapPrincipal = fullAccess('bootstrap', 'bootstrap', 'bootstrap key');
  const adminPrincipal = fullAccess('admin_token', 'admin_token', 'admin token');
  const local = fullAccess('local', 'local', 'local (unauthenticated loopback)');
  const families = new WeakMap<Principal, string>();
  await cache.sync();

  let syncing: Promise<void> | undefined;
  let purgedAt = 0;
  const sync = () =>
    (syncing ??= cache
      .sync()
      .then(async () => {
        // Expired refresh tokens are useless (an unknown token is refused all the same): drop them hourly.
        if (now() - purgedAt < PURGE_EVERY_MS) return;
        purgedAt = now();
        await opts.repo.deleteExpiredRefreshTokens(new Date(purgedAt).toISOString());
      })
      .catch((err: Error) => log.warn({ err: err.message }, 'could not refresh cached credentials'))
      .finally(() => (syncing = undefined)));
  const timer = syncMs > 0 ? setInterval(() => void sync(), syncMs) : undefined;
  timer?.unref();

  async function fromJwt(token: string): Promise<Principal | SwitchboardError> {
    const claims = await verifyAccessToken(signingKey, token, now());
    if (claims === 'expired') return invalid('expired', 'The access token has expired; refresh it');
    if (claims === 'invalid') return invalid('invalid');
    if (cache.familyRevoked(claims.sid)) return invalid('revoked', 'This login has ended; log in again');
    const user = await cache.user(claims.sub);
    if (!user || user.disabled) return invalid('revoked', 'This account is disabled or gone');
    // The role comes from the store, not the token: a demotion applies at once.
    const p = userPrincipal(user);
    families.set(p, claims.sid);
    return p;
  }

  async function fromOpaque(digest: Buffer): Promise<Principal | SwitchboardError> {
    const hash = digest.toString('hex');
    const admin = cache.adminToken();
    if (admin !== undefined && timingSafeEqual(Buffer.from(admin, 'hex'), digest)) return adminPrincipal;
    const key = await cache.key(hash);
    if (!key) return invalid('unknown');
    if (key.revokedAt) return invalid('revoked', 'This API key has been revoked');
    if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now()) return invalid('expired', 'This API key has expired');
    if (key.ownerMissing || key.owner?.disabled) return invalid('revoked', "This API key's owner is disabled or gone");
    cache.markUsed(key.id);
    return keyPrincipal(key);
  }

  return {
    sessions,
    authenticator: ({ openLoopback }) => {
      const isOpen = typeof openLoopback === 'function' ? openLoopback : () => openLoopback;
      return async (creds) => {
        const presented = presentedKey(creds);
        if (presented === undefined) return isOpen() ? local : new SwitchboardError('SWB_AUTH_REQUIRED', 'Authentication required');
        const d = sha256(presented);
        if (bootstrap.some((k) => timingSafeEqual(k, d))) return bootstrapPrincipal;
        return looksLikeJwt(presented) ? fromJwt(presented) : fromOpaque(d);
      };
    },
    isBootstrap: (p) => p === bootstrapPrincipal,
    sessionOf: (p) => families.get(p),
    hashPassword,
    mintApiKey() {
      const secret = newSecret(SECRET_PREFIX.apiKey);
      return { secret, hash: secretDigest(secret), prefix: displayPrefix(secret) };
    },
    keyChanged: (id) => cache.forgetKey(id),
    userChanged: (id) => cache.forgetUser(id),
    async rotateAdminToken() {
      const token = newSecret(SECRET_PREFIX.adminToken);
      const rotatedAt = new Date(now()).toISOString();
      await opts.repo.setCredential(ADMIN_TOKEN, secretDigest(token), rotatedAt);
      cache.setAdminToken(secretDigest(token));
      log.info({ rotatedAt }, 'admin token rotated');
      return { token, rotatedAt };
    },
    async adminTokenStatus() {
      const c = await opts.repo.credential(ADMIN_TOKEN);
      return { configured: c !== undefined, rotatedAt: c?.rotatedAt ?? null };
    },
    sync,
    async close() {
      if (timer) clearInterval(timer);
      await syncing;
      await cache.sync().catch(() => undefined);
    },
  };
}
