import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, SSEClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { config, dynamic, everything, freePort, ROOT, startGateway, tempDir, textOf, type Gateway } from './harness.js';
import { describeProcs, descendants, groupMembers, isRunning, killGroups, procInfo, until, type ProcInfo } from './procs.js';

const MEMORY = join(ROOT, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');
const DYNAMIC = join(ROOT, 'test/fixtures/upstreams/dynamic-server.ts');
const PROTOCOL = '2025-11-25';

/** A config file as a user would write it (Claude Desktop shape). */
function writeConfig(dir: string, servers: Record<string, { command: string; args: string[]; env?: Record<string, string>; cwd?: string }>): string {
  const path = join(dir, 'switchboard.json');
  writeFileSync(path, JSON.stringify({ mcpServers: servers, allowUnauthenticatedLoopback: true }, null, 2));
  return path;
}

interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** Reads Server-Sent Events from a fetch response body; comments (keep-alives) are skipped. */
class SseReader {
  private buf = '';
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  constructor(res: Response) {
    this.reader = res.body!.getReader();
  }
  async next(timeoutMs = 5000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buf.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buf.slice(0, end);
        this.buf = this.buf.slice(end + 2);
        const ev: SseEvent = { data: '' };
        let fields = 0;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const key = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          fields++;
          if (key === 'id') ev.id = value;
          else if (key === 'event') ev.event = value;
          else if (key === 'data') ev.data += (ev.data ? '\n' : '') + value;
        }
        if (fields) return ev;
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no SSE event within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no SSE event within ${timeoutMs} ms`)), left))),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) throw new Error('SSE stream ended');
      this.buf += this.decoder.decode(chunk.value, { stream: true });
    }
  }
  /** The next event whose JSON-RPC message satisfies `match`. */
  async nextMessage(match: (m: any) => boolean, timeoutMs = 5000): Promise<{ id?: string; message: any }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ev = await this.next(Math.max(1, deadline - Date.now()));
      if (!ev.data) continue; // priming event
      const message = JSON.parse(ev.data);
      if (match(message)) return { ...(ev.id !== undefined ? { id: ev.id } : {}), message };
    }
  }
  cancel(): Promise<void> {
    return this.reader.cancel().catch(() => undefined);
  }
}

async function health(url: string): Promise<any> {
  const res = await fetch(`${url}/health`);
  assert.equal(res.status, 200);
  return res.json();
}

describe('gateway transports (in-process gateway)', () => {
  let gw: Gateway;

  before(async () => {
    gw = await startGateway(config([everything(), dynamic()]));
  });
  after(async () => {
    await gw?.stop();
  });

  test('the deprecated HTTP+SSE transport serves the catalogue and calls', { timeout: 30_000 }, async () => {
    const sessionsBefore = (await health(gw.url)).sessions;
    const client = new Client({ name: 'sse-e2e', version: '1.0.0' });
    await client.connect(new SSEClientTransport(new URL(`${gw.url}/sse`)));
    try {
      assert.equal((await health(gw.url)).sessions, sessionsBefore + 1);
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      assert.ok(names.includes('everything__echo'), `tools: ${names.join(', ')}`);
      assert.ok(names.includes('dynamic__slow'));
      assert.equal(textOf(await client.callTool({ name: 'everything__echo', arguments: { message: 'over sse' } })), 'Echo: over sse');
      await assert.rejects(client.callTool({ name: 'nobody__nothing', arguments: {} }), /Unknown tool/);
    } finally {
      await client.close();
    }
    assert.ok(await until(async () => (await health(gw.url)).sessions === sessionsBefore, 5000), 'the SSE session left the registry');
  });

  test('POST /messages: unknown session → 404 JSON-RPC error; non-JSON-RPC body → 400', { timeout: 30_000 }, async () => {
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
    for (const query of ['?sessionId=00000000-0000-4000-8000-000000000000', '', '?sessionId=']) {
      const res = await fetch(`${gw.url}/messages${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: ping });
      assert.equal(res.status, 404, `query '${query}'`);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      const body = (await res.json()) as any;
      assert.equal(body.jsonrpc, '2.0');
      assert.equal(body.id, null);
      assert.equal(body.error.code, -32001);
      assert.match(body.error.message, /session/i);
    }

    // A live session, opened by hand: the first event names the endpoint to POST to.
    const sessionsBefore = (await health(gw.url)).sessions;
    const ac = new AbortController();
    const stream = await fetch(`${gw.url}/sse`, { headers: { accept: 'text/event-stream' }, signal: ac.signal });
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type') ?? '', /text\/event-stream/);
    const sse = new SseReader(stream);
    try {
      const endpoint = await sse.next();
      assert.equal(endpoint.event, 'endpoint');
      assert.match(endpoint.data, /^\/messages\?sessionId=[0-9a-f-]{36}$/);
      const post = (body: string) => fetch(new URL(endpoint.data, gw.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body });

      for (const bad of [JSON.stringify({ hello: 'world' }), JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'ping' }]), JSON.stringify({ jsonrpc: '1.0', id: 1, method: 'ping' }), '42']) {
        const res = await post(bad);
        assert.equal(res.status, 400, `body ${bad}`);
        const body = (await res.json()) as any;
        assert.equal(body.jsonrpc, '2.0');
        assert.equal(body.error.code, -32600, `body ${bad}`);
      }
      const unparsable = await post('{"jsonrpc": "2.0", ');
      assert.equal(unparsable.status, 400);
      assert.equal(((await unparsable.json()) as any).error.code, -32700);

      // The session still works after the bad requests: a proper message is accepted and answered on the stream.
      const init = await post(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }));
      assert.equal(init.status, 202);
      const answer = await sse.nextMessage((m) => m.id === 7);
      assert.equal(answer.message.result.serverInfo.name, 'switchboard');
    } finally {
      ac.abort();
      await sse.cancel();
    }
    assert.ok(await until(async () => (await health(gw.url)).sessions === sessionsBefore, 5000), 'closing the stream ends the session');
  });

  test('Streamable HTTP: a dropped GET stream resumes with Last-Event-ID; DELETE ends the session', { timeout: 30_000 }, async () => {
    const sessionsBefore = (await health(gw.url)).sessions;
    let sid = '';
    const headers = (extra: Record<string, string> = {}) => ({
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(sid ? { 'mcp-session-id': sid, 'mcp-protocol-version': PROTOCOL } : {}),
      ...extra,
    });
    let nextId = 1;
    /** One request over POST; the answer may come as JSON or on an SSE stream. */
    const rpc = async (method: string, params: Record<string, unknown> = {}): Promise<{ res: Response; message: any }> => {
      const id = nextId++;
      const res = await fetch(`${gw.url}/mcp`, { method: 'POST', headers: headers(), body: JSON.stringify({ jsonrpc: '2.0', id, method, params }) });
      assert.equal(res.status, 200, `${method}: HTTP ${res.status} ${res.status === 200 ? '' : await res.text()}`);
      if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) {
        const sse = new SseReader(res);
        const { message } = await sse.nextMessage((m) => m.id === id, 10_000);
        await sse.cancel();
        return { res, message };
      }
      return { res, message: await res.json() };
    };

    const init = await rpc('initialize', { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'raw-http', version: '1' } });
    sid = init.res.headers.get('mcp-session-id') ?? '';
    assert.ok(sid, 'initialize returns a session id');
    assert.equal(init.message.result.protocolVersion, PROTOCOL);
    const note = await fetch(`${gw.url}/mcp`, { method: 'POST', headers: headers(), body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    assert.equal(note.status, 202);
    assert.equal((await health(gw.url)).sessions, sessionsBefore + 1);

    const openStream = (lastEventId?: string) => fetch(`${gw.url}/mcp`, { method: 'GET', headers: headers({ accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }) });
    const isListChanged = (m: any) => m.method === 'notifications/tools/list_changed';

    // 1. The standalone stream carries a list_changed (an upstream added a tool) with an event id.
    const first = await openStream();
    assert.equal(first.status, 200);
    const live = new SseReader(first);
    const added1 = await rpc('tools/call', { name: 'dynamic__add_tool', arguments: { name: 'resume_one' } });
    assert.equal(added1.message.result.content[0].text, 'added resume_one');
    const ev1 = await live.nextMessage(isListChanged, 10_000);
    assert.ok(ev1.id, 'events on the GET stream carry ids');

    // 2. Drop the stream; while it is down, another change happens.
    await live.cancel();
    const added2 = await rpc('tools/call', { name: 'dynamic__add_tool', arguments: { name: 'resume_two' } });
    assert.equal(added2.message.result.content[0].text, 'added resume_two');
    assert.ok(
      await until(async () => (await rpc('tools/list')).message.result.tools.some((t: any) => t.name === 'dynamic__resume_two'), 10_000),
      'the second tool reached the catalogue',
    );

    // 3. Reconnect with Last-Event-ID: the missed notification is replayed (the server may need a moment to notice the drop).
    let resumed: Response | undefined;
    assert.ok(
      await until(async () => {
        const res = await openStream(ev1.id);
        if (res.status === 409) return void (await res.body?.cancel()), false;
        resumed = res;
        return true;
      }, 5000, 50),
      'the old stream was released',
    );
    assert.equal(resumed!.status, 200);
    const replay = new SseReader(resumed!);
    const ev2 = await replay.nextMessage(isListChanged, 5000);
    assert.ok(ev2.id && ev2.id !== ev1.id, `a new event after ${ev1.id}: ${ev2.id}`);

    // 4. DELETE ends the session: the registry shrinks and the id is unknown from then on.
    const del = await fetch(`${gw.url}/mcp`, { method: 'DELETE', headers: headers() });
    assert.equal(del.status, 200);
    await replay.cancel();
    assert.ok(await until(async () => (await health(gw.url)).sessions === sessionsBefore, 5000), 'the session left the registry');
    const afterDelete = await fetch(`${gw.url}/mcp`, { method: 'POST', headers: headers(), body: JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'tools/list', params: {} }) });
    assert.equal(afterDelete.status, 404);
    const body = (await afterDelete.json()) as any;
    assert.equal(body.error.code, -32001);
    const getAfter = await openStream();
    assert.equal(getAfter.status, 404);
    await getAfter.body?.cancel();
  });
});

describe('the switchboard CLI as a process', () => {
  const groups = new Set<number>();
  const dirs: string[] = [];
  after(() => {
    killGroups(groups);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('`switchboard stdio` speaks only MCP on stdout and leaves nothing behind when the client goes', { timeout: 60_000 }, async () => {
    const dir = tempDir('sb-stdio-');
    dirs.push(dir);
    const cfg = writeConfig(dir, { memory: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') } } });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', 'src/cli/run.ts', 'stdio', '--config', cfg, '--data', join(dir, 'data')],
      cwd: ROOT,
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr!.on('data', (d: Buffer) => (stderr += d));
    // Any stdout line that is not a JSON-RPC message surfaces here (the SDK reports it and drops it).
    const protocolErrors: string[] = [];
    const client = new Client({ name: 'stdio-e2e', version: '1.0.0' });
    client.onerror = (err) => void protocolErrors.push(String(err));
    let children: ProcInfo[] = [];
    let cli = 0;
    let cliGroup = 0;
    try {
      await client.connect(transport);
      cli = transport.pid!;
      assert.ok(cli > 0);
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      assert.ok(names.includes('memory__read_graph'), `tools right after initialize: ${names.join(', ') || '(none)'}`);
      await client.callTool({ name: 'memory__create_entities', arguments: { entities: [{ name: 'Stdio', entityType: 'test', observations: ['via the stdio gateway'] }] } });
      assert.match(textOf(await client.callTool({ name: 'memory__read_graph', arguments: {} })), /via the stdio gateway/);

      children = descendants(cli);
      cliGroup = procInfo(cli)!.pgid;
      for (const c of children) groups.add(c.pgid);
      assert.ok(children.some((c) => c.comm.startsWith('node')), `the memory server runs under the gateway: ${describeProcs(children)}`);
    } finally {
      const t0 = performance.now();
      await client.close();
      // The SDK client ends stdin, then waits 2 s before SIGTERM: a gateway that stays up on EOF shows here.
      const took = performance.now() - t0;
      if (cli) assert.ok(took < 1900, `the gateway did not exit on stdin EOF (close took ${took.toFixed(0)} ms); stderr: ${stderr}`);
    }
    assert.deepEqual(protocolErrors, [], `stdout carried something other than MCP; stderr: ${stderr}`);
    assert.ok(await until(() => !isRunning(cli), 5000), 'the gateway process exited');
    // Upstreams lead their own process groups: those must be empty. (Helpers such as tsx's esbuild share
    // the gateway's group, which is also ours, so those are checked one by one.)
    const upstreamGroups = [...new Set(children.map((c) => c.pgid))].filter((g) => g !== cliGroup);
    assert.ok(upstreamGroups.length >= 1, `the upstream runs in a group of its own: ${describeProcs(children)}`);
    assert.ok(
      await until(() => children.every((c) => !isRunning(c.pid)) && upstreamGroups.every((g) => groupMembers(g).length === 0), 5000),
      `left behind: ${describeProcs(children.filter((c) => isRunning(c.pid)))}; groups: ${upstreamGroups.map((g) => describeProcs(groupMembers(g))).join('; ')}`,
    );
  });

  test('SIGKILL of a serving gateway takes its stdio upstreams (and their groups) down within 5 s', { timeout: 60_000 }, async (t) => {
    const dir = tempDir('sb-kill-');
    dirs.push(dir);
    const cfg = writeConfig(dir, {
      memory: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') } },
      // Through a shell that leaves a `sleep` in the group and then becomes the fixture (same pid): the
      // sleep ignores stdin EOF, so only a kill of the whole group, by the reaper, can end it.
      dynamic: { command: '/bin/sh', args: ['-c', 'sleep 300 </dev/null >/dev/null 2>&1 & exec "$@"', 'sh', process.execPath, '--import', 'tsx', DYNAMIC], cwd: ROOT },
    });
    const port = await freePort();
    const gateway = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'serve', '--config', cfg, '--port', String(port), '--data', join(dir, 'data')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    let stderr = '';
    gateway.stderr!.on('data', (d: Buffer) => (stderr += d));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => gateway.once('exit', (_code, signal) => resolve(signal)));
    t.after(() => void gateway.kill('SIGKILL'));

    const url = `http://127.0.0.1:${port}`;
    let servers: any[] = [];
    const ready = await until(
      async () => {
        try {
          servers = (await (await fetch(`${url}/health`)).json() as any).servers;
          return servers.length === 2 && servers.every((s) => s.state === 'ready' && s.pid);
        } catch {
          return false;
        }
      },
      30_000,
      100,
    );
    assert.ok(ready, `both upstreams ready: ${JSON.stringify(servers.map((s) => [s.name, s.state, s.health?.detail]))}; stderr: ${stderr}`);
    const pids: number[] = servers.map((s) => s.pid);
    for (const pid of pids) groups.add(pid);
    const everyone = descendants(gateway.pid!);
    for (const p of everyone) groups.add(p.pgid);
    const dynamicPid = servers.find((s) => s.name === 'dynamic').pid;
    assert.ok(groupMembers(dynamicPid).some((p) => p.comm === 'sleep'), `the sleep shares the fixture's group: ${describeProcs(groupMembers(dynamicPid))}`);
    for (const pid of pids) {
      assert.ok(isRunning(pid), `upstream ${pid} runs`);
      assert.ok(everyone.some((p) => p.pid === pid), `upstream ${pid} is a child of the gateway: ${describeProcs(everyone)}`);
    }

    gateway.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    const t0 = performance.now();
    const gone = await until(() => pids.every((pid) => groupMembers(pid).length === 0) && everyone.every((p) => !isRunning(p.pid)), 5000, 50);
    const took = performance.now() - t0;
    assert.ok(gone, `alive 5 s after SIGKILL: ${describeProcs(everyone.filter((p) => isRunning(p.pid)))}; groups: ${pids.map((g) => `${g}: ${describeProcs(groupMembers(g))}`).join('; ')}`);
    t.diagnostic(`upstreams gone ${took.toFixed(0)} ms after SIGKILL`);
  });
});
