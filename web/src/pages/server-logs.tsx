import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { Checkbox, SelectField } from '../ui/controls';
import { formatTime } from '../ui/format';
import { Empty, QueryView } from '../ui/states';

/** The tail of a server's stderr (secrets masked by the gateway) and its recent state changes. */
export function ServerLogs({ name }: { name: string }) {
  const [lines, setLines] = useState('200');
  const [follow, setFollow] = useState(true);
  const logs = useQuery({ queryKey: ['server', name, 'logs', lines], queryFn: () => api.get('/api/servers/{name}/logs', { path: { name }, query: { lines: Number(lines) } }), refetchInterval: follow ? 2000 : false });
  const end = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (follow && end.current) end.current.scrollTop = end.current.scrollHeight;
  }, [logs.data, follow]);

  return (
    <div className="stack">
      <div className="toolbar">
        <SelectField label="Lines" value={lines} onChange={(e) => setLines(e.target.value)} options={['50', '200', '1000']} />
        <Checkbox label="Follow (refresh every 2 s)" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
      </div>
      <QueryView query={logs}>
        {(l) => (
          <div className="grid-2 wide-left">
            <section aria-label="Output">
              {l.lines.length === 0 ? (
                <Empty title="No output yet">Remote servers have no stderr; local servers show theirs here.</Empty>
              ) : (
                <pre className="log" ref={end} tabIndex={0} aria-label={`Last ${l.lines.length} lines of output`}>
                  {l.dropped_lines > 0 && `… ${l.dropped_lines} earlier lines dropped\n`}
                  {l.lines.map((x) => `${x.at.slice(11, 19)}  ${x.line}`).join('\n')}
                </pre>
              )}
            </section>
            <section aria-labelledby="ev-h">
              <h2 id="ev-h">State changes</h2>
              {l.events.length === 0 ? (
                <p className="muted">None recorded.</p>
              ) : (
                <ol className="timeline">
                  {[...l.events].reverse().map((e, i) => (
                    <li key={`${e.at}${i}`}>
                      <span className="mono">{e.state}</span> <span className="muted small">{formatTime(e.at)}</span>
                    </li>
                  ))}
                </ol>
              )}
            </section>
          </div>
        )}
      </QueryView>
    </div>
  );
}
