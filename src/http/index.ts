export { buildHttpApp, type HttpAppOptions, type McpFaces } from './app.js';
export { checkHostAndOrigin, isLoopbackHost, type HostPolicy } from './guards.js';
