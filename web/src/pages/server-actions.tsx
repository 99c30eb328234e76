import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Server } from '../api/types';
import { useAuth } from '../auth';
import { navigate } from '../router';
import { Button } from '../ui/controls';
import { ACTION_LABELS } from '../ui/format';
import { useConfirm } from '../ui/overlay';
import { useToast } from '../ui/toast';

/** The lifecycle operations on one server, shared by the list and the detail page. */
export type ServerOp = 'enable' | 'disable' | 'restart' | 'start' | 'stop' | 'quarantine' | 'approve' | 'delete';

export function useServerOp() {
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const run = useMutation({
    mutationFn: async ({ name, op }: { name: string; op: ServerOp }) => {
      const path = { name };
      switch (op) {
        case 'delete':
          return api.delete('/api/servers/{name}', { path });
        case 'quarantine':
          return api.post('/api/servers/{name}/quarantine', { path, body: { reason: 'Quarantined from the web console' } });
        default:
          // Same shape for every lifecycle operation: POST with the name, no body.
          return api.post(`/api/servers/{name}/${op}` as '/api/servers/{name}/restart', { path });
      }
    },
    onSuccess: (_r, { name, op }) => {
      toast.ok(`${name}: ${op === 'delete' ? 'deleted' : `${op} done`}`);
      void qc.invalidateQueries({ queryKey: ['servers'] });
      void qc.invalidateQueries({ queryKey: ['server', name] });
      void qc.invalidateQueries({ queryKey: ['dashboard'] });
      if (op === 'delete') navigate('/servers');
    },
    onError: (e) => toast.fail(e),
  });
  return {
    pending: run.isPending ? run.variables : undefined,
    async perform(name: string, op: ServerOp) {
      if (op === 'delete' && !(await confirm({ title: `Delete ${name}?`, body: 'The server, its secrets and its tool settings are removed. Clients lose its tools at once.', confirmLabel: 'Delete', danger: true }))) return;
      if (op === 'quarantine' && !(await confirm({ title: `Quarantine ${name}?`, body: 'The server stops and its tools disappear for every client until an admin approves it again.', confirmLabel: 'Quarantine', danger: true }))) return;
      run.mutate({ name, op });
    },
  };
}

/** The health's suggested remediation as one button that does it (or goes where it can be done). */
export function SuggestedAction({ server, ops }: { server: Server; ops: ReturnType<typeof useServerOp> }) {
  const { can } = useAuth();
  const action = server.health.action;
  if (!action || action === 'wait') return null;
  const label = ACTION_LABELS[action] ?? action;
  const base = `/servers/${encodeURIComponent(server.name)}`;
  const busy = ops.pending?.name === server.name;
  switch (action) {
    case 'restart':
    case 'enable':
      if (!can('write')) return null;
      return (
        <Button busy={busy} onClick={() => void ops.perform(server.name, action)}>
          {label}
        </Button>
      );
    case 'approve':
      if (!can('admin')) return null;
      return (
        <Button busy={busy} onClick={() => void ops.perform(server.name, 'approve')}>
          {label}
        </Button>
      );
    case 'set_secret':
      return <Button onClick={() => navigate(`${base}?tab=secrets`)}>{label}</Button>;
    case 'view_logs':
      return <Button onClick={() => navigate(`${base}?tab=logs`)}>{label}</Button>;
    default:
      return <span className="action-hint">{label}</span>;
  }
}
