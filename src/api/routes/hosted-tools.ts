import { z } from 'zod';
import { HostedServerCreate, HostedServerPatch, HostedToolCreate, HostedToolPatch, ModuleRequestInput, NetworkRequestInput, PublishRequestInput, TestCodeInput, ValidateCodeInput, type HostedActor } from '../../admin/index.js';
import { guard, principalOf, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { ErrorEnvelope, GUARDED_ERRORS, page } from '../envelope.js';
import type { FastifyRequest } from 'fastify';
import {
  CodeCheckView,
  CompareQuery,
  CompareView,
  Deleted,
  ExecutionView,
  HostedNameParams,
  HostedServerView,
  HostedToolView,
  LogsQuery,
  PageQuery,
  RequestView,
  TestRunView,
  ToolIdParams,
  ToolVersionView,
  VersionParams,
} from './hosted-schemas.js';

/**
 * Hosted servers and their Python tools. Hosted servers live at /api/hosted-servers (beside the
 * upstream servers of /api/servers, sharing their name space and their per-server secrets at
 * /api/servers/{name}/secrets); tools by id at /api/tools/{id} as in MCPBox. Thin: parse, call
 * `admin.hosted` / `admin.approvals`, return.
 */

const TAG = 'hosted-tools';
const ERRORS = { ...GUARDED_ERRORS, 404: ErrorEnvelope, 409: ErrorEnvelope, 422: ErrorEnvelope } as const;
const who = (req: FastifyRequest): HostedActor => ({ actor: principalOf(req), via: 'api' });

export function hostedToolRoutes(app: ApiApp, deps: ApiDeps): void {
  const hosted = () => deps.admin.hosted;
  const read = guard(deps, 'read');
  const write = guard(deps, 'write');
  const doc = <E extends object, O extends z.ZodType>(summary: string, extra: E, ok: O) => ({ tags: [TAG], summary, security: SECURED, ...extra, response: { 200: ok, ...ERRORS } });
  const created = <E extends object, O extends z.ZodType>(summary: string, extra: E, ok: O) => ({ tags: [TAG], summary, security: SECURED, ...extra, response: { 201: ok, ...ERRORS } });

  app.get('/api/hosted-servers', { preHandler: read, schema: doc('List hosted servers', { querystring: PageQuery }, page(HostedServerView)) }, async (req) => {
    const all = await hosted().listServers(who(req));
    const { page: p, page_size } = req.query;
    return { items: all.slice((p - 1) * page_size, p * page_size), total: all.length, page: p, page_size, pages: Math.max(1, Math.ceil(all.length / page_size)) };
  });
  app.post('/api/hosted-servers', { preHandler: write, schema: created('Create a hosted server (stopped until started)', { body: HostedServerCreate }, HostedServerView) }, async (req, reply) =>
    reply.code(201).send(await hosted().createServer(req.body, who(req))),
  );
  app.get('/api/hosted-servers/:name', { preHandler: read, schema: doc('Get a hosted server', { params: HostedNameParams }, HostedServerView) }, async (req) => hosted().getServer(req.params.name, who(req)));
  app.patch('/api/hosted-servers/:name', { preHandler: write, schema: doc('Update a hosted server (description, allowed hosts, timeout)', { params: HostedNameParams, body: HostedServerPatch }, HostedServerView) }, async (req) =>
    hosted().updateServer(req.params.name, req.body, who(req)),
  );
  app.delete('/api/hosted-servers/:name', { preHandler: write, schema: doc('Delete a hosted server with its tools, versions, requests and secrets', { params: HostedNameParams }, Deleted) }, async (req) => {
    await hosted().deleteServer(req.params.name, who(req));
    return { deleted: req.params.name };
  });
  for (const [verb, running] of [['start', true], ['stop', false]] as const) {
    app.post(`/api/hosted-servers/:name/${verb}`, { preHandler: write, schema: doc(running ? 'Start: publish its approved tools to MCP clients' : 'Stop: withdraw its tools from MCP clients', { params: HostedNameParams }, HostedServerView) }, async (req) =>
      hosted().setRunning(req.params.name, running, who(req)),
    );
  }

  app.get('/api/hosted-servers/:name/tools', { preHandler: read, schema: doc("List a hosted server's tools", { params: HostedNameParams }, z.object({ items: z.array(HostedToolView) })) }, async (req) => ({
    items: await hosted().listTools(req.params.name, who(req)),
  }));
  app.post('/api/hosted-servers/:name/tools', { preHandler: write, schema: created('Create a tool (draft); the code is validated and its input schema derived', { params: HostedNameParams, body: HostedToolCreate }, HostedToolView) }, async (req, reply) =>
    reply.code(201).send(await hosted().createTool(req.params.name, req.body, who(req))),
  );
  app.post('/api/hosted-servers/:name/module-requests', { preHandler: write, schema: created('Ask an admin to allow a Python module', { params: HostedNameParams, body: ModuleRequestInput }, RequestView) }, async (req, reply) =>
    reply.code(201).send(await deps.admin.approvals.requestModule(req.params.name, req.body, who(req))),
  );
  app.post('/api/hosted-servers/:name/network-requests', { preHandler: write, schema: created("Ask an admin to let the server's tools reach a host", { params: HostedNameParams, body: NetworkRequestInput }, RequestView) }, async (req, reply) =>
    reply.code(201).send(await deps.admin.approvals.requestNetwork(req.params.name, req.body, who(req))),
  );

  app.post('/api/tools/validate-code', { preHandler: write, schema: doc('Validate Python or JavaScript tool code without saving it (syntax, main contract, imports, size) and derive its input schema', { body: ValidateCodeInput }, CodeCheckView) }, async (req) =>
    hosted().validateCode(req.body.code, who(req), req.body.language),
  );
  app.post('/api/tools/test-code', { preHandler: guard(deps, 'execute'), schema: doc("Run a saved tool's current code in the sandbox (stdout capped at 10 KB; before approval only as the security policy allows)", { body: TestCodeInput }, TestRunView) }, async (req) =>
    hosted().testCode(req.body, who(req)),
  );
  app.get('/api/tools/:id', { preHandler: read, schema: doc('Get a tool with its code', { params: ToolIdParams }, HostedToolView) }, async (req) => hosted().getTool(req.params.id, who(req)));
  app.patch('/api/tools/:id', { preHandler: write, schema: doc('Update code, name or description (a new version; an approved tool returns to review)', { params: ToolIdParams, body: HostedToolPatch }, HostedToolView) }, async (req) =>
    hosted().updateTool(req.params.id, req.body, who(req)),
  );
  app.delete('/api/tools/:id', { preHandler: write, schema: doc('Delete a tool and its versions', { params: ToolIdParams }, Deleted) }, async (req) => {
    await hosted().deleteTool(req.params.id, who(req));
    return { deleted: req.params.id };
  });
  app.post('/api/tools/:id/request-publish', { preHandler: write, schema: doc('Submit the tool for admin review', { params: ToolIdParams, body: PublishRequestInput.nullish() }, HostedToolView) }, async (req) =>
    deps.admin.approvals.requestPublish(req.params.id, req.body?.note, who(req)),
  );
  app.get('/api/tools/:id/versions', { preHandler: read, schema: doc('List versions (newest first)', { params: ToolIdParams }, z.object({ items: z.array(ToolVersionView) })) }, async (req) => ({ items: await hosted().versions(req.params.id, who(req)) }));
  app.get('/api/tools/:id/versions/compare', { preHandler: read, schema: doc('Compare two versions (unified diff)', { params: ToolIdParams, querystring: CompareQuery }, CompareView) }, async (req) =>
    hosted().compare(req.params.id, req.query.from, req.query.to, who(req)),
  );
  app.get('/api/tools/:id/versions/:version', { preHandler: read, schema: doc('Get one version with its code', { params: VersionParams }, ToolVersionView) }, async (req) => hosted().version(req.params.id, req.params.version, who(req)));
  app.post('/api/tools/:id/versions/:version/rollback', { preHandler: write, schema: doc('Save this version as the newest (an approved tool returns to review)', { params: VersionParams }, HostedToolView) }, async (req) =>
    hosted().rollback(req.params.id, req.params.version, who(req)),
  );
  app.get('/api/tools/:id/logs', { preHandler: read, schema: doc('Recent executions (newest first): arguments with secrets masked, truncated result, stdout, duration, error', { params: ToolIdParams, querystring: LogsQuery }, z.object({ items: z.array(ExecutionView) })) }, async (req) => ({
    items: await hosted().logs(req.params.id, req.query.limit, who(req)),
  }));
}
