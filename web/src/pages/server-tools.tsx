import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Server, ServerTools as ServerToolsData, Tool } from '../api/types';
import { useAuth } from '../auth';
import { Badge, Button, JsonBlock, TextField } from '../ui/controls';
import { Drawer } from '../ui/overlay';
import { Empty, QueryView } from '../ui/states';
import { useToast } from '../ui/toast';
import { InvokePanel } from './tool-invoke';

/** A server's tools: turn each on or off for everyone, look at its schema, or call it. */
export function ServerTools({ server }: { server: Server }) {
  const { can } = useAuth();
  const qc = useQueryClient();
  const toast = useToast();
  const [filter, setFilter] = useState('');
  const [invoking, setInvoking] = useState<Tool | undefined>();
  const [schemaOf, setSchemaOf] = useState<Tool | undefined>();
  const tools = useQuery({ queryKey: ['server', server.name, 'tools'], queryFn: () => api.get('/api/servers/{name}/tools', { path: { name: server.name } }) });
  const setDisabled = useMutation({
    mutationFn: (disabled: string[]) => api.put('/api/servers/{name}/tools/disabled', { path: { name: server.name }, body: { disabled_tools: disabled } }),
    // The switch flips at once; a refusal puts it back.
    onMutate: (disabled) => {
      const key = ['server', server.name, 'tools'];
      const before = qc.getQueryData<ServerToolsData>(key);
      if (before) qc.setQueryData<ServerToolsData>(key, { ...before, disabled_tools: disabled, tools: before.tools.map((t) => ({ ...t, disabled: disabled.includes(t.name) })) });
      return { before };
    },
    onSuccess: (data) => {
      qc.setQueryData(['server', server.name, 'tools'], data);
      void qc.invalidateQueries({ queryKey: ['server', server.name], exact: true });
    },
    onError: (e, _v, ctx) => {
      if (ctx?.before) qc.setQueryData(['server', server.name, 'tools'], ctx.before);
      toast.fail(e);
    },
  });

  return (
    <QueryView query={tools}>
      {(t) => {
        const q = filter.trim().toLowerCase();
        const shown = t.tools.filter((x) => !q || x.name.toLowerCase().includes(q) || (x.description ?? '').toLowerCase().includes(q));
        const toggle = (name: string, on: boolean) => setDisabled.mutate(on ? t.disabled_tools.filter((n) => n !== name) : [...t.disabled_tools, name]);
        return (
          <div className="stack">
            {!t.connected && <p className="notice">The server is not connected: the list may be incomplete until it is.</p>}
            {t.tools.length > 0 && <TextField label="Filter tools" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="name or description" data-search="" />}
            {t.tools.length === 0 ? (
              <Empty title="No tools">{t.connected ? 'This server offers no tools.' : 'Tools appear once the server connects.'}</Empty>
            ) : shown.length === 0 ? (
              <Empty title="No tool matches the filter" />
            ) : (
              <ul className="tool-list" aria-label={`Tools of ${server.name}`}>
                {shown.map((tool) => (
                  <li key={tool.name} className={`tool ${tool.disabled ? 'tool-off' : ''}`}>
                    <div className="tool-main">
                      <div>
                        <span className="mono strong">{tool.name}</span> {tool.disabled && <Badge>disabled</Badge>}
                        {tool.exposed_name && tool.exposed_name !== tool.name && <span className="muted small"> as {tool.exposed_name}</span>}
                      </div>
                      <p className="muted small clamp">{tool.description ?? 'No description'}</p>
                    </div>
                    <div className="toolbar">
                      {can('write') && (
                        <label className="switch">
                          <input type="checkbox" role="switch" checked={!tool.disabled} disabled={setDisabled.isPending} onChange={(e) => toggle(tool.name, e.target.checked)} aria-label={`${tool.name} enabled`} />
                          <span aria-hidden="true">{tool.disabled ? 'Off' : 'On'}</span>
                        </label>
                      )}
                      <Button variant="ghost" onClick={() => setSchemaOf(tool)}>
                        Schema
                      </Button>
                      {can('execute') && (
                        <Button onClick={() => setInvoking(tool)} disabled={tool.disabled || !t.connected} aria-label={`Invoke ${tool.name}`}>
                          Invoke
                        </Button>
                      )}
                    </div>
                  </li>
                ))}
              </ul>
            )}
            <Drawer open={invoking !== undefined} title={`Invoke ${invoking?.name ?? ''}`} onClose={() => setInvoking(undefined)}>
              {invoking && <InvokePanel key={invoking.name} server={server.name} tool={invoking} />}
            </Drawer>
            <Drawer open={schemaOf !== undefined} title={`Input schema of ${schemaOf?.name ?? ''}`} onClose={() => setSchemaOf(undefined)}>
              {schemaOf && <JsonBlock value={schemaOf.input_schema ?? {}} label="Input schema" />}
            </Drawer>
          </div>
        );
      }}
    </QueryView>
  );
}
