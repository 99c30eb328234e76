import { sql, type ExpressionBuilder, type Kysely } from 'kysely';

/** Table shapes for the activity log (MCP requests, policy decisions, admin changes). */
export interface ActivityTables {
  activity: ActivityRow;
}

interface ActivityRow {
  id: string;
  type: string;
  at: string;
  status: string;
  caller_kind: string | null;
  caller_id: string | null;
  caller_name: string | null;
  session_id: string | null;
  method: string | null;
  server: string | null;
  tool: string | null;
  target: string | null;
  duration_ms: number | null;
  result_bytes: number | null;
  request_id: string | null;
  error_code: string | null;
  error_message: string | null;
  reason: string | null;
  arguments_json: string | null;
  result_json: string | null;
  before_json: string | null;
  after_json: string | null;
}

/** Who made the request or the change. */
export interface ActivityCaller {
  kind: string;
  id: string;
  name: string;
}

/**
 * One activity record as stored and served. Scalars are `null` when they do not apply; the payloads
 * (`arguments`, `result`, `before`, `after`) are already redacted and bounded by the writer, and are
 * only loaded for detail views and exports.
 */
export interface ActivityEntry {
  id: string;
  /** `tool_call`, `resource_read`, `prompt_get`, `mcp_request`, `policy_decision` or `admin_change`. */
  type: string;
  /** ISO-8601 UTC with milliseconds: when the request started or the decision/change happened. */
  at: string;
  /** `ok`, `error`, `cancelled`, `denied` or `allowed`. */
  status: string;
  caller: ActivityCaller | null;
  session_id: string | null;
  /** The MCP method, the policy action or the admin action (`servers.create`). */
  method: string | null;
  server: string | null;
  tool: string | null;
  /** The resource URI, prompt name or the admin change's target. */
  target: string | null;
  duration_ms: number | null;
  result_bytes: number | null;
  request_id: string | null;
  error_code: string | null;
  error_message: string | null;
  reason: string | null;
  arguments?: unknown;
  result?: unknown;
  before?: unknown;
  after?: unknown;
}

/** Filters shared by list, export and stats; every field narrows, absent fields do not. */
export interface ActivityFilter {
  types?: readonly string[];
  statuses?: readonly string[];
  server?: string;
  tool?: string;
  /** Matches the caller's id or name exactly. */
  caller?: string;
  session?: string;
  method?: string;
  /** Inclusive lower bound (ISO). */
  from?: string;
  /** Exclusive upper bound (ISO). */
  to?: string;
  /** Case-insensitive substring over names, errors and arguments. */
  q?: string;
}

/** Counts and latencies for one group of records. Latencies cover MCP requests only. */
export interface ActivityCounts {
  calls: number;
  ok: number;
  errors: number;
  cancelled: number;
  denials: number;
  avg_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  max_ms: number | null;
}

export interface ActivityStatsRaw {
  totals: ActivityCounts;
  per_server: (ActivityCounts & { server: string })[];
  per_tool: (ActivityCounts & { server: string; tool: string })[];
  /** Only buckets that have records; `t` is the bucket key (a prefix of the ISO time). */
  series: { t: string; calls: number; errors: number; denials: number; avg_ms: number | null }[];
}

/** Queries for the activity log (MCP requests, policy decisions, admin changes); the only code that touches these tables. */
export interface ActivityRepo {
  /** Insert a batch in one transaction. */
  insert(entries: readonly ActivityEntry[]): Promise<void>;
  /** Newest first, without payloads. */
  list(filter: ActivityFilter, offset: number, limit: number): Promise<{ items: ActivityEntry[]; total: number }>;
  /** With payloads. */
  get(id: string): Promise<ActivityEntry | undefined>;
  /** Oldest first, with payloads, read in pages so a large export never sits in memory. */
  iterate(filter: ActivityFilter, batchSize?: number): AsyncIterable<ActivityEntry>;
  /** `bucketChars` is how many leading characters of `at` make a bucket (16 = minute, 13 = hour, 10 = day). */
  stats(filter: ActivityFilter, bucketChars: number): Promise<ActivityStatsRaw>;
  /** Delete records older than `before` (ISO), in chunks; returns how many went. */
  deleteBefore(before: string): Promise<number>;
}

const SUMMARY_COLUMNS = ['id', 'type', 'at', 'status', 'caller_kind', 'caller_id', 'caller_name', 'session_id', 'method', 'server', 'tool', 'target', 'duration_ms', 'result_bytes', 'request_id', 'error_code', 'error_message', 'reason'] as const;
const DELETE_CHUNK = 5000;

type Db = Kysely<ActivityTables>;
type Eb = ExpressionBuilder<ActivityTables, 'activity'>;

/** The activity slice of the store over `db`. */
export function createActivityRepo(db: Db): ActivityRepo {
  return {
    async insert(entries) {
      if (entries.length === 0) return;
      const rows = entries.map(toRow);
      await db.transaction().execute(async (trx) => {
        // 22 columns per row: stay well under the bound-parameter limit of every dialect.
        for (let i = 0; i < rows.length; i += 200) await trx.insertInto('activity').values(rows.slice(i, i + 200)).execute();
      });
    },
    async list(filter, offset, limit) {
      const base = db.selectFrom('activity').where((eb) => where(eb, filter));
      const [rows, count] = await Promise.all([
        base.select(SUMMARY_COLUMNS).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
      ]);
      return { items: rows.map((r) => fromRow(r)), total: Number(count?.n ?? 0) };
    },
    async get(id) {
      const row = await db.selectFrom('activity').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? fromRow(row) : undefined;
    },
    async *iterate(filter, batchSize = 500) {
      let after: { at: string; id: string } | undefined;
      for (;;) {
        let q = db.selectFrom('activity').selectAll().where((eb) => where(eb, filter));
        if (after) {
          const { at, id } = after;
          q = q.where((eb) => eb.or([eb('at', '>', at), eb.and([eb('at', '=', at), eb('id', '>', id)])]));
        }
        const rows = await q.orderBy('at', 'asc').orderBy('id', 'asc').limit(batchSize).execute();
        for (const r of rows) yield fromRow(r);
        if (rows.length < batchSize) return;
        const last = rows[rows.length - 1]!;
        after = { at: last.at, id: last.id };
      }
    },
    async stats(filter, bucketChars) {
      const scoped = { ...filter, types: undefined, statuses: undefined };
      const [totals, perServer, perTool, series] = await Promise.all([
        groupStats(db, scoped, []),
        groupStats(db, scoped, ['server']),
        groupStats(db, scoped, ['server', 'tool']),
        seriesStats(db, scoped, bucketChars),
      ]);
      return {
        totals: totals[0]?.counts ?? emptyCounts(),
        per_server: perServer.filter((g) => g.keys[0] !== null).map((g) => ({ server: g.keys[0]!, ...g.counts })),
        per_tool: perTool.filter((g) => g.keys[0] !== null && g.keys[1] !== null).map((g) => ({ server: g.keys[0]!, tool: g.keys[1]!, ...g.counts })),
        series,
      };
    },
    async deleteBefore(before) {
      let total = 0;
      for (;;) {
        const res = await db
          .deleteFrom('activity')
          .where('id', 'in', db.selectFrom('activity').select('id').where('at', '<', before).limit(DELETE_CHUNK))
          .executeTakeFirst();
        const n = Number(res.numDeletedRows);
        total += n;
        if (n < DELETE_CHUNK) return total;
      }
    },
  };
}

function where(eb: Eb, f: ActivityFilter) {
  const and = [];
  if (f.types?.length) and.push(eb('type', 'in', [...f.types]));
  if (f.statuses?.length) and.push(eb('status', 'in', [...f.statuses]));
  if (f.server !== undefined) and.push(eb('server', '=', f.server));
  if (f.tool !== undefined) and.push(eb('tool', '=', f.tool));
  if (f.caller !== undefined) and.push(eb.or([eb('caller_id', '=', f.caller), eb('caller_name', '=', f.caller)]));
  if (f.session !== undefined) and.push(eb('session_id', '=', f.session));
  if (f.method !== undefined) and.push(eb('method', '=', f.method));
  if (f.from !== undefined) and.push(eb('at', '>=', f.from));
  if (f.to !== undefined) and.push(eb('at', '<', f.to));
  if (f.q !== undefined && f.q !== '') {
    const pattern = `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const cols = ['id', 'tool', 'server', 'method', 'target', 'caller_name', 'caller_id', 'session_id', 'request_id', 'error_code', 'error_message', 'reason', 'arguments_json'] as const;
    // lower() on both sides keeps the match case-insensitive on dialects whose LIKE is case-sensitive.
    and.push(eb.or(cols.map((c) => sql<boolean>`lower(${sql.ref(c)}) like ${pattern} escape '\\'`)));
  }
  return eb.and(and);
}

interface Group {
  keys: (string | null)[];
  counts: ActivityCounts;
}

/** Counts per group plus nearest-rank p50/p95 from window functions (portable to PostgreSQL). */
async function groupStats(db: Db, filter: ActivityFilter, keys: ('server' | 'tool')[]): Promise<Group[]> {
  const keyRefs = keys.map((k) => sql.ref(k));
  const partition = keys.length ? sql`partition by ${sql.join(keyRefs)}` : sql``;
  // Timed MCP requests first in each partition, so ranks 1..timed are exactly the durations.
  const untimed = sql`case when type in ('policy_decision','admin_change') or duration_ms is null then 1 else 0 end`;
  const isCall = sql`type not in ('policy_decision','admin_change')`;
  let q = db
    .with('d', (w) =>
      w
        .selectFrom('activity')
        .where((eb) => where(eb, filter))
        .where('type', '!=', 'admin_change')
        .select(['server', 'tool', 'type', 'status', 'duration_ms'])
        .select(sql<number>`row_number() over (${partition} order by ${untimed}, duration_ms)`.as('rn'))
        .select(sql<number>`sum(1 - ${untimed}) over (${partition})`.as('timed')),
    )
    .selectFrom('d')
    .select([
      sql<number>`sum(case when ${isCall} then 1 else 0 end)`.as('calls'),
      sql<number>`sum(case when ${isCall} and status = 'ok' then 1 else 0 end)`.as('ok'),
      sql<number>`sum(case when ${isCall} and status = 'error' then 1 else 0 end)`.as('errors'),
      sql<number>`sum(case when ${isCall} and status = 'cancelled' then 1 else 0 end)`.as('cancelled'),
      sql<number>`sum(case when status = 'denied' then 1 else 0 end)`.as('denials'),
      sql<number | null>`avg(case when ${isCall} then duration_ms end)`.as('avg_ms'),
      sql<number | null>`min(case when rn <= timed and rn >= 0.5 * timed then duration_ms end)`.as('p50_ms'),
      sql<number | null>`min(case when rn <= timed and rn >= 0.95 * timed then duration_ms end)`.as('p95_ms'),
      sql<number | null>`max(case when ${isCall} then duration_ms end)`.as('max_ms'),
    ]);
  if (keys.length) q = q.select(keys).groupBy(keys);
  const rows = (await q.orderBy(sql`1`, 'desc').execute()) as Record<string, unknown>[];
  return rows.map((r) => ({ keys: keys.map((k) => (r[k] as string | null) ?? null), counts: countsOf(r) }));
}

async function seriesStats(db: Db, filter: ActivityFilter, bucketChars: number): Promise<ActivityStatsRaw['series']> {
  const bucket = sql<string>`substr(at, 1, ${sql.lit(bucketChars)})`;
  const rows = await db
    .selectFrom('activity')
    .where((eb) => where(eb, filter))
    .where('type', '!=', 'admin_change')
    .select(bucket.as('t'))
    .select(sql<number>`sum(case when type <> 'policy_decision' then 1 else 0 end)`.as('calls'))
    .select(sql<number>`sum(case when type <> 'policy_decision' and status = 'error' then 1 else 0 end)`.as('errors'))
    .select(sql<number>`sum(case when status = 'denied' then 1 else 0 end)`.as('denials'))
    .select(sql<number | null>`avg(case when type <> 'policy_decision' then duration_ms end)`.as('avg_ms'))
    .groupBy(bucket)
    .orderBy(bucket)
    .execute();
  return rows.map((r) => ({ t: r.t, calls: Number(r.calls), errors: Number(r.errors), denials: Number(r.denials), avg_ms: roundOrNull(r.avg_ms) }));
}

function countsOf(r: Record<string, unknown>): ActivityCounts {
  const n = (k: string) => Number(r[k] ?? 0);
  return { calls: n('calls'), ok: n('ok'), errors: n('errors'), cancelled: n('cancelled'), denials: n('denials'), avg_ms: roundOrNull(r['avg_ms']), p50_ms: roundOrNull(r['p50_ms']), p95_ms: roundOrNull(r['p95_ms']), max_ms: roundOrNull(r['max_ms']) };
}

function emptyCounts(): ActivityCounts {
  return { calls: 0, ok: 0, errors: 0, cancelled: 0, denials: 0, avg_ms: null, p50_ms: null, p95_ms: null, max_ms: null };
}

function roundOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10;
}

function json(v: unknown): string | null {
  return v === undefined ? null : JSON.stringify(v);
}

function parse(s: string | null | undefined): unknown {
  if (s === null || s === undefined) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

function toRow(e: ActivityEntry): ActivityRow {
  return {
    id: e.id,
    type: e.type,
    at: e.at,
    status: e.status,
    caller_kind: e.caller?.kind ?? null,
    caller_id: e.caller?.id ?? null,
    caller_name: e.caller?.name ?? null,
    session_id: e.session_id,
    method: e.method,
    server: e.server,
    tool: e.tool,
    target: e.target,
    duration_ms: e.duration_ms,
    result_bytes: e.result_bytes,
    request_id: e.request_id,
    error_code: e.error_code,
    error_message: e.error_message,
    reason: e.reason,
    arguments_json: json(e.arguments),
    result_json: json(e.result),
    before_json: json(e.before),
    after_json: json(e.after),
  };
}

function fromRow(r: Pick<ActivityRow, (typeof SUMMARY_COLUMNS)[number]> & Partial<ActivityRow>): ActivityEntry {
  const e: ActivityEntry = {
    id: r.id,
    type: r.type,
    at: r.at,
    status: r.status,
    caller: r.caller_id !== null ? { kind: r.caller_kind ?? 'unknown', id: r.caller_id, name: r.caller_name ?? r.caller_id } : null,
    session_id: r.session_id,
    method: r.method,
    server: r.server,
    tool: r.tool,
    target: r.target,
    duration_ms: r.duration_ms,
    result_bytes: r.result_bytes,
    request_id: r.request_id,
    error_code: r.error_code,
    error_message: r.error_message,
    reason: r.reason,
  };
  for (const [k, col] of [['arguments', 'arguments_json'], ['result', 'result_json'], ['before', 'before_json'], ['after', 'after_json']] as const) {
    const v = parse(r[col]);
    if (v !== undefined) e[k] = v;
  }
  return e;
}
