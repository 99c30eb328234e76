/**
 * How the host talks to the external MCP sources of hosted servers: the egress rule a source URL must
 * pass (checked when a source is saved, when a connection opens, and again before every HTTP request,
 * with the connection pinned to the address checked when it opened), `${secret:NAME}` in the source's
 * headers, the short MCP sessions that discover tools, and the one lasting session per source that
 * forwards the calls of imported tools.
 */
import { createHash } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { ExternalCall } from '../hosted/index.js';
import { blockedAddressReason, DEFAULT_LIMITS, isIpLiteral, METADATA_HOSTNAMES, parseIPv4Literal, type AllowedHost } from '../sandbox/index.js';
import { SwitchboardError, type RawItem } from '../shared/index.js';
import type { ExternalSourceRecord } from '../store/index.js';
import { causedBy, MessageTooLargeError, openMcpSession, SourceConnections, withMcpSession, type AddressGate, type OneShotSession } from '../upstream/index.js';

/** What a hosted server may reach: its allowed hosts (and approved network requests), and any public host when the policy is `public`. */
export interface SourceEgress {
  allowedHosts: AllowedHost[];
  allowPublic: boolean;
}

/** Resolves a host name; injectable for tests. */
export type HostResolver = (host: string) => Promise<{ address: string; family: number }[]>;

const DEFAULT_TIMEOUT_MS = 30_000;
const REFERENCE = /\$\{secret:([^}]*)\}/g;
const defaultResolve: HostResolver = async (host) => dnsLookup(host, { all: true, verbatim: true });

function blocked(message: string, details: Record<string, unknown>): SwitchboardError {
  return new SwitchboardError('SWB_EXTERNAL_HOST_BLOCKED', message, details);
}

const hostOf = (url: URL) => {
  const h = url.hostname.toLowerCase().replace(/\.$/, '');
  return h.startsWith('[') ? h.slice(1, -1) : h;
};
const portOf = (url: URL) => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

/** `exact`: an entry names this very host (no wildcard); `listed`: any entry matches. */
function listing(egress: SourceEgress, host: string, port: number): { listed: boolean; exact: boolean } {
  let listed = false;
  let exact = false;
  for (const entry of egress.allowedHosts) {
    if (entry.port !== undefined && entry.port !== port) continue;
    const want = entry.host.toLowerCase().replace(/\.$/, '');
    if (want.startsWith('*.')) {
      if (host.endsWith(want.slice(1)) && host.length > want.length - 1) listed = true;
    } else if (host === want) {
      listed = exact = true;
    }
  }
  return { listed, exact };
}

/** Parse a source URL: http(s), no credentials in it. */
export function parseSourceUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SwitchboardError('SWB_VALIDATION_FAILED', `'${text.slice(0, 200)}' is not an absolute URL`, { issues: [{ path: 'url', message: 'not an absolute URL' }] });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SwitchboardError('SWB_VALIDATION_FAILED', `The URL scheme must be http or https, not ${url.protocol}`, { issues: [{ path: 'url', message: 'http or https only' }] });
  if (url.username || url.password) throw new SwitchboardError('SWB_VALIDATION_FAILED', 'Credentials in the URL are not allowed; send them in a header that references a secret', { issues: [{ path: 'url', message: 'no user:password@' }] });
  return url;
}

/**
 * The address a request to `url` may connect to, or SWB_EXTERNAL_HOST_BLOCKED. The host must be on the
 * server's allowed hosts, or the policy public; metadata services never pass; loopback, private and
 * other non-public addresses pass only when an entry names that exact host (a wildcard or the public
 * policy is not enough). With `resolve` undefined only what needs no DNS is checked (saving a source).
 */
export async function checkSourceUrl(url: URL, egress: SourceEgress, resolve: HostResolver | undefined): Promise<{ address: string; family: number } | undefined> {
  const host = hostOf(url);
  const port = portOf(url);
  if (METADATA_HOSTNAMES.has(host)) throw blocked(`${host} is a cloud metadata service`, { host, reason: 'metadata' });
  const { listed, exact } = listing(egress, host, port);
  if (!listed && !egress.allowPublic) throw blocked(`${host}:${port} is not on this hosted server's allowed hosts (add it, or ask for it with a network request)`, { host, port, reason: 'not_allowed' });
  let addresses: { address: string; family: number }[];
  if (isIpLiteral(host)) {
    const v4 = host.includes(':') ? undefined : parseIPv4Literal(host);
    addresses = [{ address: v4 ?? host, family: v4 ? 4 : 6 }];
  } else if (!resolve) {
    return undefined;
  } else {
    try {
      addresses = await resolve(host);
    } catch {
      addresses = [];
    }
    if (!addresses.length) throw new SwitchboardError('SWB_EXTERNAL_SOURCE_UNREACHABLE', `Could not resolve ${host}`, { host });
  }
  for (const { address } of addresses) {
    const reason = blockedAddressReason(address);
    if (reason === 'metadata' || (reason && !exact)) {
      throw blocked(`${host} resolves to a ${reason} address, which only an allowed-hosts entry naming exactly '${host}' opens`, { host, port, reason });
    }
  }
  return addresses[0]!;
}

/** Header values with `${secret:NAME}` filled in; SWB_SECRET_MISSING names what has no value. */
export function resolveHeaders(headers: Record<string, string>, secrets: Record<string, string>, server: string): Record<string, string> {
  const missing = new Set<string>();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    out[k] = v.replace(REFERENCE, (whole, name: string) => {
      const value = secrets[name];
      if (value === undefined) {
        missing.add(name);
        return whole;
      }
      return value;
    });
  }
  if (missing.size) throw new SwitchboardError('SWB_SECRET_MISSING', `Hosted server '${server}' has no value for ${[...missing].map((n) => `\${secret:${n}}`).join(', ')} (used in an external source's headers)`, { server, secrets: [...missing] });
  return out;
}

export interface ExternalConnector {
  /** Replace the in-memory copy of the sources (after every change): calls read no database. Connections of deleted or edited sources close. */
  sync(sources: readonly ExternalSourceRecord[]): void;
  /** A source as last synced. */
  source(id: string): ExternalSourceRecord | undefined;
  /** Open a short session with a source under its server's egress rule, run `fn`, close (discovery). */
  session<T>(source: ExternalSourceRecord, egress: SourceEgress, secrets: Record<string, string>, fn: (s: OneShotSession) => Promise<T>, timeoutMs?: number): Promise<T>;
  /** The hosted runtime's forwarder for imported tools: over the source's lasting connection. */
  call(call: ExternalCall, args: Record<string, unknown>, signal?: AbortSignal): Promise<RawItem>;
  /** Close the connections of a hosted server's sources (the server stopped or was deleted). */
  closeServer(server: string): void;
  /** Connections in the pool now, and opened since start (for tests and status). */
  stats(): { open: number; opened: number };
  /** Close every connection (the gateway closes). */
  close(): Promise<void>;
}

export interface ExternalConnectorOptions {
  resolve?: HostResolver;
  /** A source's connection closes after this long without calls. Default 2 minutes. */
  idleMs?: number;
  /** Cap on each message a source sends (a forwarded result). Default: the sandbox's result cap, 1 MiB. */
  maxResultBytes?: number;
}

/** What a source connection is opened with: a change (an edited source, a rotated secret) means a new connection. */
const fingerprint = (source: ExternalSourceRecord, headers: Record<string, string>) => createHash('sha256').update(JSON.stringify([source.url, source.transport, Object.entries(headers).sort()])).digest('hex');
/** The part of a source its connection depends on, as saved (secrets still references). */
const definition = (s: ExternalSourceRecord) => JSON.stringify([s.server, s.url, s.transport, s.headers]);

export function createExternalConnector(opts: ExternalConnectorOptions = {}): ExternalConnector {
  const resolve = opts.resolve ?? defaultResolve;
  const maxResultBytes = opts.maxResultBytes ?? DEFAULT_LIMITS.maxResultBytes;
  const pool = new SourceConnections(opts.idleMs !== undefined ? { idleMs: opts.idleMs } : {});
  let byId = new Map<string, ExternalSourceRecord>();
  /** The egress rule of each source's server as of its latest call: every request of a lasting connection is checked against it. */
  const egressOf = new Map<string, SourceEgress>();
  /** The latest refusal by the gate of each source's connection (the SDK may wrap it). */
  const refusals = new Map<string, SwitchboardError>();

  /**
   * The gate of one connection: each request is checked against the current rule; the first request to
   * an origin resolves its name, and later ones connect to that same address (no re-resolution within a
   * connection, which also makes reusing its sockets safe).
   */
  function gateFor(egress: () => SourceEgress, onRefusal: (err: SwitchboardError) => void): AddressGate {
    const pinned = new Map<string, { address: string; family: number }>();
    return async (url) => {
      try {
        const checked = parseSourceUrl(url.href);
        const known = pinned.get(checked.origin);
        const address = (await checkSourceUrl(checked, egress(), known ? async () => [known] : resolve))!;
        pinned.set(checked.origin, address);
        return address;
      } catch (err) {
        if (err instanceof SwitchboardError) onRefusal(err);
        throw err;
      }
    };
  }

  /** A failure as the caller sees it: our own refusal as it is, a too-large message, or the source unreachable. */
  function failure(source: ExternalSourceRecord, err: unknown, refusal: SwitchboardError | undefined): SwitchboardError {
    for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) if (e instanceof SwitchboardError) return e;
    if (causedBy(err, MessageTooLargeError)) {
      return new SwitchboardError('SWB_EXTERNAL_RESULT_TOO_LARGE', `External source '${source.name}' sent a result larger than ${maxResultBytes} bytes, the cap for forwarded results`, { source: source.id, limit_bytes: maxResultBytes });
    }
    if (refusal) return refusal;
    const message = err instanceof Error ? err.message : String(err);
    return new SwitchboardError('SWB_EXTERNAL_SOURCE_UNREACHABLE', `External source '${source.name}' (${source.url}) failed: ${message.slice(0, 300)}`, { source: source.id });
  }

  async function session<T>(source: ExternalSourceRecord, egress: SourceEgress, secrets: Record<string, string>, fn: (s: OneShotSession) => Promise<T>, timeoutMs?: number): Promise<T> {
    const headers = resolveHeaders(source.headers, secrets, source.server);
    // A refusal inside the transport surfaces as the SDK's own error; keep ours to report it as it is.
    let refusal: SwitchboardError | undefined;
    const gate = gateFor(() => egress, (err) => (refusal = err));
    try {
      return await withMcpSession({ url: source.url, transport: source.transport, headers, timeoutMs: source.timeoutMs ?? timeoutMs ?? DEFAULT_TIMEOUT_MS, gate }, fn, { maxMessageBytes: maxResultBytes });
    } catch (err) {
      throw failure(source, err, refusal);
    }
  }

  return {
    sync(sources) {
      const before = byId;
      byId = new Map(sources.map((s) => [s.id, s]));
      for (const [id, old] of before) {
        const now = byId.get(id);
        if (!now || definition(now) !== definition(old)) {
          pool.retireKey(id);
          refusals.delete(id);
          if (!now) egressOf.delete(id);
        }
      }
    },
    source: (id) => byId.get(id),
    session,
    async call(call, args, signal) {
      const source = byId.get(call.link.sourceId);
      if (!source) throw new SwitchboardError('SWB_EXTERNAL_SOURCE_NOT_FOUND', `The external source of this tool is gone (${call.link.sourceId})`, { id: call.link.sourceId });
      const headers = resolveHeaders(source.headers, call.secrets, source.server);
      const timeoutMs = source.timeoutMs ?? call.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      egressOf.set(source.id, call.egress);
      const open = () =>
        openMcpSession(
          { url: source.url, transport: source.transport, headers, timeoutMs, gate: gateFor(() => egressOf.get(source.id) ?? call.egress, (err) => refusals.set(source.id, err)) },
          { keepAlive: true, maxMessageBytes: maxResultBytes },
        );
      try {
        return await pool.use(source.id, fingerprint(source, headers), source.server, open, (s) => s.callTool(call.link.tool, args, signal, timeoutMs));
      } catch (err) {
        const refusal = refusals.get(source.id);
        refusals.delete(source.id);
        throw failure(source, err, refusal);
      }
    },
    closeServer(server) {
      pool.retireGroup(server);
    },
    stats: () => ({ open: pool.size, opened: pool.opened }),
    close: () => pool.close(),
  };
}
