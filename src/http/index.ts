export { buildHttpApp, type HttpAppOptions, type McpFaces } from './app.js';
export { ApiKeyCheck, checkHostAndOrigin, isLoopbackHost, type HostPolicy } from './guards.js';
