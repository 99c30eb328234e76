import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Principal, RawItem } from '../shared/index.js';
import type { Exposure } from './exposure.js';
import type { StateSeal } from './modern/state-seal.js';

/** Sealed session ids are bound to this purpose: a `requestState` cannot pass for a session id. */
const PURPOSE = 'mcp-session';
/** Above this, client capabilities are cut down to what the gateway and the SDK read. */
const MAX_CAPABILITIES_JSON = 1024;
const ROUTED_CAPABILITIES = ['roots', 'sampling', 'elicitation', 'tasks'] as const;
const MAX_INFO_CHARS = 128;

/**
 * What a 2025-era session needs to be rebuilt by a gateway process that did not open it: who opened
 * it (kind and id, no secret), what the client sent in `initialize`, how it sees tools, and the key
 * its mutable state (log level, subscriptions) is stored under. Immutable for the session's life.
 */
export interface SealedSession {
  /** Random; names the session's row in the store (never the session id itself). */
  key: string;
  caller: { kind: Principal['kind']; id: string };
  /** The version the client asked for; the SDK negotiates the same answer again on a rebuild. */
  protocolVersion: string;
  capabilities: RawItem;
  clientInfo: RawItem;
  exposure?: Exposure;
  /** Milliseconds since the epoch (to the second). */
  createdAt: number;
}

const Obj = z.record(z.string(), z.unknown());
const ExposureWire = z.union([z.object({ mode: z.literal('search') }), z.object({ mode: z.literal('profile'), profile: z.string().min(1) })]);
/** A tuple, not an object: field names would be a fifth of the id. Seconds, not milliseconds, for the same reason. */
const Wire = z.union([
  z.tuple([z.string().min(1), z.string().min(1), z.string(), z.string().min(1), Obj, Obj, z.number().int().nonnegative()]),
  z.tuple([z.string().min(1), z.string().min(1), z.string(), z.string().min(1), Obj, Obj, z.number().int().nonnegative(), ExposureWire]),
]);

/**
 * A new session id carrying `session` under AES-256-GCM: visible ASCII (`v1.` + base64url), about
 * 200–300 characters for real clients. Clients cannot read or alter it; another key does not open it.
 */
export function sealSessionId(seal: StateSeal, session: Omit<SealedSession, 'key' | 'createdAt'>, now = Date.now()): string {
  const wire: z.input<typeof Wire> = [
    randomBytes(12).toString('base64url'),
    session.caller.kind,
    session.caller.id,
    session.protocolVersion,
    compactCapabilities(session.capabilities),
    compactClientInfo(session.clientInfo),
    Math.floor(now / 1000),
  ];
  if (session.exposure && session.exposure.mode !== 'all') wire.push(session.exposure);
  return seal.seal(PURPOSE, wire);
}

/** The session a sealed id carries, or undefined for anything this gateway's keys did not seal as a session id. */
export function openSessionId(seal: StateSeal, sid: string): SealedSession | undefined {
  if (sid.length > 4096) return undefined;
  const parsed = Wire.safeParse(seal.open(PURPOSE, sid));
  if (!parsed.success) return undefined;
  const [key, kind, id, protocolVersion, capabilities, clientInfo, seconds, exposure] = parsed.data;
  return { key, caller: { kind: kind as Principal['kind'], id }, protocolVersion, capabilities, clientInfo, ...(exposure ? { exposure } : {}), createdAt: seconds * 1000 };
}

/** `experimental` is nobody's business here; an outsized object keeps what routing reads. */
function compactCapabilities(caps: RawItem): RawItem {
  const { experimental: _ignored, ...rest } = caps;
  if (JSON.stringify(rest).length <= MAX_CAPABILITIES_JSON) return rest;
  const out: RawItem = {};
  for (const k of ROUTED_CAPABILITIES) if (rest[k] && typeof rest[k] === 'object') out[k] = rest[k];
  return JSON.stringify(out).length <= MAX_CAPABILITIES_JSON ? out : Object.fromEntries(Object.keys(out).map((k) => [k, {}]));
}

function compactClientInfo(info: RawItem): RawItem {
  const out: RawItem = {};
  for (const k of ['name', 'version']) {
    const v = info[k];
    if (typeof v === 'string') out[k] = v.slice(0, MAX_INFO_CHARS);
  }
  if (typeof out['name'] !== 'string') out['name'] = 'unknown';
  if (typeof out['version'] !== 'string') out['version'] = '0';
  return out;
}
