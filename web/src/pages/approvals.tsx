import { useState, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { AccessRequest } from '../api/types';
import { useAuth } from '../auth';
import { Link } from '../router';
import { Badge, Button, TextField } from '../ui/controls';
import { formatTime } from '../ui/format';
import { Dialog } from '../ui/overlay';
import { Empty, FormError, QueryView } from '../ui/states';
import { useToast } from '../ui/toast';
import { useServerOp } from './server-actions';

/**
 * Everything that waits for an admin: hosted tools in review, module and network requests, new or
 * changed upstream tools, and quarantined servers. Rejections carry a reason the requester sees.
 */
export function ApprovalsPage() {
  const qc = useQueryClient();
  const toast = useToast();
  const { can } = useAuth();
  const [rejecting, setRejecting] = useState<{ what: string; decide: (reason: string) => Promise<unknown> } | undefined>();
  const tools = useQuery({ queryKey: ['approvals', 'tools'], queryFn: () => api.get('/api/approvals/tools') });
  const modules = useQuery({ queryKey: ['approvals', 'modules'], queryFn: () => api.get('/api/approvals/modules', { query: { status: 'pending' } }) });
  const network = useQuery({ queryKey: ['approvals', 'network'], queryFn: () => api.get('/api/approvals/network', { query: { status: 'pending' } }) });
  const done = (text: string) => {
    toast.ok(text);
    for (const k of ['approvals', 'hosted', 'hosted-tool', 'dashboard', 'trust']) void qc.invalidateQueries({ queryKey: [k] });
  };
  const decide = useMutation({
    mutationFn: (d: { kind: 'tools' | 'modules' | 'network'; id: string; action: 'approve' | 'reject'; reason?: string }): Promise<unknown> => {
      const body = { action: d.action, ...(d.reason ? { reason: d.reason } : {}) };
      if (d.kind === 'tools') return api.post('/api/approvals/tools/{id}/action', { path: { id: d.id }, body });
      if (d.kind === 'modules') return api.post('/api/approvals/modules/{id}/action', { path: { id: d.id }, body });
      return api.post('/api/approvals/network/{id}/action', { path: { id: d.id }, body });
    },
    onSuccess: (_r, d) => done(d.action === 'approve' ? 'Approved' : 'Rejected'),
    onError: (e) => toast.fail(e),
  });
  const decideButtons = (kind: 'tools' | 'modules' | 'network', id: string, what: string) =>
    can('admin') && (
      <div className="toolbar">
        <Button variant="primary" busy={decide.isPending && decide.variables?.id === id} onClick={() => decide.mutate({ kind, id, action: 'approve' })} aria-label={`Approve ${what}`}>
          Approve
        </Button>
        <Button variant="danger" onClick={() => setRejecting({ what, decide: (reason) => decide.mutateAsync({ kind, id, action: 'reject', reason }) })} aria-label={`Reject ${what}`}>
          Reject
        </Button>
      </div>
    );

  return (
    <div className="page">
      <h1>Approvals</h1>
      <Queue title="Hosted tools waiting for review" id="ap-tools">
        <QueryView query={tools}>
          {(t) => {
            const pending = t.items.filter((x) => x.status === 'pending_review');
            return pending.length === 0 ? (
              <Empty title="No tools in review">Tools whose authors requested publication appear here.</Empty>
            ) : (
              <ul className="approval-list">
                {pending.map((x) => (
                  <li key={x.id} className="approval">
                    <div className="grow">
                      <Link to={`/hosted/${encodeURIComponent(x.server)}/tools/${encodeURIComponent(x.id)}`} className="mono strong">
                        {x.server}/{x.name}
                      </Link>{' '}
                      <span className="muted small">
                        v{x.version} · by {x.submitted_by} via {x.submitted_via} · {formatTime(x.publish_requested_at)}
                      </span>
                      <p className="muted small">{x.publish_note ? `“${x.publish_note}”` : (x.description ?? '')}</p>
                    </div>
                    {decideButtons('tools', x.id, `${x.server}/${x.name}`)}
                  </li>
                ))}
              </ul>
            );
          }}
        </QueryView>
      </Queue>
      <Queue title="Python modules" id="ap-modules">
        <QueryView query={modules}>{(m) => <Requests items={m.items} empty="No module requests" render={(r) => decideButtons('modules', r.id, r.target)} />}</QueryView>
      </Queue>
      <Queue title="Network hosts" id="ap-network">
        <QueryView query={network}>{(n) => <Requests items={n.items} empty="No network requests" render={(r) => decideButtons('network', r.id, r.target)} />}</QueryView>
      </Queue>
      <UpstreamTools />
      <QuarantinedServers />
      <Dialog open={rejecting !== undefined} title={`Reject ${rejecting?.what ?? ''}`} onClose={() => setRejecting(undefined)}>
        {rejecting && <RejectForm onReject={(reason) => rejecting.decide(reason).then(() => setRejecting(undefined))} />}
      </Dialog>
    </div>
  );
}

function Queue({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Requests({ items, empty, render }: { items: AccessRequest[]; empty: string; render: (r: AccessRequest) => ReactNode }) {
  if (items.length === 0) return <Empty title={empty} />;
  return (
    <ul className="approval-list">
      {items.map((r) => (
        <li key={r.id} className="approval">
          <div className="grow">
            <code className="strong">{r.target}</code> <span className="muted small">for {r.server} · by {r.requested_by} · {formatTime(r.created_at)}</span>
            <p className="small">{r.justification}</p>
          </div>
          {render(r)}
        </li>
      ))}
    </ul>
  );
}

function RejectForm({ onReject }: { onReject: (reason: string) => Promise<unknown> }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        onReject(reason).catch(setError).finally(() => setBusy(false));
      }}
    >
      <TextField label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} required hint="The requester sees it" autoFocus />
      <FormError error={error} />
      <Button type="submit" variant="danger" busy={busy}>
        Reject
      </Button>
    </form>
  );
}

/** Upstream tools that are new or changed since approval (tool pinning), with the scanner's findings. */
function UpstreamTools() {
  const { can } = useAuth();
  const qc = useQueryClient();
  const toast = useToast();
  const pending = useQuery({ queryKey: ['trust', 'pending'], queryFn: () => api.get('/api/trust/pending') });
  const act = useMutation({
    mutationFn: ({ server, item, op }: { server: string; item: string; op: 'approve' | 'block' }) => api.post(`/api/servers/{name}/tools/{item}/${op}` as '/api/servers/{name}/tools/{item}/approve', { path: { name: server, item } }),
    onSuccess: (_r, v) => {
      toast.ok(`${v.server}/${v.item}: ${v.op === 'approve' ? 'approved' : 'blocked'}`);
      void qc.invalidateQueries({ queryKey: ['trust'] });
      void qc.invalidateQueries({ queryKey: ['server', v.server] });
    },
    onError: (e) => toast.fail(e),
  });
  return (
    <Queue title="New or changed upstream tools" id="ap-trust">
      <p className="small">
        <Link to="/trust">Trust review</Link> shows what changed in each one, prompts too, and every server's pins.
      </p>
      <QueryView query={pending}>
        {(p) =>
          p.items.length === 0 ? (
            <Empty title="Nothing waiting">When an approved server adds a tool or changes one's description or schema, it waits here before clients see it.</Empty>
          ) : (
            <ul className="approval-list">
              {p.items.map((t) => (
                <li key={`${t.server}/${t.kind}/${t.name}`} className="approval">
                  <div className="grow">
                    <span className="mono strong">
                      {t.server}/{t.name}
                    </span>{' '}
                    <Badge tone={t.state === 'changed' ? 'warn' : 'info'}>{t.state}</Badge> {t.kind === 'prompt' && <Badge>prompt</Badge>}
                    {t.findings.map((f) => (
                      <p key={`${f.rule}${f.field}`} className="small">
                        <Badge tone={f.severity === 'high' ? 'bad' : 'warn'}>{f.severity}</Badge> {f.rule} in <code>{f.field}</code>: <span className="muted">{f.evidence}</span>
                      </p>
                    ))}
                  </div>
                  {can('admin') && t.kind === 'tool' && (
                    <div className="toolbar">
                      <Button variant="primary" onClick={() => act.mutate({ server: t.server, item: t.name, op: 'approve' })} aria-label={`Approve ${t.server}/${t.name}`}>
                        Approve
                      </Button>
                      <Button variant="danger" onClick={() => act.mutate({ server: t.server, item: t.name, op: 'block' })} aria-label={`Block ${t.server}/${t.name}`}>
                        Block
                      </Button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </Queue>
  );
}

function QuarantinedServers() {
  const { can } = useAuth();
  const ops = useServerOp();
  const pending = useQuery({ queryKey: ['servers', 'quarantined'], queryFn: () => api.get('/api/servers', { query: { admin_state: 'quarantined', page_size: 200 } }) });
  return (
    <Queue title="Servers waiting for approval" id="ap-servers">
      <QueryView query={pending}>
        {(list) =>
          list.items.length === 0 ? (
            <Empty title="No quarantined servers">Servers added by non-admins or imported start quarantined; their tools stay hidden until approved.</Empty>
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
    </Queue>
  );
}
