/**
 * The switchboard_* management tools end to end through /mcp with SDK clients: off by default, key
 * scopes and the policy gate decide who sees and uses them, remote editing follows the security
 * policy, and an LLM acting with admin credentials can never approve what it submitted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { connectClient, textOf, waitFor } from './harness.js';
import { BOOTSTRAP, startHostedGateway, type HostedGateway } from './hosted-harness.js';

const P = 'switchboard__switchboard_';
const TOOL_CODE = `async def main(text: str, times: int = 2) -> dict:
    """Repeat a text.

    Args:
        text: What to repeat.
        times: How often.
    """
    return {"out": text * times, "token_set": "TOKEN" in secrets}
`;

async function call(client: Client, tool: string, args: Record<string, unknown> = {}): Promise<{ isError: boolean; text: string; data: any }> {
  const r = await client.callTool({ name: `${P}${tool}`, arguments: args });
  return { isError: r.isError === true, text: textOf(r), data: r.structuredContent };
}

describe('switchboard_* management tools over /mcp', { timeout: 240_000 }, () => {
  let gw: HostedGateway;
  const clients: Client[] = [];
  let llm: Client; // an LLM holding the bootstrap (admin) key
  let editor: Client;
  let runner: Client;
  let reader: Client;
  let otherAdminKey: string;
  let editorToolId: string;

  const connect = async (key: string) => {
    const c = await connectClient(gw.url, { headers: { authorization: `Bearer ${key}` } });
    clients.push(c);
    return c;
  };

  before(async () => {
    gw = await startHostedGateway();
    otherAdminKey = await gw.key(['admin']);
    llm = await connect(BOOTSTRAP);
    editor = await connect(await gw.key(['read', 'write', 'execute']));
    runner = await connect(await gw.key(['read', 'execute']));
    reader = await connect(await gw.key(['read']));
  });
  after(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await gw?.stop();
  });

  test('off by default; the setting adds them as the source "switchboard" and announces the change', async () => {
    assert.ok(!(await llm.listTools()).tools.some((t) => t.name.startsWith(P)));
    let changed = false;
    llm.setNotificationHandler('notifications/tools/list_changed', () => void (changed = true));
    assert.equal((await gw.api('PATCH', '/api/settings', { mcp_management_tools: true })).status, 200);
    await waitFor(() => changed, 5000, 'tools/list_changed');
    const names = (await llm.listTools()).tools.map((t) => t.name).filter((n) => n.startsWith(P));
    for (const t of ['list_servers', 'create_server', 'create_tool', 'update_tool', 'get_tool', 'list_tool_versions', 'rollback_tool', 'test_code', 'validate_code', 'create_server_secret', 'list_server_secrets', 'request_publish', 'request_module', 'request_network_access', 'get_tool_status', 'list_pending_requests', 'get_tool_logs']) {
      assert.ok(names.includes(`${P}${t}`), `${t} is offered`);
    }
    assert.ok(!names.some((n) => /approve|reject|revoke|decide/.test(n)), 'no tool decides on approvals');
    const create = (await llm.listTools()).tools.find((t) => t.name === `${P}create_tool`)!;
    assert.deepEqual((create.inputSchema as any).required.sort(), ['code', 'name', 'server']);
    assert.equal(create.annotations?.readOnlyHint, false);
  });

  test('scopes: a read key sees none of them; read+execute may read but not create', async () => {
    assert.ok(!(await reader.listTools()).tools.some((t) => t.name.startsWith(P)), 'tools need the execute scope to be seen');
    await assert.rejects(reader.callTool({ name: `${P}list_servers`, arguments: {} }), /Unknown tool/);
    const list = await call(runner, 'list_servers');
    assert.equal(list.isError, false, list.text);
    assert.deepEqual(list.data, { items: [] });
    const create = await call(runner, 'create_server', { name: 'nope' });
    assert.equal(create.isError, true);
    assert.match(create.text, /^SWB_AUTH_FORBIDDEN: .*'write'/);
  });

  test('remote editing follows the security policy', async () => {
    const refused = await call(editor, 'create_server', { name: 'notes' });
    assert.equal(refused.isError, true);
    assert.match(refused.text, /^SWB_HOSTED_FORBIDDEN: .*remote_tool_editing/);
    assert.equal((await gw.api('PATCH', '/api/settings/security-policy', { remote_tool_editing: true })).status, 200);
    const made = await call(editor, 'create_server', { name: 'notes', description: 'Text tools' });
    assert.equal(made.isError, false, made.text);
    assert.equal(made.data.name, 'notes');
    const bad = await call(editor, 'create_server', { name: 'bad name!' });
    assert.equal(bad.isError, true);
    assert.match(bad.text, /^SWB_INVALID_ARGUMENT: .*name/);
  });

  test('secret placeholders: created through MCP, listed without values', async () => {
    const made = await call(editor, 'create_server_secret', { server: 'notes', name: 'TOKEN' });
    assert.equal(made.isError, false, made.text);
    assert.equal(made.data.has_value, false);
    assert.equal((await gw.api('PUT', '/api/servers/notes/secrets/TOKEN', { value: 'tok-value-123456' })).status, 200);
    const list = await call(runner, 'list_server_secrets', { server: 'notes' });
    assert.deepEqual(list.data, { items: [{ name: 'TOKEN', has_value: true }] });
    assert.ok(!list.text.includes('tok-value-123456'));
    assert.equal((await call(editor, 'create_server_secret', { server: 'ghost', name: 'X' })).isError, true);
  });

  test('tools: create, validate, versions, test (policy), publish request, status and pending requests', async () => {
    const v = await call(editor, 'validate_code', { code: 'import pickle\nasync def main():\n    return 1\n' });
    assert.equal(v.data.valid, false);
    const made = await call(editor, 'create_tool', { server: 'notes', name: 'repeat', code: TOOL_CODE });
    assert.equal(made.isError, false, made.text);
    editorToolId = made.data.id;
    assert.deepEqual([made.data.status, made.data.submitted_via], ['draft', 'mcp']);
    const updated = await call(editor, 'update_tool', { tool_id: editorToolId, code: TOOL_CODE.replace('times: int = 2', 'times: int = 3') });
    assert.equal(updated.data.version, 2);
    const versions = await call(runner, 'list_tool_versions', { tool_id: editorToolId });
    assert.deepEqual(versions.data.items.map((x: any) => x.version), [2, 1]);
    const diff = await call(runner, 'compare_tool_versions', { tool_id: editorToolId, from: 1, to: 2 });
    assert.match(diff.data.diff, /-async def main\(text: str, times: int = 2\)/);
    assert.equal((await call(editor, 'rollback_tool', { tool_id: editorToolId, version: 1 })).data.version, 3);

    const early = await call(editor, 'test_code', { tool_id: editorToolId, arguments: { text: 'ab' } });
    assert.match(early.text, /^SWB_HOSTED_FORBIDDEN: .*test_before_approval/);
    assert.equal((await gw.api('PATCH', '/api/settings/security-policy', { test_before_approval: true })).status, 200);
    const tested = await call(editor, 'test_code', { tool_id: editorToolId, arguments: { text: 'ab' } });
    assert.equal(tested.isError, false, tested.text);
    assert.deepEqual(tested.data.structured_content, { out: 'abab', token_set: true });

    const asked = await call(editor, 'request_publish', { tool_id: editorToolId, note: 'please' });
    assert.equal(asked.data.status, 'pending_review');
    const mod = await call(editor, 'request_module', { server: 'notes', module: 'csv', justification: 'exports' });
    assert.equal(mod.data.status, 'pending');
    const net = await call(editor, 'request_network_access', { server: 'notes', host: 'api.example.com', justification: 'lookups' });
    assert.equal(net.data.target, 'api.example.com');
    const status = await call(runner, 'get_tool_status', { tool_id: editorToolId });
    assert.equal(status.data.status, 'pending_review');
    assert.deepEqual(status.data.pending_requests.map((r: any) => r.kind).sort(), ['module', 'network']);
    const pending = await call(runner, 'list_pending_requests', { server: 'notes' });
    assert.deepEqual([pending.data.tools.length, pending.data.modules.length, pending.data.network.length], [1, 1, 1]);
  });

  test('an LLM never approves its own work: what it submitted with admin credentials needs another admin', async () => {
    // auto_approve covers an admin's own publish requests through REST, never requests made through MCP.
    assert.equal((await gw.api('PATCH', '/api/settings/security-policy', { tool_approval_mode: 'auto_approve' })).status, 200);
    const viaRest = await gw.api('POST', '/api/hosted-servers/notes/tools', { name: 'lower', code: 'async def main(text: str) -> str:\n    return text.lower()\n' });
    assert.equal(viaRest.status, 201, viaRest.text);
    assert.equal((await gw.api('POST', `/api/tools/${viaRest.body.id}/request-publish`)).body.status, 'approved');
    assert.equal((await gw.api('DELETE', `/api/tools/${viaRest.body.id}`)).status, 200);
    const made = await call(llm, 'create_tool', { server: 'notes', name: 'shout', code: 'async def main(text: str) -> str:\n    return text.upper()\n' });
    assert.equal(made.isError, false, made.text);
    const id = made.data.id;
    assert.equal((await call(llm, 'request_publish', { tool_id: id })).data.status, 'pending_review', 'no auto-approval through MCP');
    const self = await gw.api('POST', `/api/approvals/tools/${id}/action`, { action: 'approve' }, BOOTSTRAP);
    assert.equal(self.status, 403);
    assert.equal(self.body.error.code, 'SWB_HOSTED_FORBIDDEN');
    assert.equal((await gw.api('GET', `/api/tools/${id}`)).body.status, 'pending_review', 'nothing changed');
    const other = await gw.api('POST', `/api/approvals/tools/${id}/action`, { action: 'approve' }, otherAdminKey);
    assert.equal(other.status, 200, other.text);
    assert.equal(other.body.review.by.length > 0, true);

    const mod = await call(llm, 'request_module', { server: 'notes', module: 'xml', justification: 'feeds' });
    assert.equal((await gw.api('POST', `/api/approvals/modules/${mod.data.id}/action`, { action: 'approve' }, BOOTSTRAP)).status, 403);
    assert.equal((await gw.api('POST', `/api/approvals/modules/${mod.data.id}/action`, { action: 'approve' }, otherAdminKey)).status, 200);

    // The same admin credentials may approve what someone else submitted.
    const theirs = await gw.api('POST', `/api/approvals/tools/${editorToolId}/action`, { action: 'approve' }, BOOTSTRAP);
    assert.equal(theirs.status, 200, theirs.text);
  });

  test('start through MCP; the approved tools are called like any tool; logs through MCP', async () => {
    const started = await call(editor, 'start_server', { server: 'notes' });
    assert.deepEqual(started.data.tools, { total: 2, approved: 2, listed: 2 });
    const names = (await runner.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('notes__repeat') && names.includes('notes__shout'), names.join(', '));
    const r = await runner.callTool({ name: 'notes__repeat', arguments: { text: 'x' } });
    assert.deepEqual(r.structuredContent, { out: 'xx', token_set: true });
    const shout = await runner.callTool({ name: 'notes__shout', arguments: { text: 'hi' } });
    assert.equal(textOf(shout), 'HI');
    assert.equal(shout.structuredContent, undefined, 'a str return is text only');
    const failed = await runner.callTool({ name: 'notes__shout', arguments: {} });
    assert.equal(failed.isError, true);
    assert.match(textOf(failed), /SWB_HOSTED_TOOL_FAILED: tool 'shout'/);
    const logs = await call(runner, 'get_tool_logs', { tool_id: editorToolId, limit: 5 });
    assert.deepEqual(logs.data.items.map((e: any) => e.mode), ['run', 'test']);
    const modules = await call(runner, 'get_server_modules');
    assert.ok(modules.data.allowed.includes('xml'));
  });

  test('turning the setting off withdraws them', async () => {
    assert.equal((await gw.api('PATCH', '/api/settings', { mcp_management_tools: false })).status, 200);
    assert.ok(!(await llm.listTools()).tools.some((t) => t.name.startsWith(P)));
    await assert.rejects(llm.callTool({ name: `${P}list_servers`, arguments: {} }), /Unknown tool/);
  });
});
