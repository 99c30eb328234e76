import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { CodeCheck, HostedTool, TestRun } from '../api/types';
import { useAuth } from '../auth';
import { Link, navigate, setQueryParam, useLocation } from '../router';
import { Badge, Button, Facts, JsonBlock, TextField } from '../ui/controls';
import { formatDuration } from '../ui/format';
import { Dialog, useConfirm } from '../ui/overlay';
import { FormError, Loading, QueryView } from '../ui/states';
import { TabPanel, Tabs } from '../ui/tabs';
import { useToast } from '../ui/toast';
import { LANGUAGE_LABEL, TOOL_STATUS_TONE } from './hosted-common';
import { HostedToolHistory } from './hosted-tool-history';
import { HostedToolLogs } from './hosted-tool-logs';
import { SchemaForm } from './schema-form';
import { fieldsOf, initialValues, toArguments, type FormValues } from './schema-args';

// The editor is a separate chunk: most visits to the console never open it.
const CodeEditor = lazy(() => import('../ui/code-editor'));

const TABS = [
  { id: 'test', label: 'Test run' },
  { id: 'versions', label: 'Versions' },
  { id: 'runs', label: 'Executions' },
];

/** One hosted tool: edit its Python or JavaScript code, validate, test-run, keep versions, ask for publication. */
export function HostedToolPage({ server, id }: { server: string; id: string }) {
  const tool = useQuery({ queryKey: ['hosted-tool', id], queryFn: () => api.get('/api/tools/{id}', { path: { id } }) });
  return (
    <div className="page">
      <p className="crumbs">
        <Link to="/hosted">Hosted tools</Link> / <Link to={`/hosted/${encodeURIComponent(server)}`}>{server}</Link> / {tool.data?.name ?? '…'}
      </p>
      <QueryView query={tool}>{(t) => <ToolEditor key={t.id} tool={t} />}</QueryView>
    </div>
  );
}

function ToolEditor({ tool }: { tool: HostedTool }) {
  const { can } = useAuth();
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const { query } = useLocation();
  const tab = TABS.some((t) => t.id === query.get('tab')) ? query.get('tab')! : 'test';
  const [code, setCode] = useState(tool.code ?? '');
  const [check, setCheck] = useState<CodeCheck | undefined>();
  const [publishing, setPublishing] = useState(false);
  useEffect(() => setCode(tool.code ?? ''), [tool.version, tool.code]);
  const dirty = code !== (tool.code ?? '');
  const saved = (t: HostedTool) => {
    qc.setQueryData(['hosted-tool', t.id], t);
    void qc.invalidateQueries({ queryKey: ['hosted'] });
    void qc.invalidateQueries({ queryKey: ['hosted-tool', t.id, 'versions'] });
  };
  const language = tool.language ?? 'python';
  const languageLabel = LANGUAGE_LABEL[language] ?? language;
  const validate = useMutation({ mutationFn: () => api.post('/api/tools/validate-code', { body: { code, language } }), onSuccess: setCheck });
  const save = useMutation({
    mutationFn: () => api.patch('/api/tools/{id}', { path: { id: tool.id }, body: { code } }),
    onSuccess: (t) => {
      saved(t);
      setCheck(undefined);
      toast.ok(`Saved as version ${t.version}${tool.status === 'approved' ? '; back to review' : ''}`);
    },
  });
  const remove = useMutation({
    mutationFn: () => api.delete('/api/tools/{id}', { path: { id: tool.id } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['hosted'] });
      navigate(`/hosted/${encodeURIComponent(tool.server)}`);
    },
    onError: (e) => toast.fail(e),
  });
  const canPublish = tool.status === 'draft' || tool.status === 'rejected' || tool.status === 'revoked';
  // An imported tool has no code to run: its "code" is a record of where calls go, changed by importing again.
  const external = tool.kind === 'external';

  return (
    <>
      <div className="page-head">
        <div>
          <h1>
            <span className="mono">{tool.name}</span> <Badge tone={TOOL_STATUS_TONE[tool.status]}>{tool.status.replace('_', ' ')}</Badge> <span className="muted small">version {tool.version}</span>
            {tool.listed && <Badge tone="info">listed</Badge>}
          </h1>
          {!external && (
            <p className="small" data-testid="tool-language">
              <span className="muted">Language:</span> <Badge tone="info">{languageLabel}</Badge>
            </p>
          )}
          <p className="muted">{tool.description ?? (external ? 'The source gives no description.' : language === 'javascript' ? 'No description: add a JSDoc comment before main.' : 'No description: add a docstring to main.')}</p>
          {tool.review?.reason && (
            <p className="notice">
              Review by {tool.review.by}: {tool.review.reason}
            </p>
          )}
        </div>
        {can('write') && (
          <div className="toolbar wrap">
            {!external && (
              <>
                <Button onClick={() => validate.mutate()} busy={validate.isPending}>
                  Validate
                </Button>
                <Button variant="primary" onClick={() => save.mutate()} busy={save.isPending} disabled={!dirty}>
                  Save version
                </Button>
              </>
            )}
            {canPublish && (
              <Button onClick={() => setPublishing(true)} disabled={dirty} title={dirty ? 'Save first' : undefined}>
                Request publish
              </Button>
            )}
            <Button
              variant="danger"
              onClick={async () => {
                if (await confirm({ title: `Delete ${tool.name}?`, body: 'The tool and all its versions are deleted.', confirmLabel: 'Delete', danger: true })) remove.mutate();
              }}
            >
              Delete
            </Button>
          </div>
        )}
      </div>
      <div className="grid-2 wide-left">
        {external ? (
          <ExternalTarget tool={tool} />
        ) : (
          <section className="stack" aria-label="Code">
            <Suspense fallback={<Loading label="Loading the editor…" />}>
              <CodeEditor value={code} onChange={can('write') ? setCode : undefined} readOnly={!can('write')} language={language} label={`${languageLabel} code of ${tool.name}`} />
            </Suspense>
            {dirty && <p className="muted small">Unsaved changes. Saving creates version {tool.version + 1}{tool.status === 'approved' ? ' and sends the tool back to review' : ''}.</p>}
            <FormError error={validate.error ?? save.error} />
            {check && <CheckResult check={check} />}
          </section>
        )}
        <section className="card">
          <Tabs label="Tool sections" tabs={TABS} current={tab} onSelect={(t) => setQueryParam('tab', t === 'test' ? undefined : t)} />
          <TabPanel id={tab}>
            {tab === 'test' && <TestRunPanel tool={tool} dirty={dirty} />}
            {tab === 'versions' && <HostedToolHistory tool={tool} onRolledBack={saved} />}
            {tab === 'runs' && <HostedToolLogs tool={tool} />}
          </TabPanel>
        </section>
      </div>
      <Dialog open={publishing} title={`Request publication of ${tool.name}`} onClose={() => setPublishing(false)}>
        {publishing && (
          <PublishForm
            tool={tool}
            onDone={(t) => {
              setPublishing(false);
              saved(t);
              toast.ok('Sent for review');
            }}
          />
        )}
      </Dialog>
    </>
  );
}

/** Where an imported tool's calls go, instead of a code editor. */
function ExternalTarget({ tool }: { tool: HostedTool }) {
  const x = tool.external;
  return (
    <section className="card stack" aria-labelledby="ext-target-h">
      <h2 id="ext-target-h">Imported from an external source</h2>
      <p className="muted small">
        Calls are forwarded from the gateway to this tool of an external MCP server and its result passed through; nothing runs in the sandbox. To pick up changes on the source, import the tool again from the{' '}
        <Link to={`/hosted/${encodeURIComponent(tool.server)}?tab=sources`}>Sources tab</Link>.
      </p>
      <Facts
        items={[
          ['Source', x?.source ? <Link to={`/hosted/${encodeURIComponent(tool.server)}?tab=sources`}>{x.source}</Link> : <span className="muted">deleted ({x?.source_id ?? 'unknown'})</span>],
          ['Tool on the source', <code>{x?.tool ?? '—'}</code>],
          ['Name on /mcp', <code>{`${tool.server}__${tool.name}`}</code>],
        ]}
      />
      {tool.code && (
        <details>
          <summary>Target record (what versions compare)</summary>
          <pre className="result-text" aria-label="Target record">
            {tool.code}
          </pre>
        </details>
      )}
      <details>
        <summary>Input schema</summary>
        <JsonBlock value={tool.input_schema} label="Input schema" />
      </details>
    </section>
  );
}

function CheckResult({ check }: { check: CodeCheck }) {
  return (
    <div className={`result ${check.valid ? 'result-ok' : 'result-bad'}`} role="status" aria-label="Validation">
      <p className="result-head">
        <strong>{check.valid ? 'Valid' : 'Not valid'}</strong>
        {check.imports.length > 0 && <span className="muted"> · imports {check.imports.join(', ')}</span>}
      </p>
      {[...check.errors.map((e) => ({ ...e, level: 'error' })), ...check.warnings.map((w) => ({ ...w, level: 'warning' }))].map((m, i) => (
        <div key={i} className="small">
          <Badge tone={m.level === 'error' ? 'bad' : 'warn'}>{m.level}</Badge> {m.line !== undefined && <span className="mono">line {m.line}: </span>}
          {m.message} <span className="muted">({m.kind})</span>
        </div>
      ))}
      {check.input_schema && (
        <details>
          <summary>Derived input schema</summary>
          <JsonBlock value={check.input_schema} label="Derived input schema" />
        </details>
      )}
    </div>
  );
}

function TestRunPanel({ tool, dirty }: { tool: HostedTool; dirty: boolean }) {
  const { can } = useAuth();
  const fields = useMemo(() => fieldsOf(tool.input_schema), [tool.input_schema]);
  const [values, setValues] = useState<FormValues>(() => initialValues(fields));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: (args: Record<string, unknown>) => api.post('/api/tools/test-code', { body: { tool_id: tool.id, arguments: args } }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['hosted-tool', tool.id, 'logs'] }),
  });
  useEffect(() => setValues(initialValues(fields)), [fields]);
  if (!can('execute')) return <p className="muted">Test runs need the execute scope.</p>;
  return (
    <form
      className="stack"
      noValidate
      aria-label="Test run"
      onSubmit={(e) => {
        e.preventDefault();
        const { args, errors: errs } = toArguments(fields, values);
        setErrors(errs);
        if (args) run.mutate(args);
      }}
    >
      <p className="muted small">
        {tool.kind === 'external'
          ? `Forwards a call to ${tool.external?.tool ?? 'the tool'} on ${tool.external?.source ?? 'its source'} from the gateway (version ${tool.version}).`
          : `Runs the saved version ${tool.version} in the sandbox${dirty ? ' (not your unsaved edits)' : ''}.`}
      </p>
      <SchemaForm fields={fields} values={values} errors={errors} onChange={setValues} />
      <div className="toolbar">
        <Button type="submit" variant="primary" busy={run.isPending}>
          Run test
        </Button>
      </div>
      <FormError error={run.error} />
      {run.data && <TestOutput run={run.data} />}
    </form>
  );
}

function TestOutput({ run }: { run: TestRun }) {
  return (
    <section className={`result ${run.ok ? 'result-ok' : 'result-bad'}`} aria-label="Test result" aria-live="polite">
      <p className="result-head">
        <strong>{run.ok ? 'Returned' : `Failed: ${run.error?.kind ?? 'error'}`}</strong>
        <span className="muted"> in {formatDuration(run.duration_ms)} · version {run.version}</span>
      </p>
      {run.error && <pre className="result-text">{run.error.message}</pre>}
      {run.text !== undefined && <pre className="result-text">{run.text}</pre>}
      {run.structured_content && <JsonBlock value={run.structured_content} label="Structured content" />}
      {run.text === undefined && run.value !== undefined && <JsonBlock value={run.value} label="Value" />}
      {run.stdout && (
        <>
          <h3 className="small">stdout</h3>
          <pre className="result-text">{run.stdout}</pre>
        </>
      )}
    </section>
  );
}

function PublishForm({ tool, onDone }: { tool: HostedTool; onDone: (t: HostedTool) => void }) {
  const [note, setNote] = useState('');
  const ask = useMutation({ mutationFn: () => api.post('/api/tools/{id}/request-publish', { path: { id: tool.id }, body: note ? { note } : {} }), onSuccess: onDone });
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        ask.mutate();
      }}
    >
      <p>Version {tool.version} goes to the admins' approvals queue. Once approved and its server is running, MCP clients can call it.</p>
      <TextField label="Note for the reviewer" value={note} onChange={(e) => setNote(e.target.value)} placeholder="What it does, what it reaches" />
      <FormError error={ask.error} />
      <Button type="submit" variant="primary" busy={ask.isPending}>
        Request publish
      </Button>
    </form>
  );
}
