import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { TrustDiff, TrustPin } from '../api/types';
import { useAuth } from '../auth';
import { Link, setQueryParam, useLocation } from '../router';
import { Badge, Button, JsonBlock, SelectField, type Tone } from '../ui/controls';
import { formatTime } from '../ui/format';
import { Drawer } from '../ui/overlay';
import { Empty, ErrorNotice, QueryView } from '../ui/states';
import { useToast } from '../ui/toast';

/**
 * Trust review: upstream tools and prompts are pinned to the definition an admin approved. New and
 * changed ones wait here, hidden from clients, with what changed and what the description scanner
 * found; approve the current definition or block it. Per server: every pin and the auto-approval switch.
 */

type Kind = 'tool' | 'prompt';
interface Target {
  server: string;
  kind: Kind;
  name: string;
}

export const STATE_TONE: Record<TrustPin['state'], Tone> = { approved: 'ok', pending: 'info', changed: 'warn', quarantined: 'warn', blocked: 'bad' };
const SEVERITY_TONE: Record<string, Tone> = { high: 'bad', medium: 'warn', low: 'neutral' };

function useTrustAction() {
  const qc = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: ({ server, kind, name, op }: Target & { op: 'approve' | 'block' }) => api.post(`/api/servers/{name}/${kind}s/{item}/${op}` as '/api/servers/{name}/tools/{item}/approve', { path: { name: server, item: name } }),
    onSuccess: (pin) => {
      toast.ok(`${pin.server}/${pin.name}: ${pin.state}`);
      void qc.invalidateQueries({ queryKey: ['trust'] });
      void qc.invalidateQueries({ queryKey: ['server', pin.server] });
      void qc.invalidateQueries({ queryKey: ['dashboard'] });
    },
    onError: (e) => toast.fail(e),
  });
}

export function TrustPage() {
  const [reviewing, setReviewing] = useState<Target | undefined>();
  return (
    <div className="page">
      <h1>Trust review</h1>
      <p className="muted">
        Clients only see upstream tools and prompts whose definition an admin approved. A new tool, or a changed description or schema (a common way to smuggle instructions to a model), waits here until approved. Blocked ones stay hidden and refused.
      </p>
      <PendingQueue onReview={setReviewing} />
      <ServerPins onReview={setReviewing} />
      <Findings />
      <Drawer open={reviewing !== undefined} title={reviewing ? `Review ${reviewing.server}/${reviewing.name}` : 'Review'} onClose={() => setReviewing(undefined)}>
        {reviewing && <DiffPanel key={`${reviewing.server}/${reviewing.kind}/${reviewing.name}`} target={reviewing} onDecided={() => setReviewing(undefined)} />}
      </Drawer>
    </div>
  );
}

function Decide({ target, what }: { target: Target; what: string }) {
  const { can } = useAuth();
  const act = useTrustAction();
  if (!can('admin')) return null;
  const busy = act.isPending && act.variables?.name === target.name && act.variables.server === target.server;
  return (
    <>
      <Button variant="primary" busy={busy && act.variables?.op === 'approve'} onClick={() => act.mutate({ ...target, op: 'approve' })} aria-label={`Approve ${what}`}>
        Approve
      </Button>
      <Button variant="danger" busy={busy && act.variables?.op === 'block'} onClick={() => act.mutate({ ...target, op: 'block' })} aria-label={`Block ${what}`}>
        Block
      </Button>
    </>
  );
}

function PendingQueue({ onReview }: { onReview: (t: Target) => void }) {
  const pending = useQuery({ queryKey: ['trust', 'pending'], queryFn: () => api.get('/api/trust/pending') });
  return (
    <section className="card" aria-labelledby="trust-pending">
      <h2 id="trust-pending">Waiting for a decision</h2>
      <QueryView query={pending}>
        {(p) =>
          p.items.length === 0 ? (
            <Empty title="Nothing waiting">When an approved server adds a tool or changes one's definition, it waits here before clients see it.</Empty>
          ) : (
            <ul className="approval-list" aria-label="Waiting for a decision">
              {p.items.map((t) => {
                const what = `${t.server}/${t.name}`;
                return (
                  <li key={`${t.server}/${t.kind}/${t.name}`} className="approval">
                    <div className="grow">
                      <span className="mono strong">{what}</span> <Badge tone={STATE_TONE[t.state]}>{t.state}</Badge> {t.kind === 'prompt' && <Badge>prompt</Badge>} {!t.present && <Badge>gone upstream</Badge>}
                      {t.findings.length > 0 && <FindingLines findings={t.findings} />}
                      <p className="muted small">since {formatTime(t.updated_at)}</p>
                    </div>
                    <div className="toolbar">
                      <Button onClick={() => onReview(t)} aria-label={`Review ${what}`}>
                        Review changes
                      </Button>
                      <Decide target={t} what={what} />
                    </div>
                  </li>
                );
              })}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}

function FindingLines({ findings }: { findings: TrustPin['findings'] }) {
  return (
    <>
      {findings.map((f) => (
        <p key={`${f.rule}${f.field}`} className="small">
          <Badge tone={SEVERITY_TONE[f.severity]}>{f.severity}</Badge> {f.rule} in <code>{f.field}</code>: <span className="muted">{f.evidence}</span>
        </p>
      ))}
    </>
  );
}

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v, null, 2));

/** What changed since approval, field by field, with both definitions in full. */
function DiffPanel({ target, onDecided }: { target: Target; onDecided: () => void }) {
  const diff = useQuery({
    queryKey: ['trust', 'diff', target.server, target.kind, target.name],
    queryFn: () => api.get(`/api/servers/{name}/${target.kind}s/{item}/diff` as '/api/servers/{name}/tools/{item}/diff', { path: { name: target.server, item: target.name } }),
  });
  return <QueryView query={diff}>{(d) => <DiffView diff={d} onDecided={onDecided} />}</QueryView>;
}

function DiffView({ diff: d, onDecided }: { diff: TrustDiff; onDecided: () => void }) {
  const { can } = useAuth();
  const act = useTrustAction();
  const what = `${d.server}/${d.name}`;
  return (
    <div className="stack">
      <p>
        <Badge tone={STATE_TONE[d.state]}>{d.state}</Badge> {d.kind} <span className="mono">{what}</span>
        {d.decided_by && <span className="muted small"> · last decided by {d.decided_by}</span>}
      </p>
      {d.approved === null ? (
        <p className="notice">Never approved: this is the whole definition the server offers.</p>
      ) : d.changes.length === 0 ? (
        <p className="muted">No differences from the approved definition.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Changes since approval">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Change</th>
                <th scope="col">Approved</th>
                <th scope="col">Now</th>
              </tr>
            </thead>
            <tbody>
              {d.changes.map((c) => (
                <tr key={c.path}>
                  <td className="mono small">{c.path}</td>
                  <td>
                    <Badge tone={c.change === 'removed' ? 'bad' : c.change === 'added' ? 'info' : 'warn'}>{c.change}</Badge>
                  </td>
                  <td className="small">
                    <pre className="cell-pre diff-del">{show(c.before)}</pre>
                  </td>
                  <td className="small">
                    <pre className="cell-pre diff-add">{show(c.after)}</pre>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {d.findings.length > 0 && (
        <section aria-label="Scanner findings">
          <h3 className="small">Scanner findings</h3>
          <FindingLines findings={d.findings} />
        </section>
      )}
      <details>
        <summary>Current definition</summary>
        <JsonBlock value={d.current} label="Current definition" />
      </details>
      {d.approved && (
        <details>
          <summary>Approved definition</summary>
          <JsonBlock value={d.approved} label="Approved definition" />
        </details>
      )}
      {can('admin') && (
        <div className="toolbar">
          <Button variant="primary" busy={act.isPending && act.variables?.op === 'approve'} onClick={() => act.mutate({ server: d.server, kind: d.kind, name: d.name, op: 'approve' }, { onSuccess: onDecided })}>
            Approve this definition
          </Button>
          <Button variant="danger" busy={act.isPending && act.variables?.op === 'block'} onClick={() => act.mutate({ server: d.server, kind: d.kind, name: d.name, op: 'block' }, { onSuccess: onDecided })}>
            Block
          </Button>
        </div>
      )}
    </div>
  );
}

const AUTO_OPTIONS = [
  { value: 'inherit', label: 'Follow the global setting' },
  { value: 'on', label: 'Approve changes automatically' },
  { value: 'off', label: 'Hold changes for review' },
];

/** Every pin of one server, and its auto-approval switch. */
function ServerPins({ onReview }: { onReview: (t: Target) => void }) {
  const { can } = useAuth();
  const qc = useQueryClient();
  const toast = useToast();
  const { query } = useLocation();
  const servers = useQuery({ queryKey: ['servers', 'all'], queryFn: () => api.get('/api/servers', { query: { page_size: 200 } }) });
  const names = (servers.data?.items ?? []).map((s) => s.name);
  const chosen = query.get('server') && names.includes(query.get('server')!) ? query.get('server')! : (names[0] ?? '');
  const trust = useQuery({ queryKey: ['trust', 'server', chosen], queryFn: () => api.get('/api/servers/{name}/trust', { path: { name: chosen } }), enabled: chosen !== '' });
  const setAuto = useMutation({
    mutationFn: (v: boolean | null) => api.patch('/api/servers/{name}/trust', { path: { name: chosen }, body: { auto_approve_tool_changes: v } }),
    onSuccess: (t) => {
      qc.setQueryData(['trust', 'server', chosen], t);
      toast.ok(`${chosen}: changes ${t.auto_approve_tool_changes ? 'approved automatically' : 'held for review'}`);
    },
    onError: (e) => toast.fail(e),
  });
  return (
    <section className="card stack" aria-labelledby="trust-servers">
      <h2 id="trust-servers">By server</h2>
      <QueryView query={servers}>
        {() =>
          names.length === 0 ? (
            <Empty title="No servers">Pins appear once a server has been connected.</Empty>
          ) : (
            <>
              <SelectField label="Server" value={chosen} onChange={(e) => setQueryParam('server', e.target.value)} options={names} />
              {trust.isPending ? null : trust.error ? (
                <ErrorNotice error={trust.error} onRetry={() => void trust.refetch()} />
              ) : (
                trust.data && (
                  <>
                    <p className="small">
                      {Object.entries(trust.data.counts)
                        .filter(([, n]) => n > 0)
                        .map(([state, n]) => (
                          <span key={state}>
                            <Badge tone={STATE_TONE[state as TrustPin['state']] ?? 'neutral'}>
                              {n} {state}
                            </Badge>{' '}
                          </span>
                        ))}
                      {Object.values(trust.data.counts).every((n) => n === 0) && <span className="muted">No tools or prompts pinned yet.</span>}
                    </p>
                    <SelectField
                      label="Tool and prompt changes"
                      value={trust.data.auto_approve_override === null ? 'inherit' : trust.data.auto_approve_override ? 'on' : 'off'}
                      options={AUTO_OPTIONS}
                      disabled={!can('admin') || setAuto.isPending}
                      hint={`Now: ${trust.data.auto_approve_tool_changes ? 'approved automatically' : 'held for review'}`}
                      onChange={(e) => setAuto.mutate(e.target.value === 'inherit' ? null : e.target.value === 'on')}
                    />
                    <PinTable pins={[...trust.data.tools, ...trust.data.prompts]} onReview={onReview} />
                  </>
                )
              )}
            </>
          )
        }
      </QueryView>
      {chosen && (
        <p className="small">
          <Link to={`/servers/${encodeURIComponent(chosen)}`}>Open {chosen}</Link>
        </p>
      )}
    </section>
  );
}

function PinTable({ pins, onReview }: { pins: TrustPin[]; onReview: (t: Target) => void }) {
  if (pins.length === 0) return <Empty title="Nothing pinned">The server has not listed tools or prompts yet (or is not approved).</Empty>;
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="sr-only">Pinned tools and prompts</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">State</th>
            <th scope="col" className="hide-narrow">
              Decided
            </th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {pins.map((p) => {
            const what = `${p.server}/${p.name}`;
            return (
              <tr key={`${p.kind}/${p.name}`}>
                <td>
                  <span className="mono">{p.name}</span> {p.kind === 'prompt' && <Badge>prompt</Badge>} {p.findings.length > 0 && <Badge tone="warn">{p.findings.length} finding{p.findings.length === 1 ? '' : 's'}</Badge>}
                </td>
                <td>
                  <Badge tone={STATE_TONE[p.state]}>{p.state}</Badge>
                </td>
                <td className="hide-narrow small muted">
                  {p.decided_by ?? '—'} · {formatTime(p.updated_at)}
                </td>
                <td className="right">
                  <div className="toolbar">
                    <Button variant="ghost" onClick={() => onReview(p)} aria-label={`Details of ${what}`}>
                      Details
                    </Button>
                    {p.state !== 'approved' && <Decide target={p} what={what} />}
                    {p.state === 'approved' && <BlockOnly target={p} what={what} />}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function BlockOnly({ target, what }: { target: Target; what: string }) {
  const { can } = useAuth();
  const act = useTrustAction();
  if (!can('admin')) return null;
  return (
    <Button variant="ghost" busy={act.isPending} onClick={() => act.mutate({ ...target, op: 'block' })} aria-label={`Block ${what}`}>
      Block
    </Button>
  );
}

function Findings() {
  const [severity, setSeverity] = useState<'' | 'low' | 'medium' | 'high'>('');
  const findings = useQuery({ queryKey: ['trust', 'findings', severity], queryFn: () => api.get('/api/trust/findings', { query: severity ? { severity } : {} }) });
  return (
    <section className="card stack" aria-labelledby="trust-findings">
      <h2 id="trust-findings">Scanner findings</h2>
      <p className="muted small">The description scanner looks for hidden instructions, invisible characters and similar tricks in current tool and prompt definitions.</p>
      <SelectField
        label="Severity"
        value={severity}
        onChange={(e) => setSeverity(e.target.value as typeof severity)}
        options={[
          { value: '', label: 'any' },
          { value: 'high', label: 'high' },
          { value: 'medium', label: 'medium' },
          { value: 'low', label: 'low' },
        ]}
      />
      <QueryView query={findings}>
        {(f) =>
          f.items.length === 0 ? (
            <Empty title="No findings">Nothing suspicious in the current definitions{severity ? ` at ${severity} severity` : ''}.</Empty>
          ) : (
            <ul className="approval-list" aria-label="Findings">
              {f.items.map((x) => (
                <li key={`${x.server}/${x.kind}/${x.name}/${x.rule}/${x.field}`} className="approval">
                  <div className="grow">
                    <Badge tone={SEVERITY_TONE[x.severity]}>{x.severity}</Badge> <span className="mono strong">{`${x.server}/${x.name}`}</span> <Badge tone={STATE_TONE[x.state]}>{x.state}</Badge>
                    <p className="small">
                      {x.rule} in <code>{x.field}</code>: <span className="muted">{x.evidence}</span>
                    </p>
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}
