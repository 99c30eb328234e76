import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Server } from '../api/types';
import { useAuth } from '../auth';
import { Link, setQueryParam, useLocation } from '../router';
import { Button, Facts, HealthBadge, JsonBlock, TextField } from '../ui/controls';
import { formatDuration, formatTime } from '../ui/format';
import { ErrorNotice, FormError, QueryView } from '../ui/states';
import { TabPanel, Tabs } from '../ui/tabs';
import { useToast } from '../ui/toast';
import { SuggestedAction, useServerOp } from './server-actions';
import { ServerLogs } from './server-logs';
import { ServerTools } from './server-tools';
import { SecretsPanel } from './secrets';

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'tools', label: 'Tools' },
  { id: 'logs', label: 'Logs' },
  { id: 'secrets', label: 'Secrets' },
];

/** One server: its state and definition, tools (with invoke), logs and secrets. */
export function ServerPage({ name }: { name: string }) {
  const { query } = useLocation();
  const tab = TABS.some((t) => t.id === query.get('tab')) ? query.get('tab')! : 'overview';
  const server = useQuery({ queryKey: ['server', name], queryFn: () => api.get('/api/servers/{name}', { path: { name } }), refetchInterval: 15_000 });

  return (
    <div className="page">
      <p className="crumbs">
        <Link to="/servers">Servers</Link> / {name}
      </p>
      <QueryView query={server}>
        {(s) => (
          <>
            <ServerHeader server={s} />
            <Tabs label="Server sections" tabs={TABS} current={tab} onSelect={(id) => setQueryParam('tab', id === 'overview' ? undefined : id)} />
            <TabPanel id={tab}>
              {tab === 'overview' && <Overview server={s} />}
              {tab === 'tools' && <ServerTools server={s} />}
              {tab === 'logs' && <ServerLogs name={s.name} />}
              {tab === 'secrets' && <SecretsPanel server={s.name} />}
            </TabPanel>
          </>
        )}
      </QueryView>
    </div>
  );
}

function ServerHeader({ server: s }: { server: Server }) {
  const { can } = useAuth();
  const ops = useServerOp();
  const busy = ops.pending?.name === s.name;
  const quarantined = s.health.admin_state === 'quarantined';
  return (
    <div className="page-head">
      <div>
        <h1>
          {s.name} <HealthBadge level={s.health.level} adminState={s.health.admin_state} />
        </h1>
        <p className="muted">
          {s.health.summary}
          {s.health.detail && s.health.detail !== s.health.summary ? ` — ${s.health.detail}` : ''}
        </p>
        {s.problem && <p className="form-error">{s.problem}</p>}
      </div>
      <div className="toolbar wrap">
        <SuggestedAction server={s} ops={ops} />
        {can('write') && !quarantined && (
          <>
            <Button busy={busy} onClick={() => void ops.perform(s.name, s.enabled ? 'disable' : 'enable')}>
              {s.enabled ? 'Disable' : 'Enable'}
            </Button>
            {s.enabled && (
              <Button busy={busy} onClick={() => void ops.perform(s.name, 'restart')}>
                Restart
              </Button>
            )}
          </>
        )}
        {can('admin') && (quarantined ? <Button onClick={() => void ops.perform(s.name, 'approve')}>Approve</Button> : <Button onClick={() => void ops.perform(s.name, 'quarantine')}>Quarantine</Button>)}
        {can('write') && s.source === 'api' && (
          <>
            <Link to={`/servers/${encodeURIComponent(s.name)}/edit`} className="btn">
              Edit
            </Link>
            <Button variant="danger" onClick={() => void ops.perform(s.name, 'delete')}>
              Delete
            </Button>
          </>
        )}
      </div>
    </div>
  );
}

function Overview({ server: s }: { server: Server }) {
  const { can } = useAuth();
  return (
    <div className="grid-2">
      <section className="card" aria-labelledby="def-h">
        <h2 id="def-h">Definition</h2>
        <Facts
          items={[
            ['Transport', <span className="mono">{s.transport}</span>],
            s.transport === 'stdio' ? ['Command', <code>{[s.command, ...s.args].join(' ')}</code>] : ['URL', <code>{s.url}</code>],
            ...(s.cwd ? ([['Working directory', <code>{s.cwd}</code>]] as [string, React.ReactNode][]) : []),
            ['Environment', Object.keys(s.env).length ? Object.keys(s.env).join(', ') : '—'],
            ['Headers', Object.keys(s.headers).length ? Object.keys(s.headers).join(', ') : '—'],
            ['Tool prefix', <code>{s.alias ?? s.name}</code>],
            ['Timeout', formatDuration(s.timeout_ms)],
            ['Source', s.source === 'config' ? 'config file (edit the file to change it)' : `added${s.created_by ? ` by ${s.created_by}` : ''} ${formatTime(s.created_at)}`],
            ['Description', s.description ?? '—'],
          ]}
        />
      </section>
      <section className="card" aria-labelledby="state-h">
        <h2 id="state-h">State</h2>
        <Facts
          items={[
            ['State', s.state],
            ['Connected', s.connected ? 'yes' : 'no'],
            ['Process id', s.pid ?? '—'],
            ['Tools / resources / prompts', `${s.tool_count} / ${s.resource_count} / ${s.prompt_count}`],
            ['Disabled tools', s.disabled_tools.length ? s.disabled_tools.join(', ') : 'none'],
            ['Quarantine', s.quarantine ? `by ${s.quarantine.by}, ${formatTime(s.quarantine.at)}: ${s.quarantine.reason}` : s.approved ? `approved by ${s.approved.by}, ${formatTime(s.approved.at)}` : '—'],
          ]}
        />
        {can('write') && <TestConnection name={s.name} />}
      </section>
      <AllowedHosts server={s} />
    </div>
  );
}

function TestConnection({ name }: { name: string }) {
  const test = useMutation({ mutationFn: () => api.post('/api/servers/{name}/test', { path: { name }, body: {} }) });
  return (
    <div className="stack">
      <Button onClick={() => test.mutate()} busy={test.isPending}>
        Test connection
      </Button>
      {test.error && <ErrorNotice error={test.error} />}
      {test.data && (
        <div className={`result ${test.data.status === 'ok' ? 'result-ok' : 'result-bad'}`} role="status">
          {test.data.status === 'ok' ? `Connected in ${formatDuration(test.data.elapsed_ms)}: ${test.data.tools_count} tools` : `Failed after ${formatDuration(test.data.elapsed_ms)}: ${test.data.error ?? 'unknown error'}`}
          {test.data.server_info && <JsonBlock value={test.data.server_info} label="Server info" />}
        </div>
      )}
    </div>
  );
}

function AllowedHosts({ server: s }: { server: Server }) {
  const { can } = useAuth();
  const qc = useQueryClient();
  const toast = useToast();
  const [host, setHost] = useState('');
  const done = () => void qc.invalidateQueries({ queryKey: ['server', s.name] });
  const add = useMutation({ mutationFn: () => api.post('/api/servers/{name}/allowed-hosts', { path: { name: s.name }, body: { host } }), onSuccess: () => (setHost(''), done()) });
  const remove = useMutation({ mutationFn: (h: string) => api.delete('/api/servers/{name}/allowed-hosts', { path: { name: s.name }, query: { host: h } }), onSuccess: done, onError: (e) => toast.fail(e) });
  return (
    <section className="card" aria-labelledby="hosts-h">
      <h2 id="hosts-h">Allowed network hosts</h2>
      <p className="muted small">Hosts this server may reach through the gateway's egress client (hosted tools). Empty: none.</p>
      {s.allowed_hosts.length === 0 ? (
        <p className="muted">No hosts allowed.</p>
      ) : (
        <ul className="chips">
          {s.allowed_hosts.map((h) => (
            <li key={h} className="chip">
              <code>{h}</code>
              {can('write') && (
                <button type="button" className="icon-btn" aria-label={`Remove ${h}`} onClick={() => remove.mutate(h)}>
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {can('write') && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <TextField label="Add host" value={host} onChange={(e) => setHost(e.target.value)} placeholder="api.example.com" required />
          <Button type="submit" busy={add.isPending}>
            Add
          </Button>
        </form>
      )}
      <FormError error={add.error} />
    </section>
  );
}
