import { guard, principalOf, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { ErrorEnvelope, GUARDED_ERRORS, page } from '../envelope.js';
import { CreatedKey, IdParams, KeyView, ListQuery, NewKeyBody } from './identity-schemas.js';

/**
 * API keys (ToolBoxV2 keys, MCPProxy agent tokens). Admins manage every key; other users only their own,
 * with scopes they hold. The secret is in the creation answer only. Thin: parse, call `admin.keys`, return.
 */

const TAG = 'keys';
const ONE_KEY_ERRORS = { ...GUARDED_ERRORS, 404: ErrorEnvelope } as const;

export function keyRoutes(app: ApiApp, deps: ApiDeps): void {
  const keys = () => deps.admin.keys;

  app.get(
    '/api/keys',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: 'List API keys (admins: all; others: their own), newest first', security: SECURED, querystring: ListQuery, response: { 200: page(KeyView), ...GUARDED_ERRORS } } },
    async (req) => keys().list(principalOf(req), req.query.page, req.query.page_size),
  );

  app.post(
    '/api/keys',
    {
      preHandler: guard(deps, 'read'),
      schema: {
        tags: [TAG],
        summary: 'Create an API key with scopes, optional server/tool allow-lists and expiry; the secret is returned once',
        security: SECURED,
        body: NewKeyBody,
        response: { 201: CreatedKey, ...GUARDED_ERRORS, 422: ErrorEnvelope },
      },
    },
    async (req, reply) => reply.code(201).send(await keys().create(principalOf(req), req.body)),
  );

  app.get(
    '/api/keys/:id',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: 'Get an API key (never its secret)', security: SECURED, params: IdParams, response: { 200: KeyView, ...ONE_KEY_ERRORS } } },
    async (req) => keys().get(principalOf(req), req.params.id),
  );

  app.delete(
    '/api/keys/:id',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: 'Revoke an API key (it stays listed as revoked); idempotent', security: SECURED, params: IdParams, response: { 200: KeyView, ...ONE_KEY_ERRORS } } },
    async (req) => keys().revoke(principalOf(req), req.params.id),
  );
}
