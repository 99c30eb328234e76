import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Body } from '../api/client';
import type { HostedServer } from '../api/types';
import { useAuth } from '../auth';
import { Badge, Button, Facts, TextArea, TextField } from '../ui/controls';
import { formatTime } from '../ui/format';
import { Empty, FormError, QueryView } from '../ui/states';
import { useToast } from '../ui/toast';

/** A hosted server's network access (allowed hosts, network requests) and its settings. */

function usePatch(server: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Body<'/api/hosted-servers/{name}', 'patch'>) => api.patch('/api/hosted-servers/{name}', { path: { name: server }, body }),
    onSuccess: (s) => {
      qc.setQueryData(['hosted', s.name], s);
      void qc.invalidateQueries({ queryKey: ['hosted'] });
      void qc.invalidateQueries({ queryKey: ['server', s.name] });
    },
  });
}

export function HostedNetwork({ server: s, onAsk }: { server: HostedServer; onAsk: () => void }) {
  const { can } = useAuth();
  const toast = useToast();
  const [host, setHost] = useState('');
  const patch = usePatch(s.name);
  const requests = useQuery({ queryKey: ['approvals', 'network', s.name], queryFn: () => api.get('/api/approvals/network', { query: { server: s.name } }) });
  const add = (e: FormEvent) => {
    e.preventDefault();
    const h = host.trim();
    if (!h) return;
    patch.mutate({ allowed_hosts: [...s.allowed_hosts.filter((x) => x !== h), h] }, { onSuccess: () => (setHost(''), toast.ok(`${h} allowed`)) });
  };
  return (
    <div className="grid-2">
      <section className="card stack" aria-labelledby="hnet-h">
        <h2 id="hnet-h">Allowed hosts</h2>
        <p className="muted small">
          The tools' <code>http</code> client reaches these hosts (<code>host</code>, <code>*.domain</code>, either with <code>:port</code>) and those of approved network requests. Private and loopback addresses never.
        </p>
        {s.allowed_hosts.length === 0 ? (
          <p className="muted">No hosts allowed.</p>
        ) : (
          <ul className="chips" aria-label="Allowed hosts">
            {s.allowed_hosts.map((h) => (
              <li key={h} className="chip">
                <code>{h}</code>
                {can('write') && (
                  <button type="button" className="icon-btn" aria-label={`Remove ${h}`} disabled={patch.isPending} onClick={() => patch.mutate({ allowed_hosts: s.allowed_hosts.filter((x) => x !== h) }, { onSuccess: () => toast.ok(`${h} removed`), onError: (e) => toast.fail(e) })}>
                    ×
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {can('write') && (
          <form className="inline-form" onSubmit={add} aria-label="Add an allowed host">
            <TextField label="Host to allow" value={host} onChange={(e) => setHost(e.target.value)} placeholder="api.example.com" className="mono" required />
            <Button type="submit" busy={patch.isPending}>
              Allow
            </Button>
          </form>
        )}
        <FormError error={patch.error} />
      </section>
      <section className="card stack" aria-labelledby="hreq-h">
        <h2 id="hreq-h">Network requests</h2>
        <QueryView query={requests}>
          {(r) =>
            r.items.length === 0 ? (
              <Empty title="No network requests" action={can('write') ? <Button onClick={onAsk}>Request a host</Button> : undefined}>
                Ask the admins for a host the tools need; approved hosts work without being listed here.
              </Empty>
            ) : (
              <ul className="approval-list" aria-label="Network requests">
                {r.items.map((x) => (
                  <li key={x.id} className="approval">
                    <div className="grow">
                      <code className="strong">{x.target}</code> <Badge tone={x.status === 'approved' ? 'ok' : x.status === 'pending' ? 'info' : 'neutral'}>{x.status}</Badge>
                      <p className="small muted">
                        by {x.requested_by} · {formatTime(x.created_at)}
                        {x.reason ? ` · “${x.reason}”` : ''}
                      </p>
                    </div>
                  </li>
                ))}
              </ul>
            )
          }
        </QueryView>
      </section>
    </div>
  );
}

export function HostedSettings({ server: s }: { server: HostedServer }) {
  const { can } = useAuth();
  const toast = useToast();
  const patch = usePatch(s.name);
  const [description, setDescription] = useState(s.description ?? '');
  const [timeout, setTimeoutText] = useState(s.timeout_ms === null ? '' : String(s.timeout_ms / 1000));
  const [error, setError] = useState<string | undefined>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = timeout.trim();
    const seconds = Number(t);
    if (t !== '' && (!Number.isFinite(seconds) || seconds <= 0)) {
      setError('A number of seconds, e.g. 30 or 2.5');
      return;
    }
    setError(undefined);
    patch.mutate({ description: description.trim() || null, timeout_ms: t === '' ? null : Math.round(seconds * 1000) }, { onSuccess: () => toast.ok('Settings saved') });
  };
  return (
    <div className="grid-2">
      <section className="card stack" aria-labelledby="hs-h">
        <h2 id="hs-h">Settings</h2>
        {can('write') ? (
          <form className="stack" onSubmit={submit} aria-label="Hosted server settings" noValidate>
            <TextArea label="Description" value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
            <TextField label="Time limit per call (seconds)" value={timeout} onChange={(e) => setTimeoutText(e.target.value)} inputMode="decimal" placeholder="30" error={error} hint="Empty: the default (30 s). Between 0.1 and 300." />
            <FormError error={patch.error} />
            <div className="toolbar">
              <Button type="submit" variant="primary" busy={patch.isPending}>
                Save settings
              </Button>
            </div>
          </form>
        ) : (
          <Facts
            items={[
              ['Description', s.description ?? '—'],
              ['Time limit per call', s.timeout_ms ? `${s.timeout_ms / 1000} s` : 'default (30 s)'],
            ]}
          />
        )}
      </section>
      <section className="card" aria-labelledby="hs-about">
        <h2 id="hs-about">About</h2>
        <Facts
          items={[
            ['Tools', `${s.tools.total} (${s.tools.approved} approved, ${s.tools.listed} listed)`],
            ['Created', `${formatTime(s.created_at)} by ${s.created_by}`],
            ['Tool names on /mcp', <code>{`${s.name}__<tool>`}</code>],
          ]}
        />
      </section>
    </div>
  );
}
