import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { useAuth } from '../auth';
import { setQueryParam, useLocation } from '../router';
import { Badge, Button, SelectField, TextField } from '../ui/controls';
import { formatTime } from '../ui/format';
import { Dialog, useConfirm } from '../ui/overlay';
import { Empty, FormError, QueryView } from '../ui/states';
import { useToast } from '../ui/toast';

/** Secrets per server. Values go in and are never shown back: the API does not return them. */
export function SecretsPage() {
  const { query } = useLocation();
  const servers = useQuery({ queryKey: ['servers', 'all'], queryFn: () => api.get('/api/servers', { query: { page_size: 200 } }) });
  const chosen = query.get('server') ?? '';
  return (
    <div className="page">
      <h1>Secrets</h1>
      <p className="muted">
        Secrets are stored encrypted and referenced from a server's environment or headers as <code>{'${secret:NAME}'}</code>. Their values are never displayed.
      </p>
      <QueryView query={servers}>
        {(list) => {
          const name = chosen || list.items[0]?.name || '';
          return list.items.length === 0 ? (
            <Empty title="No servers">Secrets belong to a server; add a server first.</Empty>
          ) : (
            <>
              <SelectField label="Server" value={name} onChange={(e) => setQueryParam('server', e.target.value)} options={list.items.map((s) => s.name)} />
              <SecretsPanel server={name} />
            </>
          );
        }}
      </QueryView>
    </div>
  );
}

export function SecretsPanel({ server }: { server: string }) {
  const { can } = useAuth();
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const [editing, setEditing] = useState<string | undefined>();
  const secrets = useQuery({ queryKey: ['server', server, 'secrets'], queryFn: () => api.get('/api/servers/{name}/secrets', { path: { name: server }, query: { page_size: 200 } }) });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['server', server] });
    void qc.invalidateQueries({ queryKey: ['servers'] });
  };
  const remove = useMutation({
    mutationFn: (key: string) => api.delete('/api/servers/{name}/secrets/{key}', { path: { name: server, key } }),
    onSuccess: (_r, key) => (toast.ok(`${key} deleted`), refresh()),
    onError: (e) => toast.fail(e),
  });
  return (
    <section className="card stack" aria-label={`Secrets of ${server}`}>
      <QueryView query={secrets}>
        {(list) =>
          list.items.length === 0 ? (
            <Empty title="No secrets for this server">Add one below, then reference it as {'${secret:NAME}'}.</Empty>
          ) : (
            <ul className="secret-list">
              {list.items.map((s) => (
                <li key={s.name}>
                  <code className="strong">{s.name}</code>
                  <Badge tone={s.status === 'set' ? 'ok' : 'warn'}>{s.status === 'set' ? 'value set' : s.status}</Badge>
                  <span className="muted small grow">updated {formatTime(s.updated_at)}</span>
                  {can('write') && (
                    <>
                      <Button onClick={() => setEditing(s.name)} aria-label={`Set value of ${s.name}`}>
                        Set value
                      </Button>
                      <Button
                        variant="ghost"
                        aria-label={`Delete ${s.name}`}
                        onClick={async () => {
                          if (await confirm({ title: `Delete ${s.name}?`, body: 'Servers that reference it stop getting a value.', confirmLabel: 'Delete', danger: true })) remove.mutate(s.name);
                        }}
                      >
                        Delete
                      </Button>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
      {can('write') && <SetSecretForm server={server} onDone={refresh} />}
      <Dialog open={editing !== undefined} title={`New value for ${editing ?? ''}`} onClose={() => setEditing(undefined)}>
        {editing && (
          <SetSecretForm
            server={server}
            fixedName={editing}
            onDone={() => {
              setEditing(undefined);
              refresh();
            }}
          />
        )}
      </Dialog>
    </section>
  );
}

function SetSecretForm({ server, fixedName, onDone }: { server: string; fixedName?: string; onDone: () => void }) {
  const toast = useToast();
  const [name, setName] = useState(fixedName ?? '');
  const [value, setValue] = useState('');
  const save = useMutation({
    mutationFn: () => api.put('/api/servers/{name}/secrets/{key}', { path: { name: server, key: name.trim() }, body: { value } }),
    onSuccess: () => {
      toast.ok(`${name} saved`);
      setValue('');
      if (!fixedName) setName('');
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() && value) save.mutate();
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label={fixedName ? `Set ${fixedName}` : 'Add a secret'}>
      {!fixedName && <TextField label="Secret name" value={name} onChange={(e) => setName(e.target.value)} required placeholder="API_TOKEN" className="mono" />}
      <TextField label="Value" type="password" value={value} onChange={(e) => setValue(e.target.value)} required autoComplete="off" hint="Write-only: it is never shown again" />
      <Button type="submit" variant="primary" busy={save.isPending}>
        {fixedName ? 'Save' : 'Add secret'}
      </Button>
      <FormError error={save.error} />
    </form>
  );
}
