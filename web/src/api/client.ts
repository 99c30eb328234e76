import type { Paths } from './schema.gen';
import { getSession, sessionFromTokens, setSession, type TokenPair } from './session';

/**
 * The typed REST client. Paths, parameters, bodies and answers come from schema.gen.ts, which is
 * generated from the gateway's OpenAPI document, so a renamed field breaks the console's typecheck
 * rather than a page at runtime.
 */

export type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';
/** Paths that have an operation for this method. */
export type PathsWith<M extends Method> = { [P in keyof Paths]: M extends keyof Paths[P] ? P : never }[keyof Paths];
type Operation<P extends keyof Paths, M extends Method> = M extends keyof Paths[P] ? Paths[P][M] : never;
/** The success answer of an operation. */
export type Answer<P extends keyof Paths, M extends Method = 'get'> = Operation<P, M> extends { response: infer R } ? R : never;
/** The JSON body an operation takes. */
export type Body<P extends keyof Paths, M extends Method> = Operation<P, M> extends { body?: infer B } ? B : never;
/** The query parameters an operation takes. */
export type Query<P extends keyof Paths, M extends Method = 'get'> = Operation<P, M> extends { query?: infer Q } ? Q : never;
type Options<P extends keyof Paths, M extends Method> = Omit<Operation<P, M>, 'response'>;
type Args<P extends keyof Paths, M extends Method> = {} extends Options<P, M> ? [opts?: Options<P, M> & { signal?: AbortSignal }] : [opts: Options<P, M> & { signal?: AbortSignal }];

/** An error answer in the one envelope (`{ error: { code, message, details, hint } }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A URL path with `{param}`s filled in, plus the query string. */
export function urlFor(path: string, params?: Record<string, unknown>, query?: Record<string, unknown>): string {
  const filled = path.replace(/\{([^}]+)\}/g, (_m, k: string) => encodeURIComponent(String(params?.[k] ?? '')));
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const qs = q.toString();
  return qs ? `${filled}?${qs}` : filled;
}

let refreshing: Promise<boolean> | undefined;

/** Renew the access token with the refresh token; one renewal at a time however many calls hit 401. */
export function refreshSession(): Promise<boolean> {
  const s = getSession();
  if (!s) return Promise.resolve(false);
  refreshing ??= (async () => {
    try {
      const res = await fetch('/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: s.refreshToken }) });
      if (!res.ok) {
        // Another tab may have renewed first (refresh tokens are single use): keep its session.
        if (getSession()?.refreshToken === s.refreshToken) setSession(undefined);
        return getSession() !== undefined;
      }
      setSession(sessionFromTokens((await res.json()) as TokenPair));
      return true;
    } catch {
      return false;
    } finally {
      refreshing = undefined;
    }
  })();
  return refreshing;
}

/** Headers that carry the current credentials. */
export function authHeaders(): Record<string, string> {
  const s = getSession();
  return s ? { authorization: `Bearer ${s.accessToken}` } : {};
}

async function toError(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const e = (JSON.parse(text) as { error?: { code?: string; message?: string; hint?: string; details?: unknown } }).error;
    if (e?.code) return new ApiError(res.status, e.code, e.message ?? e.code, e.hint, e.details);
  } catch {
    // not an envelope: fall through
  }
  return new ApiError(res.status, `HTTP_${res.status}`, text.slice(0, 200) || res.statusText);
}

/** Send a request with the session's credentials; a 401 renews the token once and retries. */
export async function send(method: Method, url: string, body?: unknown, init: { signal?: AbortSignal; accept?: string } = {}): Promise<Response> {
  const attempt = () =>
    fetch(url, {
      method: method.toUpperCase(),
      signal: init.signal,
      headers: { ...authHeaders(), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), accept: init.accept ?? 'application/json' },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  let res = await attempt();
  if (res.status === 401 && getSession() && !url.startsWith('/auth/')) {
    if (await refreshSession()) res = await attempt();
  }
  if (!res.ok) throw await toError(res);
  return res;
}

async function call(method: Method, path: string, opts: { path?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; signal?: AbortSignal } = {}): Promise<unknown> {
  const res = await send(method, urlFor(path, opts.path, opts.query), opts.body, { signal: opts.signal });
  const type = res.headers.get('content-type') ?? '';
  if (res.status === 204) return undefined;
  return type.includes('json') ? res.json() : res.text();
}

/** `api.get('/api/servers/{name}', { path: { name } })` and so on, typed end to end. */
export const api = {
  get: <P extends PathsWith<'get'>>(path: P, ...[opts]: Args<P, 'get'>) => call('get', path, opts as never) as Promise<Answer<P, 'get'>>,
  post: <P extends PathsWith<'post'>>(path: P, ...[opts]: Args<P, 'post'>) => call('post', path, opts as never) as Promise<Answer<P, 'post'>>,
  put: <P extends PathsWith<'put'>>(path: P, ...[opts]: Args<P, 'put'>) => call('put', path, opts as never) as Promise<Answer<P, 'put'>>,
  patch: <P extends PathsWith<'patch'>>(path: P, ...[opts]: Args<P, 'patch'>) => call('patch', path, opts as never) as Promise<Answer<P, 'patch'>>,
  delete: <P extends PathsWith<'delete'>>(path: P, ...[opts]: Args<P, 'delete'>) => call('delete', path, opts as never) as Promise<Answer<P, 'delete'>>,
};
