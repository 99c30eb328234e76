import { isIP } from 'node:net';
import { SwitchboardError } from '../shared/index.js';

/** Most allowed-host entries per server. */
export const MAX_ALLOWED_HOSTS = 100;

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** One allowed network host as the egress policy reads it. */
export interface AllowedHost {
  host: string;
  port?: number;
}

/**
 * Parse `host`, `host:port`, `[v6]` or `[v6]:port` (a leading `*.` allows subdomains). Returns the
 * canonical spelling, or an error message.
 */
export function parseAllowedHost(text: string): AllowedHost | string {
  const t = text.trim().toLowerCase();
  let host = t;
  let portText: string | undefined;
  const v6 = /^\[([0-9a-f:.]+)\](?::(\d+))?$/.exec(t);
  if (v6) {
    host = v6[1]!;
    portText = v6[2];
    if (isIP(host) !== 6) return 'not a valid IPv6 address';
  } else {
    const m = /^([^:]+)(?::(\d+))?$/.exec(t);
    if (!m) return 'expected host or host:port (IPv6 in brackets)';
    host = m[1]!;
    portText = m[2];
    if (isIP(host) !== 4) {
      const labels = (host.startsWith('*.') ? host.slice(2) : host).split('.');
      if (host.length > 253 || !labels.every((l) => LABEL.test(l))) return 'not a valid host name';
    }
  }
  if (portText === undefined) return { host };
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return 'port must be 1-65535';
  return { host, port };
}

/** Canonical text of an allowed host. */
export function formatAllowedHost(h: AllowedHost): string {
  const host = h.host.includes(':') ? `[${h.host}]` : h.host;
  return h.port === undefined ? host : `${host}:${h.port}`;
}

/** Validate and canonicalise a list (deduplicated, order kept); SWB_VALIDATION_FAILED naming each bad entry. */
export function normaliseAllowedHosts(list: readonly string[]): string[] {
  const issues: { path: string; message: string }[] = [];
  const out: string[] = [];
  list.forEach((entry, i) => {
    const parsed = parseAllowedHost(entry);
    if (typeof parsed === 'string') issues.push({ path: `allowed_hosts[${i}]`, message: `${JSON.stringify(entry)}: ${parsed}` });
    else if (!out.includes(formatAllowedHost(parsed))) out.push(formatAllowedHost(parsed));
  });
  if (issues.length) throw new SwitchboardError('SWB_VALIDATION_FAILED', `Invalid allowed hosts: ${issues.map((i) => i.message).join('; ')}`, { issues });
  if (out.length > MAX_ALLOWED_HOSTS) throw new SwitchboardError('SWB_VALIDATION_FAILED', `At most ${MAX_ALLOWED_HOSTS} allowed hosts per server`, { count: out.length });
  return out;
}
