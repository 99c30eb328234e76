import { createHash, timingSafeEqual } from 'node:crypto';
import { SwitchboardError, fullAccess, type Authenticate, type Credentials, type Principal } from '../shared/index.js';

export interface AuthenticatorOptions {
  /** SWITCHBOARD_API_KEY and the config's apiKey: bootstrap keys with every scope. */
  bootstrapKeys: readonly string[];
  /** Loopback bind explicitly opened: requests without credentials act as the local operator. */
  openLoopback: boolean;
}

/** The key a request presents: `Authorization: Bearer`, `X-API-Key`, or `?apikey=` where allowed. */
export function presentedKey(creds: Credentials): string | undefined {
  const auth = creds.headers.authorization;
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim() || undefined;
  const x = creds.headers['x-api-key'];
  if (typeof x === 'string' && x !== '') return x;
  const q = creds.allowQueryKey ? creds.query?.['apikey'] : undefined;
  return typeof q === 'string' && q !== '' ? q : undefined;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Resolve credentials to a principal. */
export function createAuthenticator(opts: AuthenticatorOptions): Authenticate {
  const bootstrap = opts.bootstrapKeys.filter((k) => k !== '').map(digest);
  const bootstrapPrincipal: Principal = fullAccess('bootstrap', 'bootstrap', 'bootstrap key');
  const local: Principal = fullAccess('local', 'local', 'local (unauthenticated loopback)');
  return async (creds) => {
    const key = presentedKey(creds);
    if (key === undefined) {
      if (opts.openLoopback) return local;
      return new SwitchboardError('SWB_AUTH_REQUIRED', 'Authentication required');
    }
    const d = digest(key);
    if (bootstrap.some((k) => timingSafeEqual(k, d))) return bootstrapPrincipal;
    return new SwitchboardError('SWB_AUTH_INVALID', 'Invalid credentials');
  };
}
