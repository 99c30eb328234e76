import type { GatewayClient } from './gateway-client.js';
import { renderTable, truncate } from './table.js';
import type { RawItem } from '../shared/index.js';

export interface Output {
  out(s: string): void;
  err(s: string): void;
}

/** `switchboard servers list` */
export async function serversList(client: GatewayClient, json: boolean, io: Output): Promise<number> {
  const h = await client.health();
  if (json) {
    io.out(JSON.stringify(h.servers, null, 2));
    return 0;
  }
  io.out(
    renderTable(
      ['NAME', 'TRANSPORT', 'STATE', 'HEALTH', 'TOOLS', 'SUMMARY'],
      h.servers.map((s) => [s.name, s.transport, s.state, s.health.level, String(s.tools), truncate(`${s.health.summary}${s.health.detail ? ` — ${s.health.detail}` : ''}`, 80)]),
    ),
  );
  return 0;
}

/** `switchboard tools list [--server NAME]` */
export interface ServerFilter {
  server: string;
  /** `<alias or name><separator>`, or undefined when names are not prefixed. */
  prefix: string | undefined;
}

export async function toolsList(client: GatewayClient, filter: ServerFilter | undefined, json: boolean, io: Output): Promise<number> {
  if (filter && filter.prefix === undefined) {
    io.err('SWB_INVALID_ARGUMENT: --server needs prefixed tool names ("gateway": { "prefix": "always" })');
    return 2;
  }
  const conn = await client.mcp();
  const tools: RawItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await conn.request('tools/list', cursor ? { cursor } : undefined, { timeoutMs: 60_000 });
    tools.push(...((page['tools'] as RawItem[]) ?? []));
    cursor = typeof page['nextCursor'] === 'string' ? page['nextCursor'] : undefined;
  } while (cursor);
  let shown = tools;
  if (filter) {
    const h = await client.health();
    if (!h.servers.some((x) => x.name === filter.server)) {
      io.err(`SWB_SERVER_NOT_FOUND: no server named '${filter.server}' (see \`switchboard servers list\`)`);
      return 2;
    }
    // Whole-prefix match on the exposed name, never a substring search.
    shown = tools.filter((t) => String(t['name']).startsWith(filter.prefix!));
  }
  if (json) {
    io.out(JSON.stringify(shown, null, 2));
    return 0;
  }
  io.out(renderTable(['NAME', 'DESCRIPTION'], shown.map((t) => [String(t['name']), truncate(String(t['description'] ?? t['title'] ?? ''), 90)])));
  io.out(`\n${shown.length} tool${shown.length === 1 ? '' : 's'}`);
  return 0;
}

/** `switchboard call <name> --args '<json>'` */
export async function callTool(client: GatewayClient, name: string, argsJson: string | undefined, json: boolean, io: Output): Promise<number> {
  let args: unknown = {};
  if (argsJson !== undefined) {
    try {
      args = JSON.parse(argsJson);
    } catch (err) {
      io.err(`SWB_INVALID_ARGUMENT: --args is not valid JSON: ${(err as Error).message}`);
      return 2;
    }
    if (!args || typeof args !== 'object' || Array.isArray(args)) {
      io.err('SWB_INVALID_ARGUMENT: --args must be a JSON object');
      return 2;
    }
  }
  const conn = await client.mcp();
  let result: RawItem;
  try {
    result = await conn.request('tools/call', { name, arguments: args as RawItem }, { timeoutMs: 300_000 });
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    return 1;
  }
  if (json) io.out(JSON.stringify(result, null, 2));
  else io.out(renderContent(result));
  return result['isError'] === true ? 1 : 0;
}

function renderContent(result: RawItem): string {
  const parts: string[] = [];
  for (const c of (result['content'] as RawItem[]) ?? []) {
    if (c['type'] === 'text') parts.push(String(c['text']));
    else if (c['type'] === 'image' || c['type'] === 'audio') parts.push(`[${c['type']} ${String(c['mimeType'])}, ${String(c['data'] ?? '').length} base64 chars]`);
    else if (c['type'] === 'resource_link') parts.push(`[resource link ${String(c['uri'])}]`);
    else if (c['type'] === 'resource') parts.push(`[embedded resource ${String((c['resource'] as RawItem)?.['uri'])}]`);
    else parts.push(JSON.stringify(c));
  }
  if (result['structuredContent'] !== undefined && !parts.length) parts.push(JSON.stringify(result['structuredContent'], null, 2));
  return parts.join('\n');
}
