import { globProblems } from '../auth/index.js';
import { isValidPattern } from '../policy/index.js';
import { SCOPES, SwitchboardError, hasScope, type Principal, type Scope } from '../shared/index.js';
import type { ApiKeyRecord } from '../store/index.js';
import { requireAccessScope, type AccessDeps } from './users-service.js';

/** An API key as every face shows it: the secret never, its first characters for recognition. */
export interface KeyView {
  id: string;
  name: string;
  /** The first characters of the secret (`sbk_…`). */
  prefix: string;
  scopes: Scope[];
  /** Glob allow-lists on whole server / tool names; null means every one. */
  servers: string[] | null;
  tools: string[] | null;
  expires_at: string | null;
  created_by: { kind: string; id: string; name: string };
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  status: 'active' | 'revoked' | 'expired';
}

export interface KeyPage {
  items: KeyView[];
  total: number;
  page: number;
  page_size: number;
  pages: number;
}

export interface NewKeyInput {
  name: string;
  scopes: readonly Scope[];
  servers?: readonly string[] | undefined;
  tools?: readonly string[] | undefined;
  /** Absolute expiry (ISO-8601, in the future). */
  expires_at?: string | undefined;
  /** Relative expiry: `90m`, `12h`, `30d`, `8w`. */
  expires_in?: string | undefined;
}

/**
 * API keys (agent tokens). Admins see and revoke every key; other users see, create and revoke only
 * their own, and only with scopes they hold. Keys cannot mint keys unless they carry `admin`.
 */
export interface KeysService {
  list(actor: Principal, page: number, pageSize: number): Promise<KeyPage>;
  get(actor: Principal, id: string): Promise<KeyView>;
  /** The secret is in the answer once and nowhere else. */
  create(actor: Principal, input: NewKeyInput): Promise<{ key: KeyView; secret: string }>;
  revoke(actor: Principal, id: string): Promise<KeyView>;
}

const DURATION = /^(\d{1,6})([mhdw])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const MAX_LIFETIME_MS = 10 * 365 * 86_400_000;
export const MAX_KEY_NAME = 100;

/** `30d` → milliseconds; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

export function keyView(k: ApiKeyRecord, now = Date.now()): KeyView {
  const status = k.revokedAt ? 'revoked' : k.expiresAt !== null && Date.parse(k.expiresAt) <= now ? 'expired' : 'active';
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
    servers: k.servers,
    tools: k.tools,
    expires_at: k.expiresAt,
    created_by: k.createdBy,
    created_at: k.createdAt,
    revoked_at: k.revokedAt,
    last_used_at: k.lastUsedAt,
    status,
  };
}

/** Summary recorded in the activity log: never the secret or its digest. */
function audit(k: KeyView): Record<string, unknown> {
  return { name: k.name, prefix: k.prefix, scopes: k.scopes, servers: k.servers, tools: k.tools, expires_at: k.expires_at, status: k.status };
}

const isAdmin = (p: Principal) => hasScope(p, 'admin');

/** Only admins and signed-in users manage keys: a key without `admin` cannot mint more keys. */
function requireKeyManager(actor: Principal): void {
  if (!isAdmin(actor) && actor.kind !== 'user') throw new SwitchboardError('SWB_AUTH_FORBIDDEN', 'Only users and admins manage API keys; this credential cannot', { kind: actor.kind });
}

function owns(actor: Principal, k: ApiKeyRecord): boolean {
  return k.createdBy.kind === actor.kind && k.createdBy.id === actor.id;
}

function expiryOf(input: NewKeyInput, now: number): string | null {
  if (input.expires_at !== undefined && input.expires_in !== undefined) throw new SwitchboardError('SWB_VALIDATION_FAILED', 'Give expires_at or expires_in, not both', { field: 'expires_in' });
  let at: number | undefined;
  if (input.expires_in !== undefined) {
    const ms = parseDuration(input.expires_in);
    if (ms === undefined || ms <= 0) throw new SwitchboardError('SWB_VALIDATION_FAILED', `expires_in must look like 90m, 12h, 30d or 8w; got '${input.expires_in}'`, { field: 'expires_in' });
    at = now + ms;
  } else if (input.expires_at !== undefined) {
    at = Date.parse(input.expires_at);
    if (Number.isNaN(at)) throw new SwitchboardError('SWB_VALIDATION_FAILED', `expires_at is not an ISO-8601 time: '${input.expires_at}'`, { field: 'expires_at' });
    if (at <= now) throw new SwitchboardError('SWB_VALIDATION_FAILED', 'expires_at is in the past', { field: 'expires_at' });
  }
  if (at === undefined) return null;
  if (at - now > MAX_LIFETIME_MS) throw new SwitchboardError('SWB_VALIDATION_FAILED', 'An expiry is at most 10 years away; omit it for a key that never expires', { field: 'expires_at' });
  return new Date(at).toISOString();
}

function checkGlobs(field: 'servers' | 'tools', globs: readonly string[] | undefined): string[] | null {
  if (globs === undefined) return null;
  // Both checks: the shape rules here, and that the gate itself compiles the pattern.
  const problems = globProblems(globs);
  if (problems.length === 0) problems.push(...globs.filter((g) => !isValidPattern(g)).map((g) => `'${g}': not a usable pattern`));
  if (problems.length > 0) throw new SwitchboardError('SWB_VALIDATION_FAILED', `Invalid ${field} pattern: ${problems.join('; ')}`, { field, problems });
  return [...new Set(globs)];
}

export function createKeysService(deps: AccessDeps): KeysService {
  const repo = deps.store.auth;

  async function visible(actor: Principal, id: string): Promise<ApiKeyRecord> {
    requireKeyManager(actor);
    const k = await repo.apiKeyById(id);
    // Someone else's key is as invisible as a missing one.
    if (!k || (!isAdmin(actor) && !owns(actor, k))) throw new SwitchboardError('SWB_ITEM_NOT_FOUND', `No API key with id '${id}'`, { id });
    return k;
  }

  return {
    async list(actor, page, pageSize) {
      requireAccessScope(actor, 'read');
      requireKeyManager(actor);
      const filter = isAdmin(actor) ? {} : { createdBy: { kind: actor.kind, id: actor.id } };
      const { items, total } = await repo.listApiKeys(filter, (page - 1) * pageSize, pageSize);
      const now = Date.now();
      return { items: items.map((k) => keyView(k, now)), total, page, page_size: pageSize, pages: Math.ceil(total / pageSize) };
    },
    async get(actor, id) {
      requireAccessScope(actor, 'read');
      return keyView(await visible(actor, id));
    },
    async create(actor, input) {
      requireAccessScope(actor, 'read');
      requireKeyManager(actor);
      const name = input.name.trim();
      if (name.length === 0 || name.length > MAX_KEY_NAME) throw new SwitchboardError('SWB_VALIDATION_FAILED', `A key name is 1-${MAX_KEY_NAME} characters`, { field: 'name' });
      const scopes = [...new Set(input.scopes)];
      if (scopes.length === 0) throw new SwitchboardError('SWB_VALIDATION_FAILED', 'A key needs at least one scope (read, write, execute, admin)', { field: 'scopes' });
      const bad = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
      if (bad.length > 0) throw new SwitchboardError('SWB_VALIDATION_FAILED', `Unknown scope: ${bad.join(', ')}`, { field: 'scopes' });
      const beyond = isAdmin(actor) ? [] : scopes.filter((s) => !actor.scopes.includes(s));
      if (beyond.length > 0) throw new SwitchboardError('SWB_AUTH_FORBIDDEN', `You cannot give a key scopes you do not hold: ${beyond.join(', ')}`, { scopes: beyond });
      const servers = checkGlobs('servers', input.servers);
      const tools = checkGlobs('tools', input.tools);
      const now = Date.now();
      const expiresAt = expiryOf(input, now);
      const { secret, hash, prefix } = deps.identity.mintApiKey();
      const id = `key_${crypto.randomUUID().replaceAll('-', '')}`;
      await repo.insertApiKey({ id, name, prefix, keyHash: hash, scopes, servers, tools, expiresAt, createdBy: { kind: actor.kind, id: actor.id, name: actor.name }, now: new Date(now).toISOString() });
      const key = keyView((await repo.apiKeyById(id))!, now);
      deps.activity.adminChange({ actor, action: 'keys.create', target: key.id, after: audit(key) });
      return { key, secret };
    },
    async revoke(actor, id) {
      requireAccessScope(actor, 'read');
      const before = keyView(await visible(actor, id));
      const after = keyView((await repo.revokeApiKey(id, new Date().toISOString()))!);
      deps.identity.keyChanged(id);
      if (before.status !== 'revoked') deps.activity.adminChange({ actor, action: 'keys.revoke', target: id, before: audit(before), after: audit(after) });
      return after;
    },
  };
}
