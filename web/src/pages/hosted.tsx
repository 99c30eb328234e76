import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { HostedServer } from '../api/types';
import { useAuth } from '../auth';
import { Link, navigate, setQueryParam, useLocation } from '../router';
import { Badge, Button, SelectField, TextArea, TextField } from '../ui/controls';
import { Dialog, useConfirm } from '../ui/overlay';
import { Empty, FormError, QueryView } from '../ui/states';
import { TabPanel, Tabs } from '../ui/tabs';
import { useToast } from '../ui/toast';
import { HostedNetwork, HostedSettings } from './hosted-settings';
import { HostedSources } from './hosted-sources';
import { SecretsPanel } from './secrets';
import { LANGUAGE_LABEL, STARTER, TOOL_STATUS_TONE, type ToolLanguage } from './hosted-common';

/** Hosted servers: groups of Python or JavaScript tools written here and run in the gateway's sandbox. */

const lines = (text: string) => text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);

export function HostedPage() {
  const { can } = useAuth();
  const [creating, setCreating] = useState(false);
  const servers = useQuery({ queryKey: ['hosted'], queryFn: () => api.get('/api/hosted-servers', { query: { page_size: 200 } }) });
  return (
    <div className="page">
      <div className="page-head">
        <h1>Hosted tools</h1>
        {can('write') && (
          <Button variant="primary" onClick={() => setCreating(true)}>
            New hosted server
          </Button>
        )}
      </div>
      <p className="muted">Python and JavaScript tools written here and run in Switchboard's sandbox. A tool reaches MCP clients once an admin approves it and its server is running.</p>
      <QueryView query={servers}>
        {(list) =>
          list.items.length === 0 ? (
            <Empty title="No hosted servers yet" action={can('write') ? <Button onClick={() => setCreating(true)}>Create one</Button> : undefined}>
              A hosted server groups tools with their secrets, allowed hosts and time limit.
            </Empty>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="sr-only">Hosted servers</caption>
                <thead>
                  <tr>
                    <th scope="col">Server</th>
                    <th scope="col">State</th>
                    <th scope="col" className="num">
                      Tools (approved / listed)
                    </th>
                    <th scope="col" className="hide-narrow">
                      Allowed hosts
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((s) => (
                    <tr key={s.name}>
                      <td>
                        <Link to={`/hosted/${encodeURIComponent(s.name)}`} className="strong">
                          {s.name}
                        </Link>
                        {s.description && <div className="small muted">{s.description}</div>}
                      </td>
                      <td>{s.running ? <Badge tone="ok">running</Badge> : <Badge>stopped</Badge>}</td>
                      <td className="num">
                        {s.tools.total} ({s.tools.approved} / {s.tools.listed})
                      </td>
                      <td className="hide-narrow mono small">{s.allowed_hosts.join(', ') || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
      <Dialog open={creating} title="New hosted server" onClose={() => setCreating(false)}>
        {creating && <NewHostedServer />}
      </Dialog>
    </div>
  );
}

function NewHostedServer() {
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [hosts, setHosts] = useState('');
  const create = useMutation({
    mutationFn: () => api.post('/api/hosted-servers', { body: { name, ...(description ? { description } : {}), ...(lines(hosts).length ? { allowed_hosts: lines(hosts) } : {}) } }),
    onSuccess: (s) => {
      void qc.invalidateQueries({ queryKey: ['hosted'] });
      navigate(`/hosted/${encodeURIComponent(s.name)}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="New hosted server">
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} required pattern="[A-Za-z0-9_\-]{1,64}" hint="Also the tool-name prefix (name__tool)" autoFocus />
      <TextField label="Description" value={description} onChange={(e) => setDescription(e.target.value)} />
      <TextArea label="Allowed hosts" value={hosts} onChange={(e) => setHosts(e.target.value)} rows={2} className="mono" hint="host, *.domain or host:port, one per line; other hosts need an approved network request" />
      <FormError error={create.error} />
      <Button type="submit" variant="primary" busy={create.isPending}>
        Create
      </Button>
    </form>
  );
}

export function HostedServerPage({ name }: { name: string }) {
  const server = useQuery({ queryKey: ['hosted', name], queryFn: () => api.get('/api/hosted-servers/{name}', { path: { name } }) });
  return (
    <div className="page">
      <p className="crumbs">
        <Link to="/hosted">Hosted tools</Link> / {name}
      </p>
      <QueryView query={server}>{(s) => <HostedServerView server={s} />}</QueryView>
    </div>
  );
}

const HOSTED_TABS = [
  { id: 'tools', label: 'Tools' },
  { id: 'sources', label: 'Sources' },
  { id: 'secrets', label: 'Secrets' },
  { id: 'network', label: 'Network' },
  { id: 'settings', label: 'Settings' },
];

function HostedServerView({ server: s }: { server: HostedServer }) {
  const { can } = useAuth();
  const { query } = useLocation();
  const tab = HOSTED_TABS.some((t) => t.id === query.get('tab')) ? query.get('tab')! : 'tools';
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const [newTool, setNewTool] = useState(false);
  const [asking, setAsking] = useState<'module' | 'network' | undefined>();
  const tools = useQuery({ queryKey: ['hosted', s.name, 'tools'], queryFn: () => api.get('/api/hosted-servers/{name}/tools', { path: { name: s.name } }) });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['hosted'] });
  const run = useMutation({
    mutationFn: (op: 'start' | 'stop' | 'delete'): Promise<unknown> => (op === 'delete' ? api.delete('/api/hosted-servers/{name}', { path: { name: s.name } }) : api.post(`/api/hosted-servers/{name}/${op}` as '/api/hosted-servers/{name}/start', { path: { name: s.name } })),
    onSuccess: (_r, op) => {
      toast.ok(`${s.name}: ${op === 'delete' ? 'deleted' : op === 'start' ? 'started' : 'stopped'}`);
      refresh();
      if (op === 'delete') navigate('/hosted');
    },
    onError: (e) => toast.fail(e),
  });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>
            {s.name} {s.running ? <Badge tone="ok">running</Badge> : <Badge>stopped</Badge>}
          </h1>
          {s.description && <p className="muted">{s.description}</p>}
          {s.problem && <p className="form-error">{s.problem}</p>}
        </div>
        {can('write') && (
          <div className="toolbar wrap">
            <Button variant="primary" onClick={() => setNewTool(true)}>
              New tool
            </Button>
            <Button busy={run.isPending && run.variables !== 'delete'} onClick={() => run.mutate(s.running ? 'stop' : 'start')}>
              {s.running ? 'Stop' : 'Start'}
            </Button>
            <Button onClick={() => setAsking('module')}>Request a module</Button>
            <Button onClick={() => setAsking('network')}>Request a host</Button>
            <Button
              variant="danger"
              onClick={async () => {
                if (await confirm({ title: `Delete ${s.name}?`, body: 'Its tools, versions, requests and secrets are deleted.', confirmLabel: 'Delete', danger: true })) run.mutate('delete');
              }}
            >
              Delete
            </Button>
          </div>
        )}
      </div>
      <Tabs label="Hosted server sections" tabs={HOSTED_TABS} current={tab} onSelect={(id) => setQueryParam('tab', id === 'tools' ? undefined : id)} />
      <TabPanel id={tab}>
        {tab === 'tools' && (
            <section className="card" aria-labelledby="htools-h">
              <h2 id="htools-h">Tools</h2>
              <QueryView query={tools}>
                {(t) =>
                  t.items.length === 0 ? (
                    <Empty title="No tools yet" action={can('write') ? <Button onClick={() => setNewTool(true)}>Write the first tool</Button> : undefined}>
                      A tool is one Python file with an <code>async def main(...)</code>, or one JavaScript module with an <code>export default async function main(args)</code>; its parameters (JSDoc <code>@param</code> tags in JavaScript) become the tool's input schema. Tools of other MCP servers can be imported on the Sources tab.
                    </Empty>
                  ) : (
                    <ul className="tool-list">
                      {t.items.map((tool) => (
                        <li key={tool.id} className="tool">
                          <div className="tool-main">
                            <Link to={`/hosted/${encodeURIComponent(s.name)}/tools/${encodeURIComponent(tool.id)}`} className="mono strong">
                              {tool.name}
                            </Link>{' '}
                            <Badge tone={TOOL_STATUS_TONE[tool.status]}>{tool.status.replace('_', ' ')}</Badge> <span className="muted small">v{tool.version}</span> {tool.kind !== 'external' && tool.language === 'javascript' && <Badge>JavaScript</Badge>} {tool.listed && <Badge tone="info">listed</Badge>}{' '}
                            {tool.kind === 'external' && <Badge title="Forwards calls to a tool of an external MCP source">imported from {tool.external?.source ?? 'a deleted source'}</Badge>}
                            <p className="muted small clamp">{tool.description ?? 'No description'}</p>
                          </div>
                        </li>
                      ))}
                    </ul>
                  )
                }
              </QueryView>
            </section>
        )}
        {tab === 'secrets' && (
          <div className="stack">
            <p className="muted">
              Tools read these with <code>secrets["NAME"]</code>; values are write-only and masked in execution logs.
            </p>
            <SecretsPanel server={s.name} />
          </div>
        )}
        {tab === 'sources' && <HostedSources server={s.name} />}
        {tab === 'network' && <HostedNetwork server={s} onAsk={() => setAsking('network')} />}
        {tab === 'settings' && <HostedSettings server={s} />}
      </TabPanel>
      <Dialog open={newTool} title={`New tool on ${s.name}`} onClose={() => setNewTool(false)}>
        {newTool && <NewTool server={s.name} />}
      </Dialog>
      <Dialog open={asking !== undefined} title={asking === 'module' ? 'Request a Python module' : 'Request network access'} onClose={() => setAsking(undefined)}>
        {asking && <AccessRequestForm server={s.name} kind={asking} onDone={() => setAsking(undefined)} />}
      </Dialog>
    </>
  );
}

function NewTool({ server }: { server: string }) {
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [language, setLanguage] = useState<ToolLanguage>('python');
  const create = useMutation({
    mutationFn: () => api.post('/api/hosted-servers/{name}/tools', { path: { name: server }, body: { name, code: STARTER[language], language } }),
    onSuccess: (t) => {
      void qc.invalidateQueries({ queryKey: ['hosted'] });
      navigate(`/hosted/${encodeURIComponent(server)}/tools/${encodeURIComponent(t.id)}`);
    },
  });
  return (
    <form
      className="stack"
      aria-label="New tool"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <TextField label="Tool name" value={name} onChange={(e) => setName(e.target.value)} required hint="Starts from a small example you then edit" autoFocus />
      <SelectField
        label="Language"
        value={language}
        onChange={(e) => setLanguage(e.target.value as ToolLanguage)}
        options={(Object.keys(LANGUAGE_LABEL) as ToolLanguage[]).map((l) => ({ value: l, label: LANGUAGE_LABEL[l] }))}
        hint={language === 'javascript' ? 'Runs in QuickJS: export default async function main(args); JSDoc @param tags give the input schema' : 'Runs in Pyodide: async def main(...); its parameters give the input schema'}
      />
      <FormError error={create.error} />
      <Button type="submit" variant="primary" busy={create.isPending}>
        Create and open the editor
      </Button>
    </form>
  );
}

function AccessRequestForm({ server, kind, onDone }: { server: string; kind: 'module' | 'network'; onDone: () => void }) {
  const toast = useToast();
  const [target, setTarget] = useState('');
  const [why, setWhy] = useState('');
  const ask = useMutation({
    mutationFn: () =>
      kind === 'module'
        ? api.post('/api/hosted-servers/{name}/module-requests', { path: { name: server }, body: { module: target, justification: why } })
        : api.post('/api/hosted-servers/{name}/network-requests', { path: { name: server }, body: { host: target, justification: why } }),
    onSuccess: () => {
      toast.ok('Request sent to the admins');
      onDone();
    },
  });
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        ask.mutate();
      }}
    >
      <TextField label={kind === 'module' ? 'Module' : 'Host'} value={target} onChange={(e) => setTarget(e.target.value)} required className="mono" placeholder={kind === 'module' ? 'xml.etree.ElementTree' : 'api.example.com:443'} autoFocus />
      <TextArea label="Why it is needed" value={why} onChange={(e) => setWhy(e.target.value)} required rows={3} />
      <FormError error={ask.error} />
      <Button type="submit" variant="primary" busy={ask.isPending}>
        Send request
      </Button>
    </form>
  );
}
