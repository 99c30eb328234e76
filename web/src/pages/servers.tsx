import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useAuth } from '../auth';
import { Link, setQueryParam, useLocation } from '../router';
import { Button, HealthBadge, SelectField } from '../ui/controls';
import { Empty, QueryView } from '../ui/states';
import { SuggestedAction, useServerOp } from './server-actions';

const STATES = [
  { value: '', label: 'All' },
  { value: 'enabled', label: 'Enabled' },
  { value: 'disabled', label: 'Disabled' },
  { value: 'quarantined', label: 'Quarantined' },
];

/** All servers with their health, summary and the suggested action. */
export function ServersPage() {
  const { can } = useAuth();
  const { query } = useLocation();
  const adminState = (query.get('state') ?? '') as '' | 'enabled' | 'disabled' | 'quarantined';
  const servers = useQuery({ queryKey: ['servers', adminState], queryFn: () => api.get('/api/servers', { query: { page_size: 200, admin_state: adminState || undefined } }) });
  const ops = useServerOp();

  return (
    <div className="page">
      <div className="page-head">
        <h1>Servers</h1>
        <div className="toolbar">
          <SelectField label="Show" value={adminState} onChange={(e) => setQueryParam('state', e.target.value)} options={STATES} />
          {can('write') && (
            <Link to="/servers/new" className="btn btn-primary">
              Add server
            </Link>
          )}
        </div>
      </div>
      <QueryView query={servers}>
        {(list) =>
          list.items.length === 0 ? (
            <Empty title={adminState ? `No ${adminState} servers` : 'No servers yet'} action={can('write') && !adminState ? <Link to="/servers/new" className="btn btn-primary">Add a server</Link> : undefined}>
              Servers are MCP servers the gateway connects to: local programs (stdio) or remote URLs (Streamable HTTP, SSE).
            </Empty>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="sr-only">Servers</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Health</th>
                    <th scope="col" className="hide-narrow">
                      Transport
                    </th>
                    <th scope="col" className="num">
                      Tools
                    </th>
                    <th scope="col" className="hide-narrow">
                      Summary
                    </th>
                    <th scope="col">Action</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((s) => (
                    <tr key={s.name}>
                      <td>
                        <Link to={`/servers/${encodeURIComponent(s.name)}`} className="strong">
                          {s.name}
                        </Link>
                        {s.source === 'config' && (
                          <span className="muted small" title="Defined in the config file">
                            {' '}
                            · config
                          </span>
                        )}
                      </td>
                      <td>
                        <HealthBadge level={s.health.level} adminState={s.health.admin_state} />
                      </td>
                      <td className="hide-narrow mono small">{s.transport}</td>
                      <td className="num">{s.tool_count}</td>
                      <td className="hide-narrow muted">{s.problem ?? s.health.summary}</td>
                      <td className="actions">
                        <SuggestedAction server={s} ops={ops} />
                        {can('write') && s.health.admin_state !== 'quarantined' && (
                          <Button variant="ghost" busy={ops.pending?.name === s.name} onClick={() => void ops.perform(s.name, s.enabled ? 'disable' : 'enable')} aria-label={`${s.enabled ? 'Disable' : 'Enable'} ${s.name}`}>
                            {s.enabled ? 'Disable' : 'Enable'}
                          </Button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
    </div>
  );
}
