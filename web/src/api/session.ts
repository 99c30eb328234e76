/**
 * The signed-in session: a short-lived access token and the single-use refresh token that renews it.
 * Kept in localStorage so a reload stays signed in; the strict CSP (scripts from this origin only)
 * is what keeps other scripts away from it. Listeners hear sign-in and sign-out.
 */

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
  username: string;
}

/** What /auth/login, /auth/setup, /auth/refresh and /auth/change-password answer. */
export interface TokenPair {
  access_token: string;
  expires_in: number;
  refresh_token: string;
  user: { username: string };
}

const KEY = 'switchboard.session';
const listeners = new Set<(s: Session | undefined) => void>();
let current: Session | undefined = load();

function load(): Session | undefined {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

export function getSession(): Session | undefined {
  return current;
}

export function setSession(s: Session | undefined): void {
  current = s;
  try {
    if (s) localStorage.setItem(KEY, JSON.stringify(s));
    else localStorage.removeItem(KEY);
  } catch {
    // Private browsing without storage: the session lives until the tab closes.
  }
  for (const l of listeners) l(s);
}

export function sessionFromTokens(t: TokenPair): Session {
  return { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: Date.now() + t.expires_in * 1000, username: t.user.username };
}

export function onSessionChange(listener: (s: Session | undefined) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Another tab signing in or out applies here too.
window.addEventListener('storage', (e) => {
  if (e.key !== KEY) return;
  current = load();
  for (const l of listeners) l(current);
});
