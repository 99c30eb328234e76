/**
 * JavaScript hosted tools end to end on a real gateway with a real sandbox: REST create (language
 * javascript, JSDoc → input schema) → test-code → publish request → admin approval → call through /mcp;
 * `http` to the allowed host with the server's secret; versions keep the language; bad input; and the
 * same field through the MCP management tools.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { connectClient, textOf } from './harness.js';
import { startHostedGateway, type HostedGateway } from './hosted-harness.js';

const SECRET = 'sk-js-2b7d1e-hosted-secret';

const code = (port: number, extra = '') => `/**
 * Weather for a city, in JavaScript.
 * @param {object} args
 * @param {string} args.city - The city name.
 * @param {number} [args.days=1] - How many days.
 */
export default async function main({ city, days = 1 }) {
  console.log("asking for", city);
  const r = await http.get("http://api.test:${port}/weather", { params: { city }, headers: { "X-Key": secrets.API_KEY } });
  const data = r.json();
  return { city, days, temp: data.temp, key_ok: data.key === secrets.API_KEY${extra} };
}
`;

describe('hosted JavaScript tools: REST → review → /mcp', { timeout: 240_000 }, () => {
  let gw: HostedGateway;
  let toolId: string;
  let client: Client | undefined;
  let editorKey: string;

  before(async () => {
    gw = await startHostedGateway();
    editorKey = await gw.key(['read', 'write', 'execute']);
    const made = await gw.api('POST', '/api/hosted-servers', { name: 'jsweather', allowed_hosts: [`api.test:${gw.apiPort}`] });
    assert.equal(made.status, 201, made.text);
    assert.equal((await gw.api('POST', '/api/servers/jsweather/secrets', { name: 'API_KEY', value: SECRET })).status, 201);
  });
  after(async () => {
    await client?.close().catch(() => undefined);
    await gw?.stop();
  });

  test('validate-code and create: language javascript, the JSDoc becomes the schema; bad input refused', async () => {
    const v = await gw.api('POST', '/api/tools/validate-code', { code: 'export default async function main( {', language: 'javascript' }, editorKey);
    assert.equal(v.status, 200, v.text);
    assert.equal(v.body.valid, false);
    assert.equal(v.body.errors[0].kind, 'syntax');
    assert.equal((await gw.api('POST', '/api/tools/validate-code', { code: 'x', language: 'ruby' }, editorKey)).status, 400);
    const pyAsJs = await gw.api('POST', '/api/hosted-servers/jsweather/tools', { name: 'py', code: 'async def main():\n    return 1\n', language: 'javascript' }, editorKey);
    assert.equal(pyAsJs.status, 422, pyAsJs.text);
    assert.equal(pyAsJs.body.error.code, 'SWB_HOSTED_CODE_INVALID');

    const made = await gw.api('POST', '/api/hosted-servers/jsweather/tools', { name: 'get_weather', code: code(gw.apiPort), language: 'javascript' }, editorKey);
    assert.equal(made.status, 201, made.text);
    toolId = made.body.id;
    assert.equal(made.body.language, 'javascript');
    assert.equal(made.body.description, 'Weather for a city, in JavaScript.');
    assert.deepEqual(made.body.input_schema, {
      type: 'object',
      properties: { city: { type: 'string', description: 'The city name.' }, days: { type: 'number', description: 'How many days.', default: 1 } },
      required: ['city'],
      additionalProperties: false,
    });
    const listed = await gw.api('GET', '/api/hosted-servers/jsweather/tools');
    assert.deepEqual(listed.body.items.map((t: any) => [t.name, t.language]), [['get_weather', 'javascript']]);
  });

  test('test-code runs it in the sandbox with http and the secret; versions keep the language', async () => {
    const run = await gw.api('POST', '/api/tools/test-code', { tool_id: toolId, arguments: { city: 'Oslo' } });
    assert.equal(run.status, 200, run.text);
    assert.equal(run.body.ok, true, run.text);
    assert.deepEqual(run.body.structured_content, { city: 'Oslo', days: 1, temp: 21, key_ok: true });
    assert.equal(run.body.stdout, 'asking for Oslo\n');
    assert.equal(gw.apiHits.at(-1)?.key, SECRET);

    const v2 = await gw.api('PATCH', `/api/tools/${toolId}`, { code: code(gw.apiPort, ', v: 2') }, editorKey);
    assert.equal(v2.status, 200, v2.text);
    assert.deepEqual([v2.body.version, v2.body.language], [2, 'javascript']);
    const versions = await gw.api('GET', `/api/tools/${toolId}/versions`);
    assert.deepEqual(versions.body.items.map((x: any) => [x.version, x.language]), [[2, 'javascript'], [1, 'javascript']]);
    const switchNoCode = await gw.api('PATCH', `/api/tools/${toolId}`, { language: 'python' }, editorKey);
    assert.equal(switchNoCode.status, 422, switchNoCode.text);
    assert.equal(switchNoCode.body.error.code, 'SWB_VALIDATION_FAILED');
    const back = await gw.api('POST', `/api/tools/${toolId}/versions/1/rollback`, undefined, editorKey);
    assert.equal(back.status, 200, back.text);
    assert.deepEqual([back.body.version, back.body.language, back.body.code], [3, 'javascript', code(gw.apiPort)]);
  });

  test('publish request → approval → callable through /mcp', async () => {
    assert.equal((await gw.api('POST', `/api/tools/${toolId}/request-publish`, { note: 'js' }, editorKey)).status, 200);
    const approved = await gw.api('POST', `/api/approvals/tools/${toolId}/action`, { action: 'approve' });
    assert.equal(approved.status, 200, approved.text);
    assert.equal((await gw.api('POST', '/api/hosted-servers/jsweather/start', undefined, editorKey)).body.running, true);

    client = await connectClient(gw.url, { headers: { authorization: `Bearer ${editorKey}` } });
    const tool = (await client.listTools()).tools.find((t) => t.name === 'jsweather__get_weather');
    assert.ok(tool);
    assert.equal(tool.description, 'Weather for a city, in JavaScript.');
    assert.deepEqual(tool.inputSchema.required, ['city']);
    const result = await client.callTool({ name: 'jsweather__get_weather', arguments: { city: 'Bergen', days: 2 } });
    assert.equal(result.isError, undefined, textOf(result));
    assert.deepEqual(result.structuredContent, { city: 'Bergen', days: 2, temp: 21, key_ok: true });
    const failing = await client.callTool({ name: 'jsweather__get_weather', arguments: {} });
    assert.equal(failing.isError, undefined, 'a missing optional city still runs: the tool decides');
  });

  test('the MCP management tools take the same language field', async () => {
    assert.equal((await gw.api('PATCH', '/api/settings', { mcp_management_tools: true })).status, 200);
    assert.equal((await gw.api('PATCH', '/api/settings/security-policy', { remote_tool_editing: true })).status, 200);
    const editor = await connectClient(gw.url, { headers: { authorization: `Bearer ${editorKey}` } });
    try {
      const call = async (tool: string, args: Record<string, unknown>) => {
        const r = await editor.callTool({ name: `switchboard__switchboard_${tool}`, arguments: args });
        return { isError: r.isError === true, text: textOf(r), data: r.structuredContent as any };
      };
      const v = await call('validate_code', { code: '/** Echo. */\nexport default async function main(args) { return args; }', language: 'javascript' });
      assert.equal(v.isError, false, v.text);
      assert.equal(v.data.valid, true);
      assert.deepEqual(v.data.input_schema, { type: 'object', additionalProperties: true });
      const made = await call('create_tool', { server: 'jsweather', name: 'echo', code: 'export default async function main(args) { return { got: args }; }', language: 'javascript' });
      assert.equal(made.isError, false, made.text);
      assert.deepEqual([made.data.language, made.data.submitted_via], ['javascript', 'mcp']);
      const bad = await call('create_tool', { server: 'jsweather', name: 'echo2', code: 'x', language: 'perl' });
      assert.equal(bad.isError, true);
    } finally {
      await editor.close().catch(() => undefined);
    }
  });
});
