/**
 * Short MCP sessions with a remote server (Streamable HTTP or SSE): connect, do one thing (list the
 * tools, call one), close. Used for the external sources of hosted servers, whose every HTTP request
 * (the first one, each POST, the event stream, a same-origin redirect) goes through a fetch that asks
 * the caller where it may connect and then connects to exactly that checked address, so a name cannot
 * be re-resolved elsewhere between the check and the connection.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { Client, SSEClientTransport, StreamableHTTPClientTransport, type FetchLike, type Transport } from '@modelcontextprotocol/client';
import { z } from 'zod';
import type { RawItem } from '../shared/index.js';
import { CLIENT_INFO } from './connection.js';

const RAW = z.any();
const MAX_PAGES = 50;

/** Where one HTTP request may connect: the checked address, or a throw (the request is not sent). */
export type AddressGate = (url: URL) => Promise<{ address: string; family: number }>;

export interface OneShotTarget {
  url: string;
  transport: 'streamable-http' | 'sse';
  /** Sent with every request (secrets already filled in). */
  headers: Record<string, string>;
  /** Bound on the handshake and on each request. */
  timeoutMs: number;
  gate: AddressGate;
}

/** What a short session can do. */
export interface OneShotSession {
  readonly serverInfo: RawItem | undefined;
  /** Every page of tools/list (an empty list when the server offers no tools). */
  listTools(): Promise<RawItem[]>;
  /** tools/call; the result exactly as the server sent it. */
  callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<RawItem>;
}

/** A fetch that connects only to the address `gate` approved for each URL; redirects are returned, not followed. */
export function pinnedFetch(gate: AddressGate): FetchLike {
  return async (input, init = {}) => {
    const url = new URL(typeof input === 'string' ? input : input.href);
    const { address, family } = await gate(url);
    const method = (init.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => void (headers[k] = v));
    let body: Buffer | undefined;
    if (init.body != null) {
      if (typeof init.body === 'string') body = Buffer.from(init.body, 'utf8');
      else if (init.body instanceof Uint8Array) body = Buffer.from(init.body);
      else if (init.body instanceof ArrayBuffer) body = Buffer.from(new Uint8Array(init.body));
      else throw new TypeError('unsupported request body');
    }
    if (body) headers['content-length'] = String(body.length);
    const lookup = ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
      if (opts && opts.all) cb(null, [{ address, family }]);
      else cb(null, address, family);
    }) as unknown as LookupFunction;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, { method, headers, agent: false, lookup, ...(init.signal ? { signal: init.signal } : {}), ...(url.protocol === 'https:' && !isIP(host) ? { servername: host } : {}) });
      req.on('response', resolve);
      req.on('error', reject);
      req.end(body);
    });
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) out.append(k, one);
    }
    const status = res.statusCode ?? 502;
    const empty = method === 'HEAD' || status === 204 || status === 205 || status === 304;
    if (empty) res.resume();
    return new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status: status < 200 || status > 599 ? 502 : status, statusText: res.statusMessage ?? '', headers: out });
  };
}

/** Open a session, run `fn`, close the session whatever happened (failures to connect reject). */
export async function withMcpSession<T>(target: OneShotTarget, fn: (session: OneShotSession) => Promise<T>): Promise<T> {
  const fetch = pinnedFetch(target.gate);
  const url = new URL(target.url);
  const transport: Transport =
    target.transport === 'sse' ? new SSEClientTransport(url, { fetch, requestInit: { headers: target.headers } }) : new StreamableHTTPClientTransport(url, { fetch, requestInit: { headers: target.headers } });
  const client = new Client(CLIENT_INFO, { capabilities: {} });
  try {
    await client.connect(transport, { timeout: target.timeoutMs });
    const request = async (method: string, params: RawItem | undefined, signal?: AbortSignal) =>
      (await client.request({ method, ...(params ? { params } : {}) } as never, RAW, { timeout: target.timeoutMs, ...(signal ? { signal } : {}) })) as RawItem;
    const session: OneShotSession = {
      serverInfo: client.getServerVersion() as RawItem | undefined,
      async listTools() {
        if (!client.getServerCapabilities()?.tools) return [];
        const out: RawItem[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
          const res = await request('tools/list', cursor ? { cursor } : undefined);
          const items = res['tools'];
          if (Array.isArray(items)) for (const it of items) if (it && typeof it === 'object') out.push(it as RawItem);
          const next = res['nextCursor'];
          if (typeof next !== 'string' || next === '' || next === cursor) break;
          cursor = next;
        }
        return out;
      },
      callTool: (name, args, signal) => request('tools/call', { name, arguments: args }, signal),
    };
    return await fn(session);
  } finally {
    await client.close().catch(() => undefined);
    await transport.close().catch(() => undefined);
  }
}
