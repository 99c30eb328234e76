import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, type JSONRPCMessage } from '@modelcontextprotocol/client';
import { startHttpEverything } from '../../test/e2e/harness.js';
import { isSessionLost, NodeHttpClientTransport, type NodeHttpClientOptions } from './http-client-transport.js';
import { SseParser } from './sse-parser.js';

// ---------------------------------------------------------------------------------------------
// Helpers

interface Seen {
  method: string;
  headers: IncomingHttpHeaders;
  body: any;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: any) => unknown;

/** A tiny loopback HTTP server; every request is recorded, `handler` answers it. */
async function fakeServer(t: { after: (fn: () => void | Promise<void>) => void }, handler: Handler): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? JSON.parse(text) : undefined;
    seen.push({ method: req.method ?? '', headers: req.headers, body });
    try {
      await handler(req, res, body);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, seen };
}

const INIT = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '0' } } } as JSONRPCMessage;
const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' } as JSONRPCMessage;
const INIT_RESULT = { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'fake', version: '0' } };
const rpc = (id: number, method: string, params: object = {}) => ({ jsonrpc: '2.0', id, method, params }) as JSONRPCMessage;

function json(res: ServerResponse, message: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(message));
}

function sse(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  res.flushHeaders();
}

const isRequest = (body: any) => typeof body?.method === 'string' && body.id !== undefined;

/** Answer initialize (JSON, with a session id), 202 for notifications, 405 for the standalone GET. */
function basics(req: IncomingMessage, res: ServerResponse, body: any, sid = 'sess-1'): boolean {
  if (req.method === 'POST' && body?.method === 'initialize') return json(res, { jsonrpc: '2.0', id: body.id, result: INIT_RESULT }, { 'mcp-session-id': sid }), true;
  if (req.method === 'POST' && !isRequest(body)) return res.writeHead(202).end(), true;
  if (req.method === 'GET' && !req.headers['last-event-id']) return res.writeHead(405).end(), true;
  if (req.method === 'DELETE') return res.writeHead(200).end(), true;
  return false;
}

/** A started transport whose messages and errors are collected. */
async function open(url: string, options: NodeHttpClientOptions = {}) {
  const transport = new NodeHttpClientTransport(url, options);
  const messages: any[] = [];
  const errors: Error[] = [];
  let closes = 0;
  transport.onmessage = (m) => void messages.push(m);
  transport.onerror = (e) => void errors.push(e);
  transport.onclose = () => void closes++;
  await transport.start();
  return { transport, messages, errors, closes: () => closes };
}

async function handshake(transport: NodeHttpClientTransport, messages: any[]): Promise<void> {
  await transport.send(INIT);
  await waitFor(() => messages.some((m) => m.id === 0), 'initialize result');
  transport.setProtocolVersion('2025-11-25');
  await transport.send(INITIALIZED);
}

async function waitFor(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A raw POST with a session id, to see whether the server still knows that session. */
function rawPost(url: string, sid: string, message: object): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(message);
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// The SSE parser on its own

describe('SseParser', () => {
  const STREAM =
    '\uFEFF: a comment\r\n' +
    'id: p1\r\nretry: 1500\r\ndata: \r\n\r\n' + // priming: id only, empty data, not dispatched
    'event: other\r\ndata: ignored?\r\n\r\n' +
    'id: p2\ndata: {"a":\ndata:  "héllo 👋"}\n\n' + // two data lines; the second keeps its extra space
    'id: p3\rdata: three\r\r' + // bare CR line ends
    'data\n\n' + // a field without a colon: empty data, not dispatched
    'id: bad\0id\ndata: four\n\n' + // an id with NUL is ignored
    'data: unterminated'; // an incomplete event at the end is discarded

  const EXPECTED = [
    ['other', 'ignored?', 'p1'],
    ['message', '{"a":\n "héllo 👋"}', 'p2'],
    ['message', 'three', 'p3'],
    ['message', 'four', 'p3'],
  ];

  function run(chunks: string[]) {
    const events: string[][] = [];
    const retries: number[] = [];
    const p = new SseParser(1 << 20);
    p.onEvent = (type, data) => events.push([type, data, p.lastEventId]);
    p.onRetry = (ms) => retries.push(ms);
    for (const c of chunks) p.push(c);
    return { events, retries, lastEventId: p.lastEventId };
  }

  test('parses comments, priming events, event types, multi-line data, CR/LF/CRLF, ids and retry', () => {
    const out = run([STREAM]);
    assert.deepEqual(out.events, EXPECTED);
    assert.deepEqual(out.retries, [1500]);
    assert.equal(out.lastEventId, 'p3');
  });

  test('gives the same events however the stream is split (1-char chunks, every two-way split)', () => {
    assert.deepEqual(run([...STREAM]).events, EXPECTED);
    for (let i = 1; i < STREAM.length; i++) assert.deepEqual(run([STREAM.slice(0, i), STREAM.slice(i)]).events, EXPECTED, `split at ${i}`);
  });

  test('refuses an event larger than its limit, also when it arrives in pieces', () => {
    const p = new SseParser(100);
    assert.throws(() => p.push(`data: ${'x'.repeat(200)}\n\n`), /larger than/);
    const q = new SseParser(100);
    assert.throws(() => {
      for (let i = 0; i < 50; i++) q.push('data: 0123456789\n');
    }, /larger than/);
    const r = new SseParser(100);
    assert.throws(() => {
      r.push('data: ');
      for (let i = 0; i < 50; i++) r.push('0123456789');
    }, /larger than/);
  });
});

// ---------------------------------------------------------------------------------------------
// Edge cases against a fake server

describe('NodeHttpClientTransport against a fake server', () => {
  test('HTTP 401 and 403 reject send() with .status and the status in the message', { timeout: 10_000 }, async (t) => {
    const { url, seen } = await fakeServer(t, (req, res) => {
      const code = req.headers['authorization'] === 'Bearer forbidden' ? 403 : 401;
      res.writeHead(code, { 'www-authenticate': 'Bearer realm="x"', 'content-type': 'text/plain' }).end('invalid   token\n');
    });
    const { transport } = await open(url, { headers: { Authorization: 'Bearer wrong' } });
    await assert.rejects(transport.send(INIT), (err: any) => err.status === 401 && /401/.test(err.message) && /invalid token/.test(err.message));
    assert.equal(seen[0]!.headers['authorization'], 'Bearer wrong');
    await transport.close();

    // Through the SDK Client: connect() rejects with the same error.
    const client = new Client({ name: 't', version: '0' });
    await assert.rejects(client.connect(new NodeHttpClientTransport(url, { headers: { authorization: 'Bearer forbidden' } })), (err: any) => err.status === 403 && /403/.test(err.message));
  });

  test('a network error rejects send()', { timeout: 10_000 }, async () => {
    // A port that was free a moment ago and is closed now.
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const deadPort = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const { transport } = await open(`http://127.0.0.1:${deadPort}/mcp`);
    await assert.rejects(transport.send(INIT), /ECONNREFUSED/);
    await transport.close();
  });

  test('parses an SSE answer that arrives one byte at a time (UTF-8 split too)', { timeout: 10_000 }, async (t) => {
    const payload = Buffer.from(
      ': hello\r\n' +
        'id: e1\r\nretry: 3000\r\ndata: \r\n\r\n' +
        'event: custom\r\ndata: {"jsonrpc":"2.0","method":"not/delivered"}\r\n\r\n' +
        'id: e2\ndata: {"jsonrpc":"2.0","method":"notifications/message",\ndata: "params":{"level":"info","data":"héllo 👋"}}\n\n' +
        'id: e3\rdata: {"jsonrpc":"2.0","id":1,"result":{"ok":true}}\r\r',
      'utf8',
    );
    const { url } = await fakeServer(t, async (req, res, body) => {
      if (basics(req, res, body)) return;
      sse(res);
      res.socket?.setNoDelay(true);
      for (const byte of payload) {
        res.write(Buffer.from([byte]));
        await new Promise((r) => setImmediate(r));
      }
      res.end();
    });
    const { transport, messages, errors } = await open(url);
    t.after(() => transport.close());
    await transport.send(rpc(1, 'tools/call', { name: 'x' }));
    await waitFor(() => messages.some((m) => m.id === 1), 'result');
    assert.deepEqual(messages, [
      { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'héllo 👋' } },
      { jsonrpc: '2.0', id: 1, result: { ok: true } },
    ]);
    assert.deepEqual(errors, []);
  });

  test('a POST SSE stream that closes before the result is resumed with GET + Last-Event-ID', { timeout: 10_000 }, async (t) => {
    const { url, seen } = await fakeServer(t, (req, res, body) => {
      if (basics(req, res, body)) return;
      if (req.method === 'POST') {
        sse(res);
        res.write('id: s1\nretry: 20\ndata: \n\n');
        res.write(`id: s2\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } })}\n\n`);
        res.end(); // the upstream drops the stream before the result
        return;
      }
      // GET with Last-Event-ID: a first resumption that fails again, then one that delivers.
      const resumes = seen.filter((s) => s.method === 'GET' && s.headers['last-event-id']).length;
      sse(res);
      if (resumes === 1) res.end(`id: s3\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 2 } })}\n\n`);
      else res.end(`id: s4\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: 5, result: { done: true } })}\n\n`);
    });
    const { transport, messages, errors } = await open(url, { headers: { 'X-Api-Key': 'k' } });
    t.after(() => transport.close());
    await handshake(transport, messages);
    const started = Date.now();
    await transport.send(rpc(5, 'tools/call', { name: 'slow' }));
    await waitFor(() => messages.some((m) => m.id === 5), 'the resumed result');
    assert.deepEqual(
      messages.filter((m) => m.id !== 0).map((m) => m.params?.progress ?? m.result),
      [1, 2, { done: true }],
    );
    const gets = seen.filter((s) => s.method === 'GET' && s.headers['last-event-id']);
    assert.deepEqual(
      gets.map((g) => g.headers['last-event-id']),
      ['s2', 's3'],
    );
    for (const g of gets) {
      assert.equal(g.headers['mcp-session-id'], 'sess-1');
      assert.equal(g.headers['accept'], 'text/event-stream');
    }
    assert.ok(Date.now() - started < 2000, 'the retry: 20 of the stream was honoured');
    assert.deepEqual(errors, []);
    // Headers: configured ones everywhere; no session or version on initialize, both afterwards.
    for (const s of seen) assert.equal(s.headers['x-api-key'], 'k');
    const [init, ...rest] = seen;
    assert.equal(init!.headers['mcp-session-id'], undefined);
    assert.equal(init!.headers['mcp-protocol-version'], undefined);
    assert.equal(init!.headers['accept'], 'application/json, text/event-stream');
    assert.equal(init!.headers['content-type'], 'application/json');
    for (const s of rest) {
      assert.equal(s.headers['mcp-session-id'], 'sess-1');
      assert.equal(s.headers['mcp-protocol-version'], '2025-11-25');
    }
  });

  test('a response stream that cannot be resumed answers the request with an error, not a timeout', { timeout: 10_000 }, async (t) => {
    const { url } = await fakeServer(t, (req, res, body) => {
      if (basics(req, res, body)) return;
      if (req.method === 'POST' && body.id === 1) {
        // No event id: nothing to resume from.
        sse(res);
        res.end(`data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } })}\n\n`);
      } else if (req.method === 'POST' && body.id === 2) {
        sse(res);
        res.end('id: a1\nretry: 10\ndata: \n\n');
      } else res.writeHead(500).end('resumption store lost');
    });
    const { transport, messages, errors } = await open(url, { maxResumeAttempts: 2 });
    t.after(() => transport.close());
    await handshake(transport, messages);
    await transport.send(rpc(1, 'tools/call'));
    await waitFor(() => messages.some((m) => m.id === 1), 'the error for request 1');
    assert.match(messages.find((m) => m.id === 1).error.message, /response lost.*without an event id/i);
    await transport.send(rpc(2, 'tools/call'));
    await waitFor(() => messages.some((m) => m.id === 2), 'the error for request 2', 8000);
    assert.match(messages.find((m) => m.id === 2).error.message, /2 resumption attempt.*HTTP 500.*resumption store lost/);
    assert.equal(errors.length, 2);
  });

  test('HTTP 404 on a session rejects with "session not found", reports it and closes the transport', { timeout: 10_000 }, async (t) => {
    const { url, seen } = await fakeServer(t, (req, res, body) => {
      if (req.method === 'POST' && body?.method === 'initialize') return json(res, { jsonrpc: '2.0', id: body.id, result: INIT_RESULT }, { 'mcp-session-id': 'old' });
      if (req.method === 'DELETE') return res.writeHead(200).end();
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } }));
    });
    const { transport, messages, errors, closes } = await open(url);
    await transport.send(INIT);
    await waitFor(() => messages.length === 1, 'initialize result');
    await assert.rejects(transport.send(rpc(1, 'tools/list')), (err: any) => err.status === 404 && /session not found/i.test(err.message) && /old/.test(err.message));
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /session not found/i);
    await waitFor(() => closes() === 1, 'onclose');
    await assert.rejects(transport.send(rpc(2, 'tools/list')), /not connected/i);
    assert.equal(seen.filter((s) => s.method === 'DELETE').length, 0, 'no DELETE for a session the server has forgotten');
    assert.equal(closes(), 1);
  });

  test('HTTP 400 about the session id (what SDK-based servers answer) is a lost session too; other 400s are not', { timeout: 10_000 }, async (t) => {
    const { url } = await fakeServer(t, (req, res, body) => {
      if (req.method === 'POST' && body?.method === 'initialize') return json(res, { jsonrpc: '2.0', id: body.id, result: INIT_RESULT }, { 'mcp-session-id': 'old' });
      if (req.method === 'DELETE') return res.writeHead(200).end();
      const message = body?.method === 'tools/list' ? 'Bad Request: No valid session ID provided' : 'Bad Request: malformed params';
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message } }));
    });
    const { transport, messages } = await open(url);
    await transport.send(INIT);
    await waitFor(() => messages.length === 1, 'initialize result');
    await assert.rejects(transport.send(rpc(1, 'tools/call')), (err: any) => err.status === 400 && !isSessionLost(err));
    await assert.rejects(transport.send(rpc(2, 'tools/list')), (err: any) => err.status === 400 && isSessionLost(err) && /session not found/i.test(err.message));
  });

  test('other HTTP errors reject with the status and an excerpt of the body', { timeout: 10_000 }, async (t) => {
    const { url } = await fakeServer(t, (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`boom ${'x'.repeat(10_000)}`);
    });
    const { transport } = await open(url);
    t.after(() => transport.close());
    await assert.rejects(transport.send(INIT), (err: any) => err.status === 500 && /HTTP 500/.test(err.message) && /boom x+…$/.test(err.message) && err.message.length < 400);
  });

  test('JSON answers: an array delivers each message; oversized JSON or SSE bodies are refused', { timeout: 10_000 }, async (t) => {
    const big = 'y'.repeat(4096);
    const { url } = await fakeServer(t, (req, res, body) => {
      if (basics(req, res, body)) return;
      if (body.id === 1) return json(res, [{ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 1 } }, { jsonrpc: '2.0', id: 1, result: {} }]);
      if (body.id === 2) return json(res, { jsonrpc: '2.0', id: 2, result: { big } });
      sse(res);
      res.end(`id: z\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: 3, result: { big } })}\n\n`);
    });
    const { transport, messages } = await open(url, { maxMessageBytes: 1024 });
    t.after(() => transport.close());
    await transport.send(rpc(1, 'a'));
    await waitFor(() => messages.some((m) => m.id === 1), 'result 1');
    assert.equal(messages[0].method, 'notifications/message');
    await transport.send(rpc(2, 'b'));
    await transport.send(rpc(3, 'c'));
    await waitFor(() => messages.some((m) => m.id === 2) && messages.some((m) => m.id === 3), 'errors 2 and 3');
    assert.match(messages.find((m) => m.id === 2).error.message, /larger than 1024 bytes/);
    assert.match(messages.find((m) => m.id === 3).error.message, /larger than 1024 bytes/);
  });

  test('standalone GET stream: opened after initialized, reconnected with Last-Event-ID; close() aborts it and sends DELETE', { timeout: 10_000 }, async (t) => {
    let held: ServerResponse | undefined;
    let getClosed = false;
    const { url, seen } = await fakeServer(t, (req, res, body) => {
      if (req.method === 'POST' && body?.method === 'initialize') return json(res, { jsonrpc: '2.0', id: body.id, result: INIT_RESULT }, { 'mcp-session-id': 'S' });
      if (req.method === 'POST' && !isRequest(body)) return res.writeHead(202).end();
      if (req.method === 'POST' && body?.id === 9) return void (held = res); // never answered
      if (req.method === 'DELETE') return res.writeHead(200).end();
      if (req.method === 'GET') {
        sse(res);
        if (!req.headers['last-event-id']) {
          // A server-initiated request, then the stream drops.
          res.end(`id: g1\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: 'srv-1', method: 'roots/list' })}\n\n`);
        } else {
          res.write(`id: g2\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' })}\n\n`);
          res.on('close', () => (getClosed = true)); // held open until the client goes
        }
      }
    });
    const { transport, messages, errors, closes } = await open(url, { reconnectMinMs: 20 });
    await handshake(transport, messages);
    await waitFor(() => messages.some((m) => m.method === 'notifications/tools/list_changed'), 'the notification on the reconnected stream');
    assert.ok(messages.some((m) => m.id === 'srv-1' && m.method === 'roots/list'));
    const gets = seen.filter((s) => s.method === 'GET');
    assert.deepEqual(
      gets.map((g) => g.headers['last-event-id']),
      [undefined, 'g1'],
    );
    // Our answer to the server's request is a POST that gets 202.
    await transport.send({ jsonrpc: '2.0', id: 'srv-1', result: { roots: [] } } as JSONRPCMessage);
    assert.deepEqual(seen.at(-1)!.body, { jsonrpc: '2.0', id: 'srv-1', result: { roots: [] } });

    // A request in flight (no answer yet, not even headers) is rejected by close().
    const pending = transport.send(rpc(9, 'tools/call')).then(
      () => 'resolved',
      (err: Error) => err,
    );
    await waitFor(() => held !== undefined, 'request 9 at the server');
    await transport.close();
    assert.match(String(await pending), /connection closed/i);
    const del = seen.filter((s) => s.method === 'DELETE');
    assert.equal(del.length, 1);
    assert.equal(del[0]!.headers['mcp-session-id'], 'S');
    await waitFor(() => getClosed, 'the GET stream closed at the server');
    assert.equal(closes(), 1);
    await transport.close();
    assert.equal(closes(), 1, 'onclose only once');
    assert.deepEqual(errors, []);
  });

  test('close() does not wait long for a DELETE the server never answers', { timeout: 10_000 }, async (t) => {
    const { url } = await fakeServer(t, (req, res, body) => {
      if (req.method !== 'DELETE') basics(req, res, body); // a DELETE is never answered
    });
    const { transport, messages, closes } = await open(url, { closeTimeoutMs: 200 });
    await handshake(transport, messages);
    const started = Date.now();
    await transport.close();
    assert.ok(Date.now() - started < 1500, `close() took ${Date.now() - started} ms`);
    assert.equal(closes(), 1);
  });
});

// ---------------------------------------------------------------------------------------------
// A real server: server-everything in Streamable HTTP mode, through the SDK Client

describe('NodeHttpClientTransport against server-everything (streamableHttp)', () => {
  let upstream: Awaited<ReturnType<typeof startHttpEverything>>;
  let client: Client;
  let transport: NodeHttpClientTransport;
  const notifications: any[] = [];
  const warnings: Error[] = [];
  const onWarning = (w: Error) => void warnings.push(w);

  before(async () => {
    process.on('warning', onWarning);
    upstream = await startHttpEverything('streamableHttp');
    client = new Client({ name: 'switchboard-test', version: '0.0.0' }, { capabilities: { sampling: {} } });
    client.setRequestHandler('sampling/createMessage', async (req) => ({
      model: 'test-model',
      role: 'assistant',
      content: { type: 'text', text: `sampled: ${JSON.stringify((req.params.messages[0]?.content as { text?: string }).text)}` },
    }));
    client.fallbackNotificationHandler = async (n) => void notifications.push(n);
    transport = new NodeHttpClientTransport(upstream.url);
    await client.connect(transport);
  });

  after(async () => {
    process.off('warning', onWarning);
    await client?.close().catch(() => undefined);
    upstream?.stop();
  });

  test('initialize: session id, protocol version, server info', () => {
    assert.ok(transport.sessionId, 'a session id from the initialize response');
    assert.equal(client.getNegotiatedProtocolVersion?.(), '2025-11-25');
    assert.match(String(client.getServerVersion()?.name), /everything/);
  });

  test('tools/list and tools/call echo', { timeout: 10_000 }, async () => {
    const { tools } = await client.listTools();
    for (const name of ['echo', 'trigger-long-running-operation', 'trigger-sampling-request']) assert.ok(tools.some((x) => x.name === name), `missing ${name}`);
    const res = await client.callTool({ name: 'echo', arguments: { message: 'over node:http' } });
    assert.deepEqual(res.content, [{ type: 'text', text: 'Echo: over node:http' }]);
  });

  test('a long-running call reports progress before its result', { timeout: 15_000 }, async () => {
    const seen: number[] = [];
    const res = await client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 3 } }, { onprogress: (p) => void seen.push(p.progress) });
    assert.deepEqual(seen, [1, 2, 3]);
    assert.match(JSON.stringify(res.content), /Long running operation completed/);
  });

  test('sampling round trip: the server asks us mid-call, our answer is POSTed back', { timeout: 15_000 }, async () => {
    const res = await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'ping', maxTokens: 5 } });
    assert.match(JSON.stringify(res.content), /sampled: .*ping/);
  });

  test('resources/read', { timeout: 10_000 }, async () => {
    const { resources } = await client.listResources();
    assert.ok(resources.length > 0);
    const read = await client.readResource({ uri: resources[0]!.uri });
    assert.equal(read.contents[0]?.uri, resources[0]!.uri);
  });

  test('server-initiated messages arrive on the standalone GET stream', { timeout: 15_000 }, async () => {
    await client.callTool({ name: 'toggle-simulated-logging', arguments: {} });
    try {
      // One log line right away (possibly before the stream was there) and one every 5 s after.
      await waitFor(() => notifications.some((n) => n.method === 'notifications/message'), 'a log message', 12_000);
    } finally {
      await client.callTool({ name: 'toggle-simulated-logging', arguments: {} });
    }
  });

  test('many calls, sequential and concurrent: all answered, no MaxListeners warning', { timeout: 30_000 }, async () => {
    // The SDK's fetch transport leaked one abort listener per request on a long-lived signal, which
    // warned after ~1500 requests.
    for (let i = 0; i < 1600; i++) assert.equal(((await client.callTool({ name: 'echo', arguments: { message: `s${i}` } })).content as any)[0].text, `Echo: s${i}`);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => client.callTool({ name: 'echo', arguments: { message: `m${i}` } })));
    results.forEach((r, i) => assert.deepEqual(r.content, [{ type: 'text', text: `Echo: m${i}` }]));
    // Nothing is left tracked but the standalone GET stream.
    await waitFor(() => (transport as unknown as { active: Set<unknown> }).active.size <= 1, 'finished requests to be forgotten');
    assert.deepEqual(
      warnings.map((w) => w.name),
      [],
    );
  });

  test('close() ends the session with DELETE: the server no longer knows it', { timeout: 10_000 }, async () => {
    const sid = transport.sessionId!;
    assert.equal(await rawPost(upstream.url, sid, { jsonrpc: '2.0', id: 99, method: 'ping' }), 200, 'the session is live before close()');
    await client.close();
    // server-everything answers an unknown session with 400 (the spec says 404); either way it is gone.
    const status = await rawPost(upstream.url, sid, { jsonrpc: '2.0', id: 100, method: 'ping' });
    assert.ok(status === 400 || status === 404, `status ${status} after close()`);
  });
});
