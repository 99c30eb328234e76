import { Readable } from 'node:stream';
import websocket from '@fastify/websocket';
import { z } from 'zod';
import { ACTIVITY_STATUSES, ACTIVITY_TYPES, EXPORT_FORMATS } from '../../activity/index.js';
import type { ActivityFilter } from '../../store/index.js';
import { guard, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { ErrorEnvelope, GUARDED_ERRORS, page } from '../envelope.js';
import { eventTypesParam, toWire } from './events.js';

/** A comma-separated list of values from `values` (`?type=tool_call,prompt_get`). */
function csvOf<T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values, { error: () => `each ${what} must be one of: ${values.join(', ')}` })).min(1))
    .describe(`Comma-separated ${what}s: ${values.join(', ')}`);
}

/** An ISO-8601 / RFC 3339 time, normalised to UTC with milliseconds. */
const isoTime = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)), { message: 'must be an ISO-8601 time, e.g. 2025-01-15T10:30:00Z' })
  .transform((s) => new Date(s).toISOString());

const name = z.string().min(1).max(500);

const FilterFields = {
  type: csvOf(ACTIVITY_TYPES, 'type').optional(),
  status: csvOf(ACTIVITY_STATUSES, 'status').optional(),
  server: name.optional().describe('Exact server name'),
  tool: name.optional().describe('Exact tool (or prompt) name'),
  caller: name.optional().describe("The caller's id or name"),
  session: name.optional().describe('MCP session id'),
  method: name.optional().describe('MCP method, policy action or admin action'),
  from: isoTime.optional().describe('From this time (inclusive, ISO-8601)'),
  to: isoTime.optional().describe('Until this time (exclusive, ISO-8601)'),
  q: z.string().max(200).optional().describe('Case-insensitive text search over names, errors and arguments'),
};

const rangeOk = (v: { from?: string | undefined; to?: string | undefined }) => v.from === undefined || v.to === undefined || v.from <= v.to;
const RANGE_ERROR = { message: "'from' must not be after 'to'", path: ['from'] };

const ListQuery = z
  .object({
    ...FilterFields,
    page: z.coerce.number().int().min(1).default(1),
    page_size: z.coerce.number().int().min(1).max(500).default(50),
  })
  .refine(rangeOk, RANGE_ERROR);
const ExportQuery = z
  .object({
    ...FilterFields,
    // `json` is MCPProxy's name for the same JSON Lines export.
    format: z.enum([...EXPORT_FORMATS, 'json']).default('jsonl').transform((f) => (f === 'json' ? 'jsonl' : f)).describe('jsonl (default; `json` is accepted as an alias) or csv'),
  })
  .refine(rangeOk, RANGE_ERROR);
const StatsQuery = z
  .object({
    server: FilterFields.server,
    tool: FilterFields.tool,
    caller: FilterFields.caller,
    session: FilterFields.session,
    from: isoTime.optional().describe('Start of the range (default: 24 hours before `to`)'),
    to: isoTime.optional().describe('End of the range (default: now)'),
    bucket: z.enum(['minute', 'hour', 'day']).optional().describe('Series resolution (default: by range — minute up to 6 h, hour up to 31 days, else day)'),
  })
  .refine(rangeOk, RANGE_ERROR);
const RecentQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20), type: FilterFields.type, server: FilterFields.server, tool: FilterFields.tool });
const StreamQuery = z.object({ types: eventTypesParam.optional(), apikey: z.string().optional() });

const Caller = z.object({ kind: z.string(), id: z.string(), name: z.string() });
const ActivityItem = z
  .object({
    id: z.string(),
    type: z.string(),
    at: z.string(),
    status: z.string(),
    caller: Caller.nullable(),
    session_id: z.string().nullable(),
    method: z.string().nullable(),
    server: z.string().nullable(),
    tool: z.string().nullable(),
    target: z.string().nullable(),
    duration_ms: z.number().nullable(),
    result_bytes: z.number().nullable(),
    request_id: z.string().nullable(),
    error_code: z.string().nullable(),
    error_message: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .describe('ActivityRecord');
const ActivityDetail = ActivityItem.extend({
  arguments: z.unknown().optional().describe('Redacted; large values are truncated previews'),
  result: z.unknown().optional(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
}).describe('ActivityRecordDetail');

const Counts = {
  calls: z.number().int(),
  ok: z.number().int(),
  errors: z.number().int(),
  cancelled: z.number().int(),
  denials: z.number().int(),
  avg_ms: z.number().nullable(),
  p50_ms: z.number().nullable(),
  p95_ms: z.number().nullable(),
  max_ms: z.number().nullable(),
};
const Stats = z.object({
  from: z.string(),
  to: z.string(),
  bucket: z.enum(['minute', 'hour', 'day']),
  totals: z.object({ ...Counts, error_rate: z.number() }),
  per_server: z.array(z.object({ server: z.string(), ...Counts })),
  per_tool: z.array(z.object({ server: z.string(), tool: z.string(), ...Counts })),
  series: z.array(z.object({ t: z.string(), calls: z.number().int(), errors: z.number().int(), denials: z.number().int(), avg_ms: z.number().nullable() })),
});

type FilterQuery = { [K in keyof typeof FilterFields]?: z.output<(typeof FilterFields)[K]> };

function filterOf(q: FilterQuery): ActivityFilter {
  const f: ActivityFilter = {};
  if (q.type) f.types = q.type;
  if (q.status) f.statuses = q.status;
  for (const k of ['server', 'tool', 'caller', 'session', 'method', 'from', 'to', 'q'] as const) {
    const v = q[k];
    if (v !== undefined) f[k] = v;
  }
  return f;
}

/** The activity log: list, detail, stats, recent, export, and the WebSocket stream. Everything needs `read`. */
export function activityRoutes(app: ApiApp, deps: ApiDeps): void {
  const read = guard(deps, 'read');
  const activity = () => deps.admin.activity;
  const tags = ['activity'];

  app.get('/api/activity/logs', { preHandler: read, schema: { tags, summary: 'List activity records (newest first) with filters and paging', security: SECURED, querystring: ListQuery, response: { 200: page(ActivityItem), ...GUARDED_ERRORS } } }, async (req) =>
    activity().list(filterOf(req.query), req.query.page, req.query.page_size),
  );

  app.get('/api/activity/logs/:id', { preHandler: read, schema: { tags, summary: 'One activity record with its arguments, result and before/after', security: SECURED, params: z.object({ id: z.string().min(1).max(64) }), response: { 200: ActivityDetail, ...GUARDED_ERRORS, 404: ErrorEnvelope } } }, async (req) =>
    activity().get(req.params.id),
  );

  app.get('/api/activity/stats', { preHandler: read, schema: { tags, summary: 'Calls, errors, denials, latency percentiles, per server/tool and a time series over a range', security: SECURED, querystring: StatsQuery, response: { 200: Stats, ...GUARDED_ERRORS } } }, async (req) => {
    const { bucket, ...rest } = req.query;
    return activity().stats(filterOf(rest), bucket);
  });

  app.get('/api/activity/recent', { preHandler: read, schema: { tags, summary: 'The latest activity records (newest first)', security: SECURED, querystring: RecentQuery, response: { 200: z.object({ items: z.array(ActivityItem) }), ...GUARDED_ERRORS } } }, async (req) => ({
    items: await activity().recent(req.query.limit, filterOf(req.query)),
  }));

  app.get('/api/activity/export', { preHandler: read, schema: { tags, summary: 'Stream activity records (oldest first) as JSON Lines or CSV, with the list filters', security: SECURED, querystring: ExportQuery, response: { 200: { description: 'JSONL (one record per line) or CSV with a header row', content: { 'application/x-ndjson': { schema: z.string() }, 'text/csv': { schema: z.string() } } }, ...GUARDED_ERRORS } } }, async (req, reply) => {
    const { format, ...rest } = req.query;
    const chunks = activity().export(filterOf(rest), format);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    return reply
      .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="switchboard-activity-${stamp}.${format}"`)
      .header('cache-control', 'no-store')
      // A stream bypasses the serializer; the 200 schemas document the body.
      .send(Readable.from(chunks) as unknown as string);
  });

  // The WebSocket lives in its own child scope so the upgrade handling touches no other route.
  void app.register(async (ws) => {
    await ws.register(websocket, { options: { maxPayload: 4096 } });
    ws.get('/api/activity/stream', { websocket: true, preHandler: guard(deps, 'read', { allowQueryKey: true }), schema: { querystring: StreamQuery } }, (socket, req) => {
      const types = (req.query as z.output<typeof StreamQuery>).types ?? ['activity.tool_call.started', 'activity.tool_call.completed', 'activity.policy_decision', 'activity.admin_change'];
      const unsubscribe = activity().subscribe(types, (e) => {
        // A client that stops reading is dropped rather than buffered without bound.
        if (socket.bufferedAmount > 1_000_000) return socket.terminate();
        socket.send(JSON.stringify(toWire(e)));
      });
      const ping = setInterval(() => socket.ping(), activity().heartbeatMs);
      ping.unref();
      socket.on('close', () => {
        clearInterval(ping);
        unsubscribe();
      });
      socket.on('error', () => socket.terminate());
    });
  });
}
