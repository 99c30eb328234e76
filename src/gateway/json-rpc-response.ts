import type { ServerResponse } from 'node:http';

/** A JSON-RPC error body with an HTTP status, for failures outside any MCP request handler. */
export function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } }));
}

/** Cheap structural check of one JSON-RPC 2.0 message (full validation happens in the protocol layer). */
export function isJsonRpcMessage(body: unknown): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const m = body as { jsonrpc?: unknown; method?: unknown; id?: unknown; result?: unknown; error?: unknown };
  if (m.jsonrpc !== '2.0') return false;
  const validId = m.id === undefined || typeof m.id === 'string' || (typeof m.id === 'number' && Number.isFinite(m.id));
  if (typeof m.method === 'string') return validId;
  return m.id !== undefined && validId && ('result' in m || 'error' in m);
}
