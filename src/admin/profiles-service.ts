import type { z } from 'zod';
import { PROFILE_NAME, ProfileSchema, SwitchboardError, type Principal, type ProfileDefinition } from '../shared/index.js';
import type { AdminDeps } from './admin.js';
import { requireScope } from './servers-contract.js';

/** A profile as the API shows it. */
export interface ProfileView extends ProfileDefinition {
  name: string;
  /** `config`: written in the config file (read-only here); `api`: stored. */
  source: 'config' | 'api';
  /** Where clients connect to it. */
  endpoint: string;
  created_by: string | null;
  created_at: string | null;
  updated_at: string | null;
}

/** What the gateway reads on the request path: synchronous, in memory. */
export interface ProfileDirectory {
  /** Changes whenever any profile changes (list views are cached per version). */
  version(): number;
  get(name: string): ProfileDefinition | undefined;
}

export interface ProfilesService extends ProfileDirectory {
  /** Resolves once stored profiles are loaded. */
  readonly ready: Promise<void>;
  list(): Promise<ProfileView[]>;
  view(name: string): Promise<ProfileView>;
  create(name: string, def: unknown, actor: Principal): Promise<ProfileView>;
  replace(name: string, def: unknown, actor: Principal): Promise<ProfileView>;
  remove(name: string, actor: Principal): Promise<void>;
  /** Re-read stored profiles (a backup restore wrote them); listeners hear of every name that changed. */
  reload(): Promise<void>;
  /** Called after every change (the gateway tells sessions on the profile that their tools changed). */
  onChange(listener: (name: string) => void): () => void;
}

function parse(def: unknown): ProfileDefinition {
  const r = ProfileSchema.safeParse(def);
  if (r.success) return r.data;
  const issues = (r.error as z.ZodError).issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  throw new SwitchboardError('SWB_VALIDATION_FAILED', `Invalid profile: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
}

function checkName(name: string): void {
  if (!PROFILE_NAME.test(name)) throw new SwitchboardError('SWB_VALIDATION_FAILED', 'Profile names are 1-64 characters of letters, digits, "_" and "-"', { field: 'name' });
}

/** Named tool profiles from the config file and the store; the config file's are read-only here. */
export function createProfilesService(deps: AdminDeps): ProfilesService {
  const repo = deps.store.trust;
  const stored = new Map<string, { def: ProfileDefinition; createdBy: string; createdAt: string; updatedAt: string }>();
  const listeners = new Set<(name: string) => void>();
  let version = 1;
  let seenConfig = deps.config();

  async function load(): Promise<Set<string>> {
    const before = new Map([...stored].map(([n, s]) => [n, JSON.stringify(s)]));
    stored.clear();
    for (const p of await repo.profiles()) {
      const r = ProfileSchema.safeParse(p.definition);
      if (r.success) stored.set(p.name, { def: r.data, createdBy: p.createdBy, createdAt: p.createdAt, updatedAt: p.updatedAt });
      else deps.logger.warn({ profile: p.name }, 'stored profile no longer valid; ignored');
    }
    version++;
    const changed = new Set([...before.keys(), ...stored.keys()].filter((n) => before.get(n) !== (stored.has(n) ? JSON.stringify(stored.get(n)) : undefined)));
    return changed;
  }
  const ready = load().then(() => undefined);

  const fromConfig = () => {
    const cfg = deps.config();
    // A reloaded config file is a new object: cached profile views must not outlive it.
    if (cfg !== seenConfig) {
      seenConfig = cfg;
      version++;
    }
    return cfg.profiles ?? {};
  };

  function view(name: string): ProfileView | undefined {
    const cfg = fromConfig()[name];
    const common = { name, endpoint: `/mcp/p/${name}` };
    if (cfg) return { ...common, ...cfg, source: 'config', created_by: null, created_at: null, updated_at: null };
    const s = stored.get(name);
    return s ? { ...common, ...s.def, source: 'api', created_by: s.createdBy, created_at: s.createdAt, updated_at: s.updatedAt } : undefined;
  }

  /** Tell live views (`GET /events`, the console) that a profile changed. */
  function announce(name: string, action: 'create' | 'update' | 'delete' | 'reload', actor: Principal | undefined): void {
    deps.events.emit('profiles.changed', { name, action, by: actor?.name ?? null, updated_at: stored.get(name)?.updatedAt ?? null });
  }

  function notFound(name: string): SwitchboardError {
    return new SwitchboardError('SWB_PROFILE_NOT_FOUND', `No profile named '${name}'`, { name });
  }

  async function save(name: string, def: ProfileDefinition, actor: Principal, action: string, before: ProfileView | undefined): Promise<ProfileView> {
    const saved = await repo.write((w) => w.putProfile(name, def as unknown as Record<string, unknown>, actor.name));
    stored.set(name, { def, createdBy: saved.createdBy, createdAt: saved.createdAt, updatedAt: saved.updatedAt });
    version++;
    const after = view(name)!;
    deps.activity.adminChange({ actor, action, target: name, ...(before ? { before } : {}), after });
    for (const l of listeners) l(name);
    announce(name, before ? 'update' : 'create', actor);
    return after;
  }

  return {
    ready,
    async reload() {
      await ready;
      for (const name of await load()) {
        for (const l of listeners) l(name);
        announce(name, 'reload', undefined);
      }
    },
    version: () => (fromConfig(), version),
    get: (name) => fromConfig()[name] ?? stored.get(name)?.def,
    async list() {
      await ready;
      const names = new Set([...Object.keys(fromConfig()), ...stored.keys()]);
      return [...names].sort().map((n) => view(n)!);
    },
    async view(name) {
      await ready;
      const v = view(name);
      if (!v) throw notFound(name);
      return v;
    },
    async create(name, def, actor) {
      requireScope(actor, 'admin');
      checkName(name);
      const parsed = parse(def);
      await ready;
      if (view(name)) throw new SwitchboardError('SWB_STATE_CONFLICT', `A profile named '${name}' already exists`, { name });
      return save(name, parsed, actor, 'profiles.create', undefined);
    },
    async replace(name, def, actor) {
      requireScope(actor, 'admin');
      await ready;
      const before = view(name);
      if (!before) throw notFound(name);
      if (before.source === 'config') throw new SwitchboardError('SWB_PROFILE_IN_CONFIG', `Profile '${name}' is defined in the config file`, { name });
      return save(name, parse(def), actor, 'profiles.update', before);
    },
    async remove(name, actor) {
      requireScope(actor, 'admin');
      await ready;
      const before = view(name);
      if (!before) throw notFound(name);
      if (before.source === 'config') throw new SwitchboardError('SWB_PROFILE_IN_CONFIG', `Profile '${name}' is defined in the config file`, { name });
      await repo.write((w) => w.deleteProfile(name));
      stored.delete(name);
      version++;
      deps.activity.adminChange({ actor, action: 'profiles.delete', target: name, before });
      for (const l of listeners) l(name);
      announce(name, 'delete', actor);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
