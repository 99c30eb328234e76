import type { GatewaySettings, HttpSettings, SwitchboardConfig } from './types.js';

/** Per-request timeout towards an upstream when a server sets no `timeoutMs`. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Largest accepted `timeoutMs`: Node timers cannot wait longer (2^31 - 1 ms, about 24.8 days). */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** Default request body limit: 4 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Fresh gateway settings with their defaults. */
export function defaultGateway(): GatewaySettings {
  return { prefix: 'always', separator: '__' };
}

/** Fresh HTTP settings with their defaults (loopback only, port 8080). */
export function defaultHttp(): HttpSettings {
  return { host: '127.0.0.1', port: 8080, maxBodyBytes: DEFAULT_MAX_BODY_BYTES, allowedHosts: [], allowedOrigins: [] };
}

/** The configuration used when there is no config file: no servers, every setting at its default. */
export function defaultConfig(): SwitchboardConfig {
  return { servers: [], gateway: defaultGateway(), http: defaultHttp(), allowUnauthenticatedLoopback: false };
}
