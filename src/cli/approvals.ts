import { loadConfig } from '../config/index.js';
import type { Output } from './commands.js';
import { openGatewayClient, type GatewayClient } from './gateway-client.js';
import { renderTable, truncate } from './table.js';

export const APPROVALS_USAGE = `  switchboard approvals list [--json] [--url URL]
  switchboard approvals approve ID [--reason TEXT] [--json] [--url URL]
  switchboard approvals reject ID --reason TEXT [--json] [--url URL]`;

export interface ApprovalsFlags {
  config?: string | undefined;
  url?: string | undefined;
  reason?: string | undefined;
  json: boolean;
}

interface PendingTool {
  id: string;
  server: string;
  name: string;
  kind?: string;
  version: number;
  submitted_by: string;
  submitted_via: string;
  publish_requested_at: string | null;
  updated_at: string;
}

interface PendingRequest {
  id: string;
  kind: 'module' | 'network';
  server: string;
  target: string;
  requested_by: string;
  requested_via: string;
  created_at: string;
}

/** One row of `approvals list`: a tool in review, or a module or network-access request. */
interface Pending {
  id: string;
  type: 'tool' | 'module' | 'network';
  server: string;
  subject: string;
  submitted_by: string;
  via: string;
  at: string;
}

class Failed extends Error {}

async function call(client: GatewayClient, path: string, init?: { method: string; body: unknown }): Promise<unknown> {
  const { status, body } = await client.api(path, init);
  if (status >= 200 && status < 300) return body;
  const e = (body as { error?: { code?: string; message?: string; hint?: string } } | undefined)?.error;
  throw new Failed(`${e?.code ?? `HTTP ${status}`}: ${e?.message ?? 'the request failed'}${e?.hint ? `\n  hint: ${e.hint}` : ''}`);
}

async function pending(client: GatewayClient): Promise<Pending[]> {
  const tools = ((await call(client, '/api/approvals/tools')) as { items: PendingTool[] }).items;
  const requests = await Promise.all((['modules', 'network'] as const).map(async (path) => ((await call(client, `/api/approvals/${path}?status=pending`)) as { items: PendingRequest[] }).items));
  return [
    ...tools.map((t): Pending => ({ id: t.id, type: 'tool', server: t.server, subject: `${t.name} v${t.version}${t.kind === 'external' ? ' (imported)' : ''}`, submitted_by: t.submitted_by, via: t.submitted_via, at: t.publish_requested_at ?? t.updated_at })),
    ...requests.flat().map((r): Pending => ({ id: r.id, type: r.kind, server: r.server, subject: r.target, submitted_by: r.requested_by, via: r.requested_via, at: r.created_at })),
  ];
}

/** `switchboard approvals list|approve|reject`: the approval workflow through the gateway's REST API. */
export async function approvalsCommand(args: string[], o: ApprovalsFlags, dataDir: string, io: Output): Promise<number> {
  const [sub, id, extra] = args;
  const usage = (why: string) => (io.err(`SWB_INVALID_ARGUMENT: ${why}\nusage:\n${APPROVALS_USAGE}`), 2);
  if (sub !== 'list' && sub !== 'approve' && sub !== 'reject') return usage(sub ? `unknown subcommand '${sub}'` : 'a subcommand is needed');
  if (sub === 'list' && id !== undefined) return usage('list takes no ID');
  if (sub !== 'list' && (!id || extra !== undefined)) return usage(`${sub} needs exactly one ID`);
  if (sub === 'reject' && !o.reason?.trim()) return usage('reject needs --reason TEXT');
  const { config } = await loadConfig(o.config);
  const url = (o.url ?? `http://${config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host}:${config.http.port}`).replace(/\/+$/, '');
  const client = await openGatewayClient(url, process.env['SWITCHBOARD_API_KEY'] ?? config.apiKey, config, dataDir);
  try {
    if (sub === 'list') {
      const rows = await pending(client);
      if (o.json) io.out(JSON.stringify(rows, null, 2));
      else {
        io.out(renderTable(['ID', 'TYPE', 'SERVER', 'WHAT', 'SUBMITTED BY', 'VIA', 'AT'], rows.map((r) => [r.id, r.type, r.server, truncate(r.subject, 60), r.submitted_by, r.via, r.at])));
        io.out(`\n${rows.length} waiting for a decision`);
      }
      return 0;
    }
    // The id names a tool or a request: a pending request goes to its own endpoint, anything else to the tools'.
    const found = (await pending(client)).find((p) => p.id === id);
    const path = found && found.type !== 'tool' ? `/api/approvals/${found.type === 'module' ? 'modules' : 'network'}/${encodeURIComponent(id!)}/action` : `/api/approvals/tools/${encodeURIComponent(id!)}/action`;
    const body = { action: sub, ...(o.reason?.trim() ? { reason: o.reason.trim() } : {}) };
    const result = (await call(client, path, { method: 'POST', body })) as { name?: string; target?: string; status: string; server: string };
    if (o.json) io.out(JSON.stringify(result, null, 2));
    else io.out(`${sub === 'approve' ? 'Approved' : 'Rejected'} ${found?.type ?? 'tool'} ${result.server}/${result.name ?? result.target ?? id}: now ${result.status}`);
    return 0;
  } catch (err) {
    if (err instanceof Failed) {
      io.err(err.message);
      return 1;
    }
    throw err;
  } finally {
    await client.close();
  }
}
