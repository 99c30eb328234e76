import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, send, urlFor } from '../api/client';
import { Button, Facts, JsonBlock, SelectField, StatusBadge } from '../ui/controls';
import { BarChart, LineChart } from '../ui/chart';
import { formatDuration, formatTime } from '../ui/format';
import { Drawer } from '../ui/overlay';
import { QueryView } from '../ui/states';
import { useToast } from '../ui/toast';

/** The activity page's pieces: charts over a range, the detail drawer, and the export buttons. */

const RANGES = [
  { value: '1h', label: 'Last hour', ms: 3600_000, bucket: 'minute' as const },
  { value: '24h', label: 'Last 24 hours', ms: 86400_000, bucket: 'hour' as const },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86400_000, bucket: 'hour' as const },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86400_000, bucket: 'day' as const },
];

export function ActivityCharts({ server, tool }: { server?: string; tool?: string }) {
  const [range, setRange] = useState('24h');
  const r = RANGES.find((x) => x.value === range) ?? RANGES[1]!;
  const stats = useQuery({
    queryKey: ['activity-stats', range, server, tool],
    queryFn: () => {
      const to = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
      return api.get('/api/activity/stats', { query: { from: new Date(to.getTime() - r.ms).toISOString(), to: to.toISOString(), bucket: r.bucket, server, tool } });
    },
    refetchInterval: 60_000,
  });
  return (
    <section className="card" aria-labelledby="charts-h">
      <div className="page-head">
        <h2 id="charts-h">Calls and latency</h2>
        <SelectField label="Range" value={range} onChange={(e) => setRange(e.target.value)} options={RANGES} />
      </div>
      <QueryView query={stats}>
        {(s) => (
          <>
            <Facts
              items={[
                ['Calls', s.totals.calls],
                ['Errors', `${s.totals.errors} (${(s.totals.error_rate * 100).toFixed(1)} %)`],
                ['Denied', s.totals.denials],
                ['Latency p50 / p95', `${formatDuration(s.totals.p50_ms)} / ${formatDuration(s.totals.p95_ms)}`],
              ]}
            />
            <div className="grid-2">
              <BarChart title={`Calls per ${s.bucket} (errors in red)`} bucket={s.bucket} points={s.series.map((p) => ({ t: p.t, value: p.calls, overlay: p.errors }))} />
              <LineChart title="Average latency" unit=" ms" bucket={s.bucket} points={s.series.map((p) => ({ t: p.t, value: p.avg_ms === null ? null : Math.round(p.avg_ms) }))} />
            </div>
          </>
        )}
      </QueryView>
    </section>
  );
}

export function ActivityDrawer({ id, onClose }: { id: string | undefined; onClose: () => void }) {
  const detail = useQuery({ queryKey: ['activity', 'detail', id], queryFn: () => api.get('/api/activity/logs/{id}', { path: { id: id! } }), enabled: id !== undefined });
  return (
    <Drawer open={id !== undefined} title="Activity record" onClose={onClose}>
      <QueryView query={detail}>
        {(r) => (
          <div className="stack">
            <Facts
              items={[
                ['Status', <StatusBadge status={r.status} />],
                ['Type', r.type],
                ['When', formatTime(r.at)],
                ['Caller', r.caller ? `${r.caller.name} (${r.caller.kind})` : '—'],
                ['Method', r.method],
                ['Server', r.server],
                ['Tool', r.tool],
                ['Target', r.target],
                ['Duration', formatDuration(r.duration_ms)],
                ['Result size', r.result_bytes === null ? '—' : `${r.result_bytes} bytes`],
                ['Session', r.session_id],
                ['Error', r.error_code ? `${r.error_code}: ${r.error_message ?? ''}` : '—'],
                ['Reason', r.reason],
              ]}
            />
            {r.arguments !== undefined && (
              <>
                <h3>Arguments</h3>
                <JsonBlock value={r.arguments} label="Arguments" />
              </>
            )}
            {r.result !== undefined && (
              <>
                <h3>Result</h3>
                <JsonBlock value={r.result} label="Result" />
              </>
            )}
            {r.before !== undefined && (
              <>
                <h3>Before</h3>
                <JsonBlock value={r.before} label="Before" />
              </>
            )}
            {r.after !== undefined && (
              <>
                <h3>After</h3>
                <JsonBlock value={r.after} label="After" />
              </>
            )}
          </div>
        )}
      </QueryView>
    </Drawer>
  );
}

/** Download the filtered records; fetched with the session's credentials, then saved as a file. */
export function ExportButtons({ filters }: { filters: Record<string, string | undefined> }) {
  const toast = useToast();
  const [busy, setBusy] = useState<string | undefined>();
  const download = async (format: 'jsonl' | 'csv') => {
    setBusy(format);
    try {
      const res = await send('get', urlFor('/api/activity/export', undefined, { ...filters, format }), undefined, { accept: format === 'csv' ? 'text/csv' : 'application/x-ndjson' });
      const blob = await res.blob();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `switchboard-activity-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.${format}`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) {
      toast.fail(e);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div className="toolbar" role="group" aria-label="Export">
      <Button busy={busy === 'jsonl'} onClick={() => void download('jsonl')}>
        Export JSONL
      </Button>
      <Button busy={busy === 'csv'} onClick={() => void download('csv')}>
        Export CSV
      </Button>
    </div>
  );
}
