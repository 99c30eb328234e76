/**
 * mcp-admin/ (L4): the `switchboard_*` management tools over MCP — hosted servers and tools, versions,
 * validate/test, secret placeholders, publish/module/network requests, status and logs — offered as
 * the in-process tool source `switchboard` when the `mcp_management_tools` setting is on.
 */
export { registerManagementTools, MANAGEMENT_SOURCE } from './management-source.js';
export { MANAGEMENT_TOOLS, type ManagementTool } from './management-tools.js';
