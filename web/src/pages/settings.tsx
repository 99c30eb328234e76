import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { sessionFromTokens, setSession } from '../api/session';
import type { Settings } from '../api/types';
import { useAuth } from '../auth';
import { Badge, Button, Checkbox, Facts, Field, TextArea, TextField } from '../ui/controls';
import { formatTime } from '../ui/format';
import { Dialog, useConfirm } from '../ui/overlay';
import { FormError, QueryView } from '../ui/states';
import { useToast } from '../ui/toast';

/** Settings and security policy, the admin token, the signed-in user's password, and the gateway's self-checks. */
export function SettingsPage() {
  const { me, can } = useAuth();
  return (
    <div className="page">
      <h1>Settings</h1>
      <SettingsForm editable={can('admin')} />
      {can('admin') && <AdminToken />}
      {me.kind === 'user' && <ChangePassword />}
      <About />
    </div>
  );
}

type NumberKey = 'login_max_attempts' | 'login_window_minutes' | 'login_lockout_minutes' | 'api_key_rate_limit_per_minute' | 'activity_retention_days';
const NUMBERS: { key: NumberKey; label: string; hint: string }[] = [
  { key: 'login_max_attempts', label: 'Failed logins before lockout', hint: 'Per account and address, within the window' },
  { key: 'login_window_minutes', label: 'Failed-login window (minutes)', hint: '' },
  { key: 'login_lockout_minutes', label: 'Lockout (minutes)', hint: '' },
  { key: 'api_key_rate_limit_per_minute', label: 'Requests per minute per key', hint: 'REST API and JSON layer; 0 = no limit' },
  { key: 'activity_retention_days', label: 'Keep activity (days)', hint: '0 keeps everything' },
];

function SettingsForm({ editable }: { editable: boolean }) {
  const qc = useQueryClient();
  const toast = useToast();
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => api.get('/api/settings') });
  const [draft, setDraft] = useState<Settings | undefined>();
  const [origins, setOrigins] = useState('');
  useEffect(() => {
    if (settings.data) {
      setDraft(settings.data.settings);
      setOrigins(settings.data.settings.cors_allowed_origins.join('\n'));
    }
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (changes: Partial<Settings>) => api.patch('/api/settings', { body: changes }),
    onSuccess: (r) => {
      qc.setQueryData(['settings'], r);
      toast.ok('Settings saved');
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!draft || !settings.data) return;
    const next: Settings = { ...draft, cors_allowed_origins: origins.split('\n').map((s) => s.trim()).filter(Boolean) };
    const before = settings.data.settings;
    const changes = Object.fromEntries(Object.entries(next).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k as keyof Settings])));
    if (Object.keys(changes).length === 0) return toast.ok('Nothing changed');
    save.mutate(changes);
  };
  return (
    <section className="card" aria-labelledby="policy-h">
      <h2 id="policy-h">Security policy and settings</h2>
      <QueryView query={settings}>
        {(s) =>
          !draft ? null : (
            <form className="stack" onSubmit={submit} aria-label="Settings">
              <fieldset disabled={!editable}>
                <Checkbox label="Quarantine servers from the config file until approved" checked={draft.quarantine_config_servers} onChange={(e) => setDraft({ ...draft, quarantine_config_servers: e.target.checked })} />
                <Checkbox label="Accept tool changes of approved servers without an admin" checked={draft.auto_approve_tool_changes} onChange={(e) => setDraft({ ...draft, auto_approve_tool_changes: e.target.checked })} />
                <div className="grid-3">
                  {NUMBERS.map((n) => (
                    <TextField key={n.key} label={n.label} hint={n.hint || undefined} type="number" min={0} value={String(draft[n.key])} onChange={(e) => setDraft({ ...draft, [n.key]: Number(e.target.value) })} />
                  ))}
                </div>
                <TextArea label="Browser origins allowed to call the API (CORS)" value={origins} onChange={(e) => setOrigins(e.target.value)} rows={3} className="mono" hint='One per line, e.g. https://app.example.com; "*" allows any origin without credentials. The console itself needs no entry.' />
              </fieldset>
              <FormError error={save.error} />
              {editable ? (
                <div className="toolbar">
                  <Button type="submit" variant="primary" busy={save.isPending}>
                    Save settings
                  </Button>
                  <span className="muted small">Last changed {formatTime(s.updated_at)}</span>
                </div>
              ) : (
                <p className="muted">Only admins can change settings.</p>
              )}
            </form>
          )
        }
      </QueryView>
    </section>
  );
}

function AdminToken() {
  const qc = useQueryClient();
  const confirm = useConfirm();
  const [token, setToken] = useState<string | undefined>();
  const status = useQuery({ queryKey: ['admin-token'], queryFn: () => api.get('/api/admin-token') });
  const rotate = useMutation({
    mutationFn: () => api.post('/api/admin-token/rotate'),
    onSuccess: (r) => {
      setToken(r.token);
      void qc.invalidateQueries({ queryKey: ['admin-token'] });
    },
  });
  return (
    <section className="card" aria-labelledby="token-h">
      <h2 id="token-h">Admin token</h2>
      <p className="muted small">A never-expiring credential with full access, for automation that cannot log in. Prefer scoped API keys.</p>
      <QueryView query={status}>
        {(s) => (
          <div className="toolbar">
            {s.configured ? <Badge tone="warn">configured</Badge> : <Badge>not configured</Badge>}
            {s.rotated_at && <span className="muted small">rotated {formatTime(s.rotated_at)}</span>}
            <Button
              busy={rotate.isPending}
              onClick={async () => {
                if (await confirm({ title: s.configured ? 'Rotate the admin token?' : 'Create an admin token?', body: s.configured ? 'The current token stops working at once.' : 'The token is shown once.', confirmLabel: s.configured ? 'Rotate' : 'Create', danger: s.configured })) rotate.mutate();
              }}
            >
              {s.configured ? 'Rotate' : 'Create'}
            </Button>
          </div>
        )}
      </QueryView>
      <FormError error={rotate.error} />
      <Dialog open={token !== undefined} title="Admin token" onClose={() => setToken(undefined)} footer={<Button onClick={() => setToken(undefined)}>Done</Button>}>
        <p>Copy it now: it is shown only this once.</p>
        <Field label="Token">{(id) => <input id={id} className="mono" readOnly value={token ?? ''} onFocus={(e) => e.target.select()} />}</Field>
      </Dialog>
    </section>
  );
}

function ChangePassword() {
  const toast = useToast();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const change = useMutation({
    mutationFn: () => api.post('/auth/change-password', { body: { current_password: current, new_password: next } }),
    onSuccess: (t) => {
      setSession(sessionFromTokens(t));
      setCurrent('');
      setNext('');
      toast.ok('Password changed; other logins ended');
    },
  });
  return (
    <section className="card" aria-labelledby="pw-h">
      <h2 id="pw-h">Your password</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          change.mutate();
        }}
      >
        <TextField label="Current password" type="password" value={current} onChange={(e) => setCurrent(e.target.value)} required autoComplete="current-password" />
        <TextField label="New password" type="password" value={next} onChange={(e) => setNext(e.target.value)} required minLength={8} autoComplete="new-password" />
        <Button type="submit" busy={change.isPending}>
          Change password
        </Button>
      </form>
      <FormError error={change.error} />
    </section>
  );
}

function About() {
  const info = useQuery({ queryKey: ['info'], queryFn: () => api.get('/api/info'), staleTime: 60_000 });
  const doctor = useQuery({ queryKey: ['doctor'], queryFn: () => api.get('/api/doctor'), staleTime: 60_000 });
  return (
    <div className="grid-2">
      <section className="card" aria-labelledby="about-h">
        <h2 id="about-h">About this gateway</h2>
        <QueryView query={info}>
          {(i) => (
            <Facts
              items={[
                ['Version', i.version],
                ['Node.js', `${i.node_version} on ${i.platform}/${i.arch}`],
                ['Started', formatTime(i.started_at)],
                ['Data directory', <code>{i.data_dir}</code>],
                ['Config file', i.config_path ? <code>{i.config_path}</code> : '—'],
                ['MCP endpoint', <code>{i.endpoints.mcp}</code>],
              ]}
            />
          )}
        </QueryView>
      </section>
      <section className="card" aria-labelledby="doctor-h">
        <h2 id="doctor-h">Checks</h2>
        <QueryView query={doctor}>
          {(d) => (
            <ul className="checks">
              {d.checks.map((c) => (
                <li key={c.check}>
                  <Badge tone={c.ok ? 'ok' : 'bad'}>{c.ok ? 'ok' : 'problem'}</Badge> <span className="strong">{c.check}</span> <span className="muted small">{c.detail}</span>
                </li>
              ))}
            </ul>
          )}
        </QueryView>
      </section>
    </div>
  );
}
