/**
 * Era matrix: {2025, 2026} client × {2025, 2026} upstream, through one gateway on loopback, for
 * tools/call, resources/read, prompts/get, progress, cancellation, elicitation and sampling. The 2025
 * upstreams are server-everything and the dynamic fixture (sessions, server→client requests); the 2026
 * upstream is the modern fixture over stdio (probed with server/discover, input_required rounds). A
 * second gateway serves the modern fixture over Streamable HTTP. Then the 2026 specifics: multi-round
 * pass-through with the upstream's own sealed state, tampered and foreign state, a retry after the
 * upstream process was replaced, and what /api/servers says about each upstream's era.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { serveModernHttp } from '../fixtures/upstreams/modern-server.js';
import { config, dynamic, everything, ROOT, startGateway, stdioServer, textOf, waitFor, type Gateway } from './harness.js';
import { post } from './modern-era-wire.js';

type Era = 'legacy' | 'modern';

const modernStdio = (name = 'modern') => stdioServer(name, process.execPath, ['--import', 'tsx', join(ROOT, 'test/fixtures/upstreams/modern-server.ts'), '--stdio'], { cwd: ROOT, autoApproveToolChanges: true });

/** What each operation is called on an upstream of each era (names as the gateway exposes them). */
const OPS = {
  legacy: {
    echo: { name: 'everything__echo', arguments: { message: 'hi' }, expect: /Echo: hi/ },
    resourcePrefix: 'switchboard://everything/',
    prompt: { name: 'everything__args-prompt', arguments: { city: 'Paris' }, expect: /Paris/ },
    progress: { name: 'everything__trigger-long-running-operation', arguments: { duration: 1, steps: 4 }, expect: /completed/i },
    slow: 'dynamic__slow',
    elicit: { name: 'everything__trigger-elicitation-request', arguments: {} },
    sample: { name: 'everything__trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 5 } },
  },
  modern: {
    echo: { name: 'modern__echo', arguments: { message: 'hi' }, expect: /Echo: hi/ },
    resourcePrefix: 'switchboard://modern/',
    prompt: { name: 'modern__greet', arguments: { name: 'Paris' }, expect: /Please greet Paris/ },
    progress: { name: 'modern__progress', arguments: { steps: 4 }, expect: /completed 4 steps/ },
    slow: 'modern__slow',
    elicit: { name: 'modern__elicit', arguments: {} },
    sample: { name: 'modern__sample', arguments: { prompt: 'hi' } },
  },
} as const;

interface Seen {
  sampled: number;
  elicited: number;
}

async function connect(url: string, era: Era, seen: Seen, path = '/mcp'): Promise<Client> {
  const client = new Client(
    { name: `era-matrix-${era}`, version: '1.0.0' },
    { capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } }, ...(era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}) },
  );
  client.setRequestHandler('sampling/createMessage', async () => (seen.sampled++, { role: 'assistant', content: { type: 'text', text: `sampled for ${era}` }, model: 'matrix', stopReason: 'endTurn' }));
  client.setRequestHandler('elicitation/create', async (req) => {
    seen.elicited++;
    const props = Object.keys((req.params as { requestedSchema?: { properties?: object } }).requestedSchema?.properties ?? {});
    // Answers whatever the form asks for; everything's form wants more fields than a name.
    const content: Record<string, unknown> = { name: `Ada-${era}`, check: true, integer: 3, number: 1.5, enum: 'Bar' };
    if (props.includes('color')) content['color'] = 'teal';
    if (props.includes('context')) content['context'] = `ctx-${era}`;
    return { action: 'accept', content: content as never };
  });
  client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: 'file:///matrix', name: 'matrix' }] }));
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}${path}`)));
  return client;
}

describe('era matrix: {2025, 2026} client × {2025, 2026} upstream', () => {
  let gw: Gateway;
  before(async () => {
    gw = await startGateway(config([everything(), dynamic(), modernStdio()]));
  });
  after(async () => {
    await gw?.stop();
  });

  test('each upstream is probed: the 2026 fixture is modern, the 2025 servers legacy (REST and status)', async () => {
    const res = await fetch(`${gw.url}/api/servers`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { data?: { name: string; protocol_era: string | null }[]; items?: { name: string; protocol_era: string | null }[] };
    const list = body.data ?? body.items ?? (body as unknown as { name: string; protocol_era: string | null }[]);
    const era = Object.fromEntries(list.map((s) => [s.name, s.protocol_era]));
    assert.deepEqual(era, { everything: 'legacy', dynamic: 'legacy', modern: 'modern' });
    const status = gw.upstreams.get('modern')!.status();
    assert.equal(status.protocolEra, 'modern');
    assert.equal(status.protocolVersion, '2026-07-28');
    assert.equal(gw.upstreams.get('dynamic')!.status().protocolEra, 'legacy');
    const one = (await (await fetch(`${gw.url}/api/servers/modern/status`)).json()) as { protocol_era: string; protocol_version: string };
    assert.equal(one.protocol_era, 'modern');
    assert.equal(one.protocol_version, '2026-07-28');
  });

  for (const clientEra of ['legacy', 'modern'] as const) {
    for (const upstreamEra of ['legacy', 'modern'] as const) {
      describe(`${clientEra} client × ${upstreamEra} upstream`, () => {
        const ops = OPS[upstreamEra];
        const seen: Seen = { sampled: 0, elicited: 0 };
        let client: Client;
        before(async () => {
          client = await connect(gw.url, clientEra, seen);
          assert.equal(client.getNegotiatedProtocolVersion(), clientEra === 'modern' ? '2026-07-28' : '2025-11-25');
        });
        after(async () => {
          await client?.close();
        });

        test('tools/call', async () => {
          assert.match(textOf(await client.callTool({ name: ops.echo.name, arguments: ops.echo.arguments })), ops.echo.expect);
        });

        test('resources/read', async () => {
          const { resources } = await client.listResources();
          const uri = resources.find((r) => r.uri.startsWith(ops.resourcePrefix))?.uri;
          assert.ok(uri, `a resource under ${ops.resourcePrefix}`);
          const read = await client.readResource({ uri });
          assert.equal(read.contents[0]!.uri, uri);
        });

        test('prompts/get', async () => {
          const got = await client.getPrompt({ name: ops.prompt.name, arguments: ops.prompt.arguments });
          assert.match(JSON.stringify(got.messages), ops.prompt.expect);
        });

        test('progress', async () => {
          const progress: number[] = [];
          const res = await client.callTool({ name: ops.progress.name, arguments: ops.progress.arguments }, { onprogress: (p) => void progress.push(p.progress) });
          assert.match(textOf(res), ops.progress.expect);
          assert.ok(progress.length >= 3, `progress: ${progress}`);
        });

        test('cancellation', async () => {
          const ac = new AbortController();
          const pending = client.callTool({ name: ops.slow, arguments: { ms: 10_000 } }, { signal: ac.signal });
          setTimeout(() => ac.abort(), 300);
          const t0 = Date.now();
          await assert.rejects(pending);
          assert.ok(Date.now() - t0 < 3000);
          assert.equal(textOf(await client.callTool({ name: ops.slow, arguments: { ms: 1 } })), 'slept 1');
        });

        test('elicitation', async () => {
          const before = seen.elicited;
          const res = await client.callTool({ name: ops.elicit.name, arguments: ops.elicit.arguments });
          assert.match(JSON.stringify(res), new RegExp(`Ada-${clientEra}`));
          assert.equal(seen.elicited, before + 1);
        });

        test('sampling', async () => {
          const before = seen.sampled;
          const res = await client.callTool({ name: ops.sample.name, arguments: ops.sample.arguments });
          assert.match(JSON.stringify(res), new RegExp(`sampled for ${clientEra}`));
          assert.equal(seen.sampled, before + 1);
        });

        if (upstreamEra === 'modern') {
          test('several rounds with the upstream’s own state, roots, and a prompt that asks first', async () => {
            const before = seen.elicited;
            assert.match(textOf(await client.callTool({ name: 'modern__two_rounds', arguments: {} })), new RegExp(`Ada-${clientEra} likes teal`));
            assert.equal(seen.elicited, before + 2);
            assert.equal(textOf(await client.callTool({ name: 'modern__roots', arguments: {} })), 'Roots: file:///matrix');
            const prompt = await client.getPrompt({ name: 'modern__ask_context', arguments: {} });
            assert.match(JSON.stringify(prompt.messages), new RegExp(`Context: ctx-${clientEra}`));
          });
        }
      });
    }
  }

  test('a 2026 upstream’s list changes arrive over its listen stream and reach sessions', async () => {
    const client = await connect(gw.url, 'legacy', { sampled: 0, elicited: 0 });
    try {
      let changed = 0;
      client.setNotificationHandler('notifications/tools/list_changed', () => void changed++);
      assert.equal(textOf(await client.callTool({ name: 'modern__add_tool', arguments: { name: 'late_tool' } })), 'added late_tool');
      await waitFor(() => changed > 0, 10_000, 'tools/list_changed');
      const { tools } = await client.listTools();
      assert.ok(tools.some((t) => t.name === 'modern__late_tool'));
      assert.equal(textOf(await client.callTool({ name: 'modern__late_tool', arguments: {} })), 'I am late_tool');
    } finally {
      await client.close();
    }
  });

  describe('2026 client over a 2026 upstream: requestState on the wire', () => {
    const call = (name: string, extra: Record<string, unknown> = {}, opts: { headers?: Record<string, string>; caps?: Record<string, object> } = {}) =>
      post(gw.url, 'tools/call', { name, arguments: {}, ...extra }, { caps: opts.caps ?? { elicitation: {}, sampling: {} }, ...(opts.headers ? { headers: opts.headers } : {}) });

    test('the upstream’s keys reach the client, its state travels sealed, and the retry returns to it', async () => {
      const first = await call('modern__two_rounds');
      const r1 = first.body.result;
      assert.equal(r1.resultType, 'input_required');
      assert.deepEqual(Object.keys(r1.inputRequests), ['name']);
      assert.match(r1.requestState, /^v1\./);
      const second = await call('modern__two_rounds', { inputResponses: { name: { action: 'accept', content: { name: 'Grace' } } }, requestState: r1.requestState });
      const r2 = second.body.result;
      assert.equal(r2.resultType, 'input_required', JSON.stringify(second.body));
      assert.deepEqual(Object.keys(r2.inputRequests), ['color']);
      const third = await call('modern__two_rounds', { inputResponses: { color: { action: 'accept', content: { color: 'red' } } }, requestState: r2.requestState });
      assert.match(third.body.result.content[0].text, /^Grace likes red \(pid \d+\)$/);
    });

    test('input responses sent with no state still reach the upstream; a round with no upstream state is still routed back', async () => {
      const direct = await call('modern__elicit', { inputResponses: { user_name: { action: 'accept', content: { name: 'Direct' } } } });
      assert.equal(direct.body.result.content[0].text, 'Hello, Direct!');
      const first = await call('modern__elicit');
      assert.deepEqual(Object.keys(first.body.result.inputRequests), ['user_name']);
      const done = await call('modern__elicit', { inputResponses: { user_name: { action: 'accept', content: { name: 'Routed' } } }, requestState: first.body.result.requestState });
      assert.equal(done.body.result.content[0].text, 'Hello, Routed!');
    });

    test('the upstream judges the client’s own capabilities, not the gateway’s', async () => {
      // Declared: the round is asked under the upstream's own key.
      const ok = await call('modern__sample', {}, { caps: { sampling: {} } });
      assert.deepEqual(Object.keys(ok.body.result.inputRequests ?? {}), ['question']);
      // Not declared: the upstream refuses with -32021 naming what is missing, and that reaches the client.
      const missing = await call('modern__sample', {}, { caps: {} });
      assert.equal(missing.body.error?.code, -32021, JSON.stringify(missing.body));
      assert.ok(missing.body.error.data.requiredCapabilities.sampling);
    });

    test('a tampered, foreign-tool or replayed-elsewhere requestState is refused', async () => {
      const first = await call('modern__two_rounds');
      const state: string = first.body.result.requestState;
      const answer = { name: { action: 'accept', content: { name: 'x' } } };
      const tampered = `${state.slice(0, -4)}${state.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
      const bad = await call('modern__two_rounds', { inputResponses: answer, requestState: tampered });
      assert.equal(bad.body.error?.code, -32602);
      const otherTool = await call('modern__elicit', { inputResponses: answer, requestState: state });
      assert.equal(otherTool.body.error?.code, -32602);
      const garbage = await call('modern__two_rounds', { inputResponses: answer, requestState: 'not-ours' });
      assert.equal(garbage.body.error?.code, -32602);
    });

    test('after the upstream process is replaced, a state it issued is refused; a fresh call works', async () => {
      const first = await call('modern__two_rounds');
      const state: string = first.body.result.requestState;
      const pidBefore = (await call('modern__pid')).body.result.content[0].text;
      await gw.upstreams.get('modern')!.restart();
      await waitFor(() => gw.upstreams.get('modern')!.state === 'ready', 20_000, 'modern upstream back');
      const pidAfter = (await call('modern__pid')).body.result.content[0].text;
      assert.notEqual(pidAfter, pidBefore);
      const stale = await call('modern__two_rounds', { inputResponses: { name: { action: 'accept', content: { name: 'x' } } }, requestState: state });
      assert.equal(stale.body.error?.code, -32602);
      assert.equal((await call('modern__two_rounds')).body.result.resultType, 'input_required');
    });
  });
});

describe('a 2026 upstream over Streamable HTTP', () => {
  let upstream: Awaited<ReturnType<typeof serveModernHttp>>;
  let gw: Gateway;
  before(async () => {
    upstream = await serveModernHttp();
    gw = await startGateway(config([{ name: 'remote', transport: 'streamable-http', url: upstream.url, args: [], env: {}, headers: {}, enabled: true, quarantined: false, timeoutMs: 30_000 }]));
  });
  after(async () => {
    await gw?.stop();
    await upstream?.close();
  });

  test('is probed as modern and serves both client eras, input rounds and cancellation included', async () => {
    assert.equal(gw.upstreams.get('remote')!.status().protocolEra, 'modern');
    for (const era of ['legacy', 'modern'] as const) {
      const seen: Seen = { sampled: 0, elicited: 0 };
      const client = await connect(gw.url, era, seen);
      try {
        assert.equal(textOf(await client.callTool({ name: 'remote__echo', arguments: { message: era } })), `Echo: ${era}`);
        assert.equal(textOf(await client.callTool({ name: 'remote__elicit', arguments: {} })), `Hello, Ada-${era}!`);
        assert.match(textOf(await client.callTool({ name: 'remote__two_rounds', arguments: {} })), new RegExp(`Ada-${era} likes teal`));
        assert.equal(textOf(await client.callTool({ name: 'remote__sample', arguments: {} })), `LLM said: sampled for ${era}`);
        const read = await client.readResource({ uri: 'switchboard://remote/modern://greeting' }).catch(async () => {
          const { resources } = await client.listResources();
          return client.readResource({ uri: resources[0]!.uri });
        });
        assert.match(JSON.stringify(read.contents), /Hello from the 2026 era/);
        const progress: number[] = [];
        await client.callTool({ name: 'remote__progress', arguments: { steps: 3 } }, { onprogress: (p) => void progress.push(p.progress) });
        assert.deepEqual(progress, [1, 2, 3]);
        const ac = new AbortController();
        const pending = client.callTool({ name: 'remote__slow', arguments: { ms: 10_000 } }, { signal: ac.signal });
        setTimeout(() => ac.abort(), 300);
        const t0 = Date.now();
        await assert.rejects(pending);
        assert.ok(Date.now() - t0 < 3000);
      } finally {
        await client.close();
      }
    }
  });
});

describe('a 2025 client that cannot answer what a 2026 upstream asks', () => {
  let gw: Gateway;
  before(async () => {
    gw = await startGateway(config([modernStdio()]));
  });
  after(async () => {
    await gw?.stop();
  });

  test('gets the upstream’s -32021 naming the missing capability (it saw the session’s own capabilities), and nothing hangs', async () => {
    const client = new Client({ name: 'no-caps', version: '1.0.0' }, { capabilities: {} });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${gw.url}/mcp`)));
    try {
      const t0 = Date.now();
      await assert.rejects(client.callTool({ name: 'modern__elicit', arguments: {} }), (err: { code?: number; message?: string }) => err.code === -32021 && /elicitation/.test(err.message ?? ''));
      assert.ok(Date.now() - t0 < 5000);
      // The session is fine for everything else.
      assert.equal(textOf(await client.callTool({ name: 'modern__echo', arguments: { message: 'still here' } })), 'Echo: still here');
    } finally {
      await client.close();
    }
  });

  test('a REST invocation of such a tool is refused with a clear error', async () => {
    const res = await fetch(`${gw.url}/api/servers/modern/invoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tool_name: 'elicit', arguments: {} }) });
    const body = JSON.stringify(await res.json());
    assert.notEqual(res.status, 200, body);
    assert.match(body, /elicitation|No MCP client/i);
  });
});
