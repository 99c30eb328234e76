import type { Principal } from './principal.js';
import type { RawItem } from './tool-source.js';

/**
 * The gateway's MCP operations on behalf of a principal, for faces other than an MCP session (the
 * REST "invoke tool", the ToolBoxV2-style JSON layer, search). Same gate, validation and activity
 * log as a call over /mcp. Results are raw MCP JSON with exposed names and URIs.
 */
export interface McpOperations {
  listTools(principal: Principal): Promise<RawItem[]>;
  callTool(principal: Principal, name: string, args: Record<string, unknown>, opts?: { signal?: AbortSignal }): Promise<RawItem>;
  listResources(principal: Principal): Promise<RawItem[]>;
  readResource(principal: Principal, uri: string, opts?: { signal?: AbortSignal }): Promise<RawItem>;
  listPrompts(principal: Principal): Promise<RawItem[]>;
  getPrompt(principal: Principal, name: string, args: Record<string, string>, opts?: { signal?: AbortSignal }): Promise<RawItem>;
}
