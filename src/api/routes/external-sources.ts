import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { ExternalImportInput, ExternalSourceCreate, ExternalSourcePatch, type HostedActor } from '../../admin/index.js';
import { guard, principalOf, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { ErrorEnvelope, GUARDED_ERRORS } from '../envelope.js';
import { Deleted, HostedNameParams, HostedToolView } from './hosted-schemas.js';

/**
 * External MCP sources of hosted servers (MCPBox's /api/external-sources): an upstream MCP server
 * attached to a hosted server, whose tools are discovered and imported as hosted tools of kind
 * `external`. Flat by id at /api/external-sources, plus list/create under the hosted server. Thin:
 * parse, call `admin.externalSources`, return.
 */

const TAG = 'external-sources';
const ERRORS = { ...GUARDED_ERRORS, 404: ErrorEnvelope, 409: ErrorEnvelope, 422: ErrorEnvelope, 502: ErrorEnvelope } as const;
const who = (req: FastifyRequest): HostedActor => ({ actor: principalOf(req), via: 'api' });

const Json = z.record(z.string(), z.unknown());
const SourceIdParams = z.object({ id: z.string().min(1).max(64).describe('External source id') });
const ListQuery = z.object({ server: z.string().min(1).max(128).optional().describe('Only the sources of this hosted server') });

const ExternalSourceView = z
  .object({
    id: z.string(),
    server: z.string().describe('The hosted server it belongs to'),
    name: z.string(),
    description: z.string().nullable(),
    transport: z.enum(['streamable-http', 'sse']),
    url: z.string(),
    headers: z.record(z.string(), z.string()).describe('As written: credentials are ${secret:NAME} references, never values'),
    timeout_ms: z.number().int().nullable(),
    imported_tools: z.number().int().describe('Hosted tools that forward to this source'),
    last_discovered_at: z.string().nullable(),
    created_by: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .describe('An external MCP source of a hosted server');

const DiscoveryView = z.object({
  source_id: z.string(),
  server: z.string(),
  server_info: z.object({ name: z.string().nullable(), version: z.string().nullable() }),
  tools: z.array(
    z.object({
      name: z.string().describe("The tool's name on the source"),
      title: z.string().nullable(),
      description: z.string().nullable(),
      input_schema: Json,
      imported: z.boolean(),
      tool_id: z.string().nullable().describe('The hosted tool forwarding to it, when imported'),
      status: z.string().nullable().describe("That hosted tool's approval status"),
      up_to_date: z.boolean().nullable().describe('Imported and its saved description, schema and target equal the current ones'),
    }),
  ),
});

const ImportView = z.object({
  source_id: z.string(),
  server: z.string(),
  items: z.array(z.object({ source_tool: z.string(), action: z.enum(['created', 'updated', 'unchanged']), tool: HostedToolView })),
});

export function externalSourceRoutes(app: ApiApp, deps: ApiDeps): void {
  const sources = () => deps.admin.externalSources;
  const read = guard(deps, 'read');
  const write = guard(deps, 'write');
  const doc = <E extends object, O extends z.ZodType>(summary: string, extra: E, ok: O) => ({ tags: [TAG], summary, security: SECURED, ...extra, response: { 200: ok, ...ERRORS } });
  const created = <E extends object, O extends z.ZodType>(summary: string, extra: E, ok: O) => ({ tags: [TAG], summary, security: SECURED, ...extra, response: { 201: ok, ...ERRORS } });
  const Items = z.object({ items: z.array(ExternalSourceView) });

  app.get('/api/external-sources', { preHandler: read, schema: doc('List external MCP sources (all, or those of one hosted server)', { querystring: ListQuery }, Items) }, async (req) => ({
    items: await sources().list(req.query.server, who(req)),
  }));
  app.post('/api/external-sources', { preHandler: write, schema: created("Add an external MCP source to a hosted server (its URL must pass the server's egress rule)", { body: ExternalSourceCreate }, ExternalSourceView) }, async (req, reply) =>
    reply.code(201).send(await sources().create(req.body, who(req))),
  );
  app.get('/api/hosted-servers/:name/external-sources', { preHandler: read, schema: doc('List the external MCP sources of a hosted server', { params: HostedNameParams }, Items) }, async (req) => ({
    items: await sources().list(req.params.name, who(req)),
  }));
  app.post('/api/hosted-servers/:name/external-sources', { preHandler: write, schema: created('Add an external MCP source to this hosted server', { params: HostedNameParams, body: ExternalSourceCreate.omit({ server: true }) }, ExternalSourceView) }, async (req, reply) =>
    reply.code(201).send(await sources().create({ ...req.body, server: req.params.name }, who(req))),
  );
  app.get('/api/external-sources/:id', { preHandler: read, schema: doc('Get an external MCP source', { params: SourceIdParams }, ExternalSourceView) }, async (req) => sources().get(req.params.id, who(req)));
  for (const method of ['patch', 'put'] as const) {
    app[method](
      '/api/external-sources/:id',
      { preHandler: write, schema: doc(method === 'patch' ? 'Update an external MCP source (a new URL, transport or headers sends its approved imported tools back to review)' : 'Update an external MCP source (as PATCH; for MCPBox clients)', { params: SourceIdParams, body: ExternalSourcePatch }, ExternalSourceView) },
      async (req) => sources().update(req.params.id, req.body, who(req)),
    );
  }
  app.delete('/api/external-sources/:id', { preHandler: write, schema: doc('Delete an external MCP source (refused while hosted tools forward to it)', { params: SourceIdParams }, Deleted) }, async (req) => {
    await sources().delete(req.params.id, who(req));
    return { deleted: req.params.id };
  });
  app.post('/api/external-sources/:id/discover', { preHandler: write, schema: doc("Connect to the source and list its tools, marking those already imported", { params: SourceIdParams }, DiscoveryView) }, async (req) =>
    sources().discover(req.params.id, who(req)),
  );
  app.post('/api/external-sources/:id/import', { preHandler: write, schema: doc('Import tools of the source as hosted tools (all named tools must exist, or nothing changes); they are submitted for review', { params: SourceIdParams, body: ExternalImportInput }, ImportView) }, async (req) =>
    sources().import(req.params.id, req.body, who(req)),
  );
}
