import type { IncomingHttpHeaders } from 'node:http';
import { SwitchboardError } from '../shared/index.js';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** An IPv4 literal in 127.0.0.0/8 — not any name that merely starts with "127." (127.0.0.1.evil.example). */
const LOOPBACK_V4 = /^127\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)$/;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || LOOPBACK_V4.test(host);
}

/** Host name without port, lower-cased; IPv6 literals keep their brackets. */
function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon > -1 ? h.slice(0, colon) : h;
}

export interface HostPolicy {
  bindHost: string;
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
}

/**
 * DNS-rebinding defence. On a loopback bind only loopback names (plus configured ones) may appear in
 * Host; on a public bind the Host check applies once `allowedHosts` is configured. A browser Origin
 * must be a loopback origin or one listed in `allowedOrigins`, whatever the bind.
 */
export function checkHostAndOrigin(headers: IncomingHttpHeaders, policy: HostPolicy): SwitchboardError | undefined {
  const host = headers.host;
  const allowed = new Set(policy.allowedHosts.map((h) => h.toLowerCase()));
  if (isLoopbackHost(policy.bindHost) || allowed.size > 0) {
    const name = host ? hostName(host) : '';
    if (!name || !(isLoopbackHost(name) || allowed.has(name) || name === policy.bindHost.toLowerCase())) {
      return new SwitchboardError('SWB_HTTP_FORBIDDEN_HOST', `Host '${host ?? ''}' is not allowed`);
    }
  }
  const origin = headers.origin;
  if (origin !== undefined) {
    if (!originAllowed(origin, policy.allowedOrigins)) return new SwitchboardError('SWB_HTTP_FORBIDDEN_ORIGIN', `Origin '${origin}' is not allowed`);
  }
  return undefined;
}

function originAllowed(origin: string, allowedOrigins: readonly string[]): boolean {
  if (allowedOrigins.includes(origin) || allowedOrigins.includes('*')) return true;
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && isLoopbackHost(u.hostname.toLowerCase());
  } catch {
    return false;
  }
}

/**
 * Whether a browser sent this request from another site: an Origin that is not a loopback origin, not
 * the origin the request is addressed to (its Host), and not listed in `http.allowedOrigins`.
 * Credential-less local access must not be usable from such pages: a "simple" cross-origin POST needs
 * no preflight (CSRF).
 */
export function isCrossSiteOrigin(headers: IncomingHttpHeaders, allowedOrigins: readonly string[] = []): boolean {
  const origin = headers.origin;
  if (origin === undefined || allowedOrigins.includes(origin) || allowedOrigins.includes('*')) return false;
  try {
    const u = new URL(origin);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return true;
    if (isLoopbackHost(u.hostname.toLowerCase())) return false;
    return u.host.toLowerCase() !== (headers.host ?? '').trim().toLowerCase();
  } catch {
    return true; // "null" (sandboxed frames, file://) and anything unparsable
  }
}
