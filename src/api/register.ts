import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError, jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { SwitchboardError, errorEnvelope, toSwitchboardError } from '../shared/index.js';
import { VERSION } from '../version.js';
import { GUARD_SCOPE, sendError, type ApiApp, type ApiDeps } from './api-app.js';
import { registerCors } from './cross-origin.js';
import { DEFAULT_RATE_LIMITS, registerRateLimits, type RateLimits } from './rate-limits.js';
import { ROUTE_GROUPS } from './routes/index.js';

/** How the REST surface treats browsers and busy clients; every function is read per request. */
export interface ApiOptions {
  /** Browser origins allowed to call the REST API cross-origin. Default: the config's `http.allowedOrigins` plus the `cors_allowed_origins` setting. */
  corsOrigins?: () => readonly string[];
  /** Request limits. Default: the `api_key_rate_limit_per_minute` setting, and DEFAULT_RATE_LIMITS for /auth/*. */
  rateLimits?: () => RateLimits;
  /** DNS-rebinding defence (the Host check the MCP endpoint uses): an error rejects the request with 403. */
  checkHost?: (headers: IncomingHttpHeaders) => SwitchboardError | undefined;
}

/**
 * Mount the admin REST API, its OpenAPI document (/docs/json) and Swagger UI (/docs) on the HTTP app.
 * Route groups live in routes/; each is a thin face over the admin service. Host check, CORS and rate
 * limits apply to this scope only, so the MCP transport endpoints keep their own hot path.
 */
export async function registerApi(app: FastifyInstance, deps: ApiDeps, opts: ApiOptions = {}): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Switchboard admin API', version: VERSION, description: 'Manage the Switchboard MCP gateway. Errors use one envelope: { "error": { "code", "message", "details" } }.' },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'A JWT access token, an API key or the admin token' },
          apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(async (scoped) => {
    const { checkHost } = opts;
    if (checkHost) {
      scoped.addHook('onRequest', async (req, reply) => {
        const denied = checkHost(req.headers);
        if (denied) return sendError(reply, denied);
      });
    }
    const settings = () => deps.admin.settings.get();
    await registerCors(scoped, opts.corsOrigins ?? (() => [...deps.admin.deps.config().http.allowedOrigins, ...settings().cors_allowed_origins]));
    await registerRateLimits(scoped, opts.rateLimits ?? (() => ({ perMinute: settings().api_key_rate_limit_per_minute, authPerMinute: DEFAULT_RATE_LIMITS.authPerMinute })));
    // After the limiter, so its hook is already on each route and the guard lands behind it.
    scoped.addHook('onRoute', runGuardsFirst);
    scoped.setValidatorCompiler(validatorCompiler);
    scoped.setSerializerCompiler(serializerCompiler);
    scoped.setErrorHandler((err, req, reply) => {
      if (hasZodFastifySchemaValidationErrors(err)) {
        const issues = err.validation.map((v) => ({ path: v.instancePath || '/', message: v.message ?? 'invalid' }));
        return reply.code(400).send(errorEnvelope(new SwitchboardError('SWB_HTTP_BAD_REQUEST', `Invalid ${err.validationContext ?? 'request'}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, { issues })));
      }
      if (err instanceof SwitchboardError) return reply.code(err.httpStatus).send(errorEnvelope(err));
      const status = (err as { statusCode?: number }).statusCode ?? 500;
      if (status === 413) return reply.code(413).send(errorEnvelope(new SwitchboardError('SWB_HTTP_BODY_TOO_LARGE', 'Request body too large')));
      if (status === 429) return reply.code(429).send(errorEnvelope(new SwitchboardError('SWB_API_RATE_LIMITED', (err as Error).message)));
      if (status < 500 && !isResponseSerializationError(err)) {
        const code = (err as { code?: string }).code;
        return reply.code(400).send(errorEnvelope(new SwitchboardError('SWB_HTTP_BAD_REQUEST', code === 'SWB_PARSE_ERROR' ? (err as Error).message : 'Bad request')));
      }
      req.log.error({ err }, 'API request failed');
      return reply.code(500).send(errorEnvelope(toSwitchboardError(err)));
    });
    const api = scoped.withTypeProvider<ZodTypeProvider>() as ApiApp;
    for (const group of ROUTE_GROUPS) group(api, deps);
  });
}

/**
 * Routes declare `preHandler: guard(...)`; this moves the guard to the route's onRequest hooks (after
 * the Host check, CORS and the rate limit), so a caller without the right credentials gets 401/403
 * before the body is read or validated, and states the scope in the OpenAPI operation
 * (`x-required-scope`), read off the guard itself so the document cannot drift from the code.
 */
function runGuardsFirst(route: RouteOptions): void {
  const scopeOf = (h: unknown) => (h as Record<symbol, unknown>)[GUARD_SCOPE];
  const isGuard = (h: unknown) => typeof scopeOf(h) === 'string';
  const preHandlers = [route.preHandler ?? []].flat();
  const moved = preHandlers.filter(isGuard);
  if (moved.length > 0) {
    route.preHandler = preHandlers.filter((h) => !isGuard(h));
    route.onRequest = [...[route.onRequest ?? []].flat(), ...moved] as RouteOptions['onRequest'];
  }
  const guard = [route.onRequest ?? []].flat().find(isGuard);
  if (guard && route.schema) (route.schema as Record<string, unknown>)['x-required-scope'] = scopeOf(guard);
}
