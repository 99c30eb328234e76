import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { z } from 'zod';
import { LeanHttpSession, type RpcResponse } from './http-client.js';
import type { EchoCall } from './load.js';

const ANY = z.any();
const REQUEST_TIMEOUT_MS = 30_000;

/** One client session, whatever the transport. */
export interface BenchClient {
  request(method: string, params?: Record<string, unknown>): Promise<RpcResponse>;
  close(): Promise<void>;
}

/** An EchoCall on `client`: calls tool `tool` and returns the text it echoed. */
export function echoVia(client: BenchClient, tool = 'echo'): EchoCall {
  return async (text) => {
    const { result } = await client.request('tools/call', { name: tool, arguments: { text } });
    return (result['content'] as { text?: string }[] | undefined)?.[0]?.text ?? '';
  };
}

/** A Streamable HTTP session (lean client, see http-client.ts). */
export const connectHttp = (url: string): Promise<BenchClient> => LeanHttpSession.open(url);

/** A 2026-07-28 client (lean, stateless: one self-contained POST per request). */
export const connectModern = async (url: string): Promise<BenchClient> => LeanHttpSession.modern(url);

/** The SDK client over stdio; it spawns the server itself, as a client without a gateway does. */
export async function connectStdio(command: string, args: string[], cwd: string): Promise<BenchClient> {
  const client = new Client({ name: 'switchboard-bench', version: '1.0.0' }, { capabilities: {} });
  await client.connect(new StdioClientTransport({ command, args, cwd, stderr: 'ignore' }), { timeout: REQUEST_TIMEOUT_MS });
  return {
    async request(method, params) {
      const t0 = performance.now();
      const result = (await client.request({ method, ...(params ? { params } : {}) } as never, ANY, { timeout: REQUEST_TIMEOUT_MS })) as Record<string, unknown>;
      return { result, bytes: NaN, ms: performance.now() - t0 };
    },
    close: () => client.close().catch(() => undefined),
  };
}

export async function connectMany(n: number, open: () => Promise<BenchClient>): Promise<BenchClient[]> {
  return Promise.all(Array.from({ length: n }, open));
}

export async function closeAll(clients: readonly BenchClient[]): Promise<void> {
  await Promise.all(clients.map((c) => c.close()));
}

/** Walk every page of tools/list: tool count, JSON bytes of all pages, and each page's latency (ms, to last byte). */
export async function listAllTools(client: BenchClient): Promise<{ tools: number; bytes: number; pages: number[] }> {
  let cursor: string | undefined;
  let tools = 0;
  let bytes = 0;
  const pages: number[] = [];
  do {
    const { result, bytes: b, ms } = await client.request('tools/list', cursor ? { cursor } : undefined);
    pages.push(ms);
    tools += (result['tools'] as unknown[]).length;
    bytes += b;
    cursor = typeof result['nextCursor'] === 'string' ? result['nextCursor'] : undefined;
  } while (cursor);
  return { tools, bytes, pages };
}
