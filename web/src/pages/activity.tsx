import { useEffect, useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { liveEvents } from '../api/events';
import type { ActivityItem } from '../api/types';
import { navigate, useLocation } from '../router';
import { Button, Checkbox, SelectField, StatusBadge, TextField } from '../ui/controls';
import { formatDuration, formatTime } from '../ui/format';
import { Empty, QueryView } from '../ui/states';
import { ActivityCharts, ActivityDrawer, ExportButtons } from './activity-parts';

const FILTER_KEYS = ['type', 'status', 'server', 'tool', 'caller', 'q', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof FILTER_KEYS)[number], string>>;
const TYPES = ['', 'tool_call', 'resource_read', 'prompt_get', 'mcp_request', 'policy_decision', 'admin_change'];
const STATUSES = ['', 'ok', 'error', 'cancelled', 'denied', 'allowed'];
const PAGE_SIZE = 25;

function filtersFrom(q: URLSearchParams): Filters {
  const f: Filters = {};
  for (const k of FILTER_KEYS) if (q.get(k)) f[k] = q.get(k)!;
  return f;
}

/** Whether a live record belongs in the filtered table (exact matches, as the API filters). */
function matches(item: ActivityItem, f: Filters): boolean {
  if (f.type && !f.type.split(',').includes(item.type)) return false;
  if (f.status && !f.status.split(',').includes(item.status)) return false;
  if (f.server && item.server !== f.server) return false;
  if (f.tool && item.tool !== f.tool) return false;
  if (f.caller && item.caller?.id !== f.caller && item.caller?.name !== f.caller) return false;
  return !f.q && !f.from && !f.to;
}

/** The datetime-local inputs speak local time; the API speaks UTC ISO-8601. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);
const toLocal = (iso: string | undefined) => (iso ? new Date(new Date(iso).getTime() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : '');

export function ActivityPage() {
  const { query } = useLocation();
  const filters = filtersFrom(query);
  const page = Math.max(1, Number(query.get('page') ?? '1') || 1);
  const [draft, setDraft] = useState<Filters>(filters);
  const [liveOn, setLiveOn] = useState(true);
  const [live, setLive] = useState<ActivityItem[]>([]);
  const [open, setOpen] = useState<string | undefined>();
  const key = JSON.stringify(filters);
  const logs = useQuery({ queryKey: ['activity', 'logs', key, page], queryFn: () => api.get('/api/activity/logs', { query: { ...filters, page, page_size: PAGE_SIZE } }), placeholderData: keepPreviousData });

  useEffect(() => {
    setDraft(filtersFrom(new URLSearchParams(location.search)));
    setLive([]);
  }, [key, page]);
  useEffect(() => {
    if (!liveOn || page !== 1) return;
    return liveEvents.subscribe((e) => {
      if (!e.type.startsWith('activity.') || e.type === 'activity.tool_call.started') return;
      const item = e.data as unknown as ActivityItem;
      if (matches(item, filters)) setLive((l) => [item, ...l.filter((x) => x.id !== item.id)].slice(0, 100));
    });
    // Keyed on the serialised filters: the object itself is new on every render.
  }, [liveOn, page, key]);

  const apply = (f: Filters, p = 1) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
    if (p > 1) q.set('page', String(p));
    const qs = q.toString();
    navigate(`/activity${qs ? `?${qs}` : ''}`, { replace: true });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply(draft);
  };
  const set = (k: keyof Filters, v: string | undefined) => setDraft((d) => ({ ...d, [k]: v || undefined }));

  return (
    <div className="page">
      <div className="page-head">
        <h1>Activity</h1>
        <ExportButtons filters={filters} />
      </div>
      <ActivityCharts server={filters.server} tool={filters.tool} />
      <form className="filters card" onSubmit={submit} aria-label="Filter activity">
        <SelectField label="Type" value={draft.type ?? ''} onChange={(e) => set('type', e.target.value)} options={TYPES.map((t) => ({ value: t, label: t || 'any' }))} />
        <SelectField label="Status" value={draft.status ?? ''} onChange={(e) => set('status', e.target.value)} options={STATUSES.map((t) => ({ value: t, label: t || 'any' }))} />
        <TextField label="Server" value={draft.server ?? ''} onChange={(e) => set('server', e.target.value)} />
        <TextField label="Tool" value={draft.tool ?? ''} onChange={(e) => set('tool', e.target.value)} />
        <TextField label="Caller" value={draft.caller ?? ''} onChange={(e) => set('caller', e.target.value)} />
        <TextField label="Text" type="search" value={draft.q ?? ''} onChange={(e) => set('q', e.target.value)} data-search="" />
        <TextField label="From" type="datetime-local" value={toLocal(draft.from)} onChange={(e) => set('from', toIso(e.target.value))} />
        <TextField label="To" type="datetime-local" value={toLocal(draft.to)} onChange={(e) => set('to', toIso(e.target.value))} />
        <div className="toolbar filters-actions">
          <Button type="submit" variant="primary">
            Apply
          </Button>
          <Button variant="ghost" onClick={() => apply({})}>
            Clear
          </Button>
          <Checkbox label="Live tail" checked={liveOn} onChange={(e) => setLiveOn(e.target.checked)} hint={page !== 1 ? 'On page 1' : undefined} />
        </div>
      </form>
      <QueryView query={logs}>
        {(data) => {
          const seen = new Set<string>();
          const rows = [...(page === 1 ? live : []), ...data.items].filter((i) => !seen.has(i.id) && seen.add(i.id));
          return rows.length === 0 ? (
            <Empty title={Object.keys(filters).length ? 'No records match the filters' : 'No activity yet'}>Tool calls, resource reads, policy decisions and admin changes are recorded here.</Empty>
          ) : (
            <>
              <div className="table-wrap">
                <table className="table table-hover">
                  <caption className="sr-only">Activity records, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Status</th>
                      <th scope="col" className="hide-narrow">
                        Type
                      </th>
                      <th scope="col">What</th>
                      <th scope="col" className="hide-narrow">
                        Caller
                      </th>
                      <th scope="col" className="num">
                        Duration
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr key={r.id} className={live.some((l) => l.id === r.id) ? 'row-new' : undefined}>
                        <td className="small nowrap">{formatTime(r.at)}</td>
                        <td>
                          <StatusBadge status={r.status} />
                        </td>
                        <td className="hide-narrow small">{r.type}</td>
                        <td>
                          <button type="button" className="linkish mono" onClick={() => setOpen(r.id)}>
                            {r.tool ? `${r.server ?? ''}${r.server ? ' · ' : ''}${r.tool}` : (r.target ?? r.method ?? r.type)}
                          </button>
                          {r.error_code && <div className="small muted">{r.error_code}</div>}
                        </td>
                        <td className="hide-narrow small">{r.caller?.name ?? '—'}</td>
                        <td className="num small">{formatDuration(r.duration_ms)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <nav className="pager" aria-label="Pages">
                <Button disabled={page <= 1} onClick={() => apply(filters, page - 1)}>
                  Newer
                </Button>
                <span role="status">
                  Page {data.page} of {Math.max(1, data.pages)} · {data.total} records
                </span>
                <Button disabled={page >= data.pages} onClick={() => apply(filters, page + 1)}>
                  Older
                </Button>
              </nav>
            </>
          );
        }}
      </QueryView>
      <ActivityDrawer id={open} onClose={() => setOpen(undefined)} />
    </div>
  );
}
