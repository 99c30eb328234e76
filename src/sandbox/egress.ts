/**
 * The SSRF-safe HTTP client behind the sandbox's `http` global. Runs in the host, never in the sandbox.
 * Every hop (the first request and each redirect) is checked the same way: scheme, the hosted server's
 * allowed hosts or the public-access policy, then every address the name resolves to; the connection
 * is pinned to the checked address (no second DNS lookup, so no rebinding), and response size and
 * total time are capped.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIPv6, type LookupFunction } from 'node:net';
import { SwitchboardError } from '../shared/index.js';
import { blockedAddressReason, isIpLiteral, METADATA_HOSTNAMES, parseIPv4Literal } from './address-policy.js';

/** One entry of a hosted server's allowed-hosts list: `api.example.com`, `*.example.com`, optional port. */
export interface AllowedHost {
  host: string;
  port?: number;
}

/** What a hosted server may reach: its allowed hosts, plus any public host when `allowPublic`. */
export interface EgressPolicy {
  allowedHosts: AllowedHost[];
  allowPublic: boolean;
}

/** A request as the sandbox asks for it. */
export interface EgressRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | null;
  timeoutMs?: number;
}

/** The answer handed back to the tool. */
export interface EgressResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  url: string;
}

/** Resolves a host name to addresses; injectable so tests can make a name resolve anywhere. */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

export interface EgressOptions {
  resolve?: Resolver;
  maxResponseBytes?: number;
  maxRequestBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
  /**
   * Lets a blocked address through. Only for tests that need a loopback server reachable; never wired
   * to configuration.
   */
  allowAddress?: (address: string, port: number) => boolean;
}

export interface EgressClient {
  request(policy: EgressPolicy, req: EgressRequest, signal?: AbortSignal): Promise<EgressResponse>;
  /** The address a URL would connect to, or the SWB_EGRESS_BLOCKED error; no request is sent. */
  check(policy: EgressPolicy, url: string): Promise<{ url: URL; address: string; family: number; port: number }>;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const DROPPED_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'upgrade', 'proxy-authorization', 'keep-alive', 'te', 'trailer']);
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

const defaultResolve: Resolver = async (host) => dnsLookup(host, { all: true, verbatim: true });

function blocked(message: string, details: Record<string, unknown>): SwitchboardError {
  return new SwitchboardError('SWB_EGRESS_BLOCKED', message, details);
}

function failed(message: string, details: Record<string, unknown> = {}): SwitchboardError {
  return new SwitchboardError('SWB_EGRESS_FAILED', message, details);
}

/** The host name as the policy compares it: lowercase, brackets and trailing dot removed. */
function policyHost(url: URL): string {
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

function onAllowedList(policy: EgressPolicy, host: string, port: number): boolean {
  return policy.allowedHosts.some((entry) => {
    const want = entry.host.toLowerCase().replace(/\.$/, '');
    const hostMatches = want.startsWith('*.') ? host.endsWith(want.slice(1)) && host.length > want.length - 1 : host === want;
    return hostMatches && (entry.port === undefined || entry.port === port);
  });
}

/** Creates the client. One per gateway; policies are per request. */
export function createEgressClient(options: EgressOptions = {}): EgressClient {
  const resolve = options.resolve ?? defaultResolve;
  const maxResponseBytes = options.maxResponseBytes ?? 5 * 1024 * 1024;
  const maxRequestBytes = options.maxRequestBytes ?? 1024 * 1024;
  const defaultTimeout = options.timeoutMs ?? 15_000;
  const maxRedirects = options.maxRedirects ?? 5;

  async function check(policy: EgressPolicy, raw: string) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw blocked('not a valid absolute URL', { url: raw.slice(0, 200) });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw blocked(`scheme ${url.protocol} is not allowed; use http or https`, { url: url.href });
    if (url.username || url.password) throw blocked('credentials in the URL are not allowed; send an Authorization header', { host: url.hostname });
    const host = policyHost(url);
    const port = portOf(url);
    if (METADATA_HOSTNAMES.has(host)) throw blocked(`${host} is a cloud metadata service`, { host, reason: 'metadata' });
    if (!onAllowedList(policy, host, port) && !policy.allowPublic) {
      throw blocked(`${host}:${port} is not on this server's allowed hosts`, { host, port, reason: 'not_allowed' });
    }
    let addresses: { address: string; family: number }[];
    if (isIpLiteral(host)) {
      const v4 = isIPv6(host) ? undefined : parseIPv4Literal(host);
      addresses = [{ address: v4 ?? host, family: v4 ? 4 : 6 }];
    } else {
      try {
        addresses = await resolve(host);
      } catch {
        throw failed(`could not resolve ${host}`, { host });
      }
      if (addresses.length === 0) throw failed(`could not resolve ${host}`, { host });
    }
    // Every answer must be acceptable: a name that resolves to one public and one private address is
    // refused, so rebinding cannot pick the private one later.
    for (const { address } of addresses) {
      const reason = blockedAddressReason(address);
      if (reason && !options.allowAddress?.(address, port)) {
        throw blocked(`${host} resolves to a ${reason} address, which tools may not reach`, { host, reason });
      }
    }
    const pinned = addresses[0]!;
    return { url, address: pinned.address, family: pinned.family, port };
  }

  function once(target: Awaited<ReturnType<typeof check>>, method: string, headers: Record<string, string>, body: Buffer | undefined, signal: AbortSignal) {
    return new Promise<{ res: IncomingMessage; text?: string }>((resolvePromise, reject) => {
      const { url, address, family } = target;
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, {
        method,
        headers: { ...headers, host: url.host, ...(body ? { 'content-length': String(body.length) } : {}) },
        agent: false,
        signal,
        servername: isIpLiteral(policyHost(url)) ? undefined : policyHost(url),
        // The pinned, already-checked address: the connection never looks the name up again.
        lookup: ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
          if (opts && opts.all) cb(null, [{ address, family }]);
          else cb(null, address, family);
        }) as unknown as LookupFunction,
      });
      req.on('response', (res) => resolvePromise({ res }));
      req.on('error', reject);
      req.end(body);
    });
  }

  async function readBody(res: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxResponseBytes) {
        res.destroy();
        throw failed(`the response is larger than ${maxResponseBytes} bytes`, { limit: maxResponseBytes });
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function request(policy: EgressPolicy, req: EgressRequest, outer?: AbortSignal): Promise<EgressResponse> {
    let method = String(req.method || 'GET').toUpperCase();
    if (!METHODS.has(method)) throw blocked(`method ${method} is not allowed`, { method });
    let body = req.body == null ? undefined : Buffer.from(String(req.body), 'utf8');
    if (body && body.length > maxRequestBytes) throw failed(`the request body is larger than ${maxRequestBytes} bytes`, { limit: maxRequestBytes });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers ?? {})) {
      const key = k.toLowerCase();
      if (!DROPPED_HEADERS.has(key) && /^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(key)) headers[key] = String(v).replace(/[\r\n]/g, ' ');
    }
    const timeoutMs = Math.min(Math.max(req.timeoutMs ?? defaultTimeout, 1), defaultTimeout);
    const signals = [AbortSignal.timeout(timeoutMs), ...(outer ? [outer] : [])];
    const signal = AbortSignal.any(signals);
    let target = await check(policy, req.url);
    try {
      for (let hop = 0; ; hop++) {
        const { res } = await once(target, method, headers, body, signal);
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (status >= 300 && status < 400 && status !== 304 && location) {
          res.resume();
          if (hop >= maxRedirects) throw failed(`more than ${maxRedirects} redirects`, { url: target.url.href });
          const next = new URL(location, target.url).href;
          const previousOrigin = target.url.origin;
          // The redirect target is checked exactly like the first URL: allowed list, then addresses.
          target = await check(policy, next);
          if (target.url.origin !== previousOrigin) for (const h of CREDENTIAL_HEADERS) delete headers[h];
          if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
            method = method === 'HEAD' ? 'HEAD' : 'GET';
            body = undefined;
            delete headers['content-type'];
          }
          continue;
        }
        const text = method === 'HEAD' ? '' : await readBody(res);
        const outHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) outHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
        return { status, headers: outHeaders, text, url: target.url.href };
      }
    } catch (err) {
      if (err instanceof SwitchboardError) throw err;
      if (signal.aborted) throw failed(outer?.aborted ? 'the request was cancelled' : `the request took longer than ${timeoutMs} ms`, { timeoutMs });
      throw failed(`the request failed: ${(err as Error).message?.slice(0, 200) ?? 'network error'}`, { host: target.url.hostname });
    }
  }

  return { request, check };
}
