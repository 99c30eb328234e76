import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Body } from '../api/client';
import type { User } from '../api/types';
import { useAuth } from '../auth';
import { Badge, Button, SelectField, TextField } from '../ui/controls';
import { formatTime } from '../ui/format';
import { Dialog, useConfirm } from '../ui/overlay';
import { Empty, FormError, QueryView } from '../ui/states';
import { useToast } from '../ui/toast';

const ROLES = [
  { value: 'viewer', label: 'viewer — read only' },
  { value: 'editor', label: 'editor — read, write, execute' },
  { value: 'admin', label: 'admin — everything' },
];
type Role = User['role'];

/** Accounts that sign in to the console and the API: create, change role, disable, reset, delete. */
export function UsersPage() {
  const { me } = useAuth();
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User | undefined>();
  const users = useQuery({ queryKey: ['users'], queryFn: () => api.get('/api/users', { query: { page_size: 200 } }) });
  const done = (text: string) => {
    toast.ok(text);
    void qc.invalidateQueries({ queryKey: ['users'] });
  };
  const patch = useMutation({
    mutationFn: ({ id, body }: { id: string; body: Body<'/api/users/{id}', 'patch'> }) => api.patch('/api/users/{id}', { path: { id }, body }),
    onSuccess: (u) => done(`${u.username} updated`),
    onError: (e) => toast.fail(e),
  });
  const remove = useMutation({ mutationFn: (id: string) => api.delete('/api/users/{id}', { path: { id } }), onSuccess: () => done('User deleted'), onError: (e) => toast.fail(e) });

  return (
    <div className="page">
      <div className="page-head">
        <h1>Users</h1>
        <Button variant="primary" onClick={() => setCreating(true)}>
          Add user
        </Button>
      </div>
      <QueryView query={users}>
        {(list) =>
          list.items.length === 0 ? (
            <Empty title="No users" />
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="sr-only">Users</caption>
                <thead>
                  <tr>
                    <th scope="col">User</th>
                    <th scope="col">Role</th>
                    <th scope="col">State</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((u) => {
                    const self = me.user?.id === u.id;
                    return (
                      <tr key={u.id}>
                        <td>
                          <span className="strong">{u.username}</span>
                          {self && <span className="muted small"> (you)</span>}
                          <div className="small muted">since {formatTime(u.created_at)}</div>
                        </td>
                        <td>
                          <label className="sr-only" htmlFor={`role-${u.id}`}>
                            Role of {u.username}
                          </label>
                          <select id={`role-${u.id}`} value={u.role} disabled={self} onChange={(e) => patch.mutate({ id: u.id, body: { role: e.target.value as Role } })}>
                            {ROLES.map((r) => (
                              <option key={r.value} value={r.value}>
                                {r.value}
                              </option>
                            ))}
                          </select>
                        </td>
                        <td>
                          {u.disabled ? <Badge tone="neutral">disabled</Badge> : u.locked_until && new Date(u.locked_until) > new Date() ? <Badge tone="warn">locked</Badge> : <Badge tone="ok">active</Badge>}
                        </td>
                        <td className="actions">
                          {u.locked_until && new Date(u.locked_until) > new Date() && <Button onClick={() => patch.mutate({ id: u.id, body: { unlock: true } })}>Unlock</Button>}
                          {!self && <Button onClick={() => patch.mutate({ id: u.id, body: { disabled: !u.disabled } })}>{u.disabled ? 'Enable' : 'Disable'}</Button>}
                          <Button variant="ghost" onClick={() => setResetting(u)}>
                            Reset password
                          </Button>
                          {!self && (
                            <Button
                              variant="danger"
                              aria-label={`Delete ${u.username}`}
                              onClick={async () => {
                                if (await confirm({ title: `Delete ${u.username}?`, body: 'Their logins end and the API keys they created are revoked.', confirmLabel: 'Delete', danger: true })) remove.mutate(u.id);
                              }}
                            >
                              Delete
                            </Button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
      <Dialog open={creating} title="Add a user" onClose={() => setCreating(false)}>
        {creating && (
          <UserForm
            onDone={(name) => {
              setCreating(false);
              done(`${name} added`);
            }}
          />
        )}
      </Dialog>
      <Dialog open={resetting !== undefined} title={`Reset the password of ${resetting?.username ?? ''}`} onClose={() => setResetting(undefined)}>
        {resetting && (
          <ResetForm
            user={resetting}
            onDone={() => {
              setResetting(undefined);
              done('Password reset; their logins ended');
            }}
          />
        )}
      </Dialog>
    </div>
  );
}

function UserForm({ onDone }: { onDone: (name: string) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const create = useMutation({ mutationFn: () => api.post('/api/users', { body: { username, password, role } }), onSuccess: (u) => onDone(u.username) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="Add a user">
      <TextField label="Username" value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="off" autoFocus />
      <TextField label="Initial password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={8} autoComplete="new-password" hint="At least 8 characters; they can change it after signing in" />
      <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} options={ROLES} />
      <FormError error={create.error} />
      <Button type="submit" variant="primary" busy={create.isPending}>
        Add user
      </Button>
    </form>
  );
}

function ResetForm({ user, onDone }: { user: User; onDone: () => void }) {
  const [password, setPassword] = useState('');
  const reset = useMutation({ mutationFn: () => api.patch('/api/users/{id}', { path: { id: user.id }, body: { password } }), onSuccess: onDone });
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        reset.mutate();
      }}
    >
      <TextField label="New password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={8} autoComplete="new-password" autoFocus />
      <FormError error={reset.error} />
      <Button type="submit" variant="primary" busy={reset.isPending}>
        Set password
      </Button>
    </form>
  );
}
