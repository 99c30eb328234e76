/** The admin REST API: thin Fastify routes over the admin service, documented by OpenAPI at /docs. */
export { registerApi } from './register.js';
export { type ApiDeps, type ApiApp, guard, principalOf, sendError, SECURED } from './api-app.js';
