import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError, jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { SwitchboardError, errorEnvelope, toSwitchboardError } from '../shared/index.js';
import { VERSION } from '../version.js';
import type { ApiApp, ApiDeps } from './api-app.js';
import { ROUTE_GROUPS } from './routes/index.js';

/**
 * Mount the admin REST API, its OpenAPI document (/docs/json) and Swagger UI (/docs) on the HTTP app.
 * Route groups live in routes/; each is a thin face over the admin service.
 */
export async function registerApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
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
      if (status === 429) return reply.code(429).send(errorEnvelope(new SwitchboardError('SWB_RATE_LIMITED', (err as Error).message)));
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
