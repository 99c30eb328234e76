import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SwitchboardConfig } from '../config/index.js';
import { createSwitchboard } from '../main.js';
import { SwitchboardError } from '../shared/index.js';
import type { ActivityEntry } from '../store/index.js';
import type { Output } from './commands.js';

export interface ActivityTailOptions {
  follow: boolean;
  json: boolean;
  server?: string | undefined;
  tool?: string | undefined;
  /** How many recent records to show first (default 20). */
  limit?: string | undefined;
  /** A running gateway; without it (and without --follow) the data directory is read. */
  url?: string | undefined;
  apiKey?: string | undefined;
  dataDir: string;
  config: SwitchboardConfig;
}

const FOLLOW_TYPES = 'activity.tool_call.completed,activity.policy_decision,activity.admin_change';

/**
 * `switchboard activity tail [--follow]`: the latest records, oldest first, from a running gateway
 * (`--url`, REST) or the data directory; `--follow` then streams new ones from the gateway's `/events`
 * until interrupted.
 */
export async function activityTail(o: ActivityTailOptions, io: Output, signal?: AbortSignal): Promise<number> {
  const limit = o.limit === undefined ? 20 : Number(o.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new SwitchboardError('SWB_INVALID_ARGUMENT', `--limit must be an integer 1-200, got '${o.limit}'`);
  const url = o.url ?? (o.follow ? configUrl(o.config) : undefined);
  const matches = (e: ActivityEntry) => (o.server === undefined || e.server === o.server) && (o.tool === undefined || e.tool === o.tool);
  const print = (e: ActivityEntry) => io.out(o.json ? JSON.stringify(e) : formatLine(e));

  if (!o.follow) {
    const recent = url ? await recentOverRest(url, o.apiKey, limit, o) : await recentFromDataDir(o.dataDir, o.config, limit, o);
    for (const e of recent.reverse()) print(e);
    return 0;
  }
  // Subscribe before reading the backlog, so nothing recorded in between is missed; duplicates are skipped by id.
  const stream = await openEvents(url!, o.apiKey, signal);
  const seen = new Set<string>();
  for (const e of (await recentOverRest(url!, o.apiKey, limit, o)).reverse()) {
    seen.add(e.id);
    print(e);
  }
  try {
    for await (const ev of stream) {
      const e = ev.data as unknown as ActivityEntry;
      if (seen.has(e.id) || !matches(e)) continue;
      print(e);
    }
  } catch (err) {
    if (!signal?.aborted) throw err;
  }
  return 0;
}

/** One record as a log line: time, status, duration, what, who. */
export function formatLine(e: ActivityEntry): string {
  const dur = e.duration_ms === null ? '' : `${e.duration_ms}ms`;
  const where = [e.server, e.tool].filter(Boolean).join('/');
  const what =
    e.type === 'policy_decision'
      ? `${e.method ?? ''} ${where} (${e.reason ?? ''})`
      : e.type === 'admin_change'
        ? `${e.method ?? ''} ${e.target ?? ''}`
        : `${e.method ?? e.type} ${where}${e.target ? ` ${e.target}` : ''}`;
  const err = e.error_code || e.error_message ? `  ${[e.error_code, e.error_message].filter(Boolean).join(': ')}` : '';
  return `${e.at}  ${e.status.padEnd(9)} ${dur.padStart(8)}  ${what.trim()}  [${e.caller?.name ?? '-'}]${err}`;
}

function configUrl(config: SwitchboardConfig): string {
  const h = config.http.host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${config.http.port}`;
}

function authHeaders(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}

async function recentOverRest(url: string, apiKey: string | undefined, limit: number, f: { server?: string | undefined; tool?: string | undefined }): Promise<ActivityEntry[]> {
  const qs = new URLSearchParams({ limit: String(limit) });
  if (f.server) qs.set('server', f.server);
  if (f.tool) qs.set('tool', f.tool);
  const res = await request(`${url.replace(/\/+$/, '')}/api/activity/recent?${qs}`, apiKey);
  return ((await res.json()) as { items: ActivityEntry[] }).items;
}

async function request(href: string, apiKey: string | undefined, signal?: AbortSignal): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(href, { headers: { ...authHeaders(apiKey), accept: '*/*' }, ...(signal ? { signal } : {}) });
  } catch (err) {
    throw new SwitchboardError('SWB_UPSTREAM_UNAVAILABLE', `No gateway answers at ${new URL(href).origin}: ${(err as Error).message}`);
  }
  if (res.ok) return res;
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  const code = body.error?.code;
  const known = code === 'SWB_AUTH_REQUIRED' || code === 'SWB_AUTH_INVALID' || code === 'SWB_AUTH_FORBIDDEN' || code === 'SWB_HTTP_BAD_REQUEST' || code === 'SWB_INVALID_ARGUMENT';
  throw new SwitchboardError(known ? code : 'SWB_UPSTREAM_FAILED', `${res.status} from ${new URL(href).pathname}: ${body.error?.message ?? res.statusText}${known && code.startsWith('SWB_AUTH') ? ' (set SWITCHBOARD_API_KEY)' : ''}`);
}

async function recentFromDataDir(dataDir: string, config: SwitchboardConfig, limit: number, f: { server?: string | undefined; tool?: string | undefined }): Promise<ActivityEntry[]> {
  // Reading must not create an empty data directory as a side effect.
  if (!existsSync(join(dataDir, 'switchboard.db'))) throw new SwitchboardError('SWB_STORE_UNAVAILABLE', `No activity log in ${resolve(dataDir)} (pass --data DIR, or --url of a running gateway)`);
  const sb = await createSwitchboard({ config, dataDir, env: {} });
  try {
    return await sb.admin.activity.recent(limit, { ...(f.server ? { server: f.server } : {}), ...(f.tool ? { tool: f.tool } : {}) });
  } finally {
    await sb.close();
  }
}

interface StreamEvent {
  type: string;
  data: Record<string, unknown>;
}

/** Connect to `/events` and yield parsed events until the stream or the signal ends. */
async function openEvents(url: string, apiKey: string | undefined, signal?: AbortSignal): Promise<AsyncIterable<StreamEvent>> {
  const res = await request(`${url.replace(/\/+$/, '')}/events?types=${FOLLOW_TYPES}`, apiKey, signal);
  const body = res.body!;
  return (async function* () {
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const data = frame
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trimStart())
          .join('\n');
        if (data) yield JSON.parse(data) as StreamEvent;
      }
    }
  })();
}
