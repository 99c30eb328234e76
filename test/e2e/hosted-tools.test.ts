/**
 * Hosted tools end to end on a real gateway with a real sandbox: REST create → test → publish request
 * → admin approval → call through /mcp with an SDK client; secrets reach the tool and never the logs;
 * egress to an allowed host works and to another host is blocked until a network request is approved;
 * versions, diff and rollback; module requests; the approval stats.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { connectClient, textOf, waitFor } from './harness.js';
import { BOOTSTRAP, startHostedGateway, type HostedGateway } from './hosted-harness.js';

const SECRET = 'sk-live-7f3a9c-hosted-secret';

const code = (port: number, extra = '') => `async def main(city: str, host: str = "api.test") -> dict:
    """Weather for a city.

    Args:
        city: The city name.
        host: Which API host to ask.
    """
    print("using key", secrets["API_KEY"])
    r = await http.get(f"http://{host}:${port}/weather?city={city}", headers={"X-Key": secrets["API_KEY"]})
    data = r.json()
    return {"city": city, "temp": data["temp"], "key_ok": data["key"] == secrets["API_KEY"], "echo": secrets["API_KEY"]${extra}}
`;

describe('hosted tools: REST → review → /mcp', { timeout: 240_000 }, () => {
  let gw: HostedGateway;
  let toolId: string;
  let client: Client | undefined;
  let editorKey: string;

  before(async () => {
    gw = await startHostedGateway();
    editorKey = await gw.key(['read', 'write', 'execute']);
  });
  after(async () => {
    await client?.close().catch(() => undefined);
    await gw?.stop();
  });

  test('create a hosted server: happy path, bad input, duplicates, no credentials, wrong scope', async () => {
    const readKey = await gw.key(['read']);
    assert.equal((await gw.api('POST', '/api/hosted-servers', { name: 'weather' }, null)).status, 401);
    const forbidden = await gw.api('POST', '/api/hosted-servers', { name: 'weather' }, readKey);
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.error.code, 'SWB_AUTH_FORBIDDEN');
    assert.equal((await gw.api('POST', '/api/hosted-servers', { name: 'bad name!' })).status, 400);
    const badHost = await gw.api('POST', '/api/hosted-servers', { name: 'weather', allowed_hosts: ['http://x/'] });
    assert.equal(badHost.status, 422, badHost.text);
    const made = await gw.api('POST', '/api/hosted-servers', { name: 'weather', description: 'Forecasts', allowed_hosts: [`api.test:${gw.apiPort}`] });
    assert.equal(made.status, 201, made.text);
    assert.deepEqual({ running: made.body.running, hosts: made.body.allowed_hosts, tools: made.body.tools }, { running: false, hosts: [`api.test:${gw.apiPort}`], tools: { total: 0, approved: 0, listed: 0 } });
    assert.equal((await gw.api('POST', '/api/hosted-servers', { name: 'weather' })).status, 409);
    assert.equal((await gw.api('GET', '/api/hosted-servers/nope')).status, 404);
    const list = await gw.api('GET', '/api/hosted-servers', undefined, readKey);
    assert.deepEqual(list.body.items.map((s: any) => s.name), ['weather']);
    // Hosted servers use the per-server secrets of /api/servers/{name}/secrets.
    const secret = await gw.api('POST', '/api/servers/weather/secrets', { name: 'API_KEY', value: SECRET });
    assert.equal(secret.status, 201, secret.text);
  });

  test('create a tool: the code is validated and main() becomes the input schema', async () => {
    const invalid = await gw.api('POST', '/api/hosted-servers/weather/tools', { name: 'broken', code: 'async def main(:\n  pass' });
    assert.equal(invalid.status, 422);
    assert.equal(invalid.body.error.code, 'SWB_HOSTED_CODE_INVALID');
    const forbidden = await gw.api('POST', '/api/hosted-servers/weather/tools', { name: 'evil', code: 'import os\nasync def main() -> str:\n    return os.getcwd()\n' });
    assert.equal(forbidden.status, 422);
    assert.match(forbidden.text, /os/);
    assert.equal((await gw.api('POST', '/api/hosted-servers/weather/tools', { name: '1bad', code: 'x' })).status, 400);
    const made = await gw.api('POST', '/api/hosted-servers/weather/tools', { name: 'get_weather', code: code(gw.apiPort) }, editorKey);
    assert.equal(made.status, 201, made.text);
    toolId = made.body.id;
    assert.equal(made.body.status, 'draft');
    assert.equal(made.body.version, 1);
    assert.equal(made.body.description, 'Weather for a city.');
    assert.deepEqual(made.body.input_schema.required, ['city']);
    assert.equal(made.body.input_schema.properties.city.description, 'The city name.');
    assert.equal(made.body.submitted_via, 'api');
  });

  test('validate-code reports problems without saving; test-code before approval is for admins unless the policy allows it', async () => {
    const v = await gw.api('POST', '/api/tools/validate-code', { code: 'import socket\nasync def main():\n    return 1\n' }, editorKey);
    assert.equal(v.status, 200);
    assert.equal(v.body.valid, false);
    assert.ok(v.body.errors.some((e: any) => e.kind === 'forbidden_import'));
    const ok = await gw.api('POST', '/api/tools/validate-code', { code: 'from typing import Literal\nasync def main(unit: Literal["c", "f"] = "c") -> str:\n    return unit\n' }, editorKey);
    assert.equal(ok.body.valid, true);
    assert.deepEqual(ok.body.input_schema.properties.unit.enum, ['c', 'f']);

    const refused = await gw.api('POST', '/api/tools/test-code', { tool_id: toolId, arguments: { city: 'Oslo' } }, editorKey);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'SWB_HOSTED_FORBIDDEN');
    const run = await gw.api('POST', '/api/tools/test-code', { tool_id: toolId, arguments: { city: 'Oslo' } });
    assert.equal(run.status, 200, run.text);
    assert.equal(run.body.ok, true, run.text);
    assert.deepEqual(run.body.structured_content, { city: 'Oslo', temp: 21, key_ok: true, echo: SECRET });
    assert.equal(gw.apiHits.at(-1)?.key, SECRET, 'the secret reached the tool and its request');
    assert.equal((await gw.api('POST', '/api/tools/test-code', { tool_id: 'nope', arguments: {} })).status, 404);
    assert.equal((await gw.api('POST', '/api/tools/test-code', { arguments: {} })).status, 400);
  });

  test('every save is a version: list, get, compare (unified diff), rollback', async () => {
    const v2 = await gw.api('PATCH', `/api/tools/${toolId}`, { code: code(gw.apiPort, ', "v": 2') }, editorKey);
    assert.equal(v2.status, 200, v2.text);
    assert.equal(v2.body.version, 2);
    const versions = await gw.api('GET', `/api/tools/${toolId}/versions`);
    assert.deepEqual(versions.body.items.map((v: any) => [v.version, v.note]), [[2, 'updated code'], [1, 'created']]);
    const cmp = await gw.api('GET', `/api/tools/${toolId}/versions/compare?from=1&to=2`);
    assert.equal(cmp.status, 200);
    assert.match(cmp.body.diff, /^--- v1\n\+\+\+ v2\n@@ /);
    assert.ok(cmp.body.diff.includes('+    return {"city": city') && cmp.body.diff.includes(', "v": 2}'), cmp.body.diff);
    assert.equal(cmp.body.schema_changed, false);
    assert.equal((await gw.api('GET', `/api/tools/${toolId}/versions/compare?from=1&to=9`)).status, 404);
    assert.equal((await gw.api('GET', `/api/tools/${toolId}/versions/compare?from=x&to=2`)).status, 400);
    const one = await gw.api('GET', `/api/tools/${toolId}/versions/1`);
    assert.equal(one.body.code, code(gw.apiPort));
    const back = await gw.api('POST', `/api/tools/${toolId}/versions/1/rollback`, undefined, editorKey);
    assert.equal(back.status, 200, back.text);
    assert.deepEqual([back.body.version, back.body.status, back.body.code], [3, 'draft', code(gw.apiPort)]);
    assert.equal((await gw.api('POST', `/api/tools/${toolId}/versions/3/rollback`, undefined, editorKey)).status, 409);
  });

  test('publish request → admin approval (a rejection needs a reason) → listed and callable through /mcp', async () => {
    const asked = await gw.api('POST', `/api/tools/${toolId}/request-publish`, { note: 'ready' }, editorKey);
    assert.equal(asked.status, 200, asked.text);
    assert.equal(asked.body.status, 'pending_review');
    assert.equal((await gw.api('POST', `/api/tools/${toolId}/request-publish`, {}, editorKey)).status, 409, 'already in review');
    const pending = await gw.api('GET', '/api/approvals/tools');
    assert.deepEqual(pending.body.items.map((t: any) => t.id), [toolId]);
    assert.equal((await gw.api('POST', `/api/approvals/tools/${toolId}/action`, { action: 'approve' }, editorKey)).status, 403, 'approving needs admin');
    assert.equal((await gw.api('POST', `/api/approvals/tools/${toolId}/action`, { action: 'reject' })).status, 400, 'a rejection needs a reason');
    const approved = await gw.api('POST', `/api/approvals/tools/${toolId}/action`, { action: 'approve' });
    assert.equal(approved.status, 200, approved.text);
    assert.equal(approved.body.status, 'approved');
    assert.equal(approved.body.listed, false, 'the server is not running yet');

    const started = await gw.api('POST', '/api/hosted-servers/weather/start', undefined, editorKey);
    assert.equal(started.body.running, true);
    assert.deepEqual(started.body.tools, { total: 1, approved: 1, listed: 1 });

    client = await connectClient(gw.url, { headers: { authorization: `Bearer ${editorKey}` } });
    const listed = await client.listTools();
    const tool = listed.tools.find((t) => t.name === 'weather__get_weather');
    assert.ok(tool, `listed: ${listed.tools.map((t) => t.name).join(', ')}`);
    assert.equal(tool.description, 'Weather for a city.');
    const result = await client.callTool({ name: 'weather__get_weather', arguments: { city: 'Bergen' } });
    assert.equal(result.isError, undefined, textOf(result));
    assert.deepEqual(result.structuredContent, { city: 'Bergen', temp: 21, key_ok: true, echo: SECRET });
    assert.deepEqual(JSON.parse(textOf(result)), result.structuredContent);
  });

  test('egress: a host off the allowed list is blocked until a network request is approved', async () => {
    const blocked = await client!.callTool({ name: 'weather__get_weather', arguments: { city: 'Bergen', host: 'other.test' } });
    assert.equal(blocked.isError, true);
    assert.match(textOf(blocked), /SWB_HOSTED_TOOL_FAILED/);
    assert.match(textOf(blocked), /other\.test/);
    assert.ok(!gw.apiHits.some((h) => h.path.includes('Bergen') && h.key === undefined));

    const req = await gw.api('POST', '/api/hosted-servers/weather/network-requests', { host: `other.test:${gw.apiPort}`, justification: 'mirror' }, editorKey);
    assert.equal(req.status, 201, req.text);
    assert.equal(req.body.status, 'pending');
    assert.equal((await gw.api('POST', '/api/hosted-servers/weather/network-requests', { host: 'http://bad/', justification: 'x' }, editorKey)).status, 422);
    const listed = await gw.api('GET', '/api/approvals/network?status=pending');
    assert.deepEqual(listed.body.items.map((r: any) => r.id), [req.body.id]);
    const ok = await gw.api('POST', `/api/approvals/network/${req.body.id}/action`, { action: 'approve' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.status, 'approved');
    assert.equal((await gw.api('POST', `/api/approvals/network/${req.body.id}/action`, { action: 'approve' })).status, 409, 'decided already');
    const reached = await client!.callTool({ name: 'weather__get_weather', arguments: { city: 'Tromso', host: 'other.test' } });
    assert.equal(reached.isError, undefined, textOf(reached));
    assert.equal((reached.structuredContent as any).city, 'Tromso');
  });

  test('execution logs and the activity log: calls recorded, the secret masked everywhere', async () => {
    const logs = await gw.api('GET', `/api/tools/${toolId}/logs?limit=10`);
    assert.equal(logs.status, 200);
    const items = logs.body.items as any[];
    assert.ok(items.length >= 4, `${items.length} executions`);
    assert.deepEqual(new Set(items.map((e) => e.mode)), new Set(['run', 'test']));
    const ok = items.find((e) => e.ok && e.mode === 'run')!;
    assert.match(ok.stdout, /using key \*{8}/);
    assert.match(ok.result, /"echo": "\*{8}"/);
    assert.ok(items.some((e) => !e.ok && /other\.test/.test(e.error)));
    assert.equal((await gw.api('GET', '/api/tools/nope/logs')).status, 404);
    assert.equal((await gw.api('GET', `/api/tools/${toolId}/logs?limit=0`)).status, 400);

    await gw.activity.flush?.();
    const activity = await gw.api('GET', '/api/activity/logs?page_size=200');
    assert.equal(activity.status, 200);
    assert.ok(activity.body.items.some((r: any) => r.method === 'tools/call' && r.server === 'weather'), 'the /mcp call is in the activity log');
    assert.ok(activity.body.items.some((r: any) => r.method === 'hosted/test' && r.server === 'weather'), 'the test run is in the activity log');
    for (const text of [logs.text, activity.text, ...gw.logs]) assert.ok(!text.includes(SECRET), `the secret leaked: ${text.slice(0, 300)}`);
  });

  test('editing approved code sends it back to review and out of the tool list; revoke and stop withdraw it', async () => {
    let changed = 0;
    client!.setNotificationHandler('notifications/tools/list_changed', () => void changed++);
    const edited = await gw.api('PATCH', `/api/tools/${toolId}`, { description: 'Weather, reworded' }, editorKey);
    assert.equal(edited.body.status, 'pending_review');
    await waitFor(() => changed > 0, 5000, 'tools/list_changed');
    assert.ok(!(await client!.listTools()).tools.some((t) => t.name === 'weather__get_weather'));
    assert.equal((await gw.api('POST', `/api/approvals/tools/${toolId}/action`, { action: 'approve' })).body.status, 'approved');
    assert.ok((await client!.listTools()).tools.some((t) => t.name === 'weather__get_weather' && t.description === 'Weather, reworded'));
    const revoked = await gw.api('POST', `/api/approvals/tools/${toolId}/revoke`, { reason: 'retired' });
    assert.equal(revoked.body.status, 'revoked');
    assert.equal(revoked.body.review.reason, 'retired');
    assert.ok(!(await client!.listTools()).tools.some((t) => t.name === 'weather__get_weather'));
    const call = await client!.callTool({ name: 'weather__get_weather', arguments: { city: 'x' } }).catch((e: Error) => e);
    assert.match(String((call as any).message ?? textOf(call)), /Unknown tool/);
    assert.equal((await gw.api('POST', `/api/approvals/tools/${toolId}/revoke`, {})).status, 409, 'revoked already');
    const stopped = await gw.api('POST', '/api/hosted-servers/weather/stop', undefined, editorKey);
    assert.equal(stopped.body.running, false);
  });

  test('module requests, the whitelist and the approval stats', async () => {
    const forbidden = await gw.api('POST', '/api/hosted-servers/weather/module-requests', { module: 'subprocess', justification: 'x' }, editorKey);
    assert.equal(forbidden.status, 422);
    assert.equal((await gw.api('POST', '/api/hosted-servers/weather/module-requests', { module: 'json', justification: 'x' }, editorKey)).status, 409, 'already allowed');
    const xml = await gw.api('POST', '/api/hosted-servers/weather/module-requests', { module: 'xml.etree.ElementTree', justification: 'parse feeds', tool_id: toolId }, editorKey);
    assert.equal(xml.status, 201, xml.text);
    const csv = await gw.api('POST', '/api/hosted-servers/weather/module-requests', { module: 'csv', justification: 'exports' }, editorKey);
    assert.equal((await gw.api('POST', `/api/approvals/modules/${xml.body.id}/action`, { action: 'approve' })).status, 200);
    const rejected = await gw.api('POST', `/api/approvals/modules/${csv.body.id}/action`, { action: 'reject', reason: 'not needed' });
    assert.deepEqual([rejected.body.status, rejected.body.reason], ['rejected', 'not needed']);
    assert.equal((await gw.api('POST', `/api/approvals/modules/${csv.body.id}/action`, { action: 'maybe' })).status, 400);
    assert.equal((await gw.api('POST', `/api/approvals/network/${csv.body.id}/action`, { action: 'approve' })).status, 404, 'a module request is not a network request');
    const modules = await gw.api('GET', '/api/settings/modules', undefined, editorKey);
    assert.ok(modules.body.allowed.includes('xml.etree.ElementTree') && !modules.body.allowed.includes('csv'));
    assert.deepEqual(modules.body.added, ['xml.etree.ElementTree']);
    assert.equal((await gw.api('PATCH', '/api/settings/modules', { add: ['os'] })).status, 422);
    assert.equal((await gw.api('PATCH', '/api/settings/modules', { add: ['csv'] }, editorKey)).status, 403);
    const patched = await gw.api('PATCH', '/api/settings/modules', { add: ['csv'], remove: ['xml.etree.ElementTree'] });
    assert.deepEqual(patched.body.added, ['csv']);
    const stats = await gw.api('GET', '/api/approvals/stats');
    assert.deepEqual(stats.body.tools, { draft: 0, pending_review: 0, approved: 0, rejected: 0, revoked: 1 });
    assert.deepEqual(stats.body.modules, { pending: 0, approved: 1, rejected: 1, revoked: 0 });
    assert.deepEqual(stats.body.network, { pending: 0, approved: 1, rejected: 0, revoked: 0 });
    assert.equal(stats.body.pending_total, 0);
  });

  test('server details, allowed hosts, tool lists and request lists', async () => {
    const readKey = await gw.key(['read']);
    const got = await gw.api('GET', '/api/hosted-servers/weather', undefined, readKey);
    assert.equal(got.status, 200);
    assert.equal(got.body.description, 'Forecasts');
    const patched = await gw.api('PATCH', '/api/hosted-servers/weather', { allowed_hosts: [`api.test:${gw.apiPort}`, '*.example.com'], timeout_ms: 5000 }, editorKey);
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual([patched.body.allowed_hosts, patched.body.timeout_ms], [[`api.test:${gw.apiPort}`, '*.example.com'], 5000]);
    assert.equal((await gw.api('PATCH', '/api/hosted-servers/weather', { allowed_hosts: ['bad host'] }, editorKey)).status, 422);
    assert.equal((await gw.api('PATCH', '/api/hosted-servers/weather', { running: true }, editorKey)).status, 400, 'unknown fields are refused');
    assert.equal((await gw.api('PATCH', '/api/hosted-servers/weather', { description: 'x' }, readKey)).status, 403);
    assert.equal((await gw.api('PATCH', '/api/hosted-servers/ghost', { description: 'x' }, editorKey)).status, 404);
    const tools = await gw.api('GET', '/api/hosted-servers/weather/tools', undefined, readKey);
    assert.deepEqual(tools.body.items.map((t: any) => [t.name, t.status, 'code' in t]), [['get_weather', 'revoked', false]]);
    assert.equal((await gw.api('GET', '/api/hosted-servers/ghost/tools', undefined, readKey)).status, 404);
    const modules = await gw.api('GET', '/api/approvals/modules?status=approved', undefined, readKey);
    assert.deepEqual(modules.body.items.map((r: any) => r.target), ['xml.etree.ElementTree']);
    assert.equal((await gw.api('GET', '/api/approvals/modules?status=maybe', undefined, readKey)).status, 400);
    assert.equal((await gw.api('GET', '/api/approvals/stats', undefined, null)).status, 401);
  });

  test('doctor and /health/detail report the sandbox layers', async () => {
    const doctor = await gw.api('GET', '/api/doctor');
    const layers = doctor.body.checks.filter((c: any) => c.check.startsWith('sandbox '));
    assert.ok(layers.length >= 5, JSON.stringify(doctor.body.checks));
    assert.ok(layers.some((c: any) => c.check === 'sandbox network-namespace'));
    const health = await gw.api('GET', '/health/detail');
    assert.ok(health.body.checks.some((c: any) => c.name === 'sandbox process' && c.ok));
  });

  test('deleting a hosted server removes its tools and secrets', async () => {
    assert.equal((await gw.api('DELETE', '/api/hosted-servers/weather', undefined, BOOTSTRAP)).status, 200);
    assert.equal((await gw.api('GET', `/api/tools/${toolId}`)).status, 404);
    assert.equal((await gw.api('GET', '/api/servers/weather/secrets')).status, 404);
    assert.equal((await gw.api('DELETE', '/api/hosted-servers/weather')).status, 404);
  });
});
