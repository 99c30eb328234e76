// A lean Streamable HTTP MCP client for load generation: one keep-alive TCP connection per session,
// plain node:http, no schema validation. The SDK client spends ~1.5 ms of CPU per call on this machine
// (fetch + web streams + zod), which on two cores would mostly measure the load generator itself.
import http from 'node:http';

const PROTOCOL_VERSION = '2025-11-25';
/** The stateless revision: no handshake, no session; every request carries its envelope in `_meta` and headers. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';
const MODERN_ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL_VERSION,
  'io.modelcontextprotocol/clientInfo': { name: 'switchboard-bench', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

export interface RpcResponse {
  result: Record<string, unknown>;
  /** Size of the JSON-RPC response message (the JSON text, without SSE framing). */
  bytes: number;
  /** Request sent → last response byte received, ms (client-side parsing excluded). */
  ms: number;
}

export class LeanHttpSession {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private sessionId: string | undefined;
  private protocolVersion = PROTOCOL_VERSION;
  private nextId = 1;
  private modern = false;

  private constructor(private readonly url: URL) {}

  /** A 2026-07-28 client: nothing to open; each request is self-contained. */
  static modern(url: string): LeanHttpSession {
    const s = new LeanHttpSession(new URL(url));
    s.modern = true;
    s.protocolVersion = MODERN_PROTOCOL_VERSION;
    return s;
  }

  static async open(url: string): Promise<LeanHttpSession> {
    const s = new LeanHttpSession(new URL(url));
    const init = await s.request('initialize', { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'switchboard-bench', version: '1.0.0' } });
    s.protocolVersion = String(init.result['protocolVersion'] ?? PROTOCOL_VERSION);
    await s.post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return s;
  }

  async request(method: string, params?: Record<string, unknown>): Promise<RpcResponse> {
    const id = this.nextId++;
    const t0 = performance.now();
    const body = this.modern ? { ...params, _meta: MODERN_ENVELOPE } : params;
    const name = method === 'tools/call' || method === 'prompts/get' ? params?.['name'] : method === 'resources/read' ? params?.['uri'] : undefined;
    // The 2026-era routing headers mirror the body (the server checks they agree).
    const routing = this.modern ? { 'mcp-protocol-version': this.protocolVersion, 'mcp-method': method, ...(typeof name === 'string' ? { 'mcp-name': name } : {}) } : {};
    const res = await this.post({ jsonrpc: '2.0', id, method, ...(body ? { params: body } : {}) }, routing);
    const ms = performance.now() - t0;
    if (method === 'initialize') this.sessionId = headerOf(res.headers, 'mcp-session-id');
    if (res.status !== 200) throw new Error(`${method}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
    // JSON body, or an SSE stream whose `data:` lines carry messages; ours is the one with our id.
    // (SSE priming events have an empty data line.)
    const sse = (res.headers['content-type'] ?? '').includes('text/event-stream');
    const lines = sse ? res.body.split('\n').filter((l) => l.startsWith('data:')) : [res.body];
    const messages = sse ? lines.map((l) => l.slice(5).trim()).filter((l) => l !== '') : lines;
    for (const text of messages) {
      const msg = JSON.parse(text) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
      if (msg.id !== id) continue;
      if (msg.error) throw new Error(`${method}: ${msg.error.message}`);
      return { result: msg.result ?? {}, bytes: Buffer.byteLength(text), ms };
    }
    throw new Error(`${method}: no response with id ${id}`);
  }

  async close(): Promise<void> {
    if (this.sessionId) await this.send('DELETE', undefined).catch(() => undefined);
    this.agent.destroy();
  }

  private post(message: unknown, extra: http.OutgoingHttpHeaders = {}) {
    return this.send('POST', JSON.stringify(message), extra);
  }

  private send(method: string, data: string | undefined, extra: http.OutgoingHttpHeaders = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json, text/event-stream', ...extra };
    if (data !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
    if (this.sessionId) Object.assign(headers, { 'mcp-session-id': this.sessionId, 'mcp-protocol-version': this.protocolVersion });
    return new Promise((resolve, reject) => {
      const req = http.request(this.url, { method, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(data);
    });
  }
}

function headerOf(h: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}
