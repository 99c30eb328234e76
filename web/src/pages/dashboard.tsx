import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { liveEvents } from '../api/events';
import type { ActivityItem } from '../api/types';
import { useAuth } from '../auth';
import { Link } from '../router';
import { BarChart } from '../ui/chart';
import { HealthBadge, StatusBadge } from '../ui/controls';
import { ACTION_LABELS, formatDuration, formatUptime, timeAgo } from '../ui/format';
import { Empty, QueryView } from '../ui/states';

/** The last half hour, per minute: what "calls per minute" and the small chart show. */
function lastHalfHour() {
  const to = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
  return { from: new Date(to.getTime() - 30 * 60_000).toISOString(), to: to.toISOString(), bucket: 'minute' as const };
}

function Stat({ label, value, to, tone }: { label: string; value: React.ReactNode; to?: string; tone?: 'warn' | 'bad' }) {
  const body = (
    <>
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
    </>
  );
  return <div className={`stat ${tone ? `stat-${tone}` : ''}`}>{to ? <Link to={to}>{body}</Link> : body}</div>;
}

export function DashboardPage() {
  const { can } = useAuth();
  const dash = useQuery({ queryKey: ['dashboard'], queryFn: () => api.get('/api/dashboard'), refetchInterval: 30_000 });
  const stats = useQuery({ queryKey: ['activity-stats', 'dashboard'], queryFn: () => api.get('/api/activity/stats', { query: lastHalfHour() }), refetchInterval: 60_000 });
  const servers = useQuery({ queryKey: ['servers', 'dashboard'], queryFn: () => api.get('/api/servers', { query: { page_size: 200 } }) });

  return (
    <div className="page">
      <h1>Dashboard</h1>
      <QueryView query={dash}>
        {(d) => {
          const s = stats.data;
          const series = s?.series ?? [];
          const lastMinute = series.at(-1)?.calls ?? 0;
          const perMinute = series.length ? (series.reduce((a, p) => a + p.calls, 0) / series.length).toFixed(1) : '0';
          return (
            <section className="stats" aria-label="Key figures">
              <Stat label={`servers · ${d.servers.by_health.healthy} healthy`} value={d.servers.total} to="/servers" tone={d.servers.by_health.unhealthy > 0 ? 'bad' : d.servers.by_health.degraded > 0 ? 'warn' : undefined} />
              <Stat label="tools" value={d.tools.total} to="/tools" />
              <Stat label={`calls / min (30 min avg; last ${lastMinute})`} value={perMinute} to="/activity" />
              <Stat label={`errors (30 min) · p95 ${formatDuration(s?.totals.p95_ms)}`} value={s?.totals.errors ?? '—'} to="/activity?status=error" tone={s && s.totals.errors > 0 ? 'bad' : undefined} />
              <Stat label="pending approvals" value={d.approvals.pending} to="/approvals" tone={d.approvals.pending > 0 ? 'warn' : undefined} />
              <Stat label={`sessions · up ${formatUptime(d.uptime_s)}`} value={d.sessions.active} />
            </section>
          );
        }}
      </QueryView>

      <div className="grid-2">
        <section className="card" aria-labelledby="health-h">
          <h2 id="health-h">Servers by health</h2>
          <QueryView query={servers}>
            {(list) =>
              list.items.length === 0 ? (
                <Empty title="No servers yet" action={can('write') ? <Link to="/servers/new" className="btn btn-primary">Add a server</Link> : undefined}>
                  Add an MCP server to expose its tools through the gateway.
                </Empty>
              ) : (
                <ul className="health-list">
                  {[...list.items]
                    .sort((a, b) => rank(a.health.level) - rank(b.health.level) || a.name.localeCompare(b.name))
                    .map((srv) => (
                      <li key={srv.name}>
                        <HealthBadge level={srv.health.level} adminState={srv.health.admin_state} />
                        <Link to={`/servers/${encodeURIComponent(srv.name)}`}>{srv.name}</Link>
                        <span className="muted grow">{srv.health.summary}</span>
                        {srv.health.action && <span className="action-hint">{ACTION_LABELS[srv.health.action] ?? srv.health.action}</span>}
                      </li>
                    ))}
                </ul>
              )
            }
          </QueryView>
        </section>
        <section className="card" aria-labelledby="calls-h">
          <h2 id="calls-h" className="sr-only">
            Calls
          </h2>
          <QueryView query={stats}>{(s) => <BarChart title="Calls per minute (errors in red)" bucket={s.bucket} points={s.series.map((p) => ({ t: p.t, value: p.calls, overlay: p.errors }))} />}</QueryView>
        </section>
      </div>
      <LiveFeed />
    </div>
  );
}

function rank(level: string): number {
  return level === 'unhealthy' ? 0 : level === 'degraded' ? 1 : 2;
}

/** The latest tool calls and admin changes, updated from the event stream. */
function LiveFeed() {
  const recent = useQuery({ queryKey: ['activity-recent'], queryFn: () => api.get('/api/activity/recent', { query: { limit: 10 } }) });
  const [live, setLive] = useState<ActivityItem[]>([]);
  useEffect(
    () =>
      liveEvents.subscribe((e) => {
        if (e.type === 'activity.tool_call.started') return;
        if (e.type.startsWith('activity.')) setLive((l) => [e.data as unknown as ActivityItem, ...l].slice(0, 10));
      }),
    [],
  );
  return (
    <section className="card" aria-labelledby="feed-h">
      <h2 id="feed-h">Recent activity</h2>
      <QueryView query={recent}>
        {(r) => {
          const seen = new Set<string>();
          const items = [...live, ...r.items].filter((i) => !seen.has(i.id) && seen.add(i.id)).slice(0, 10);
          return items.length === 0 ? (
            <Empty title="Nothing yet">Tool calls, policy decisions and admin changes appear here as they happen.</Empty>
          ) : (
            <ul className="feed" aria-live="polite">
              {items.map((i) => (
                <li key={i.id}>
                  <StatusBadge status={i.status} />
                  <span className="mono">{i.tool ? `${i.server ?? ''}${i.server ? ' · ' : ''}${i.tool}` : (i.method ?? i.type)}</span>
                  <span className="muted">{i.caller?.name ?? ''}</span>
                  <span className="muted grow right">
                    {i.duration_ms !== null ? `${formatDuration(i.duration_ms)} · ` : ''}
                    {timeAgo(i.at)}
                  </span>
                </li>
              ))}
            </ul>
          );
        }}
      </QueryView>
    </section>
  );
}
