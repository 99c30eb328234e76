import { z } from 'zod';
import { guard, principalOf, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { ErrorEnvelope, GUARDED_ERRORS, page } from '../envelope.js';

/**
 * Per-server secrets (MCPBox paths): names and status only, never values. Values are sealed with
 * AES-256-GCM at rest and used in a server's env, headers or URL as `${secret:NAME}`.
 */

const TAG = 'secrets';
const ERRORS = { ...GUARDED_ERRORS, 404: ErrorEnvelope, 409: ErrorEnvelope, 422: ErrorEnvelope } as const;

const ServerParams = z.object({ name: z.string().min(1).max(128).describe('Server name') });
const SecretParams = ServerParams.extend({ key: z.string().min(1).max(256).describe('Secret name') });

const SecretView = z
  .object({
    name: z.string(),
    has_value: z.boolean(),
    status: z.enum(['set', 'missing', 'unreadable']).describe('missing: a placeholder without a value; unreadable: sealed with another master key'),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .describe('A secret (never its value)');

const ListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(500).default(100),
});

const CreateBody = z.object({
  name: z.string().max(256).describe('Letters, digits and _, not starting with a digit; referenced as ${secret:NAME}'),
  value: z.string().optional().describe('Omit to create a placeholder (status "missing") to fill in later'),
});

const ValueBody = z.object({ value: z.string().describe('The secret value; stored encrypted, never shown again') });

export function secretRoutes(app: ApiApp, deps: ApiDeps): void {
  const secrets = () => deps.admin.secrets;

  app.get(
    '/api/servers/:name/secrets',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: "List a server's secrets (names and status; values are never returned)", security: SECURED, params: ServerParams, querystring: ListQuery, response: { 200: page(SecretView), ...ERRORS } } },
    async (req) => {
      const all = await secrets().list(req.params.name);
      const { page: p, page_size } = req.query;
      return { items: all.slice((p - 1) * page_size, p * page_size), total: all.length, page: p, page_size, pages: Math.max(1, Math.ceil(all.length / page_size)) };
    },
  );

  app.post(
    '/api/servers/:name/secrets',
    { preHandler: guard(deps, 'write'), schema: { tags: [TAG], summary: 'Create a secret: a placeholder without a value, or with one', security: SECURED, params: ServerParams, body: CreateBody, response: { 201: SecretView, ...ERRORS } } },
    async (req, reply) => reply.code(201).send(await secrets().create(req.params.name, req.body.name, req.body.value, principalOf(req))),
  );

  app.put(
    '/api/servers/:name/secrets/:key',
    { preHandler: guard(deps, 'write'), schema: { tags: [TAG], summary: "Set a secret's value (creates the secret if needed); servers using it restart with the new value", security: SECURED, params: SecretParams, body: ValueBody, response: { 200: SecretView, ...ERRORS } } },
    async (req) => secrets().set(req.params.name, req.params.key, req.body.value, principalOf(req)),
  );

  app.delete(
    '/api/servers/:name/secrets/:key',
    { preHandler: guard(deps, 'write'), schema: { tags: [TAG], summary: 'Delete a secret', security: SECURED, params: SecretParams, response: { 200: z.object({ deleted: z.string() }), ...ERRORS } } },
    async (req) => {
      await secrets().delete(req.params.name, req.params.key, principalOf(req));
      return { deleted: req.params.key };
    },
  );
}
