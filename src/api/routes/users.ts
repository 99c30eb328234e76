import { guard, principalOf, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { ErrorEnvelope, GUARDED_ERRORS, page } from '../envelope.js';
import { IdParams, ListQuery, NewUserBody, UserPatchBody, UserView } from './identity-schemas.js';
import { z } from 'zod';

/** Users (admins only). The last enabled admin cannot be deleted, disabled or demoted (409). Thin: parse, call `admin.users`, return. */

const TAG = 'users';
const ONE_USER_ERRORS = { ...GUARDED_ERRORS, 404: ErrorEnvelope, 409: ErrorEnvelope, 422: ErrorEnvelope } as const;

export function userRoutes(app: ApiApp, deps: ApiDeps): void {
  const users = () => deps.admin.users;

  app.get(
    '/api/users',
    { preHandler: guard(deps, 'admin'), schema: { tags: [TAG], summary: 'List users', security: SECURED, querystring: ListQuery, response: { 200: page(UserView), ...GUARDED_ERRORS } } },
    async (req) => users().list(principalOf(req), req.query.page, req.query.page_size),
  );

  app.post(
    '/api/users',
    { preHandler: guard(deps, 'admin'), schema: { tags: [TAG], summary: 'Create a user (role admin, editor or viewer)', security: SECURED, body: NewUserBody, response: { 201: UserView, ...GUARDED_ERRORS, 409: ErrorEnvelope, 422: ErrorEnvelope } } },
    async (req, reply) => reply.code(201).send(await users().create(principalOf(req), req.body)),
  );

  app.get(
    '/api/users/:id',
    { preHandler: guard(deps, 'admin'), schema: { tags: [TAG], summary: 'Get a user', security: SECURED, params: IdParams, response: { 200: UserView, ...GUARDED_ERRORS, 404: ErrorEnvelope } } },
    async (req) => users().get(principalOf(req), req.params.id),
  );

  app.patch(
    '/api/users/:id',
    {
      preHandler: guard(deps, 'admin'),
      schema: { tags: [TAG], summary: 'Change role, disable/enable, reset the password or lift a lockout', security: SECURED, params: IdParams, body: UserPatchBody, response: { 200: UserView, ...ONE_USER_ERRORS } },
    },
    async (req) => users().update(principalOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/users/:id',
    { preHandler: guard(deps, 'admin'), schema: { tags: [TAG], summary: 'Delete a user; the API keys they created are revoked', security: SECURED, params: IdParams, response: { 200: z.object({ deleted: z.string() }), ...ONE_USER_ERRORS } } },
    async (req) => {
      await users().remove(principalOf(req), req.params.id);
      return { deleted: req.params.id };
    },
  );
}
