import type { ServerConfig, SwitchboardConfig } from '../config/index.js';
import { onlyReferences } from '../secrets/index.js';
import { MASK } from './server-definition.js';

/** Keep a value only when it is nothing but `${secret:...}` references; anything else may be a credential. */
function maskMap(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, onlyReferences(v) ? v : MASK]));
}

/** A URL without its password. */
function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = MASK;
    return u.toString();
  } catch {
    return url;
  }
}

function redactServer(s: ServerConfig): ServerConfig {
  return { ...s, env: maskMap(s.env), headers: maskMap(s.headers), ...(s.url ? { url: maskUrl(s.url) } : {}) };
}

/**
 * The configuration as the API shows it: the API key, env and header values (already expanded from
 * `${env:...}`, so possibly credentials) and URL passwords replaced by the mask.
 */
export function redactConfig(config: SwitchboardConfig): SwitchboardConfig {
  return { ...config, servers: config.servers.map(redactServer), ...(config.apiKey !== undefined ? { apiKey: MASK } : {}) };
}
