export { buildHttpApp, type HttpAppOptions, type McpFaces } from './app.js';
export { checkHostAndOrigin, isCrossSiteOrigin, isLoopbackHost, type HostPolicy } from './guards.js';
