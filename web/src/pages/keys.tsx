import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { SCOPES, type Scope } from '../api/types';
import { useAuth } from '../auth';
import { Button, Checkbox, Field, SelectField, StatusBadge, TextArea, TextField } from '../ui/controls';
import { formatTime, timeAgo } from '../ui/format';
import { Dialog, useConfirm } from '../ui/overlay';
import { Empty, FormError, QueryView } from '../ui/states';
import { useToast } from '../ui/toast';

const SCOPE_HELP: Record<Scope, string> = {
  read: 'look: status, lists, activity, events',
  write: 'change servers and their secrets',
  execute: 'call tools',
  admin: 'everything, including users and settings',
};

const lines = (text: string) => text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);

/** API keys: create (the secret is shown once), see scopes, allow-lists and use, revoke. */
export function KeysPage() {
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ name: string; secret: string } | undefined>();
  const keys = useQuery({ queryKey: ['keys'], queryFn: () => api.get('/api/keys', { query: { page_size: 200 } }) });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete('/api/keys/{id}', { path: { id } }),
    onSuccess: () => {
      toast.ok('Key revoked');
      void qc.invalidateQueries({ queryKey: ['keys'] });
    },
    onError: (e) => toast.fail(e),
  });

  return (
    <div className="page">
      <div className="page-head">
        <h1>API keys</h1>
        <Button variant="primary" onClick={() => setCreating(true)}>
          Create key
        </Button>
      </div>
      <p className="muted">Keys let MCP clients and scripts use the gateway. Send one as <code>Authorization: Bearer …</code>.</p>
      <QueryView query={keys}>
        {(list) =>
          list.items.length === 0 ? (
            <Empty title="No API keys yet" action={<Button onClick={() => setCreating(true)}>Create a key</Button>}>
              Create a key for each client so you can see its calls in the activity log and revoke it on its own.
            </Empty>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="sr-only">API keys</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Status</th>
                    <th scope="col">Scopes</th>
                    <th scope="col" className="hide-narrow">
                      Allowed
                    </th>
                    <th scope="col" className="hide-narrow">
                      Last used
                    </th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((k) => (
                    <tr key={k.id}>
                      <td>
                        <span className="strong">{k.name}</span>
                        <div className="mono small muted">{k.prefix}…</div>
                      </td>
                      <td>
                        <StatusBadge status={k.status} />
                        {k.expires_at && <div className="small muted">expires {formatTime(k.expires_at)}</div>}
                      </td>
                      <td className="small">{k.scopes.join(', ')}</td>
                      <td className="hide-narrow small mono">
                        {k.servers ? `servers: ${k.servers.join(', ')}` : 'all servers'}
                        <br />
                        {k.tools ? `tools: ${k.tools.join(', ')}` : 'all tools'}
                      </td>
                      <td className="hide-narrow small">{timeAgo(k.last_used_at)}</td>
                      <td className="actions">
                        {k.status === 'active' && (
                          <Button
                            variant="danger"
                            aria-label={`Revoke ${k.name}`}
                            onClick={async () => {
                              if (await confirm({ title: `Revoke ${k.name}?`, body: 'Clients using this key are refused from now on. This cannot be undone.', confirmLabel: 'Revoke', danger: true })) revoke.mutate(k.id);
                            }}
                          >
                            Revoke
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
      <CreateKeyDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(name, s) => {
          setCreating(false);
          setSecret({ name, secret: s });
          void qc.invalidateQueries({ queryKey: ['keys'] });
        }}
      />
      <Dialog
        open={secret !== undefined}
        title={`Key "${secret?.name ?? ''}" created`}
        onClose={() => setSecret(undefined)}
        footer={
          <Button variant="primary" onClick={() => setSecret(undefined)}>
            I have copied it
          </Button>
        }
      >
        <p>Copy the key now: it is shown only this once.</p>
        <Field label="Secret">{(id) => <input id={id} className="mono" readOnly value={secret?.secret ?? ''} onFocus={(e) => e.target.select()} data-testid="new-key-secret" />}</Field>
        <Button onClick={() => void navigator.clipboard?.writeText(secret?.secret ?? '').then(() => toast.ok('Copied'), () => toast.fail('Copy failed: select the text and copy it'))}>Copy to clipboard</Button>
      </Dialog>
    </div>
  );
}

function CreateKeyDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (name: string, secret: string) => void }) {
  const { me } = useAuth();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read', 'execute']);
  const [servers, setServers] = useState('');
  const [tools, setTools] = useState('');
  const [expiry, setExpiry] = useState('');
  const create = useMutation({
    mutationFn: () => api.post('/api/keys', { body: { name, scopes, ...(lines(servers).length ? { servers: lines(servers) } : {}), ...(lines(tools).length ? { tools: lines(tools) } : {}), ...(expiry ? { expires_in: expiry } : {}) } }),
    onSuccess: (r) => {
      onCreated(r.key.name, r.secret);
      setName('');
      setServers('');
      setTools('');
      create.reset();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (scopes.length > 0 && name.trim()) create.mutate();
  };
  const grantable = (s: Scope) => me.scopes.includes('admin') || me.scopes.includes(s);
  return (
    <Dialog open={open} title="Create an API key" onClose={onClose}>
      <form className="stack" onSubmit={submit} aria-label="Create an API key">
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} hint="Who or what uses it, e.g. claude-desktop" autoFocus />
        <fieldset>
          <legend>Scopes</legend>
          {SCOPES.map((s) => (
            <Checkbox key={s} label={`${s} — ${SCOPE_HELP[s]}`} checked={scopes.includes(s)} disabled={!grantable(s)} onChange={(e) => setScopes((cur) => (e.target.checked ? [...cur, s] : cur.filter((x) => x !== s)))} />
          ))}
          {scopes.length === 0 && <div className="field-error">Choose at least one scope</div>}
        </fieldset>
        <TextArea label="Only these servers" value={servers} onChange={(e) => setServers(e.target.value)} rows={2} hint='Optional; names or globs (e.g. "github", "db-*"), one per line. Empty: all servers' className="mono" />
        <TextArea label="Only these tools" value={tools} onChange={(e) => setTools(e.target.value)} rows={2} hint='Optional; exposed names or globs (e.g. "github__get_*"). Empty: all tools' className="mono" />
        <SelectField
          label="Expires"
          value={expiry}
          onChange={(e) => setExpiry(e.target.value)}
          options={[
            { value: '', label: 'Never' },
            { value: '24h', label: 'In 24 hours' },
            { value: '30d', label: 'In 30 days' },
            { value: '90d', label: 'In 90 days' },
          ]}
        />
        <FormError error={create.error} />
        <div className="toolbar">
          <Button type="submit" variant="primary" busy={create.isPending} disabled={scopes.length === 0}>
            Create key
          </Button>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
