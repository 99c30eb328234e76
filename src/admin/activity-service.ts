import { encodeExport, type ExportFormat } from '../activity/index.js';
import type { EventListener, EventType } from '../events/index.js';
import { SwitchboardError } from '../shared/index.js';
import type { ActivityCounts, ActivityEntry, ActivityFilter } from '../store/index.js';
import type { AdminDeps } from './admin.js';

export type StatsBucket = 'minute' | 'hour' | 'day';

export interface ActivityPage {
  items: ActivityEntry[];
  total: number;
  page: number;
  page_size: number;
  pages: number;
}

export interface ActivityStats {
  from: string;
  to: string;
  bucket: StatsBucket;
  totals: ActivityCounts & { error_rate: number };
  per_server: (ActivityCounts & { server: string })[];
  per_tool: (ActivityCounts & { server: string; tool: string })[];
  /** One point per bucket over the whole range (empty buckets included), oldest first. */
  series: { t: string; calls: number; errors: number; denials: number; avg_ms: number | null }[];
}

/** Reading the activity log and following it live. */
export interface ActivityService {
  /** Newest first. */
  list(filter: ActivityFilter, page: number, pageSize: number): Promise<ActivityPage>;
  /** One record with its arguments, result and before/after; SWB_ITEM_NOT_FOUND when absent. */
  get(id: string): Promise<ActivityEntry>;
  /** The latest records, newest first. */
  recent(limit: number, filter?: ActivityFilter): Promise<ActivityEntry[]>;
  /** Counts, latency percentiles, per server and tool, and a time series over a range (default: the last 24 h). */
  stats(filter: ActivityFilter, bucket?: StatsBucket): Promise<ActivityStats>;
  /** Records oldest first as JSONL or CSV text chunks, read from the store in pages. */
  export(filter: ActivityFilter, format: ExportFormat): AsyncIterable<string>;
  /** Follow live events, optionally only some types; returns the unsubscribe function. */
  subscribe(types: readonly EventType[] | undefined, listener: EventListener): () => void;
  /** How often live streams send a keep-alive. */
  readonly heartbeatMs: number;
}

export interface ActivityServiceOptions {
  heartbeatMs?: number;
}

const HOUR_MS = 3_600_000;
const BUCKET_MS: Record<StatsBucket, number> = { minute: 60_000, hour: HOUR_MS, day: 24 * HOUR_MS };
/** How many leading characters of an ISO time name its bucket. */
const BUCKET_CHARS: Record<StatsBucket, number> = { minute: 16, hour: 13, day: 10 };
const MAX_BUCKETS = 2000;

/** The activity sub-service of the admin service. */
export function createActivityService(deps: AdminDeps, opts: ActivityServiceOptions = {}): ActivityService {
  const repo = deps.store.activity;
  // Readers see what was recorded before they asked, even if the batch has not been written yet.
  const settle = async () => deps.activity.flush?.();

  return {
    heartbeatMs: opts.heartbeatMs ?? 15_000,
    async list(filter, page, pageSize) {
      checkRange(filter);
      await settle();
      const { items, total } = await repo.list(filter, (page - 1) * pageSize, pageSize);
      return { items, total, page, page_size: pageSize, pages: Math.ceil(total / pageSize) };
    },
    async get(id) {
      await settle();
      const e = await repo.get(id);
      if (!e) throw new SwitchboardError('SWB_ITEM_NOT_FOUND', `No activity record '${id}'`, { id });
      return e;
    },
    async recent(limit, filter = {}) {
      await settle();
      return (await repo.list(filter, 0, limit)).items;
    },
    async stats(filter, bucket) {
      const to = filter.to ?? new Date().toISOString();
      const from = filter.from ?? new Date(Date.parse(to) - 24 * HOUR_MS).toISOString();
      checkRange({ from, to });
      const span = Date.parse(to) - Date.parse(from);
      const b = bucket ?? (span <= 6 * HOUR_MS ? 'minute' : span <= 31 * 24 * HOUR_MS ? 'hour' : 'day');
      const count = Math.ceil(span / BUCKET_MS[b]) + 1;
      if (count > MAX_BUCKETS) throw new SwitchboardError('SWB_INVALID_ARGUMENT', `The range holds ${count} ${b} buckets; at most ${MAX_BUCKETS} — use a coarser bucket or a shorter range`, { bucket: b, buckets: count });
      await settle();
      const raw = await deps.store.activity.stats({ ...filter, from, to }, BUCKET_CHARS[b]);
      return {
        from,
        to,
        bucket: b,
        totals: { ...raw.totals, error_rate: raw.totals.calls ? Math.round((raw.totals.errors / raw.totals.calls) * 1000) / 1000 : 0 },
        per_server: raw.per_server,
        per_tool: raw.per_tool,
        series: fillSeries(raw.series, from, to, b),
      };
    },
    export(filter, format) {
      // Checked before the first chunk, so a bad range is an error response rather than a cut stream.
      checkRange(filter);
      return (async function* () {
        await settle();
        yield* encodeExport(repo.iterate(filter), format);
      })();
    },
    subscribe(types, listener) {
      const wanted = types && types.length ? new Set<string>(types) : undefined;
      return deps.events.subscribe((e) => {
        if (!wanted || wanted.has(e.type)) listener(e);
      });
    },
  };
}

function checkRange(f: { from?: string | undefined; to?: string | undefined }): void {
  if (f.from !== undefined && f.to !== undefined && Date.parse(f.from) > Date.parse(f.to)) {
    throw new SwitchboardError('SWB_INVALID_ARGUMENT', `'from' (${f.from}) is after 'to' (${f.to})`, { from: f.from, to: f.to });
  }
}

/** Every bucket from the one holding `from` to the one holding `to`, zeros where nothing happened. */
function fillSeries(points: ActivityStats['series'], from: string, to: string, bucket: StatsBucket): ActivityStats['series'] {
  const chars = BUCKET_CHARS[bucket];
  const byKey = new Map(points.map((p) => [p.t, p]));
  const out: ActivityStats['series'] = [];
  const step = BUCKET_MS[bucket];
  const start = Math.floor(Date.parse(from) / step) * step;
  const end = Date.parse(to);
  for (let t = start; t < end; t += step) {
    const iso = new Date(t).toISOString();
    const p = byKey.get(iso.slice(0, chars));
    out.push({ t: iso, calls: p?.calls ?? 0, errors: p?.errors ?? 0, denials: p?.denials ?? 0, avg_ms: p?.avg_ms ?? null });
  }
  return out;
}
