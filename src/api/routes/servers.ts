import { ServerCreateInput, ServerDefinitionInput, ServerPatchInput } from '../../admin/index.js';
import { guard, principalOf, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { ErrorEnvelope, GUARDED_ERRORS, page } from '../envelope.js';
import { AllowedHostBody, AllowedHostQuery, AllowedHosts, AllowedHostsBody, Deleted, ListQuery, NameParams, QuarantineBody, ServerView } from './server-schemas.js';

/**
 * Servers: CRUD (MCPBox paths), admin state (enable/disable, quarantine/approve) and allowed hosts.
 * Lifecycle, tools, test, invoke and bulk operations are in server-operations.ts. Thin: parse, call
 * `admin.servers`, return.
 */

const TAG = 'servers';
/** Errors of routes on one named server. */
export const SERVER_ERRORS = { ...GUARDED_ERRORS, 404: ErrorEnvelope, 409: ErrorEnvelope, 422: ErrorEnvelope } as const;

export function serverRoutes(app: ApiApp, deps: ApiDeps): void {
  const servers = () => deps.admin.servers;

  app.get(
    '/api/servers',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: 'List servers (config file and stored) with admin and live state', security: SECURED, querystring: ListQuery, response: { 200: page(ServerView), ...GUARDED_ERRORS } } },
    async (req) => {
      const { page: p, page_size, admin_state } = req.query;
      const all = (await servers().list()).filter((s) => !admin_state || s.health.admin_state === admin_state);
      return { items: all.slice((p - 1) * page_size, p * page_size), total: all.length, page: p, page_size, pages: Math.max(1, Math.ceil(all.length / page_size)) };
    },
  );

  app.post(
    '/api/servers',
    {
      preHandler: guard(deps, 'write'),
      schema: {
        tags: [TAG],
        summary: 'Add a server (quarantined until an admin approves it, unless an admin adds it)',
        security: SECURED,
        body: ServerCreateInput,
        response: { 201: ServerView, ...GUARDED_ERRORS, 409: ErrorEnvelope, 422: ErrorEnvelope },
      },
    },
    async (req, reply) => reply.code(201).send(await servers().create(req.body, { actor: principalOf(req) })),
  );

  app.get(
    '/api/servers/:name',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: 'Get one server', security: SECURED, params: NameParams, response: { 200: ServerView, ...GUARDED_ERRORS, 404: ErrorEnvelope } } },
    async (req) => servers().get(req.params.name),
  );

  app.put(
    '/api/servers/:name',
    {
      preHandler: guard(deps, 'write'),
      schema: { tags: [TAG], summary: 'Replace a stored server\'s definition (config-file servers: 409)', security: SECURED, params: NameParams, body: ServerDefinitionInput, response: { 200: ServerView, ...SERVER_ERRORS } },
    },
    async (req) => servers().replace(req.params.name, req.body, principalOf(req)),
  );

  app.patch(
    '/api/servers/:name',
    {
      preHandler: guard(deps, 'write'),
      schema: {
        tags: [TAG],
        summary: 'Update a server: any definition field of a stored server (null clears it), or `enabled` of any server',
        security: SECURED,
        params: NameParams,
        body: ServerPatchInput,
        response: { 200: ServerView, ...SERVER_ERRORS },
      },
    },
    async (req) => servers().update(req.params.name, req.body, principalOf(req)),
  );

  app.delete(
    '/api/servers/:name',
    { preHandler: guard(deps, 'write'), schema: { tags: [TAG], summary: 'Delete a stored server (config-file servers: 409; disable or quarantine them instead)', security: SECURED, params: NameParams, response: { 200: Deleted, ...SERVER_ERRORS } } },
    async (req) => {
      await servers().remove(req.params.name, principalOf(req));
      return { deleted: req.params.name };
    },
  );

  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    app.post(
      `/api/servers/:name/${verb}`,
      { preHandler: guard(deps, 'write'), schema: { tags: [TAG], summary: `${enabled ? 'Enable' : 'Disable'} a server (kept across restarts and config reloads)`, security: SECURED, params: NameParams, response: { 200: ServerView, ...SERVER_ERRORS } } },
      async (req) => servers().setEnabled(req.params.name, enabled, principalOf(req)),
    );
  }

  app.post(
    '/api/servers/:name/quarantine',
    {
      preHandler: guard(deps, 'admin'),
      schema: { tags: [TAG], summary: 'Quarantine a server: it stops and its tools disappear until approved', security: SECURED, params: NameParams, body: QuarantineBody, response: { 200: ServerView, ...SERVER_ERRORS } },
    },
    async (req) => {
      const body = req.body ?? { quarantined: true };
      const actor = principalOf(req);
      return body.quarantined === false ? servers().approve(req.params.name, actor) : servers().quarantine(req.params.name, body.reason, actor);
    },
  );

  app.post(
    '/api/servers/:name/approve',
    { preHandler: guard(deps, 'admin'), schema: { tags: [TAG], summary: 'Approve (unquarantine) a server', security: SECURED, params: NameParams, response: { 200: ServerView, ...SERVER_ERRORS } } },
    async (req) => servers().approve(req.params.name, principalOf(req)),
  );

  app.get(
    '/api/servers/:name/allowed-hosts',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: 'Network hosts the server may reach', security: SECURED, params: NameParams, response: { 200: AllowedHosts, ...GUARDED_ERRORS, 404: ErrorEnvelope } } },
    async (req) => ({ server: req.params.name, allowed_hosts: (await servers().get(req.params.name)).allowed_hosts }),
  );

  app.put(
    '/api/servers/:name/allowed-hosts',
    { preHandler: guard(deps, 'write'), schema: { tags: [TAG], summary: 'Replace the allowed hosts', security: SECURED, params: NameParams, body: AllowedHostsBody, response: { 200: AllowedHosts, ...SERVER_ERRORS } } },
    async (req) => ({ server: req.params.name, allowed_hosts: (await servers().setAllowedHosts(req.params.name, req.body.allowed_hosts, principalOf(req))).allowed_hosts }),
  );

  app.post(
    '/api/servers/:name/allowed-hosts',
    { preHandler: guard(deps, 'write'), schema: { tags: [TAG], summary: 'Add an allowed host', security: SECURED, params: NameParams, body: AllowedHostBody, response: { 200: AllowedHosts, ...SERVER_ERRORS } } },
    async (req) => ({ server: req.params.name, allowed_hosts: (await servers().addAllowedHost(req.params.name, req.body.host, principalOf(req))).allowed_hosts }),
  );

  app.delete(
    '/api/servers/:name/allowed-hosts',
    {
      preHandler: guard(deps, 'write'),
      schema: { tags: [TAG], summary: 'Remove an allowed host (?host=…)', security: SECURED, params: NameParams, querystring: AllowedHostQuery, response: { 200: AllowedHosts, ...SERVER_ERRORS } },
    },
    async (req) => ({ server: req.params.name, allowed_hosts: (await servers().removeAllowedHost(req.params.name, req.query.host, principalOf(req))).allowed_hosts }),
  );
}
