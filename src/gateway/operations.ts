import { ProtocolError } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { SwitchboardError, type McpOperations, type Principal, type RawItem } from '../shared/index.js';
import type { GatedRequests, RequestLink } from './gated-requests.js';
import { CallToolParams, GetPromptParams, UriParams } from './params.js';

/**
 * The gateway's MCP operations for faces other than an MCP session (REST invoke, the JSON layer,
 * search): the same gate, parameter validation, recipes and activity log as /mcp. Failures are
 * thrown as SwitchboardErrors so those faces render them in the one error envelope; an unknown or
 * denied item is the same "not found" either way.
 */
export function createMcpOperations(gated: GatedRequests): McpOperations {
  return {
    // Copies of the cached views, so a face that sorts or trims its answer cannot change the cache.
    listTools: async (caller) => [...gated.listAll(caller, 'tools')],
    listResources: async (caller) => [...gated.listAll(caller, 'resources')],
    listPrompts: async (caller) => [...gated.listAll(caller, 'prompts')],
    callTool: (caller, name, args, opts) => run(() => gated.callTool(link(caller, opts), valid(CallToolParams, { name, arguments: args }), 'throw')),
    readResource: (caller, uri, opts) => run(() => gated.readResource(link(caller, opts), valid(UriParams, { uri }))),
    getPrompt: (caller, name, args, opts) => run(() => gated.getPrompt(link(caller, opts), valid(GetPromptParams, { name, arguments: args }))),
  };
}

function link(caller: Principal, opts: { signal?: AbortSignal } | undefined): RequestLink {
  return { caller, ...(opts?.signal ? { signal: opts.signal } : {}) };
}

/** The same parameter rules as /mcp, reported as SWB_INVALID_ARGUMENT naming the field. */
function valid<T extends z.ZodType>(schema: T, params: unknown): z.infer<T> {
  const r = schema.safeParse(params);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.length ? issue.path.join('.') : 'params';
  throw new SwitchboardError('SWB_INVALID_ARGUMENT', `${field}: ${issue.message}`, { field });
}

async function run(op: () => Promise<RawItem>): Promise<RawItem> {
  try {
    return await op();
  } catch (err) {
    throw fromProtocol(err);
  }
}

/** An upstream's JSON-RPC error in Switchboard's terms, for faces that speak HTTP statuses. */
function fromProtocol(err: unknown): unknown {
  if (!(err instanceof ProtocolError)) return err;
  const details = { jsonrpc_code: err.code };
  // Current SDKs send resource-not-found as -32602 with `data.uri`; older peers send -32002.
  const missingResource = err.code === -32002 || (err.code === -32602 && typeof (err.data as { uri?: unknown } | undefined)?.uri === 'string');
  if (missingResource) return new SwitchboardError('SWB_RESOURCE_NOT_FOUND', err.message, details, { cause: err });
  if (err.code === -32602) return new SwitchboardError('SWB_INVALID_ARGUMENT', err.message, details, { cause: err });
  return new SwitchboardError('SWB_UPSTREAM_FAILED', err.message, details, { cause: err });
}
