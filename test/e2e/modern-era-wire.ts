/** Raw HTTP helpers for the 2026-07-28 era tests: exact requests, exact frames, no SDK in between. */
export const MODERN = '2026-07-28';

export type Caps = Record<string, object>;

export function envelope(caps: Caps = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientInfo': { name: 'e2e-raw', version: '1.0.0' },
    'io.modelcontextprotocol/clientCapabilities': caps,
    ...extra,
  };
}

let nextId = 1;

export interface Exchange {
  status: number;
  headers: Headers;
  /** Every JSON-RPC message the response carried (one for JSON, all `data:` frames for SSE). */
  frames: any[];
  /** The response to the request itself. */
  body: any;
  /** The raw response text (SSE comments included). */
  raw: string;
}

export interface PostOptions {
  caps?: Caps;
  meta?: Record<string, unknown>;
  /** Header overrides; `null` removes a default header. */
  headers?: Record<string, string | null>;
  /** Replace the params entirely (the envelope is not added). */
  rawParams?: unknown;
  signal?: AbortSignal;
  id?: number | string;
  /** The endpoint path (default /mcp; e.g. /mcp/search, /mcp/p/<name>). */
  path?: string;
}

function defaultHeaders(method: string, params: any): Record<string, string> {
  const h: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': MODERN,
    'mcp-method': method,
  };
  const name = method === 'resources/read' ? params?.uri : method === 'tools/call' || method === 'prompts/get' ? params?.name : undefined;
  if (typeof name === 'string') h['mcp-name'] = name;
  return h;
}

/** POST one 2026-era request to `${url}/mcp` and read the whole response. */
export async function post(url: string, method: string, params: Record<string, unknown> = {}, opts: PostOptions = {}): Promise<Exchange> {
  const id = opts.id ?? nextId++;
  const fullParams = opts.rawParams !== undefined ? opts.rawParams : { ...params, _meta: { ...envelope(opts.caps ?? {}), ...(opts.meta ?? {}) } };
  const headers = defaultHeaders(method, params);
  for (const [k, v] of Object.entries(opts.headers ?? {})) {
    if (v === null) delete headers[k.toLowerCase()];
    else headers[k.toLowerCase()] = v;
  }
  const res = await fetch(`${url}${opts.path ?? '/mcp'}`, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id, method, ...(fullParams === undefined ? {} : { params: fullParams }) }), ...(opts.signal ? { signal: opts.signal } : {}) });
  const raw = await res.text();
  const frames = (res.headers.get('content-type') ?? '').includes('text/event-stream') ? parseSse(raw) : raw ? [JSON.parse(raw)] : [];
  return { status: res.status, headers: res.headers, frames, body: frames.find((f) => f.id === id && ('result' in f || 'error' in f)), raw };
}

export function parseSse(text: string): any[] {
  const out: any[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trimStart())
      .join('\n');
    if (!data) continue;
    try {
      out.push(JSON.parse(data));
    } catch {
      /* not JSON (priming) */
    }
  }
  return out;
}

/** A long-lived SSE response (subscriptions/listen, slow calls) read frame by frame. */
export interface OpenStream {
  status: number;
  headers: Headers;
  frames: any[];
  /** Wait until a frame matching `pred` has arrived. */
  until(pred: (f: any) => boolean, timeoutMs?: number): Promise<any>;
  close(): void;
}

export async function openStream(url: string, method: string, params: Record<string, unknown>, opts: PostOptions = {}): Promise<OpenStream> {
  const ac = new AbortController();
  const headers = defaultHeaders(method, params);
  for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== null) headers[k.toLowerCase()] = v;
  const res = await fetch(`${url}${opts.path ?? '/mcp'}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ jsonrpc: '2.0', id: opts.id ?? nextId++, method, params: { ...params, _meta: { ...envelope(opts.caps ?? {}), ...(opts.meta ?? {}) } } }),
    signal: ac.signal,
  });
  const frames: any[] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        const blocks = buf.split(/\r?\n\r?\n/);
        buf = blocks.pop() ?? '';
        for (const b of blocks) frames.push(...parseSse(b));
        for (const w of waiters) w();
      }
    } catch {
      /* aborted */
    }
  })();
  return {
    status: res.status,
    headers: res.headers,
    frames,
    until(pred, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const f = frames.find(pred);
          if (f) {
            waiters.delete(check);
            clearTimeout(t);
            resolve(f);
          }
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames).slice(0, 500)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => ac.abort(),
  };
}
