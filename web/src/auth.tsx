import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './api/client';
import { getSession, onSessionChange, setSession, type Session } from './api/session';
import type { Me, Scope } from './api/types';

/**
 * Who is using the console: a signed-in user, or (when the gateway allows unauthenticated requests
 * from its own machine) the local operator. Pages ask `can('write')` to hide what the API would
 * refuse anyway, so nobody is offered a button that can only fail.
 */

interface Auth {
  me: Me;
  session: Session | undefined;
  can(scope: Scope): boolean;
  signOut(): Promise<void>;
}

const AuthContext = createContext<Auth | undefined>(undefined);

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}

/** The current session, re-rendering on sign-in/out (also from other tabs). */
export function useSession(): Session | undefined {
  const [s, set] = useState(getSession());
  useEffect(() => onSessionChange(set), []);
  return s;
}

const LOCAL_KEY = 'switchboard.local';

/** Whether the user chose to continue without signing in (open loopback); per tab. */
export function localModeChosen(): boolean {
  return sessionStorage.getItem(LOCAL_KEY) === '1';
}

export function chooseLocalMode(on: boolean): void {
  if (on) sessionStorage.setItem(LOCAL_KEY, '1');
  else sessionStorage.removeItem(LOCAL_KEY);
}

export function AuthProvider({ me, children, onSignedOut }: { me: Me; children: ReactNode; onSignedOut: () => void }) {
  const session = useSession();
  const qc = useQueryClient();
  const can = (scope: Scope) => me.scopes.includes('admin') || me.scopes.includes(scope);
  const signOut = async () => {
    const s = getSession();
    if (s) await api.post('/auth/logout', { body: { refresh_token: s.refreshToken } }).catch(() => undefined);
    chooseLocalMode(false);
    setSession(undefined);
    qc.clear();
    onSignedOut();
  };
  return <AuthContext.Provider value={{ me, session, can, signOut }}>{children}</AuthContext.Provider>;
}

/** The principal behind the current credentials (or the local operator); fails with 401 when there is none. */
export function useMeQuery(enabled: boolean) {
  const session = useSession();
  return useQuery({ queryKey: ['me', session?.username ?? ''], queryFn: () => api.get('/auth/me'), enabled, retry: false, staleTime: 60_000 });
}
