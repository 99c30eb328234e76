import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Profile } from '../api/types';
import { useAuth } from '../auth';
import { Link, navigate } from '../router';
import { Badge, Button, SelectField, TextArea, TextField } from '../ui/controls';
import { formatTime } from '../ui/format';
import { useConfirm } from '../ui/overlay';
import { Empty, FormError, Loading, QueryView } from '../ui/states';
import { useToast } from '../ui/toast';
import { emptyPick, HINTS, isPattern, overrideCount, picksOf, previewProfile, profileUrl, rowsOf, type Hint, type KnownTool, type PickRow } from './profile-logic';

/**
 * Profiles: named virtual servers on /mcp/p/<name> that pick tools across servers by name or glob and
 * may present them under another name, title, description or annotations. Profiles written in the
 * config file are shown read-only.
 */

const HINT_LABELS: Record<(typeof HINTS)[number], string> = {
  readOnlyHint: 'Read-only',
  destructiveHint: 'Destructive',
  idempotentHint: 'Idempotent',
  openWorldHint: 'Open world',
};
const HINT_OPTIONS = [
  { value: '', label: 'as the server says' },
  { value: 'true', label: 'yes' },
  { value: 'false', label: 'no' },
];

export function ProfilesPage() {
  const { can } = useAuth();
  const profiles = useQuery({ queryKey: ['profiles'], queryFn: () => api.get('/api/profiles') });
  return (
    <div className="page">
      <div className="page-head">
        <h1>Profiles</h1>
        {can('admin') && (
          <Link to="/profiles/new" className="btn btn-primary">
            New profile
          </Link>
        )}
      </div>
      <p className="muted">
        A profile is a virtual MCP server on its own URL that offers a chosen set of tools from any server — for example only the read-only tools for one client — optionally renamed or re-described.
      </p>
      <QueryView query={profiles}>
        {(list) =>
          list.items.length === 0 ? (
            <Empty
              title="No profiles yet"
              action={
                can('admin') ? (
                  <Link to="/profiles/new" className="btn">
                    Create a profile
                  </Link>
                ) : undefined
              }
            >
              Clients connected to <code>/mcp</code> see every tool they may use; a profile narrows that to a list you choose.
            </Empty>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="sr-only">Profiles</caption>
                <thead>
                  <tr>
                    <th scope="col">Profile</th>
                    <th scope="col">MCP URL</th>
                    <th scope="col" className="num">
                      Picks
                    </th>
                    <th scope="col" className="hide-narrow">
                      Source
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((p) => (
                    <tr key={p.name}>
                      <td>
                        <Link to={`/profiles/${encodeURIComponent(p.name)}`} className="strong">
                          {p.name}
                        </Link>
                        {p.description && <div className="small muted clamp">{p.description}</div>}
                      </td>
                      <td className="mono small break">{profileUrl(location.origin, p.endpoint)}</td>
                      <td className="num">{p.tools.length}</td>
                      <td className="hide-narrow">{p.source === 'config' ? <Badge>config file</Badge> : <span className="small muted">{p.created_by ?? '—'}</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
    </div>
  );
}

/**
 * `/profiles/new` (name omitted) or `/profiles/:name`. A change made elsewhere (another admin, the
 * CLI; `profiles.changed` on the event stream refetches it) replaces the form at once, unless the form
 * has unsaved edits: then a notice offers to load it.
 */
export function ProfilePage({ name }: { name?: string }) {
  const profile = useQuery({ queryKey: ['profiles', name], queryFn: () => api.get('/api/profiles/{name}', { path: { name: name! } }), enabled: name !== undefined });
  const [shown, setShown] = useState<Profile | undefined>();
  const [dirty, setDirty] = useState(false);
  const latest = profile.data;
  useEffect(() => {
    if (latest && (!shown || shown.name !== latest.name || !dirty)) setShown(latest);
  }, [latest, shown, dirty]);
  const stale = latest && shown && latest.name === shown.name && latest.updated_at !== shown.updated_at;
  return (
    <div className="page">
      <p className="crumbs">
        <Link to="/profiles">Profiles</Link> / {name ?? 'new'}
      </p>
      {name === undefined ? (
        <ProfileEditor />
      ) : (
        <QueryView query={profile}>
          {() =>
            shown && (
              <>
                {stale && (
                  <div className="notice toolbar" role="status">
                    <span>This profile was changed elsewhere since you started editing.</span>
                    <Button onClick={() => (setDirty(false), setShown(latest))}>Load the new version (discard my edits)</Button>
                  </div>
                )}
                <ProfileEditor key={shown.updated_at ?? shown.name} profile={shown} onDirty={setDirty} onSaved={(p) => (setDirty(false), setShown(p))} />
              </>
            )
          }
        </QueryView>
      )}
    </div>
  );
}

function ProfileEditor({ profile, onDirty, onSaved }: { profile?: Profile; onDirty?: (dirty: boolean) => void; onSaved?: (p: Profile) => void }) {
  const { can } = useAuth();
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const readOnly = !can('admin') || profile?.source === 'config';
  const [name, setName] = useState(profile?.name ?? '');
  const [description, setDescription] = useState(profile?.description ?? '');
  const [rows, setRows] = useState<PickRow[]>(() => (profile ? rowsOf(profile.tools) : [emptyPick()]));
  const picks = picksOf(rows);
  const [initial] = useState(() => JSON.stringify([description.trim(), picks]));
  const dirty = JSON.stringify([description.trim(), picks]) !== initial;
  useEffect(() => onDirty?.(dirty), [dirty, onDirty]);
  const save = useMutation({
    mutationFn: () => {
      const body = { ...(description.trim() ? { description: description.trim() } : {}), tools: picks };
      return profile ? api.put('/api/profiles/{name}', { path: { name: profile.name }, body }) : api.post('/api/profiles', { body: { name: name.trim(), ...body } });
    },
    onSuccess: (p) => {
      qc.setQueryData(['profiles', p.name], p);
      onSaved?.(p);
      void qc.invalidateQueries({ queryKey: ['profiles'] });
      toast.ok(profile ? `${p.name} saved` : `${p.name} created`);
      if (!profile) navigate(`/profiles/${encodeURIComponent(p.name)}`, { replace: true });
    },
  });
  const remove = useMutation({
    mutationFn: () => api.delete('/api/profiles/{name}', { path: { name: profile!.name } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['profiles'] });
      toast.ok(`${profile!.name} deleted`);
      navigate('/profiles');
    },
    onError: (e) => toast.fail(e),
  });
  const update = (key: number, patch: Partial<PickRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const url = profileUrl(location.origin, profile?.endpoint ?? `/mcp/p/${name.trim() || '<name>'}`);

  return (
    <>
      <div className="page-head">
        <div>
          <h1>{profile ? profile.name : 'New profile'}</h1>
          <p className="muted">
            MCP URL: <code className="break">{url}</code>{' '}
            {profile && (
              <Button variant="ghost" onClick={() => void navigator.clipboard?.writeText(url).then(() => toast.ok('Copied'), () => toast.fail('Copy failed: select the text and copy it'))} aria-label="Copy the MCP URL">
                Copy
              </Button>
            )}
          </p>
          {profile?.source === 'config' && <p className="notice">Written in the config file: change it there (this page is read-only).</p>}
          {profile?.updated_at && (
            <p className="small muted">
              Last changed {formatTime(profile.updated_at)}
              {profile.created_by ? ` · created by ${profile.created_by}` : ''}
            </p>
          )}
        </div>
        {profile && !readOnly && (
          <div className="toolbar">
            <Button
              variant="danger"
              busy={remove.isPending}
              onClick={async () => {
                if (await confirm({ title: `Delete ${profile.name}?`, body: `Clients connected to ${profile.endpoint} lose its tools at once.`, confirmLabel: 'Delete', danger: true })) remove.mutate();
              }}
            >
              Delete
            </Button>
          </div>
        )}
      </div>
      <div className="grid-2 wide-left">
        <form className="stack" onSubmit={submit} aria-label={profile ? `Edit profile ${profile.name}` : 'New profile'} noValidate>
          <section className="card stack" aria-labelledby="prof-about">
            <h2 id="prof-about">About</h2>
            {!profile && <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} required className="mono" hint="Letters, digits, - and _ (up to 64); part of the URL" autoFocus />}
            <TextArea label="Description" value={description} onChange={(e) => setDescription(e.target.value)} rows={2} disabled={readOnly} />
          </section>
          <section className="card stack" aria-labelledby="prof-picks">
            <h2 id="prof-picks">Tools</h2>
            <p className="muted small">
              Each pick matches exposed tool names (<code>memory__*</code>, <code>everything__echo</code>) or, with a slash, a server and its own tool names (<code>github/create_*</code>). Picks apply in order; a tool picked twice keeps the first.
            </p>
            <ol className="pick-list" aria-label="Picks">
              {rows.map((r, i) => (
                <PickEditor key={r.key} row={r} index={i} readOnly={readOnly} onChange={(patch) => update(r.key, patch)} onRemove={rows.length > 1 ? () => setRows((rs) => rs.filter((x) => x.key !== r.key)) : undefined} />
              ))}
            </ol>
            {!readOnly && (
              <div className="toolbar">
                <Button onClick={() => setRows((rs) => [...rs, emptyPick()])}>Add a pick</Button>
              </div>
            )}
          </section>
          <FormError error={save.error} />
          {!readOnly && (
            <div className="toolbar">
              <Button type="submit" variant="primary" busy={save.isPending}>
                {profile ? 'Save profile' : 'Create profile'}
              </Button>
            </div>
          )}
        </form>
        <ProfilePreview rows={rows} />
      </div>
    </>
  );
}

function PickEditor({ row: r, index, readOnly, onChange, onRemove }: { row: PickRow; index: number; readOnly: boolean; onChange: (patch: Partial<PickRow>) => void; onRemove?: () => void }) {
  const n = index + 1;
  const count = overrideCount(r);
  const [openAtFirst] = useState(count > 0);
  return (
    <li className="pick">
      <div className="inline-form">
        <TextField label={`Pick ${n}: match`} value={r.match} onChange={(e) => onChange({ match: e.target.value })} required className="mono" placeholder="server__* or server/tool_name" disabled={readOnly} />
        {onRemove && !readOnly && (
          <Button variant="ghost" onClick={onRemove} aria-label={`Remove pick ${n}`}>
            Remove
          </Button>
        )}
      </div>
      {/* Open at first when something is overridden; afterwards the user decides (React never sets it again). */}
      <details open={openAtFirst || undefined}>
        <summary>
          Overrides for pick {n}
          {count > 0 && <span className="muted small"> ({count} set)</span>}
        </summary>
        <div className="stack">
          <TextField
            label={`Pick ${n}: present as`}
            value={r.name}
            onChange={(e) => onChange({ name: e.target.value })}
            className="mono"
            disabled={readOnly}
            hint={isPattern(r.match) ? 'Renaming needs a match without wildcards (one tool)' : 'Another tool name for clients of this profile'}
          />
          <TextField label={`Pick ${n}: title`} value={r.title} onChange={(e) => onChange({ title: e.target.value })} disabled={readOnly} />
          <TextArea label={`Pick ${n}: description`} value={r.description} onChange={(e) => onChange({ description: e.target.value })} rows={2} disabled={readOnly} />
          <TextField label={`Pick ${n}: annotation title`} value={r.annotationTitle} onChange={(e) => onChange({ annotationTitle: e.target.value })} disabled={readOnly} />
          <div className="grid-2">
            {HINTS.map((h) => (
              <SelectField key={h} label={`Pick ${n}: ${HINT_LABELS[h]}`} value={r.hints[h]} options={HINT_OPTIONS} disabled={readOnly} onChange={(e) => onChange({ hints: { ...r.hints, [h]: e.target.value as Hint } })} />
            ))}
          </div>
        </div>
      </details>
    </li>
  );
}

/** What the picks select among the tools the servers offer right now (the gateway has the last word). */
function ProfilePreview({ rows }: { rows: PickRow[] }) {
  const servers = useQuery({ queryKey: ['servers', 'all'], queryFn: () => api.get('/api/servers', { query: { page_size: 200 } }) });
  const names = (servers.data?.items ?? []).filter((s) => s.health.admin_state === 'enabled').map((s) => s.name);
  const lists = useQueries({ queries: names.map((name) => ({ queryKey: ['server', name, 'tools'], queryFn: () => api.get('/api/servers/{name}/tools', { path: { name } }) })) });
  const tools: KnownTool[] = lists.flatMap((l) => (l.data ? l.data.tools.filter((t) => t.exposed_name).map((t) => ({ server: l.data.server, exposed: t.exposed_name!, original: t.name })) : []));
  const picks = picksOf(rows);
  // A few hundred tools and picks at most: cheaper to recompute than to memoise correctly.
  const preview = previewProfile(picks, tools);
  return (
    <section className="card stack" aria-labelledby="prof-preview">
      <h2 id="prof-preview">Tools it offers now</h2>
      {servers.isPending || lists.some((l) => l.isPending) ? (
        <Loading label="Loading tools…" />
      ) : servers.error ? (
        <FormError error={servers.error} />
      ) : (
        <>
          <p className="muted small" role="status">
            {preview.rows.length} tool{preview.rows.length === 1 ? '' : 's'} of {tools.length} enabled. A preview for your own access; each client sees what its key allows.
          </p>
          {picks.some((p, i) => p.match && preview.perPick[i] === 0) && (
            <p className="small notice">
              Matching nothing:{' '}
              {picks
                .map((p, i) => (p.match && preview.perPick[i] === 0 ? p.match : undefined))
                .filter(Boolean)
                .map((m) => (
                  <code key={m}>{m} </code>
                ))}
            </p>
          )}
          {preview.rows.length === 0 ? (
            <Empty title="No tools selected">Write a match on the left; globs like <code>server__*</code> pick whole servers.</Empty>
          ) : (
            <ul className="tool-list" aria-label="Tools in the profile">
              {preview.rows.slice(0, 200).map((t) => (
                <li key={t.exposed} className="tool">
                  <div className="tool-main">
                    <span className="mono strong">{t.name}</span>
                    {t.name !== t.exposed && <span className="muted small"> ← {t.exposed}</span>}
                    <span className="muted small"> · pick {t.pick + 1}</span>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
