import { z } from 'zod';
import { DecisionInput, ModulesPatch, RevokeInput } from '../../admin/index.js';
import { guard, principalOf, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { ErrorEnvelope, GUARDED_ERRORS } from '../envelope.js';
import { HostedToolView, ModulesView, RequestIdParams, RequestStatusQuery, RequestView, StatsView, ToolIdParams } from './hosted-schemas.js';

/**
 * The approval workflow (MCPBox paths): what waits for review and the admin's decisions on tools,
 * module requests and network-access requests; the module whitelist. Decisions need the admin scope,
 * and nobody decides on work they submitted through the MCP management tools.
 */

const TAG = 'approvals';
const ERRORS = { ...GUARDED_ERRORS, 404: ErrorEnvelope, 409: ErrorEnvelope, 422: ErrorEnvelope } as const;

export function approvalRoutes(app: ApiApp, deps: ApiDeps): void {
  const approvals = () => deps.admin.approvals;
  const read = guard(deps, 'read');
  const admin = guard(deps, 'admin');
  const doc = <E extends object, O extends z.ZodType>(summary: string, extra: E, ok: O, tags = [TAG]) => ({ tags, summary, security: SECURED, ...extra, response: { 200: ok, ...ERRORS } });

  app.get('/api/approvals/stats', { preHandler: read, schema: doc('Counts of tools by status and of module and network requests by status', {}, StatsView) }, async (req) => approvals().stats(principalOf(req)));
  app.get('/api/approvals/tools', { preHandler: read, schema: doc('Tools waiting for review', {}, z.object({ items: z.array(HostedToolView) })) }, async (req) => ({ items: await approvals().pendingTools(principalOf(req)) }));
  app.post('/api/approvals/tools/:id/action', { preHandler: admin, schema: doc('Approve or reject a tool in review (a rejection needs a reason)', { params: ToolIdParams, body: DecisionInput }, HostedToolView) }, async (req) =>
    approvals().decideTool(req.params.id, req.body, principalOf(req)),
  );
  app.post('/api/approvals/tools/:id/revoke', { preHandler: admin, schema: doc('Revoke an approved tool (it leaves the tool list at once)', { params: ToolIdParams, body: RevokeInput.nullish() }, HostedToolView) }, async (req) =>
    approvals().revokeTool(req.params.id, req.body?.reason, principalOf(req)),
  );
  for (const kind of ['module', 'network'] as const) {
    const path = kind === 'module' ? 'modules' : 'network';
    app.get(`/api/approvals/${path}`, { preHandler: read, schema: doc(`${kind === 'module' ? 'Module' : 'Network-access'} requests (filter by status and server)`, { querystring: RequestStatusQuery }, z.object({ items: z.array(RequestView) })) }, async (req) => ({
      items: await approvals().requests(kind, req.query.status, principalOf(req), req.query.server),
    }));
    app.post(`/api/approvals/${path}/:id/action`, { preHandler: admin, schema: doc(`Approve or reject a ${kind === 'module' ? 'module' : 'network-access'} request (a rejection needs a reason)`, { params: RequestIdParams, body: DecisionInput }, RequestView) }, async (req) =>
      approvals().decideRequest(kind, req.params.id, req.body, principalOf(req)),
    );
  }
  app.get('/api/settings/modules', { preHandler: read, schema: doc('The Python module whitelist of hosted tools: defaults and admin additions', {}, ModulesView, ['settings']) }, async (req) => approvals().modules(principalOf(req)));
  app.patch('/api/settings/modules', { preHandler: admin, schema: doc('Add or remove modules of the whitelist (always-forbidden modules: 422)', { body: ModulesPatch }, ModulesView, ['settings']) }, async (req) =>
    approvals().updateModules(req.body, principalOf(req)),
  );
}
