import { useState } from 'react';
import { useQueries, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Tool } from '../api/types';
import { useAuth } from '../auth';
import { Link, setQueryParam, useLocation } from '../router';
import { Badge, Button, TextField } from '../ui/controls';
import { Drawer } from '../ui/overlay';
import { Empty, Loading, QueryView } from '../ui/states';
import { InvokePanel } from './tool-invoke';

interface Hit {
  server: string;
  tool: Tool;
  score: number;
}

/** Rank by where the words occur: exact name, name, then description. Every word must occur somewhere. */
export function scoreTool(tool: Tool, server: string, words: string[]): number {
  if (words.length === 0) return 1;
  const name = (tool.exposed_name ?? tool.name).toLowerCase();
  const text = `${tool.title ?? ''} ${tool.description ?? ''} ${server}`.toLowerCase();
  let score = 0;
  for (const w of words) {
    if (name === w || tool.name.toLowerCase() === w) score += 10;
    else if (name.includes(w)) score += 5;
    else if (text.includes(w)) score += 1;
    else return 0;
  }
  return score;
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
  // A few hundred tools at most: ranking on every render costs less than memoising it correctly.
  const hits: Hit[] = all
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
        <TextField label="Search tools" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. echo, read file, memory" hint="Matches tool names, titles, descriptions and server names" data-search="" />
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
                {loading ? 'Loading tools…' : `${hits.length} of ${all.length} tools`}
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
                      {can('execute') && !h.tool.disabled && (
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
