import { z } from 'zod';
import { PROFILE_NAME, ProfileSchema } from '../../shared/index.js';
import { guard, principalOf, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { ErrorEnvelope, GUARDED_ERRORS } from '../envelope.js';

/** Named tool profiles: virtual servers on /mcp/p/<name>, picking tools across servers (config-file profiles are read-only). */

const TAG = 'profiles';
const READ_ERRORS = { ...GUARDED_ERRORS, 404: ErrorEnvelope } as const;
const WRITE_ERRORS = { ...READ_ERRORS, 409: ErrorEnvelope, 422: ErrorEnvelope } as const;

const ProfileName = z.string().regex(PROFILE_NAME, 'must be 1-64 characters of letters, digits, "_" and "-"');
const NameParams = z.object({ name: ProfileName });
const ProfileView = ProfileSchema.extend({
  name: z.string(),
  source: z.enum(['config', 'api']),
  endpoint: z.string().describe('Where MCP clients connect to it'),
  created_by: z.string().nullable(),
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
});
// Bodies are validated by the profiles service (422 with every problem); the schemas document them.
const ProfileBody = z.record(z.string(), z.unknown()).describe('{ description?, tools: [{ match, name?, title?, description?, annotations? }] }');
const CreateBody = z.object({ name: ProfileName }).catchall(z.unknown()).describe('{ name, description?, tools: [...] }');

export function profileRoutes(app: ApiApp, deps: ApiDeps): void {
  const profiles = () => deps.admin.profiles;
  app.get(
    '/api/profiles',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: 'List profiles', security: SECURED, response: { 200: z.object({ items: z.array(ProfileView) }), ...GUARDED_ERRORS } } },
    async () => ({ items: await profiles().list() }),
  );
  app.post(
    '/api/profiles',
    { preHandler: guard(deps, 'admin'), schema: { tags: [TAG], summary: 'Create a profile', security: SECURED, body: CreateBody, response: { 201: ProfileView, ...WRITE_ERRORS } } },
    async (req, reply) => {
      const { name, ...def } = req.body;
      const created = await profiles().create(name, def, principalOf(req));
      return reply.code(201).send(created);
    },
  );
  app.get(
    '/api/profiles/:name',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: 'Get a profile', security: SECURED, params: NameParams, response: { 200: ProfileView, ...READ_ERRORS } } },
    async (req) => profiles().view(req.params.name),
  );
  app.put(
    '/api/profiles/:name',
    { preHandler: guard(deps, 'admin'), schema: { tags: [TAG], summary: 'Replace a profile', security: SECURED, params: NameParams, body: ProfileBody, response: { 200: ProfileView, ...WRITE_ERRORS } } },
    async (req) => profiles().replace(req.params.name, req.body, principalOf(req)),
  );
  app.delete(
    '/api/profiles/:name',
    { preHandler: guard(deps, 'admin'), schema: { tags: [TAG], summary: 'Delete a profile', security: SECURED, params: NameParams, response: { 204: z.null(), ...WRITE_ERRORS } } },
    async (req, reply) => {
      await profiles().remove(req.params.name, principalOf(req));
      return reply.code(204).send(null);
    },
  );
}
