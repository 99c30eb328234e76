/**
 * Offers the management tools to MCP clients as the in-process tool source `switchboard`, while the
 * `mcp_management_tools` setting is on. The catalogue merges it like any server, so naming, the policy
 * gate (tools need `execute` to be seen at all) and the activity log apply as for every tool.
 */
import { z } from 'zod';
import type { AdminService } from '../admin/index.js';
import { renderError, SwitchboardError, toSwitchboardError, type Principal, type RawItem, type SourceListing } from '../shared/index.js';
import { MANAGEMENT_TOOLS } from './management-tools.js';

/** The source (server) name the management tools are listed under. */
export const MANAGEMENT_SOURCE = 'switchboard';

function listing(): SourceListing {
  const tools = MANAGEMENT_TOOLS.map((t) => {
    const { $schema: _, ...inputSchema } = z.toJSONSchema(t.input, { io: 'input' }) as Record<string, unknown>;
    return { name: t.name, description: t.description, inputSchema, annotations: { readOnlyHint: t.readOnly, destructiveHint: !t.readOnly && /delete/.test(t.name), openWorldHint: false } };
  });
  return { tools, resources: [], resourceTemplates: [], prompts: [] };
}

function errorResult(err: SwitchboardError): RawItem {
  return { content: [{ type: 'text', text: renderError(err) }], isError: true };
}

/** Register (and keep in line with the setting) the `switchboard` source; returns the function that stops it. */
export function registerManagementTools(admin: AdminService): () => void {
  const byName = new Map(MANAGEMENT_TOOLS.map((t) => [t.name, t]));
  const list = listing();
  let on = false;

  async function call(name: string, args: Record<string, unknown>, caller: Principal | undefined): Promise<RawItem> {
    const t = byName.get(name);
    if (!t) throw new SwitchboardError('SWB_TOOL_NOT_FOUND', `Unknown tool: ${name}`, { name });
    if (!caller) return errorResult(new SwitchboardError('SWB_AUTH_REQUIRED', 'The management tools need an authenticated caller'));
    const parsed = t.input.safeParse(args);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
      return errorResult(new SwitchboardError('SWB_INVALID_ARGUMENT', `Invalid arguments for ${name}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues }));
    }
    try {
      const value = await t.run(admin, parsed.data as never, { actor: caller, via: 'mcp' });
      const structured = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { items: value };
      return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: structured };
    } catch (err) {
      return errorResult(toSwitchboardError(err));
    }
  }

  function sync(): void {
    const want = admin.settings.get().mcp_management_tools;
    if (want === on) return;
    on = want;
    if (on) admin.sources.set(MANAGEMENT_SOURCE, list, (name, args, ctx) => call(name, args, ctx.caller));
    else admin.sources.remove(MANAGEMENT_SOURCE);
  }
  const unsubscribe = admin.settings.onChange(sync);
  void admin.settings.ready.then(sync);
  return () => {
    unsubscribe();
    if (on) admin.sources.remove(MANAGEMENT_SOURCE);
    on = false;
  };
}
