import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeldCalls, isAnswerFor } from './held-calls.js';

const opts = { holdMs: 200, gatherMs: 10 };
const never = new AbortController().signal;

test('requests an upstream makes together are gathered into one round, answered, and the call completes', async () => {
  const held = new HeldCalls(opts);
  const call = held.create('key:a', 'tools/call');
  call.start({}, async ({ send }) => {
    const [a, b] = await Promise.all([send({ method: 'elicitation/create', params: { message: 'name?' } }), send({ method: 'roots/list' })]);
    return { content: [{ type: 'text', text: `${JSON.stringify(a)} ${JSON.stringify(b)}` }] };
  });
  const round = await call.next({}, never);
  assert.equal(round.kind, 'input');
  assert.deepEqual(Object.keys(round.kind === 'input' ? round.requests : {}).sort(), ['elicitation_1', 'roots_2']);
  assert.equal(call.round, 1);
  assert.deepEqual(call.answer({ elicitation_1: { action: 'accept', content: { name: 'x' } }, roots_2: { roots: [] }, extra: { action: 'accept' } }), ['elicitation_1', 'roots_2']);
  const done = await call.next({}, never);
  assert.equal(done.kind, 'done');
});

test('an unanswered request is asked again; a malformed answer does not count', async () => {
  const held = new HeldCalls(opts);
  const call = held.create('key:a', 'tools/call');
  call.start({}, async ({ send }) => send({ method: 'sampling/createMessage', params: {} }));
  await call.next({}, never);
  assert.deepEqual(call.answer({ sampling_1: 12345 }), []);
  const again = await call.next({}, never);
  assert.equal(again.kind, 'input');
  assert.deepEqual(Object.keys(again.kind === 'input' ? again.requests : {}), ['sampling_1']);
});

test('a call whose client never retries is cancelled upstream after the hold time', async () => {
  const held = new HeldCalls(opts);
  const call = held.create('key:a', 'tools/call');
  let upstreamSignal: AbortSignal | undefined;
  call.start({}, async ({ send, signal }) => {
    upstreamSignal = signal;
    return send({ method: 'elicitation/create', params: {} });
  });
  await call.next({}, never);
  assert.equal(held.size, 1);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(upstreamSignal?.aborted, true);
  assert.equal(held.get(call.id), undefined);
});

test('the exchange going away cancels the upstream call', async () => {
  const held = new HeldCalls(opts);
  const call = held.create('key:a', 'tools/call');
  let upstreamSignal: AbortSignal | undefined;
  call.start({}, ({ signal }) => {
    upstreamSignal = signal;
    return new Promise(() => undefined);
  });
  const ac = new AbortController();
  const pending = call.next({}, ac.signal);
  ac.abort();
  const out = await pending;
  assert.equal(out.kind, 'failed');
  assert.equal(upstreamSignal?.aborted, true);
});

test('progress goes to the attached exchange under its own token', async () => {
  const held = new HeldCalls(opts);
  const call = held.create('key:a', 'tools/call');
  const got: unknown[] = [];
  const exchange = { progressToken: 'client-7', notify: async (n: unknown) => void got.push(n) };
  call.start(exchange, async ({ notify }) => {
    await notify({ method: 'notifications/progress', params: { progressToken: 'upstream', progress: 1 } });
    return { content: [] };
  });
  await call.next(exchange, never);
  assert.deepEqual(got, [{ method: 'notifications/progress', params: { progressToken: 'client-7', progress: 1 } }]);
});

test('answer shapes per method', () => {
  assert.equal(isAnswerFor('elicitation/create', { action: 'decline' }), true);
  assert.equal(isAnswerFor('elicitation/create', { content: {} }), false);
  assert.equal(isAnswerFor('sampling/createMessage', { role: 'assistant', content: { type: 'text', text: 'x' } }), true);
  assert.equal(isAnswerFor('roots/list', { roots: 'no' }), false);
  assert.equal(isAnswerFor('roots/list', null), false);
});
