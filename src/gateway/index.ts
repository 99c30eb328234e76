export { GatewayCore, GATEWAY_CAPABILITIES, type GatewayOptions, type UpstreamDirectory } from './gateway.js';
export { StreamableHttpEndpoint, sendJsonRpcError } from './streamable-http.js';
export { LegacySseEndpoint } from './legacy-sse.js';
export { serveStdio } from './stdio.js';
export { SessionRegistry, type DownstreamSession, LOG_LEVELS, type LogLevel, LOCAL_CALLER, sameCaller } from './sessions.js';
export { ModernEndpoint, type ModernEndpointOptions } from './modern/modern-endpoint.js';
export { loadStateKeys, StateSeal, STATE_KEY_FILE, STATE_KEY_ENV } from './modern/state-seal.js';
