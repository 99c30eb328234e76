import type { Output } from './commands.js';
import type { GatewayClient } from './gateway-client.js';
import { renderTable, truncate } from './table.js';

interface Hit {
  name: string;
  server: string;
  description: string | null;
  title: string | null;
  score: number;
}

/** `switchboard tools search QUERY`: the REST search, so the answer obeys the key's gate like /mcp does. */
export async function toolsSearch(client: GatewayClient, query: string, limit: string | undefined, json: boolean, io: Output): Promise<number> {
  if (!query.trim()) {
    io.err('SWB_INVALID_ARGUMENT: usage: switchboard tools search QUERY... [--limit N]');
    return 2;
  }
  if (limit !== undefined && !/^\d+$/.test(limit)) {
    io.err(`SWB_INVALID_ARGUMENT: --limit must be a positive integer, got '${limit}'`);
    return 2;
  }
  const params = new URLSearchParams({ q: query, ...(limit ? { limit } : {}) });
  const { status, body } = await client.api(`/api/tools/search?${params}`);
  if (status !== 200) {
    const e = (body as { error?: { code?: string; message?: string; hint?: string } }).error;
    io.err(`${e?.code ?? `HTTP ${status}`}: ${e?.message ?? 'search failed'}${e?.hint ? `\n  hint: ${e.hint}` : ''}`);
    return 1;
  }
  const results = (body as { results: Hit[] }).results;
  if (json) {
    io.out(JSON.stringify(results, null, 2));
    return 0;
  }
  io.out(renderTable(['NAME', 'SERVER', 'SCORE', 'DESCRIPTION'], results.map((h) => [h.name, h.server, h.score.toFixed(2), truncate(h.description ?? h.title ?? '', 80)])));
  io.out(`\n${results.length} tool${results.length === 1 ? '' : 's'}`);
  return 0;
}
