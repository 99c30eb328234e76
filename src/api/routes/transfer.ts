import { z } from 'zod';
import { EXPORT_FORMATS, IMPORT_FORMATS } from '../../admin/index.js';
import { guard, principalOf, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { ErrorEnvelope, GUARDED_ERRORS } from '../envelope.js';

/** Export (client formats, signed backup) and import with a dry-run plan. MCPBox's paths are aliases. */

const TAG = 'export-import';
const Json = z.record(z.string(), z.unknown());

const ExportQuery = z.object({
  format: z.enum(EXPORT_FORMATS).default('generic').describe('generic (Switchboard JSON, also a valid config file), claude, vscode, cursor, or backup (signed, with settings, sealed secrets, profiles, tool pins and hosted servers)'),
});

const ImportQuery = z.object({
  dry_run: z.enum(['true', 'false']).default('false').describe('true: return the plan and change nothing'),
});

const PlannedServer = z.object({
  name: z.string(),
  action: z.enum(['add', 'update', 'conflict', 'unchanged', 'invalid']),
  transport: z.enum(['stdio', 'sse', 'streamable-http']),
  reason: z.string().optional(),
});

const SectionAction = z.enum(['add', 'update', 'unchanged', 'remove', 'conflict', 'invalid']);

const ImportResult = z.object({
  format: z.enum(IMPORT_FORMATS),
  dry_run: z.boolean(),
  applied: z.boolean(),
  servers: z.array(PlannedServer),
  summary: z.object({ add: z.number().int(), update: z.number().int(), conflict: z.number().int(), unchanged: z.number().int(), invalid: z.number().int() }),
  settings: z.enum(['update', 'unchanged']).nullable().describe('Backups only'),
  secrets: z.array(z.object({ server: z.string(), name: z.string(), action: z.enum(['add', 'update', 'unchanged']), value: z.enum(['restored', 'placeholder']) })).describe('Backups only; values are never shown'),
  profiles: z.array(z.object({ name: z.string(), action: SectionAction, reason: z.string().optional() })).describe('Backups only: stored profiles'),
  pins: z.array(z.object({ server: z.string(), kind: z.string(), name: z.string(), state: z.string(), action: SectionAction })).describe('Backups only: tool and prompt pins with the approval state they get; remove: a pin of a restored server the backup does not have'),
  hosted: z
    .array(
      z.object({
        name: z.string(),
        action: SectionAction,
        reason: z.string().optional(),
        tools: z.array(z.object({ id: z.string(), name: z.string(), status: z.string(), versions: z.number().int() })),
        requests: z.array(z.object({ id: z.string(), kind: z.string(), target: z.string(), status: z.string() })),
      }),
    )
    .describe('Backups only: hosted servers, each replaced whole with its tools (every version), module and network requests'),
  warnings: z.array(z.string()),
});

const ImportBody = z.unknown().describe('The document to import, in any supported format (detected automatically)');
const IMPORT_ERRORS = { ...GUARDED_ERRORS, 409: ErrorEnvelope, 422: ErrorEnvelope } as const;

export function transferRoutes(app: ApiApp, deps: ApiDeps): void {
  const backup = () => deps.admin.backup;

  const exportSchema = (summary: string) => ({ tags: [TAG], summary, security: SECURED, querystring: ExportQuery, response: { 200: Json, ...GUARDED_ERRORS, 422: ErrorEnvelope } });
  const exportHandler = async (req: { query: z.infer<typeof ExportQuery> }, reply: { header(k: string, v: string): unknown }) => {
    const doc = await backup().export(req.query.format);
    reply.header('content-disposition', `attachment; filename="switchboard-${req.query.format}.json"`);
    return doc;
  };
  app.get('/api/export', { preHandler: guard(deps, 'admin'), schema: exportSchema('Export the servers in a client format, or a signed backup') }, exportHandler);
  app.get('/api/export/servers', { preHandler: guard(deps, 'admin'), schema: exportSchema('Export the servers (alias of /api/export)') }, exportHandler);

  const importSchema = (summary: string) => ({ tags: [TAG], summary, security: SECURED, querystring: ImportQuery, body: ImportBody, response: { 200: ImportResult, ...IMPORT_ERRORS } });
  const importHandler = async (req: Parameters<typeof principalOf>[0] & { query: z.infer<typeof ImportQuery>; body: unknown }) =>
    backup().import(req.body, { dryRun: req.query.dry_run === 'true', actor: principalOf(req) });
  app.post('/api/import', { preHandler: guard(deps, 'admin'), schema: importSchema('Import servers (any format, auto-detected); dry_run=true returns the plan only. Imported servers start quarantined') }, importHandler);
  app.post('/api/export/import', { preHandler: guard(deps, 'admin'), schema: importSchema('Import servers (alias of /api/import)') }, importHandler);
}
