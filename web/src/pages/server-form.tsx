import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { NewServer, Server } from '../api/types';
import { Link, navigate } from '../router';
import { Button, Checkbox, SelectField, TextArea, TextField } from '../ui/controls';
import { FormError, QueryView } from '../ui/states';
import { useToast } from '../ui/toast';

/**
 * Add a server (stdio, Streamable HTTP or SSE) or edit a stored one. Checked here for the obvious
 * mistakes, then by the gateway, whose issues are shown by field path. Editing sends only what
 * changed (PATCH), because the gateway masks env and header values it shows.
 */

type Transport = 'stdio' | 'streamable-http' | 'sse';
const MASK = '********';

interface Draft {
  name: string;
  transport: Transport;
  command: string;
  args: string;
  cwd: string;
  env: string;
  url: string;
  headers: string;
  alias: string;
  timeout: string;
  description: string;
  enabled: boolean;
}

const EMPTY: Draft = { name: '', transport: 'stdio', command: '', args: '', cwd: '', env: '', url: '', headers: '', alias: '', timeout: '', description: '', enabled: true };

function fromServer(s: Server): Draft {
  return {
    name: s.name,
    transport: s.transport,
    command: s.command ?? '',
    args: s.args.join('\n'),
    cwd: s.cwd ?? '',
    env: Object.entries(s.env).map(([k, v]) => `${k}=${v}`).join('\n'),
    url: s.url ?? '',
    headers: Object.entries(s.headers).map(([k, v]) => `${k}: ${v}`).join('\n'),
    alias: s.alias ?? '',
    timeout: String(s.timeout_ms),
    description: s.description ?? '',
    enabled: s.enabled,
  };
}

function pairs(text: string, sep: '=' | ':'): { map: Record<string, string>; bad?: string } {
  const map: Record<string, string> = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const i = line.indexOf(sep);
    if (i <= 0) return { map, bad: line };
    map[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return { map };
}

/** Client-side checks; the gateway validates again. */
function validateDraft(d: Draft, editing: boolean): Record<string, string> {
  const e: Record<string, string> = {};
  if (!editing && !/^[A-Za-z0-9_-]{1,64}$/.test(d.name)) e['name'] = 'Up to 64 letters, digits, - and _';
  if (d.transport === 'stdio' && d.command.trim() === '') e['command'] = 'A command is needed for a local server';
  if (d.transport !== 'stdio') {
    try {
      const u = new URL(d.url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') e['url'] = 'http:// or https:// URL';
    } catch {
      e['url'] = 'A full URL, e.g. https://mcp.example.com/mcp';
    }
  }
  if (pairs(d.env, '=').bad) e['env'] = `Expected NAME=value, got "${pairs(d.env, '=').bad}"`;
  if (pairs(d.headers, ':').bad) e['headers'] = `Expected Name: value, got "${pairs(d.headers, ':').bad}"`;
  if (d.alias && !/^[A-Za-z0-9_-]{1,64}$/.test(d.alias)) e['alias'] = 'Up to 64 letters, digits, - and _';
  if (d.timeout && !(Number.isInteger(Number(d.timeout)) && Number(d.timeout) > 0)) e['timeout'] = 'Milliseconds, a positive whole number';
  return e;
}

function toBody(d: Draft): NewServer {
  const body: NewServer = { name: d.name, transport: d.transport, enabled: d.enabled };
  if (d.transport === 'stdio') {
    body.command = d.command.trim();
    body.args = d.args.split('\n').map((a) => a.trim()).filter(Boolean);
    if (d.cwd.trim()) body.cwd = d.cwd.trim();
    body.env = pairs(d.env, '=').map;
  } else {
    body.url = d.url.trim();
    body.headers = pairs(d.headers, ':').map;
  }
  if (d.alias.trim()) body.alias = d.alias.trim();
  if (d.timeout.trim()) body.timeout_ms = Number(d.timeout);
  if (d.description.trim()) body.description = d.description.trim();
  return body;
}

/** Only the fields that differ from the stored server; cleared optional fields become null. */
function patchOf(before: Draft, after: Draft): Record<string, unknown> {
  const a = toBody(after) as Record<string, unknown>;
  const b = toBody(before) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (key === 'name' || JSON.stringify(a[key]) === JSON.stringify(b[key])) continue;
    // Cleared scalars are null; lists and maps (not nullable) become empty.
    out[key] = a[key] !== undefined ? a[key] : Array.isArray(b[key]) ? [] : typeof b[key] === 'object' ? {} : null;
  }
  return out;
}

export function ServerFormPage({ name }: { name?: string }) {
  const existing = useQuery({ queryKey: ['server', name], queryFn: () => api.get('/api/servers/{name}', { path: { name: name! } }), enabled: name !== undefined });
  if (name === undefined) return <ServerForm />;
  return <QueryView query={existing}>{(s) => <ServerForm server={s} />}</QueryView>;
}

function ServerForm({ server }: { server?: Server }) {
  const qc = useQueryClient();
  const toast = useToast();
  const initial = server ? fromServer(server) : EMPTY;
  const [d, setD] = useState<Draft>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => setErrors({}), [d.transport]);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));
  const save = useMutation({
    mutationFn: () => (server ? api.patch('/api/servers/{name}', { path: { name: server.name }, body: patchOf(initial, d) as never }) : api.post('/api/servers', { body: toBody(d) })),
    onSuccess: (s) => {
      void qc.invalidateQueries({ queryKey: ['servers'] });
      void qc.invalidateQueries({ queryKey: ['server', s.name] });
      toast.ok(server ? `${s.name} saved` : `${s.name} added${s.quarantined ? ' (quarantined until an admin approves it)' : ''}`);
      navigate(`/servers/${encodeURIComponent(s.name)}${server ? '' : '?tab=tools'}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateDraft(d, server !== undefined);
    if (server && d.env !== initial.env && d.env.includes(MASK)) errs['env'] = `Re-enter the masked values (${MASK}) or use \${secret:NAME} placeholders`;
    if (server && d.headers !== initial.headers && d.headers.includes(MASK)) errs['headers'] = `Re-enter the masked values (${MASK}) or use \${secret:NAME} placeholders`;
    setErrors(errs);
    if (Object.keys(errs).length === 0) save.mutate();
  };
  const stdio = d.transport === 'stdio';

  return (
    <div className="page narrow">
      <p className="crumbs">
        <Link to="/servers">Servers</Link> / {server ? server.name : 'new'}
      </p>
      <h1>{server ? `Edit ${server.name}` : 'Add a server'}</h1>
      <form className="stack card" onSubmit={submit} noValidate aria-label={server ? 'Edit server' : 'Add server'}>
        {!server && <TextField label="Name" value={d.name} onChange={(e) => set('name', e.target.value)} required error={errors['name']} hint="Also the tool-name prefix (name__tool) unless an alias is set" autoFocus />}
        <SelectField
          label="Transport"
          value={d.transport}
          onChange={(e) => set('transport', e.target.value as Transport)}
          options={[
            { value: 'stdio', label: 'Local program (stdio)' },
            { value: 'streamable-http', label: 'Remote: Streamable HTTP' },
            { value: 'sse', label: 'Remote: SSE (legacy)' },
          ]}
        />
        {stdio ? (
          <>
            <TextField label="Command" value={d.command} onChange={(e) => set('command', e.target.value)} required error={errors['command']} placeholder="npx" className="mono" />
            <TextArea label="Arguments" value={d.args} onChange={(e) => set('args', e.target.value)} rows={3} hint="One per line" className="mono" placeholder={'-y\n@modelcontextprotocol/server-everything'} />
            <TextField label="Working directory" value={d.cwd} onChange={(e) => set('cwd', e.target.value)} className="mono" />
            <TextArea label="Environment" value={d.env} onChange={(e) => set('env', e.target.value)} rows={3} error={errors['env']} hint="NAME=value per line; use ${secret:NAME} for secrets (set them on the server's Secrets tab)" className="mono" />
          </>
        ) : (
          <>
            <TextField label="URL" type="url" value={d.url} onChange={(e) => set('url', e.target.value)} required error={errors['url']} placeholder="https://mcp.example.com/mcp" className="mono" />
            <TextArea label="Headers" value={d.headers} onChange={(e) => set('headers', e.target.value)} rows={3} error={errors['headers']} hint="Name: value per line; e.g. Authorization: Bearer ${secret:TOKEN}" className="mono" />
          </>
        )}
        <details>
          <summary>More options</summary>
          <div className="stack">
            <TextField label="Alias" value={d.alias} onChange={(e) => set('alias', e.target.value)} error={errors['alias']} hint="Replaces the name as the tool-name prefix" />
            <TextField label="Timeout (ms)" inputMode="numeric" value={d.timeout} onChange={(e) => set('timeout', e.target.value)} error={errors['timeout']} />
            <TextArea label="Description" value={d.description} onChange={(e) => set('description', e.target.value)} rows={2} />
          </div>
        </details>
        <Checkbox label="Enabled" checked={d.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        <FormError error={save.error} />
        <div className="toolbar">
          <Button type="submit" variant="primary" busy={save.isPending}>
            {server ? 'Save' : 'Add server'}
          </Button>
          <Link to={server ? `/servers/${encodeURIComponent(server.name)}` : '/servers'} className="btn btn-ghost">
            Cancel
          </Link>
        </div>
      </form>
    </div>
  );
}
