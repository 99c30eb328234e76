import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useAuth } from '../auth';
import { Link } from '../router';
import { Button } from '../ui/controls';
import { formatTime } from '../ui/format';
import { Empty, QueryView } from '../ui/states';
import { useServerOp } from './server-actions';

/**
 * Hosted (Python) tools. The gateway does not offer the hosted-tools API yet; this page says so
 * rather than pretending, and is where the editor, versions and publish requests will live.
 */
export function HostedPage() {
  return (
    <div className="page">
      <h1>Hosted tools</h1>
      <div className="card">
        <Empty title="Hosted tools are not available on this gateway yet">
          Hosted tools are Python tools written and run inside Switchboard's sandbox: edit, validate, test-run, keep versions and request publication. This gateway's API does not offer them yet; once it does, they are managed here.
        </Empty>
      </div>
    </div>
  );
}

/** What waits for an admin's decision: quarantined servers today; hosted tools, modules and hosts later. */
export function ApprovalsPage() {
  const { can } = useAuth();
  const ops = useServerOp();
  const pending = useQuery({ queryKey: ['servers', 'quarantined'], queryFn: () => api.get('/api/servers', { query: { admin_state: 'quarantined', page_size: 200 } }) });
  return (
    <div className="page">
      <h1>Approvals</h1>
      <section className="card" aria-labelledby="q-h">
        <h2 id="q-h">Servers waiting for approval</h2>
        <p className="muted small">Servers added by non-admins, imported, or quarantined by an admin. Their tools stay hidden until approved.</p>
        <QueryView query={pending}>
          {(list) =>
            list.items.length === 0 ? (
              <Empty title="Nothing to approve">New servers that need an admin's approval appear here.</Empty>
            ) : (
              <ul className="approval-list">
                {list.items.map((s) => (
                  <li key={s.name} className="approval">
                    <div className="grow">
                      <Link to={`/servers/${encodeURIComponent(s.name)}`} className="strong">
                        {s.name}
                      </Link>{' '}
                      <span className="mono small muted">{s.transport === 'stdio' ? [s.command, ...s.args].join(' ') : s.url}</span>
                      <p className="muted small">{s.quarantine ? `Quarantined by ${s.quarantine.by} on ${formatTime(s.quarantine.at)}: ${s.quarantine.reason}` : 'Quarantined'}</p>
                    </div>
                    {can('admin') && (
                      <div className="toolbar">
                        <Button variant="primary" busy={ops.pending?.name === s.name} onClick={() => void ops.perform(s.name, 'approve')} aria-label={`Approve ${s.name}`}>
                          Approve
                        </Button>
                        {s.source === 'api' && (
                          <Button variant="danger" onClick={() => void ops.perform(s.name, 'delete')} aria-label={`Reject and delete ${s.name}`}>
                            Reject
                          </Button>
                        )}
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            )
          }
        </QueryView>
      </section>
      <section className="card" aria-labelledby="h-h">
        <h2 id="h-h">Hosted tools, modules and network hosts</h2>
        <Empty title="Not available yet">Publish requests for hosted tools, Python modules and network hosts will be queued here once the gateway offers hosted tools.</Empty>
      </section>
    </div>
  );
}
