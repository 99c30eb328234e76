import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The MCP transport endpoints: their browser policy is the Host/Origin guard in http/, not CORS. */
const MCP_TRANSPORT_PATHS = new Set(['/mcp', '/sse', '/messages']);

/** Request headers a browser client of the REST API may send. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'x-api-key', 'x-request-id'];
/** Response headers a browser client may read besides the CORS-safelisted ones. */
const EXPOSED_HEADERS = ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'www-authenticate', 'content-disposition'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Seconds a browser may cache a preflight answer. */
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * What the CORS layer answers for one request origin, given the configured list:
 * - listed exactly → the origin is reflected and credentials are allowed;
 * - `*` listed (and the origin not listed itself) → `*` without credentials (browsers refuse the pair);
 * - otherwise, or without an Origin header → no CORS headers at all.
 * The literal origin `null` (sandboxed frames, file://) is never matched by name.
 */
export function corsDecision(origin: string | undefined, allowed: readonly string[]): { origin: string; credentials: boolean } | undefined {
  if (!origin) return undefined;
  if (origin !== 'null' && allowed.includes(origin)) return { origin, credentials: true };
  if (allowed.includes('*')) return { origin: '*', credentials: false };
  return undefined;
}

/**
 * Register CORS on the REST scope. The allowed origins are read per request, so a settings change
 * takes effect at once. The MCP transport paths are left alone (a preflight there still gets 404).
 */
export async function registerCors(scope: FastifyInstance, allowedOrigins: () => readonly string[]): Promise<void> {
  const delegator = (req: FastifyRequest, cb: (err: Error | null, options: FastifyCorsOptions) => void): void => {
    const path = req.url.split('?')[0]!;
    const decision = MCP_TRANSPORT_PATHS.has(path) ? undefined : corsDecision(req.headers.origin, allowedOrigins());
    if (!decision) return cb(null, { origin: false });
    cb(null, { ...decision, methods: METHODS, allowedHeaders: ALLOWED_HEADERS, exposedHeaders: EXPOSED_HEADERS, maxAge: PREFLIGHT_MAX_AGE_S, strictPreflight: false });
  };
  await scope.register(cors, { delegator });
}
