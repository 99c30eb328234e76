import { useEffect, useState } from 'react';
import { useQueries, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Tool } from '../api/types';
import { useAuth } from '../auth';
import { Link, setQueryParam, useLocation } from '../router';
import { Badge, Button, TextField } from '../ui/controls';
import { Drawer } from '../ui/overlay';
import { Empty, Loading, QueryView } from '../ui/states';
import { InvokePanel } from './tool-invoke';
import { scoreTool } from './tool-search';

interface Hit {
  server: string;
  tool: Tool;
  score: number;
  /** Found by the gateway's search but not among the upstream servers listed here (e.g. a hosted tool). */
  external?: boolean;
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** Every tool of every server in one searchable list (what a client would see, plus disabled ones). */
export function ToolsPage() {
  const { can } = useAuth();
  const { query } = useLocation();
  const [text, setText] = useState(query.get('q') ?? '');
  const [invoking, setInvoking] = useState<Hit | undefined>();
  const servers = useQuery({ queryKey: ['servers', 'all'], queryFn: () => api.get('/api/servers', { query: { page_size: 200 } }) });
  const names = (servers.data?.items ?? []).filter((s) => s.health.admin_state === 'enabled').map((s) => s.name);
  const lists = useQueries({ queries: names.map((name) => ({ queryKey: ['server', name, 'tools'], queryFn: () => api.get('/api/servers/{name}/tools', { path: { name } }) })) });
  const loading = lists.some((l) => l.isPending);
  const all = lists.flatMap((l) => (l.data ? l.data.tools.map((tool) => ({ server: l.data.server, tool })) : []));
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const q = useDebounced(text.trim(), 250);
  // The gateway's search (stemming, synonyms, typo tolerance) ranks when the caller may use it;
  // otherwise, and for browsing, the console ranks the listed tools itself.
  const ranked = useQuery({ queryKey: ['tool-search', q], queryFn: () => api.get('/api/tools/search', { query: { q, limit: 50 } }), enabled: q !== '' && can('execute'), retry: false });
  const byName = new Map(all.map((h) => [`${h.server}/${h.tool.name}`, h]));
  // A few hundred tools at most: ranking on every render costs less than memoising it correctly.
  const hits: Hit[] =
    q !== '' && ranked.data
      ? ranked.data.results.map((r): Hit => {
          const known = byName.get(`${r.server}/${r.original_name}`);
          return known ? { ...known, score: r.score } : { server: r.server, tool: { name: r.original_name, exposed_name: r.name, title: r.title, description: r.description, input_schema: null, disabled: false }, score: r.score, external: true };
        })
      : all
          .map((h) => ({ ...h, score: scoreTool(h.tool, h.server, words) }))
          .filter((h) => h.score > 0)
          .sort((a, b) => b.score - a.score || a.server.localeCompare(b.server) || a.tool.name.localeCompare(b.tool.name));

  return (
    <div className="page">
      <h1>Tools</h1>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQueryParam('q', text);
        }}
      >
        <TextField label="Search tools" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. echo, read file, memory" hint="Matches tool names, titles, descriptions and server names. Press / to jump here." data-search="" />
      </form>
      <QueryView query={servers}>
        {() =>
          names.length === 0 ? (
            <Empty title="No enabled servers" action={can('write') ? <Link to="/servers/new" className="btn btn-primary">Add a server</Link> : undefined}>
              Tools come from the servers the gateway connects to.
            </Empty>
          ) : (
            <>
              <p className="muted" role="status">
                {loading ? 'Loading tools…' : `${hits.length} of ${all.length} tools${q && ranked.data ? ', ranked by relevance' : ''}`}
              </p>
              {loading && all.length === 0 ? (
                <Loading />
              ) : hits.length === 0 ? (
                <Empty title="No tool matches">Try fewer or shorter words.</Empty>
              ) : (
                <ul className="tool-list" aria-label="Matching tools">
                  {hits.slice(0, 200).map((h) => (
                    <li key={`${h.server}/${h.tool.name}`} className={`tool ${h.tool.disabled ? 'tool-off' : ''}`}>
                      <div className="tool-main">
                        <div>
                          <span className="mono strong">{h.tool.exposed_name ?? h.tool.name}</span> {h.tool.disabled && <Badge>disabled</Badge>}
                          <span className="muted small">
                            {' '}
                            on <Link to={`/servers/${encodeURIComponent(h.server)}?tab=tools`}>{h.server}</Link>
                          </span>
                        </div>
                        <p className="muted small clamp">{h.tool.description ?? 'No description'}</p>
                      </div>
                      {can('execute') && !h.tool.disabled && !h.external && (
                        <Button onClick={() => setInvoking(h)} aria-label={`Invoke ${h.tool.name} on ${h.server}`}>
                          Invoke
                        </Button>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )
        }
      </QueryView>
      <Drawer open={invoking !== undefined} title={`Invoke ${invoking?.tool.name ?? ''}`} onClose={() => setInvoking(undefined)}>
        {invoking && <InvokePanel key={`${invoking.server}/${invoking.tool.name}`} server={invoking.server} tool={invoking.tool} />}
      </Drawer>
    </div>
  );
}
