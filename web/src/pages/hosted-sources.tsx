import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../api/client';
import type { Discovery, ExternalSource, ImportResult } from '../api/types';
import { useAuth } from '../auth';
import { Link } from '../router';
import { Badge, Button, Checkbox, SelectField, TextArea, TextField } from '../ui/controls';
import { formatTime } from '../ui/format';
import { Dialog, Drawer, useConfirm } from '../ui/overlay';
import { Empty, FormError, QueryView } from '../ui/states';
import { useToast } from '../ui/toast';
import { TOOL_STATUS_TONE } from './hosted-common';

/**
 * A hosted server's external MCP sources: upstream MCP servers (Streamable HTTP or SSE) whose tools
 * are discovered here and imported as hosted tools of kind `external`, reviewed like any other.
 */

const TRANSPORTS = [
  { value: 'streamable-http', label: 'Streamable HTTP' },
  { value: 'sse', label: 'SSE (deprecated HTTP+SSE)' },
] as const;
type Transport = (typeof TRANSPORTS)[number]['value'];
const transportLabel = (t: string) => TRANSPORTS.find((x) => x.value === t)?.label ?? t;

interface HeaderRow {
  key: number;
  name: string;
  value: string;
}
let nextRow = 1;
const headerRows = (h: Record<string, string>): HeaderRow[] => Object.entries(h).map(([name, value]) => ({ key: nextRow++, name, value }));

const sourcesKey = (server: string) => ['hosted', server, 'sources'];

export function HostedSources({ server }: { server: string }) {
  const { can } = useAuth();
  const [editing, setEditing] = useState<ExternalSource | 'new' | undefined>();
  const [discovering, setDiscovering] = useState<ExternalSource | undefined>();
  const sources = useQuery({ queryKey: sourcesKey(server), queryFn: () => api.get('/api/hosted-servers/{name}/external-sources', { path: { name: server } }) });
  return (
    <section className="card stack" aria-labelledby="hsrc-h">
      <div className="page-head">
        <h2 id="hsrc-h">External sources</h2>
        {can('write') && (
          <Button variant="primary" onClick={() => setEditing('new')}>
            Add source
          </Button>
        )}
      </div>
      <p className="muted small">
        Other MCP servers this server takes tools from. Discover a source's tools and import the ones you want: each becomes a tool of <code>{server}</code> that goes through review, and its calls are forwarded to the source from the gateway. The source's host must be on the Network tab's allowed hosts; credentials go in headers as{' '}
        <code>{'${secret:NAME}'}</code> references to this server's secrets.
      </p>
      <QueryView query={sources}>
        {(list) =>
          list.items.length === 0 ? (
            <Empty title="No external sources" action={can('write') ? <Button onClick={() => setEditing('new')}>Add a source</Button> : undefined}>
              Point at an MCP server over Streamable HTTP or SSE to import its tools.
            </Empty>
          ) : (
            <ul className="tool-list" aria-label={`External sources of ${server}`}>
              {list.items.map((s) => (
                <SourceItem key={s.id} source={s} onEdit={() => setEditing(s)} onDiscover={() => setDiscovering(s)} />
              ))}
            </ul>
          )
        }
      </QueryView>
      <Dialog open={editing !== undefined} title={editing === 'new' ? `Add an external source to ${server}` : `Edit ${editing?.name ?? ''}`} onClose={() => setEditing(undefined)}>
        {editing !== undefined && <SourceForm server={server} source={editing === 'new' ? undefined : editing} onDone={() => setEditing(undefined)} />}
      </Dialog>
      <Drawer open={discovering !== undefined} title={`Tools of ${discovering?.name ?? ''}`} onClose={() => setDiscovering(undefined)}>
        {discovering && <DiscoverPanel source={discovering} />}
      </Drawer>
    </section>
  );
}

function SourceItem({ source: s, onEdit, onDiscover }: { source: ExternalSource; onEdit: () => void; onDiscover: () => void }) {
  const { can } = useAuth();
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const remove = useMutation({
    mutationFn: () => api.delete('/api/external-sources/{id}', { path: { id: s.id } }),
    onSuccess: () => {
      toast.ok(`${s.name} deleted`);
      void qc.invalidateQueries({ queryKey: ['hosted', s.server] });
    },
  });
  const headers = Object.entries(s.headers);
  return (
    <li className="tool" aria-label={`Source ${s.name}`}>
      <div className="tool-main stack-sm">
        <div>
          <span className="strong">{s.name}</span> <Badge tone="info">{transportLabel(s.transport)}</Badge>{' '}
          <span className="muted small">
            {s.imported_tools === 1 ? '1 imported tool' : `${s.imported_tools} imported tools`}
            {s.last_discovered_at ? ` · discovered ${formatTime(s.last_discovered_at)}` : ' · not discovered yet'}
          </span>
        </div>
        <code className="break small">{s.url}</code>
        {s.description && <p className="muted small">{s.description}</p>}
        {headers.length > 0 && (
          <ul className="plain small" aria-label={`Headers of ${s.name}`}>
            {headers.map(([k, v]) => (
              <li key={k}>
                <code>
                  {k}: {v}
                </code>
              </li>
            ))}
          </ul>
        )}
        <FormError error={remove.error} />
      </div>
      {can('write') && (
        <div className="toolbar">
          <Button variant="primary" onClick={onDiscover} aria-label={`Discover tools of ${s.name}`}>
            Discover tools
          </Button>
          <Button onClick={onEdit} aria-label={`Edit ${s.name}`}>
            Edit
          </Button>
          <Button
            variant="danger"
            busy={remove.isPending}
            aria-label={`Delete ${s.name}`}
            onClick={async () => {
              if (await confirm({ title: `Delete ${s.name}?`, body: s.imported_tools ? `${s.imported_tools} imported tool(s) still forward to it: the gateway refuses until they are deleted.` : 'The source is removed from this server.', confirmLabel: 'Delete', danger: true })) remove.mutate();
            }}
          >
            Delete
          </Button>
        </div>
      )}
    </li>
  );
}

/** What to say under an API error the page can help with. */
function SourceErrorHelp({ error, server }: { error: unknown; server: string }) {
  if (!(error instanceof ApiError)) return null;
  if (error.code === 'SWB_EXTERNAL_HOST_BLOCKED')
    return (
      <p className="small muted">
        Allow the host (with its port, e.g. <code>127.0.0.1:3001</code>) on the <Link to={`/hosted/${encodeURIComponent(server)}?tab=network`}>Network tab</Link>, then try again. Loopback and private addresses need an entry naming that exact host.
      </p>
    );
  if (error.code === 'SWB_SECRET_MISSING')
    return (
      <p className="small muted">
        Set the secret's value on the <Link to={`/hosted/${encodeURIComponent(server)}?tab=secrets`}>Secrets tab</Link>.
      </p>
    );
  return null;
}

function SourceForm({ server, source, onDone }: { server: string; source?: ExternalSource; onDone: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState(source?.name ?? '');
  const [url, setUrl] = useState(source?.url ?? '');
  const [transport, setTransport] = useState<Transport>(source?.transport ?? 'streamable-http');
  const [description, setDescription] = useState(source?.description ?? '');
  const [rows, setRows] = useState<HeaderRow[]>(() => headerRows(source?.headers ?? {}));
  const [rowError, setRowError] = useState<string | undefined>();
  const secrets = useQuery({ queryKey: ['server', server, 'secrets'], queryFn: () => api.get('/api/servers/{name}/secrets', { path: { name: server }, query: { page_size: 200 } }) });
  const save = useMutation({
    mutationFn: (headers: Record<string, string>) => {
      const body = { name: name.trim(), url: url.trim(), transport, headers };
      return source
        ? api.patch('/api/external-sources/{id}', { path: { id: source.id }, body: { ...body, description: description.trim() || null } })
        : api.post('/api/hosted-servers/{name}/external-sources', { path: { name: server }, body: { ...body, ...(description.trim() ? { description: description.trim() } : {}) } });
    },
    onSuccess: (s) => {
      toast.ok(source ? `${s.name} saved` : `${s.name} added`);
      void qc.invalidateQueries({ queryKey: ['hosted', server] });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const headers: Record<string, string> = {};
    for (const r of rows) {
      const n = r.name.trim();
      if (!n && !r.value.trim()) continue;
      if (!n) return setRowError('Every header needs a name');
      if (headers[n] !== undefined) return setRowError(`Header ${n} is listed twice`);
      headers[n] = r.value;
    }
    setRowError(undefined);
    save.mutate(headers);
  };
  const update = (key: number, patch: Partial<HeaderRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const secretNames = secrets.data?.items.map((x) => x.name) ?? [];
  return (
    <form className="stack" onSubmit={submit} aria-label={source ? 'Edit external source' : 'New external source'} noValidate>
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} required pattern="[A-Za-z0-9_\-]{1,64}" hint="Letters, digits, _ and -; unique on this server" autoFocus={!source} />
      <TextField label="URL" value={url} onChange={(e) => setUrl(e.target.value)} required className="mono" placeholder="https://mcp.example.com/mcp" hint="The source's MCP endpoint; its host must be allowed on the Network tab" />
      <SelectField label="Transport" value={transport} onChange={(e) => setTransport(e.target.value as Transport)} options={TRANSPORTS} />
      <TextArea label="Description" value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
      <fieldset className="stack-sm">
        <legend>Headers</legend>
        <p className="muted small">
          Sent with every request. A credential (a name with auth, token, key, secret, cookie, password or session) must be a reference such as <code>{'Bearer ${secret:TOKEN}'}</code>
          {secretNames.length > 0 ? (
            <>
              ; this server's secrets: {secretNames.map((n, i) => (
                <span key={n}>
                  {i > 0 && ', '}
                  <code>{n}</code>
                </span>
              ))}
            </>
          ) : (
            '; add the secret on the Secrets tab first'
          )}
          .
        </p>
        {rows.map((r, i) => (
          <div key={r.key} className="inline-form">
            <TextField label={`Header ${i + 1}: name`} value={r.name} onChange={(e) => update(r.key, { name: e.target.value })} className="mono" placeholder="Authorization" />
            <TextField label={`Header ${i + 1}: value`} value={r.value} onChange={(e) => update(r.key, { value: e.target.value })} className="mono" placeholder={'Bearer ${secret:TOKEN}'} />
            <Button variant="ghost" onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))} aria-label={`Remove header ${i + 1}`}>
              Remove
            </Button>
          </div>
        ))}
        <div>
          <Button onClick={() => setRows((rs) => [...rs, { key: nextRow++, name: '', value: '' }])}>Add a header</Button>
        </div>
        {rowError && (
          <p className="form-error" role="alert">
            {rowError}
          </p>
        )}
      </fieldset>
      {source && source.imported_tools > 0 && <p className="notice">A new URL, transport or headers gives its {source.imported_tools} imported tool(s) a new version; approved ones go back to review.</p>}
      <FormError error={save.error} />
      <SourceErrorHelp error={save.error} server={server} />
      <Button type="submit" variant="primary" busy={save.isPending}>
        {source ? 'Save source' : 'Add source'}
      </Button>
    </form>
  );
}

function DiscoverPanel({ source }: { source: ExternalSource }) {
  const { can } = useAuth();
  const qc = useQueryClient();
  const toast = useToast();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [result, setResult] = useState<ImportResult | undefined>();
  // Discovery connects to the source: a query (not cached across openings, outside the 'hosted' keys so
  // other changes do not reconnect) that runs on open and can be run again.
  const found = useQuery({ queryKey: ['external-discover', source.id], queryFn: () => api.post('/api/external-sources/{id}/discover', { path: { id: source.id } }), gcTime: 0, staleTime: Infinity, retry: false });
  const importing = useMutation({
    mutationFn: (tools: string[]) => api.post('/api/external-sources/{id}/import', { path: { id: source.id }, body: { tools } }),
    onSuccess: (r) => {
      setResult(r);
      setPicked(new Set());
      toast.ok(`${r.items.length} tool(s) imported`);
      for (const k of ['hosted', 'approvals', 'hosted-tool']) void qc.invalidateQueries({ queryKey: [k] });
      // Discover again so the list marks what is now imported.
      void found.refetch();
    },
  });
  const toggle = (name: string, on: boolean) =>
    setPicked((p) => {
      const next = new Set(p);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });
  return (
    <div className="stack">
      <p className="muted small">
        <code className="break">{source.url}</code> · {transportLabel(source.transport)}
      </p>
      {result && <ImportOutcome result={result} />}
      <QueryView query={found} loading={`Connecting to ${source.name}…`}>
        {(d) => <ToolChoices discovery={d} picked={picked} onToggle={toggle} readOnly={!can('write')} />}
      </QueryView>
      {found.error != null && <SourceErrorHelp error={found.error} server={source.server} />}
      {found.data && can('write') && (
        <form
          className="toolbar"
          aria-label="Import tools"
          onSubmit={(e) => {
            e.preventDefault();
            importing.mutate([...picked]);
          }}
        >
          <Button type="submit" variant="primary" busy={importing.isPending} disabled={picked.size === 0}>
            Import selected ({picked.size})
          </Button>
          <Button onClick={() => void found.refetch()} busy={found.isFetching}>
            Discover again
          </Button>
        </form>
      )}
      <FormError error={importing.error} />
    </div>
  );
}

function ToolChoices({ discovery: d, picked, onToggle, readOnly }: { discovery: Discovery; picked: Set<string>; onToggle: (name: string, on: boolean) => void; readOnly: boolean }) {
  if (d.tools.length === 0) return <Empty title="The source offers no tools" />;
  return (
    <>
      <p className="small">
        {d.server_info.name ?? 'The source'}
        {d.server_info.version ? ` ${d.server_info.version}` : ''} offers {d.tools.length} tool(s). Imported ones can be imported again to pick up changes.
      </p>
      <ul className="plain stack-sm" aria-label="Tools on the source">
        {d.tools.map((t) => (
          <li key={t.name} className="discovered">
            <Checkbox
              checked={picked.has(t.name)}
              disabled={readOnly}
              onChange={(e) => onToggle(t.name, e.target.checked)}
              aria-label={`Import ${t.name}`}
              label={
                <>
                  <span className="mono strong">{t.name}</span>{' '}
                  {t.imported ? (
                    <>
                      <Badge tone="ok">imported</Badge> {t.status && <Badge tone={TOOL_STATUS_TONE[t.status]}>{t.status.replace('_', ' ')}</Badge>} {t.up_to_date === false && <Badge tone="warn">changed on the source</Badge>}
                    </>
                  ) : (
                    <Badge>new</Badge>
                  )}
                </>
              }
              hint={t.description ?? t.title ?? 'No description'}
            />
          </li>
        ))}
      </ul>
    </>
  );
}

function ImportOutcome({ result }: { result: ImportResult }) {
  return (
    <section className="result result-ok" aria-label="Imported" aria-live="polite">
      <p className="result-head">
        <strong>Imported {result.items.length} tool(s)</strong> <span className="muted">· an admin approves them on the Approvals page</span>
      </p>
      <ul className="plain">
        {result.items.map((i) => (
          <li key={i.tool.id}>
            <Link to={`/hosted/${encodeURIComponent(i.tool.server)}/tools/${encodeURIComponent(i.tool.id)}`} className="mono strong">
              {i.tool.name}
            </Link>{' '}
            <span className="muted small">
              from {i.source_tool} · {i.action} · v{i.tool.version}
            </span>{' '}
            <Badge tone={TOOL_STATUS_TONE[i.tool.status]}>{i.tool.status.replace('_', ' ')}</Badge>
          </li>
        ))}
      </ul>
    </section>
  );
}
