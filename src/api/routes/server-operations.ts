import type { FastifyReply } from 'fastify';
import { BULK_ACTIONS } from '../../admin/index.js';
import { guard, principalOf, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { ErrorEnvelope, GUARDED_ERRORS } from '../envelope.js';
import { SERVER_ERRORS } from './servers.js';
import { BulkResult, DisabledToolsBody, InvokeBody, InvokeResult, LogsQuery, NameParams, ServerLogs, ServerStatus, ServerTools, ServerView, TestBody, TestResult } from './server-schemas.js';

/**
 * Server operations: start/stop/restart, status, logs, per-server tools and their disabled state,
 * connectivity test, tool invocation over REST, and the bulk operations (MCPProxy's paths).
 */

const TAG = 'servers';
const READ_ERRORS = { ...GUARDED_ERRORS, 404: ErrorEnvelope } as const;

/** Aborts the upstream call when the client goes away before its answer. */
function abortOnDisconnect(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client disconnected'));
  });
  return controller.signal;
}

export function serverOperationRoutes(app: ApiApp, deps: ApiDeps): void {
  const servers = () => deps.admin.servers;

  for (const verb of ['start', 'stop', 'restart'] as const) {
    app.post(
      `/api/servers/:name/${verb}`,
      {
        preHandler: guard(deps, 'write'),
        schema: { tags: [TAG], summary: `${verb[0]!.toUpperCase()}${verb.slice(1)} a server's connection (not persisted: the admin state decides what runs after a restart)`, security: SECURED, params: NameParams, response: { 200: ServerView, ...SERVER_ERRORS } },
      },
      async (req) => servers()[verb](req.params.name, principalOf(req)),
    );
  }

  app.get(
    '/api/servers/:name/status',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: 'Live state, health and connection details', security: SECURED, params: NameParams, response: { 200: ServerStatus, ...READ_ERRORS } } },
    async (req) => servers().status(req.params.name),
  );

  app.get(
    '/api/servers/:name/logs',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: 'The tail of the server\'s stderr and its recent state changes', security: SECURED, params: NameParams, querystring: LogsQuery, response: { 200: ServerLogs, ...READ_ERRORS } } },
    async (req) => servers().logs(req.params.name, req.query.lines),
  );

  app.get(
    '/api/servers/:name/tools',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: 'The server\'s tools with their disabled state', security: SECURED, params: NameParams, response: { 200: ServerTools, ...READ_ERRORS } } },
    async (req) => servers().tools(req.params.name),
  );

  app.put(
    '/api/servers/:name/tools/disabled',
    {
      preHandler: guard(deps, 'write'),
      schema: { tags: [TAG], summary: 'Set which of the server\'s tools are disabled (hidden and refused for everyone)', security: SECURED, params: NameParams, body: DisabledToolsBody, response: { 200: ServerTools, ...SERVER_ERRORS } },
    },
    async (req) => {
      await servers().setDisabledTools(req.params.name, req.body.disabled_tools, principalOf(req));
      return servers().tools(req.params.name);
    },
  );

  app.post(
    '/api/servers/:name/test',
    {
      preHandler: guard(deps, 'write'),
      schema: {
        tags: [TAG],
        summary: 'Test connectivity: connect afresh, list tools, disconnect (quarantined servers: admins only)',
        security: SECURED,
        params: NameParams,
        body: TestBody,
        response: { 200: TestResult, ...READ_ERRORS },
      },
    },
    async (req) => servers().test(req.params.name, principalOf(req), req.body?.timeout_ms !== undefined ? { timeoutMs: req.body.timeout_ms } : {}),
  );

  app.post(
    '/api/servers/:name/invoke',
    {
      preHandler: guard(deps, 'execute'),
      schema: {
        tags: [TAG],
        summary: 'Call one of the server\'s tools (same policy gate and activity log as /mcp)',
        security: SECURED,
        params: NameParams,
        body: InvokeBody,
        response: { 200: InvokeResult, ...SERVER_ERRORS, 502: ErrorEnvelope, 503: ErrorEnvelope, 504: ErrorEnvelope },
      },
    },
    async (req, reply) => servers().invoke(req.params.name, req.body.tool_name, req.body.arguments, principalOf(req), { signal: abortOnDisconnect(reply) }),
  );

  for (const action of BULK_ACTIONS) {
    app.post(
      `/api/servers/${action}`,
      { preHandler: guard(deps, 'admin'), schema: { tags: [TAG], summary: `Bulk: ${action.replace('_', ' ')} servers`, security: SECURED, response: { 200: BulkResult, ...GUARDED_ERRORS } } },
      async (req) => servers().bulk(action, principalOf(req)),
    );
  }
}
