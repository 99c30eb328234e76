import { z } from 'zod';
import { PROFILE_NAME, ProfileSchema } from '../shared/index.js';
import type { BackupRow, BackupRows, HostedBundle } from '../store/index.js';
import { PIN_STATES } from '../trust/index.js';
import { canonicalJson } from './backup-signature.js';

/**
 * The parts of a backup beyond servers, secrets and settings: stored profiles, tool and prompt pins
 * with the per-server auto-approve override, and hosted servers with their tools (every version and
 * status), module and network requests and external sources. Rows travel as stored (column names,
 * JSON decoded); secret values are never among them (hosted servers' secrets are in `secrets`, sealed).
 */

const Row = z.record(z.string(), z.unknown());
const ProfileRow = z.looseObject({ name: z.string(), definition: Row });
const PinRow = z.looseObject({ server: z.string().min(1), kind: z.enum(['tool', 'prompt']), name: z.string().min(1), state: z.enum(PIN_STATES), fingerprint: z.string() });
const TrustRow = z.looseObject({ server: z.string().min(1) });
const VersionRow = z.looseObject({ tool_id: z.string(), version: z.number().int() });
const ToolEntry = z.looseObject({ id: z.string().min(1), server: z.string(), name: z.string().min(1), status: z.string(), version: z.number().int(), versions: z.array(VersionRow) });
const RequestRow = z.looseObject({ id: z.string().min(1), server: z.string(), kind: z.enum(['module', 'network']), status: z.string(), target: z.string() });
const HostedEntry = z.looseObject({ name: z.string().min(1), tools: z.array(ToolEntry).default([]), requests: z.array(RequestRow).default([]), sources: z.array(Row).default([]) });

/** The new sections' shapes; all optional, so a backup written before them restores as before. */
export const BackupSectionShapes = {
  profiles: z.array(ProfileRow).optional(),
  trust: z.object({ pins: z.array(PinRow).default([]), server_trust: z.array(TrustRow).default([]) }).optional(),
  hosted: z.array(HostedEntry).optional(),
};

export interface BackupSectionsDoc {
  profiles?: z.infer<typeof ProfileRow>[];
  trust?: { pins: z.infer<typeof PinRow>[]; server_trust: z.infer<typeof TrustRow>[] };
  hosted?: z.infer<typeof HostedEntry>[];
}

/** What an import does with one profile, pin or hosted server. */
export type SectionAction = 'add' | 'update' | 'unchanged' | 'remove' | 'conflict' | 'invalid';

export interface PlannedProfile {
  name: string;
  action: SectionAction;
  reason?: string;
}

export interface PlannedPin {
  server: string;
  kind: string;
  name: string;
  /** The state it will have (or, for `remove`, has now). */
  state: string;
  action: SectionAction;
}

export interface PlannedHosted {
  name: string;
  action: SectionAction;
  reason?: string;
  tools: { id: string; name: string; status: string; versions: number }[];
  requests: { id: string; kind: string; target: string; status: string }[];
}

export interface SectionsPlan {
  profiles: PlannedProfile[];
  pins: PlannedPin[];
  hosted: PlannedHosted[];
}

/** The keys a restore replaces: each is made exactly what the backup holds. */
export interface SectionKeys {
  profiles: string[];
  pinServers: string[];
  hosted: string[];
}

/** The stored rows as backup sections. */
export function sectionsDocument(rows: BackupRows): Required<BackupSectionsDoc> {
  return {
    profiles: rows.profiles as z.infer<typeof ProfileRow>[],
    trust: { pins: rows.pins as z.infer<typeof PinRow>[], server_trust: rows.serverTrust as z.infer<typeof TrustRow>[] },
    hosted: rows.hosted.map((b) => ({
      ...b.server,
      name: String(b.server['name']),
      tools: b.tools.map((t) => ({ ...t, versions: b.versions.filter((v) => v['tool_id'] === t['id']) })) as z.infer<typeof ToolEntry>[],
      requests: b.requests as z.infer<typeof RequestRow>[],
      sources: b.sources,
    })),
  };
}

/** A backup's sections as rows to write, and the keys they replace. */
export function sectionsRows(doc: BackupSectionsDoc): { keys: SectionKeys; rows: BackupRows } {
  const pins = doc.trust?.pins ?? [];
  const serverTrust = doc.trust?.server_trust ?? [];
  const hosted: HostedBundle[] = (doc.hosted ?? []).map(({ tools, requests, sources, ...server }) => ({
    server,
    tools: tools.map(({ versions: _v, ...t }) => t),
    versions: tools.flatMap((t) => t.versions),
    requests,
    sources,
  }));
  return {
    keys: {
      profiles: (doc.profiles ?? []).map((p) => p.name),
      pinServers: [...new Set([...pins.map((p) => p.server), ...serverTrust.map((t) => t.server)])],
      hosted: hosted.map((h) => String(h.server['name'])),
    },
    rows: { profiles: doc.profiles ?? [], pins, serverTrust, hosted },
  };
}

/** A bundle with its lists in one order, to compare two of them. */
const normal = (b: HostedBundle): HostedBundle => {
  const by = (...keys: string[]) => (x: BackupRow, y: BackupRow) => keys.map((k) => String(x[k]).localeCompare(String(y[k]), 'en', { numeric: true })).find((c) => c !== 0) ?? 0;
  return { server: b.server, tools: [...b.tools].sort(by('id')), versions: [...b.versions].sort(by('tool_id', 'version')), requests: [...b.requests].sort(by('id')), sources: [...b.sources].sort(by('id')) };
};

/** Compare as stored content. */
const same = (a: BackupRow | undefined, b: BackupRow) => a !== undefined && canonicalJson(a) === canonicalJson(b);

export interface PlanContext {
  /** The rows the restore would replace, as stored now. */
  current: BackupRows;
  /** Upstream server names (config file, stored, and the backup's): a hosted server may not share one. */
  upstreamNames: ReadonlySet<string>;
  /** Profile names in the config file, which take precedence over stored ones. */
  configProfiles: ReadonlySet<string>;
  /** Every stored hosted tool id and its server, to spot an id another server holds. */
  toolOwners: ReadonlyMap<string, string>;
}

/** Decide per profile, pin and hosted server what an import would do. Pure. */
export function planSections(doc: BackupSectionsDoc, keys: SectionKeys, rows: BackupRows, ctx: PlanContext): { plan: SectionsPlan; warnings: string[] } {
  const warnings: string[] = [];
  const currentProfiles = new Map(ctx.current.profiles.map((p) => [String(p['name']), p]));
  const profiles = (doc.profiles ?? []).map((p): PlannedProfile => {
    if (!PROFILE_NAME.test(p.name)) return { name: p.name, action: 'invalid', reason: 'profile names are 1-64 characters of letters, digits, "_" and "-"' };
    const parsed = ProfileSchema.safeParse(p.definition);
    if (!parsed.success) return { name: p.name, action: 'invalid', reason: parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ') };
    if (ctx.configProfiles.has(p.name)) warnings.push(`profile ${p.name} is also defined in the config file, which takes precedence over the restored one`);
    const now = currentProfiles.get(p.name);
    return { name: p.name, action: !now ? 'add' : same(now, p) ? 'unchanged' : 'update' };
  });

  const pinKey = (r: BackupRow) => `${String(r['server'])}\u0000${String(r['kind'])}\u0000${String(r['name'])}`;
  const currentPins = new Map(ctx.current.pins.map((p) => [pinKey(p), p]));
  const incomingPins = new Set(rows.pins.map(pinKey));
  const pins: PlannedPin[] = [
    ...rows.pins.map((p): PlannedPin => {
      const now = currentPins.get(pinKey(p));
      return { server: String(p['server']), kind: String(p['kind']), name: String(p['name']), state: String(p['state']), action: !now ? 'add' : same(now, p) ? 'unchanged' : 'update' };
    }),
    ...ctx.current.pins.filter((p) => !incomingPins.has(pinKey(p))).map((p): PlannedPin => ({ server: String(p['server']), kind: String(p['kind']), name: String(p['name']), state: String(p['state']), action: 'remove' })),
  ];

  const currentHosted = new Map(ctx.current.hosted.map((b) => [String(b.server['name']), b]));
  const replaced = new Set(keys.hosted);
  const hosted = rows.hosted.map((b): PlannedHosted => {
    const name = String(b.server['name']);
    const shown = {
      tools: b.tools.map((t) => ({ id: String(t['id']), name: String(t['name']), status: String(t['status']), versions: b.versions.filter((v) => v['tool_id'] === t['id']).length })),
      requests: b.requests.map((r) => ({ id: String(r['id']), kind: String(r['kind']), target: String(r['target']), status: String(r['status']) })),
    };
    const wrong =
      b.tools.find((t) => t['server'] !== name) ? 'a tool names another server' :
      b.requests.find((r) => r['server'] !== name) ? 'a request names another server' :
      b.sources.find((s) => s['server'] !== name) ? 'an external source names another server' :
      b.versions.find((v) => !b.tools.some((t) => t['id'] === v['tool_id'])) ? 'a version belongs to no tool of the server' : undefined;
    if (wrong) return { name, action: 'invalid', reason: wrong, ...shown };
    if (ctx.upstreamNames.has(name)) return { name, action: 'conflict', reason: `an upstream server is named '${name}'; hosted and upstream servers share one namespace`, ...shown };
    const taken = b.tools.find((t) => {
      const owner = ctx.toolOwners.get(String(t['id']));
      return owner !== undefined && owner !== name && !replaced.has(owner);
    });
    if (taken) return { name, action: 'conflict', reason: `tool id ${String(taken['id'])} belongs to hosted server '${ctx.toolOwners.get(String(taken['id']))}'`, ...shown };
    const now = currentHosted.get(name);
    return { name, action: !now ? 'add' : canonicalJson(normal(now)) === canonicalJson(normal(b)) ? 'unchanged' : 'update', ...(now ? { reason: 'replaces the hosted server with its tools, versions and requests' } : {}), ...shown };
  });
  return { plan: { profiles, pins, hosted }, warnings };
}

/** Entries that stop an import: conflicting or invalid profiles and hosted servers. */
export function blockedSections(plan: SectionsPlan): string[] {
  return [
    ...plan.profiles.filter((p) => p.action === 'invalid' || p.action === 'conflict').map((p) => `profile ${p.name} (${p.action}: ${p.reason})`),
    ...plan.hosted.filter((h) => h.action === 'invalid' || h.action === 'conflict').map((h) => `hosted server ${h.name} (${h.action}: ${h.reason})`),
  ];
}
