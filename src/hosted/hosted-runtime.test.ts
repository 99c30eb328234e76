import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSandbox } from '../sandbox/index.js';
import type { NewExecution } from '../store/index.js';
import { createHostedRuntime } from './hosted-runtime.js';

const tool = { id: 't1', name: 'echo', version: 4, code: 'async def main(x: str) -> str:\n    return x\n', description: 'Echo', inputSchema: { type: 'object', properties: { x: { type: 'string' } } } };

function runtime(requireAll: boolean, records: NewExecution[]) {
  return createHostedRuntime({
    // Never started here: a refused call must not reach the sandbox at all.
    sandbox: createSandbox({ poolSize: 1 }),
    secrets: () => ({ TOKEN: 'secret-token-value' }),
    allowedModules: () => [],
    allowPublic: () => false,
    approvedHosts: () => [],
    redact: () => true,
    requireAllLayers: () => requireAll,
    record: (e) => records.push(e),
    layers: async () => [
      { name: 'process', active: true, detail: '' },
      { name: 'network-namespace', active: false, detail: 'unavailable' },
    ],
  });
}

test('a missing isolation layer refuses hosted calls with a clear isError result, and the refusal is logged', async () => {
  const records: NewExecution[] = [];
  const rt = runtime(true, records);
  rt.setServer({ name: 'srv', allowedHosts: [], tools: [tool] });
  assert.deepEqual(rt.listing('srv')?.tools, [{ name: 'echo', description: 'Echo', inputSchema: tool.inputSchema }]);
  const result = await rt.call('srv', 'echo', { x: 'secret-token-value' }, { caller: 'alice' });
  assert.equal(result['isError'], true);
  assert.match(JSON.stringify(result), /SWB_HOSTED_TOOL_FAILED: tool 'echo' could not run: .*network-namespace/);
  assert.equal(records.length, 1);
  assert.deepEqual({ ok: records[0]!.ok, tool: records[0]!.tool, version: records[0]!.version, caller: records[0]!.caller }, { ok: false, tool: 'echo', version: 4, caller: 'alice' });
  assert.equal(records[0]!.arguments, '{"x":"********"}', 'the secret value is masked in the logged arguments');
  assert.deepEqual(await rt.missingLayers(), ['network-namespace']);
});

test('unknown tools and stopped servers are "unknown tool", like any missing tool', async () => {
  const rt = runtime(false, []);
  rt.setServer({ name: 'srv', allowedHosts: [], tools: [tool] });
  await assert.rejects(rt.call('srv', 'nope', {}, { caller: 'a' }), (e: any) => e.code === 'SWB_TOOL_NOT_FOUND');
  rt.removeServer('srv');
  assert.equal(rt.listing('srv'), undefined);
  await assert.rejects(rt.call('srv', 'echo', {}, { caller: 'a' }), (e: any) => e.code === 'SWB_TOOL_NOT_FOUND');
});
