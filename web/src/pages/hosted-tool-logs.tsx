import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { HostedTool, ToolExecution } from '../api/types';
import { Badge, SelectField } from '../ui/controls';
import { formatDuration, formatTime } from '../ui/format';
import { Empty, QueryView } from '../ui/states';

/** A hosted tool's recent executions (MCP calls and test runs), newest first; secrets masked by the gateway. */
export function HostedToolLogs({ tool }: { tool: HostedTool }) {
  const [limit, setLimit] = useState('20');
  const logs = useQuery({ queryKey: ['hosted-tool', tool.id, 'logs', limit], queryFn: () => api.get('/api/tools/{id}/logs', { path: { id: tool.id }, query: { limit: Number(limit) } }), refetchInterval: 10_000 });
  return (
    <div className="stack">
      <SelectField label="Show" value={limit} onChange={(e) => setLimit(e.target.value)} options={['20', '50', '200'].map((n) => ({ value: n, label: `last ${n} runs` }))} />
      <QueryView query={logs}>
        {(l) =>
          l.items.length === 0 ? (
            <Empty title="No executions yet">Test runs and calls from MCP clients appear here with their arguments, output and timing.</Empty>
          ) : (
            <ol className="exec-list" aria-label="Executions, newest first">
              {l.items.map((x) => (
                <Execution key={x.id} run={x} />
              ))}
            </ol>
          )
        }
      </QueryView>
    </div>
  );
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

function Execution({ run: x }: { run: ToolExecution }) {
  return (
    <li>
      <details>
        <summary>
          <Badge tone={x.ok ? 'ok' : 'bad'}>{x.ok ? 'ok' : 'error'}</Badge> <Badge tone={x.mode === 'test' ? 'info' : 'neutral'}>{x.mode}</Badge> <span className="small">{formatTime(x.at)}</span>{' '}
          <span className="muted small">
            v{x.version} · {formatDuration(x.duration_ms)} · {x.caller}
          </span>
        </summary>
        <div className="stack exec-body">
          <h3 className="small">Arguments</h3>
          <pre className="result-text">{pretty(x.arguments)}</pre>
          {x.error && (
            <>
              <h3 className="small">Error</h3>
              <pre className="result-text">{x.error}</pre>
            </>
          )}
          {x.result !== null && (
            <>
              <h3 className="small">Result</h3>
              <pre className="result-text">{x.result}</pre>
            </>
          )}
          {x.stdout && (
            <>
              <h3 className="small">stdout</h3>
              <pre className="result-text">{x.stdout}</pre>
            </>
          )}
        </div>
      </details>
    </li>
  );
}
