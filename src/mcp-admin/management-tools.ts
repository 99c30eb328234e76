/**
 * The `switchboard_*` management tools: what MCPBox's `mcpbox_*` tools do, over the admin service, for
 * the principal the gateway forwards for. Each tool is a zod input schema and a handler; the admin
 * service checks the scope (and the security policy for changes made through MCP) on every call.
 */
import { z } from 'zod';
import { ExternalImportInput, ExternalSourceCreate, HostedServerCreate, HostedToolCreate, HostedToolPatch, ModuleRequestInput, NetworkRequestInput, SERVER_NAME, type AdminService, type HostedActor } from '../admin/index.js';
import { hasScope, SwitchboardError } from '../shared/index.js';

/** One management tool. */
export interface ManagementTool {
  name: string;
  description: string;
  input: z.ZodType;
  /** Changes nothing (MCP `readOnlyHint`). */
  readOnly: boolean;
  run(admin: AdminService, args: never, who: HostedActor): Promise<unknown>;
}

const ToolId = z.string().min(1).max(64);
const ServerArg = z.strictObject({ server: SERVER_NAME });
const ToolArg = z.strictObject({ tool_id: ToolId });
const SECRET_NAME = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'letters, digits and _, not starting with a digit');

function tool<T extends z.ZodType>(name: string, description: string, input: T, readOnly: boolean, run: (admin: AdminService, args: z.infer<T>, who: HostedActor) => Promise<unknown>): ManagementTool {
  return { name: `switchboard_${name}`, description, input, readOnly, run: run as ManagementTool['run'] };
}

/** Secret placeholders are per server; over MCP only hosted servers are managed. */
async function hostedServer(admin: AdminService, name: string, who: HostedActor): Promise<void> {
  await admin.hosted.getServer(name, who);
}

function requireWrite(who: HostedActor): void {
  if (!hasScope(who.actor, 'write')) throw new SwitchboardError('SWB_AUTH_FORBIDDEN', "This needs the 'write' scope", { required: 'write' });
}

export const MANAGEMENT_TOOLS: readonly ManagementTool[] = [
  tool('list_servers', 'List hosted servers with their status and tool counts.', z.strictObject({}), true, (a, _args, who) => a.hosted.listServers(who)),
  tool('get_server', 'Get one hosted server: allowed hosts, running state, tool counts.', ServerArg, true, (a, args, who) => a.hosted.getServer(args.server, who)),
  tool('create_server', 'Create a hosted server (a group of Python tools with its own secrets and allowed hosts). It starts stopped.', HostedServerCreate, false, (a, args, who) => a.hosted.createServer(args, who)),
  tool('delete_server', 'Delete a hosted server with its tools, versions and secrets.', ServerArg, false, async (a, args, who) => {
    await a.hosted.deleteServer(args.server, who);
    return { deleted: args.server };
  }),
  tool('start_server', "Start a hosted server: its approved tools join the gateway's tool list.", ServerArg, false, (a, args, who) => a.hosted.setRunning(args.server, true, who)),
  tool('stop_server', "Stop a hosted server: its tools leave the gateway's tool list.", ServerArg, false, (a, args, who) => a.hosted.setRunning(args.server, false, who)),
  tool('get_server_modules', 'The Python modules hosted tools may import (request others with switchboard_request_module).', z.strictObject({}), true, async (a, _args, who) => a.approvals.modules(who.actor)),
  tool('list_tools', 'List the tools of a hosted server with their approval status.', ServerArg, true, (a, args, who) => a.hosted.listTools(args.server, who)),
  tool('get_tool', 'Get a tool with its source code, input schema and approval status.', ToolArg, true, (a, args, who) => a.hosted.getTool(args.tool_id, who)),
  tool(
    'create_tool',
    'Create a Python tool (draft) in a hosted server. The code defines `async def main(...)`; its parameters and docstring become the input schema. Globals: http, json, datetime, arguments, secrets.',
    HostedToolCreate.extend({ server: SERVER_NAME }),
    false,
    (a, { server, ...input }, who) => a.hosted.createTool(server, input, who),
  ),
  tool('update_tool', "Update a tool's code, name or description (a new version; an approved tool goes back to review).", HostedToolPatch.extend({ tool_id: ToolId }), false, (a, { tool_id, ...patch }, who) => a.hosted.updateTool(tool_id, patch, who)),
  tool('delete_tool', 'Delete a tool and its versions.', ToolArg, false, async (a, args, who) => {
    await a.hosted.deleteTool(args.tool_id, who);
    return { deleted: args.tool_id };
  }),
  tool('list_tool_versions', "List a tool's saved versions (newest first).", ToolArg, true, (a, args, who) => a.hosted.versions(args.tool_id, who)),
  tool('compare_tool_versions', 'A unified diff between two versions of a tool.', z.strictObject({ tool_id: ToolId, from: z.number().int().min(1), to: z.number().int().min(1) }), true, (a, args, who) => a.hosted.compare(args.tool_id, args.from, args.to, who)),
  tool('rollback_tool', 'Save an earlier version as the newest one (the tool goes back to review if it was approved).', z.strictObject({ tool_id: ToolId, version: z.number().int().min(1) }), false, (a, args, who) => a.hosted.rollback(args.tool_id, args.version, who)),
  tool('validate_code', 'Check Python (or, with language "javascript", JavaScript) tool code without saving it: syntax, the main() contract, imports, size; returns the input schema.', z.strictObject({ code: z.string().max(1024 * 1024), language: z.enum(['python', 'javascript']).optional() }), true, (a, args, who) => a.hosted.validateCode(args.code, who, args.language)),
  tool('test_code', "Run a saved tool's current code in the sandbox with the given arguments (stdout capped at 10 KB).", z.strictObject({ tool_id: ToolId, arguments: z.record(z.string(), z.unknown()).default({}) }), false, (a, args, who) => a.hosted.testCode(args, who)),
  tool('create_server_secret', 'Create a secret placeholder on a hosted server; an admin sets the value. Tools read it as secrets["NAME"]. Values are never shown.', z.strictObject({ server: SERVER_NAME, name: SECRET_NAME }), false, async (a, args, who) => {
    requireWrite(who);
    await hostedServer(a, args.server, who);
    return a.secrets.create(args.server, args.name, undefined, who.actor);
  }),
  tool('list_server_secrets', 'List the secret names of a hosted server and whether each has a value (never the values).', ServerArg, true, async (a, args, who) => {
    await hostedServer(a, args.server, who);
    return (await a.secrets.list(args.server)).map((s) => ({ name: s.name, has_value: s.has_value }));
  }),
  tool('request_publish', 'Submit a tool for admin review; an admin approves it through the REST API, CLI or UI (never through MCP).', z.strictObject({ tool_id: ToolId, note: z.string().max(2000).optional() }), false, (a, args, who) => a.approvals.requestPublish(args.tool_id, args.note, who)),
  tool('request_module', 'Ask an admin to allow a Python module for hosted tools.', ModuleRequestInput.extend({ server: SERVER_NAME }), false, (a, { server, ...input }, who) => a.approvals.requestModule(server, input, who)),
  tool('request_network_access', "Ask an admin to let a hosted server's tools reach a host (host or host:port).", NetworkRequestInput.extend({ server: SERVER_NAME }), false, (a, { server, ...input }, who) => a.approvals.requestNetwork(server, input, who)),
  tool('get_tool_status', "A tool's approval status, its last review and its server's open module and network requests.", ToolArg, true, async (a, args, who) => {
    const t = await a.hosted.getTool(args.tool_id, who);
    const [modules, network] = await Promise.all([a.approvals.requests('module', 'pending', who.actor, t.server), a.approvals.requests('network', 'pending', who.actor, t.server)]);
    return { id: t.id, name: t.name, server: t.server, status: t.status, version: t.version, listed: t.listed, review: t.review, publish_requested_at: t.publish_requested_at, pending_requests: [...modules, ...network] };
  }),
  tool('list_pending_requests', 'Everything waiting for an admin: tools in review, module and network requests.', z.strictObject({ server: SERVER_NAME.optional() }), true, async (a, args, who) => {
    const tools = (await a.approvals.pendingTools(who.actor)).filter((t) => !args.server || t.server === args.server);
    const [modules, network] = await Promise.all([a.approvals.requests('module', 'pending', who.actor, args.server), a.approvals.requests('network', 'pending', who.actor, args.server)]);
    return { tools, modules, network };
  }),
  tool(
    'add_external_source',
    "Attach an external MCP server (Streamable HTTP or SSE URL) to a hosted server as a tool source. Its host must be on the server's allowed hosts (or the network policy public); credentials go in headers as ${secret:NAME} references to the server's secrets.",
    ExternalSourceCreate,
    false,
    (a, args, who) => a.externalSources.create(args, who),
  ),
  tool('list_external_sources', 'List the external MCP sources of a hosted server (or of all hosted servers).', z.strictObject({ server: SERVER_NAME.optional() }), true, async (a, args, who) => a.externalSources.list(args.server, who)),
  tool('discover_external_tools', 'Connect to an external source and list its tools (name, description, input schema) and which are already imported.', z.strictObject({ source_id: ToolId }), false, (a, args, who) => a.externalSources.discover(args.source_id, who)),
  tool(
    'import_external_tools',
    "Import tools of an external source into its hosted server as draft tools that forward calls to the source; submit them with switchboard_request_publish. Importing again picks up the source's changes as a new version.",
    ExternalImportInput.extend({ source_id: ToolId }),
    false,
    (a, { source_id, ...input }, who) => a.externalSources.import(source_id, input, who),
  ),
  tool('get_tool_logs', 'Recent executions of a tool: arguments (secrets masked), result (truncated), stdout, duration, error.', z.strictObject({ tool_id: ToolId, limit: z.number().int().min(1).max(100).default(20) }), true, (a, args, who) => a.hosted.logs(args.tool_id, args.limit, who)),
];
