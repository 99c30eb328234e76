import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { HostedTool } from '../api/types';
import { useAuth } from '../auth';
import { Button, SelectField } from '../ui/controls';
import { formatTime } from '../ui/format';
import { useConfirm } from '../ui/overlay';
import { Empty, ErrorNotice, Loading, QueryView } from '../ui/states';
import { useToast } from '../ui/toast';

/** A hosted tool's versions: compare any two (unified diff) and roll back to one. */
export function HostedToolHistory({ tool, onRolledBack }: { tool: HostedTool; onRolledBack: (t: HostedTool) => void }) {
  const { can } = useAuth();
  const toast = useToast();
  const confirm = useConfirm();
  const versions = useQuery({ queryKey: ['hosted-tool', tool.id, 'versions'], queryFn: () => api.get('/api/tools/{id}/versions', { path: { id: tool.id } }) });
  const [from, setFrom] = useState<number | undefined>();
  const to = tool.version;
  const base = from ?? Math.max(1, to - 1);
  const diff = useQuery({ queryKey: ['hosted-tool', tool.id, 'diff', base, to], queryFn: () => api.get('/api/tools/{id}/versions/compare', { path: { id: tool.id }, query: { from: base, to } }), enabled: base !== to });
  const rollback = useMutation({
    mutationFn: (version: number) => api.post('/api/tools/{id}/versions/{version}/rollback', { path: { id: tool.id, version } }),
    onSuccess: (t) => {
      onRolledBack(t);
      toast.ok(`Restored as version ${t.version}`);
    },
    onError: (e) => toast.fail(e),
  });
  return (
    <QueryView query={versions}>
      {(v) =>
        v.items.length <= 1 ? (
          <Empty title="Only one version so far">Each save keeps a version you can compare and roll back to.</Empty>
        ) : (
          <div className="stack">
            <ol className="timeline" aria-label="Versions, newest first">
              {v.items.map((x) => (
                <li key={x.version}>
                  <span className="strong">v{x.version}</span> <span className="muted small">{formatTime(x.created_at)} · {x.created_by}</span> {x.note && <span className="small">— {x.note}</span>}
                  {can('write') && x.version !== tool.version && (
                    <Button
                      variant="ghost"
                      aria-label={`Roll back to version ${x.version}`}
                      onClick={async () => {
                        if (await confirm({ title: `Roll back to version ${x.version}?`, body: `Its code is saved as version ${tool.version + 1}${tool.status === 'approved' ? '; the tool goes back to review' : ''}.`, confirmLabel: 'Roll back' })) rollback.mutate(x.version);
                      }}
                    >
                      Roll back
                    </Button>
                  )}
                </li>
              ))}
            </ol>
            <SelectField label={`Compare with version ${to}`} value={String(base)} onChange={(e) => setFrom(Number(e.target.value))} options={v.items.filter((x) => x.version !== to).map((x) => ({ value: String(x.version), label: `version ${x.version}` }))} />
            {diff.isPending ? <Loading /> : diff.error ? <ErrorNotice error={diff.error} /> : diff.data && <DiffView text={diff.data.diff} />}
          </div>
        )
      }
    </QueryView>
  );
}

function DiffView({ text }: { text: string }) {
  if (!text) return <p className="muted">The code is the same.</p>;
  return (
    <pre className="json diff" tabIndex={0} aria-label="Differences">
      {text.split('\n').map((line, i) => (
        <span key={i} className={line.startsWith('+') && !line.startsWith('+++') ? 'diff-add' : line.startsWith('-') && !line.startsWith('---') ? 'diff-del' : line.startsWith('@@') ? 'diff-hunk' : undefined}>
          {line}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
