import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { GatewayCore } from './gateway.js';
import { LOCAL_CALLER } from './sessions.js';

/**
 * Serve the aggregated catalogue over this process's stdin/stdout (for clients that launch a command).
 * Whoever can start the process already has the operator's rights, so the session has full access.
 */
export async function serveStdio(core: GatewayCore): Promise<{ closed: Promise<void> }> {
  const session = core.createSession('stdio', 'stdio', LOCAL_CALLER);
  core.register(session);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.on('end', () => resolve());
  });
  await session.server.connect(transport);
  return { closed };
}
