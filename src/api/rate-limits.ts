import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SwitchboardError } from '../shared/index.js';

/** Requests allowed per minute. */
export interface RateLimits {
  /** Per credential (API key, token) on the REST API and the JSON layer; per client address without one. 0: no limit. */
  perMinute: number;
  /** Per client address on `/auth/*`, whatever credentials are sent (login, setup, refresh cost a password hash). 0: no limit. */
  authPerMinute: number;
}

/**
 * Generous for scripts and the web console, tight enough to stop a runaway loop; `/auth/*` is stricter
 * because every login or setup costs a deliberately slow password hash.
 */
export const DEFAULT_RATE_LIMITS: Readonly<RateLimits> = Object.freeze({ perMinute: 600, authPerMinute: 60 });

const WINDOW_MS = 60_000;

function isAuthPath(url: string): boolean {
  return url.startsWith('/auth/') || url === '/auth' || url.startsWith('/auth?');
}

/**
 * The bucket a request counts against. Keyed on a digest of the credential as presented rather than on
 * the resolved principal: the limiter runs before the route's guard, and authenticating twice could
 * count twice against a login lockout. Without credentials (and on `/auth/*` always) it is the client address.
 */
export function rateLimitKey(req: Pick<FastifyRequest, 'url' | 'ip' | 'headers'>): string {
  if (isAuthPath(req.url)) return `auth:${req.ip}`;
  const auth = req.headers.authorization;
  const apiKey = req.headers['x-api-key'];
  const presented = typeof auth === 'string' && auth !== '' ? auth : typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined;
  if (presented === undefined) return `ip:${req.ip}`;
  return `cred:${createHash('sha256').update(presented).digest('base64url').slice(0, 22)}`;
}

function limitFor(key: string, limits: RateLimits): number {
  return key.startsWith('auth:') ? limits.authPerMinute : limits.perMinute;
}

/**
 * Register the request limits on the REST scope (only its routes count; /mcp never passes here).
 * The limits are read per request, so a settings change applies to the next request. Over the limit:
 * 429 in the error envelope (SWB_AUTH_RATE_LIMITED on /auth/*, SWB_API_RATE_LIMITED elsewhere) with
 * Retry-After in seconds.
 */
export async function registerRateLimits(scope: FastifyInstance, limits: () => RateLimits): Promise<void> {
  await scope.register(rateLimit, {
    global: true,
    timeWindow: WINDOW_MS,
    max: (_req, key) => limitFor(key, limits()),
    keyGenerator: rateLimitKey,
    allowList: (_req, key) => limitFor(key, limits()) === 0,
    errorResponseBuilder: (req, ctx) => {
      const retryAfter = Math.max(1, Math.ceil(ctx.ttl / 1000));
      const details = { limit: ctx.max, window_s: WINDOW_MS / 1000, retry_after_s: retryAfter };
      return isAuthPath(req.url)
        ? new SwitchboardError('SWB_AUTH_RATE_LIMITED', `Too many requests to /auth from this address; retry in ${retryAfter} s`, details)
        : new SwitchboardError('SWB_API_RATE_LIMITED', `Too many requests for this key; retry in ${retryAfter} s`, details);
    },
  });
}
