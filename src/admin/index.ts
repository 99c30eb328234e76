/** The one typed management service that every face (REST, CLI, MCP management tools, UI) calls. */
export { createAdmin, type AdminService, type AdminDeps, type SessionSummary } from './admin.js';
