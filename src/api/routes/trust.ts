import { z } from 'zod';
import { PIN_STATES_LIST } from '../../admin/index.js';
import { guard, principalOf, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { ErrorEnvelope, GUARDED_ERRORS } from '../envelope.js';

/**
 * Trust in upstream definitions: per-server pin states, what changed in a tool or prompt, approve and
 * block, the per-server auto-approval switch, and the scanner's findings across servers.
 */

const TAG = 'trust';
const READ_ERRORS = { ...GUARDED_ERRORS, 404: ErrorEnvelope } as const;

const Severity = z.enum(['low', 'medium', 'high']);
const State = z.enum(PIN_STATES_LIST);
const Kind = z.enum(['tool', 'prompt']);

const Finding = z.object({
  rule: z.string().describe('Stable rule id, see docs/search-and-trust.md'),
  severity: Severity,
  field: z.string().describe('JSON path of the text, e.g. inputSchema.properties.path.description'),
  evidence: z.string().describe('The offending text, shortened; invisible characters shown as \\u{...}'),
});

const PinView = z.object({
  server: z.string(),
  kind: Kind,
  name: z.string(),
  state: State.describe('Only approved tools and prompts are listed and callable'),
  present: z.boolean().describe('Offered in the upstream\'s current listing'),
  fingerprint: z.string().describe('sha256 of the current definition (name, title, description, schemas, annotations)'),
  approved_fingerprint: z.string().nullable(),
  findings: z.array(Finding),
  decided_by: z.string().nullable(),
  updated_at: z.string(),
});

const Change = z.object({ path: z.string(), change: z.enum(['added', 'removed', 'changed']), before: z.unknown().optional(), after: z.unknown().optional() });
const Definition = z.record(z.string(), z.unknown());
const PinDiff = PinView.extend({ approved: Definition.nullable().describe('The approved definition; null if never approved'), current: Definition, changes: z.array(Change) });

const ServerTrust = z.object({
  server: z.string(),
  auto_approve_tool_changes: z.boolean().describe('What applies: the override, or the setting of the same name'),
  auto_approve_override: z.boolean().nullable(),
  counts: z.record(State, z.number().int()),
  tools: z.array(PinView),
  prompts: z.array(PinView),
});

const NameParams = z.object({ name: z.string().min(1).max(128).describe('Server name') });
const ItemParams = NameParams.extend({ item: z.string().min(1).max(256).describe('Tool or prompt name as the upstream names it') });
const TrustPatch = z.object({ auto_approve_tool_changes: z.boolean().nullable().describe('true/false for this server; null follows the setting') }).strict();
const FindingsQuery = z.object({ server: z.string().max(128).optional(), severity: Severity.optional() });
const Located = Finding.extend({ server: z.string(), kind: Kind, name: z.string(), state: State });

export function trustRoutes(app: ApiApp, deps: ApiDeps): void {
  const trust = () => deps.admin.trust;
  app.get(
    '/api/servers/:name/trust',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: "The server's pinned tools and prompts with their states and findings", security: SECURED, params: NameParams, response: { 200: ServerTrust, ...READ_ERRORS } } },
    async (req) => trust().server(req.params.name),
  );
  app.patch(
    '/api/servers/:name/trust',
    { preHandler: guard(deps, 'admin'), schema: { tags: [TAG], summary: 'Set auto_approve_tool_changes for this server', security: SECURED, params: NameParams, body: TrustPatch, response: { 200: ServerTrust, ...READ_ERRORS } } },
    async (req) => trust().setAutoApprove(req.params.name, req.body.auto_approve_tool_changes, principalOf(req)),
  );
  for (const kind of ['tool', 'prompt'] as const) {
    const base = `/api/servers/:name/${kind}s/:item`;
    app.get(
      `${base}/diff`,
      { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: `What changed in a ${kind} since it was approved`, security: SECURED, params: ItemParams, response: { 200: PinDiff, ...READ_ERRORS } } },
      async (req) => trust().diff(req.params.name, kind, req.params.item),
    );
    for (const verb of ['approve', 'block'] as const) {
      app.post(
        `${base}/${verb}`,
        {
          preHandler: guard(deps, 'admin'),
          schema: {
            tags: [TAG],
            summary: verb === 'approve' ? `Approve the ${kind}'s current definition (it becomes visible)` : `Block the ${kind} (hidden and refused until approved)`,
            security: SECURED,
            params: ItemParams,
            response: { 200: PinView, ...READ_ERRORS },
          },
        },
        async (req) => trust()[verb](req.params.name, kind, req.params.item, principalOf(req)),
      );
    }
  }
  app.get(
    '/api/trust/pending',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: 'Tools and prompts waiting for a decision (pending, changed, quarantined)', security: SECURED, response: { 200: z.object({ items: z.array(PinView) }), ...GUARDED_ERRORS } } },
    async () => ({ items: trust().queue() }),
  );
  app.get(
    '/api/trust/findings',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: "The description scanner's findings on current definitions", security: SECURED, querystring: FindingsQuery, response: { 200: z.object({ items: z.array(Located) }), ...GUARDED_ERRORS } } },
    async (req) => ({ items: trust().findings({ ...(req.query.server ? { server: req.query.server } : {}), ...(req.query.severity ? { severity: req.query.severity } : {}) }) }),
  );
}
