import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, send, urlFor } from '../api/client';
import type { ImportPlan } from '../api/types';
import { Badge, Button, SelectField, TextArea, type Tone } from '../ui/controls';
import { Empty, FormError } from '../ui/states';
import { useToast } from '../ui/toast';

const FORMATS = [
  { value: 'generic', label: 'Generic (mcpServers JSON)' },
  { value: 'claude', label: 'Claude Desktop' },
  { value: 'cursor', label: 'Cursor' },
  { value: 'vscode', label: 'VS Code' },
  { value: 'backup', label: 'Signed backup (servers, settings, secrets)' },
];

const ACTION_TONE: Record<string, Tone> = { add: 'ok', update: 'info', unchanged: 'neutral', conflict: 'warn', invalid: 'bad' };

/** Export the servers in a client's format; import any format, seeing the dry-run plan before applying. */
export function TransferPage() {
  return (
    <div className="page">
      <h1>Import and export</h1>
      <div className="grid-2 wide-right">
        <ExportCard />
        <ImportCard />
      </div>
    </div>
  );
}

function ExportCard() {
  const toast = useToast();
  const [format, setFormat] = useState('generic');
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const res = await send('get', urlFor('/api/export', undefined, { format }));
      const blob = new Blob([JSON.stringify(await res.json(), null, 2)], { type: 'application/json' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `switchboard-${format}-${new Date().toISOString().slice(0, 10)}.json`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) {
      toast.fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card stack" aria-labelledby="export-h">
      <h2 id="export-h">Export</h2>
      <SelectField label="Format" value={format} onChange={(e) => setFormat(e.target.value)} options={FORMATS} hint={format === 'backup' ? 'Secrets are included encrypted; restore on a gateway with the same data key.' : 'Secret values are never exported; references stay as ${secret:NAME}.'} />
      <Button onClick={() => void download()} busy={busy}>
        Download
      </Button>
    </section>
  );
}

function ImportCard() {
  const qc = useQueryClient();
  const toast = useToast();
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string | undefined>();
  const [plan, setPlan] = useState<ImportPlan | undefined>();
  const parsed = (): unknown => {
    try {
      const v = JSON.parse(text) as unknown;
      setParseError(undefined);
      return v;
    } catch (e) {
      setParseError(`Not valid JSON: ${(e as Error).message}`);
      return undefined;
    }
  };
  const preview = useMutation({ mutationFn: (body: unknown) => api.post('/api/import', { query: { dry_run: 'true' }, body }), onSuccess: setPlan });
  const apply = useMutation({
    mutationFn: (body: unknown) => api.post('/api/import', { query: { dry_run: 'false' }, body }),
    onSuccess: (r) => {
      setPlan(r);
      toast.ok(`Imported: ${r.summary.add} added, ${r.summary.update} updated`);
      void qc.invalidateQueries({ queryKey: ['servers'] });
      void qc.invalidateQueries({ queryKey: ['dashboard'] });
    },
  });
  const onFile = async (f: File | undefined) => {
    if (!f) return;
    setText(await f.text());
    setPlan(undefined);
  };
  const dirty = () => {
    setPlan(undefined);
    preview.reset();
    apply.reset();
  };
  // The gateway imports all or nothing: a plan with conflicts or invalid entries cannot be applied.
  const blocked = plan !== undefined && plan.summary.conflict + plan.summary.invalid > 0;
  return (
    <section className="card stack" aria-labelledby="import-h">
      <h2 id="import-h">Import</h2>
      <p className="muted small">Claude Desktop, Cursor, VS Code, MCPProxy, McpHub, generic mcpServers JSON or a Switchboard backup; the format is detected. Imported servers start quarantined.</p>
      <div className="field">
        <label htmlFor="import-file">From a file</label>
        <input id="import-file" type="file" accept="application/json,.json" onChange={(e) => void onFile(e.target.files?.[0]).then(dirty)} />
      </div>
      <TextArea
        label="Or paste JSON"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          dirty();
        }}
        rows={8}
        className="mono"
        spellCheck={false}
        error={parseError}
        placeholder={'{ "mcpServers": { "everything": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-everything"] } } }'}
      />
      <div className="toolbar">
        <Button
          variant={plan ? 'default' : 'primary'}
          busy={preview.isPending}
          disabled={!text.trim()}
          onClick={() => {
            const body = parsed();
            if (body !== undefined) preview.mutate(body);
          }}
        >
          Preview (dry run)
        </Button>
        <Button
          variant="primary"
          busy={apply.isPending}
          disabled={!plan || plan.applied || blocked || plan.summary.add + plan.summary.update === 0}
          onClick={() => {
            const body = parsed();
            if (body !== undefined) apply.mutate(body);
          }}
        >
          Apply import
        </Button>
      </div>
      {blocked && !plan?.applied && <p className="notice">An import is all or nothing: rename or remove the servers marked conflict or invalid, then preview again.</p>}
      <FormError error={preview.error ?? apply.error} />
      {plan && <PlanView plan={plan} />}
    </section>
  );
}

function PlanView({ plan }: { plan: ImportPlan }) {
  return (
    <div className="stack" aria-live="polite">
      <p>
        <strong>{plan.applied ? 'Applied' : 'Plan (nothing changed yet)'}</strong> · format <code>{plan.format}</code> · {plan.summary.add} to add, {plan.summary.update} to update, {plan.summary.unchanged} unchanged, {plan.summary.conflict} conflicts, {plan.summary.invalid} invalid
        {plan.settings && ` · settings: ${plan.settings}`}
      </p>
      {plan.servers.length === 0 ? (
        <Empty title="No servers in this document" />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Import plan</caption>
            <thead>
              <tr>
                <th scope="col">Server</th>
                <th scope="col">Action</th>
                <th scope="col">Transport</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {plan.servers.map((s) => (
                <tr key={s.name}>
                  <td className="strong">{s.name}</td>
                  <td>
                    <Badge tone={ACTION_TONE[s.action]}>{s.action}</Badge>
                  </td>
                  <td className="mono small">{s.transport}</td>
                  <td className="small muted">{s.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {plan.secrets.length > 0 && (
        <p className="small">
          Secrets: {plan.secrets.map((s) => `${s.server}/${s.name} (${s.action}, ${s.value})`).join(', ')}
        </p>
      )}
      {plan.warnings.length > 0 && (
        <ul className="notice">
          {plan.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
