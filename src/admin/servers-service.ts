import { dirname } from 'node:path';
import type { ServerConfig } from '../config/index.js';
import { hasScope, SwitchboardError, type Principal } from '../shared/index.js';
import type { ServerStateRecord, ServersSnapshot, ServersWriter } from '../store/index.js';
import type { AdminDeps } from './admin.js';
import { normaliseAllowedHosts } from './allowed-hosts.js';
import { createListingPublisher } from './listing-publisher.js';
import { createServerOperations } from './server-operations.js';
import { requireScope, type CreateOptions, type ServersCore, type ServersOptions, type ServersService } from './servers-contract.js';
import {
  canonical,
  normaliseDefinition,
  parseInput,
  patchDefinition,
  ServerCreateInput,
  ServerDefinitionInput,
  ServerPatchInput,
  toDefinition,
  unmask,
  type Definition,
} from './server-definition.js';
import { computeServerSet, defaultState, fileWantsQuarantine, type PlacedServer, type ServerSet } from './server-set.js';
import { auditView, serverView, type ServerView } from './server-view.js';

export { requireScope, type CreateOptions, type ServersCore, type ServersOptions, type ServersService } from './servers-contract.js';

const DEFINITION_CHANGE = 'servers.update';


export function createServersService(deps: AdminDeps, opts: ServersOptions = {}): ServersService {
  const repo = deps.store.servers;
  const quarantineConfigServers = opts.quarantineConfigServers ?? (() => false);
  let snapshot: ServersSnapshot | undefined;
  let set: ServerSet = { servers: [], conflicts: [] };
  let live = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const listings = createListingPublisher(deps.catalog, (server) => find(server)?.state.disabledTools ?? [], opts.reviewListing);

  /** One change at a time in this process: each recomputes from the store, so order is all it needs. */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  }

  const ctx = () => ({ env: deps.env, baseDir: deps.configPath ? dirname(deps.configPath) : process.cwd() });
  function compute(): void {
    const config = deps.config();
    set = computeServerSet({
      file: config.servers,
      snapshot: snapshot!,
      prefixed: config.gateway.prefix === 'always',
      quarantineConfigServers: quarantineConfigServers(),
      normalise: (name, def) => normaliseDefinition(name, def, ctx()),
    });
  }
  async function reload(): Promise<void> {
    snapshot = await repo.load();
    compute();
  }
  async function loaded(): Promise<ServerSet> {
    if (!snapshot) await serial(async () => (snapshot ? undefined : reload()));
    return set;
  }
  const find = (name: string) => set.servers.find((s) => s.name === name);
  const view = (p: PlacedServer) => serverView(p, p.config ? deps.upstreams.get(p.name) : undefined);

  async function placed(name: string): Promise<PlacedServer> {
    await loaded();
    const p = find(name);
    if (!p) throw new SwitchboardError('SWB_SERVER_NOT_FOUND', `No server named '${name}'`, { name });
    return p;
  }

  /** Config-file quarantine goes into the store once, so editing the file cannot lift it. */
  async function persistFileQuarantine(): Promise<void> {
    const q = quarantineConfigServers();
    const due = set.servers.filter((p) => p.source === 'config' && fileWantsQuarantine(p.file!, q) && !p.state.quarantine && !p.state.approved);
    if (!due.length) return;
    const at = new Date().toISOString();
    await repo.write(async (w) => {
      for (const p of due) {
        const reason = p.file!.quarantined ? 'marked "quarantined" in the config file' : 'the setting quarantine_config_servers is on';
        await w.putState({ ...((await w.state(p.name)) ?? defaultState(p.name)), quarantine: { by: 'config', at, reason } });
      }
    });
    await reload();
  }

  async function applyNow(): Promise<void> {
    if (!live) return;
    await persistFileQuarantine();
    const configs: ServerConfig[] = [];
    for (const p of set.servers) {
      if (!p.config) continue;
      try {
        configs.push(opts.resolveSecrets && p.enabled && !p.quarantined ? await opts.resolveSecrets(p.config) : p.config);
      } catch (err) {
        p.problem = err instanceof SwitchboardError ? err.message : `Cannot prepare the server: ${(err as Error).message}`;
      }
    }
    for (const c of set.conflicts) deps.logger.warn({ server: c.name, reason: c.reason }, 'config-file server left out');
    deps.catalog.configure(configs.map((c) => ({ name: c.name, prefix: c.alias ?? c.name })), deps.config().gateway);
    const result = await deps.upstreams.apply(configs);
    listings.refilter();
    deps.logger.info(result, 'servers applied');
  }

  async function reloadAndApply(): Promise<void> {
    await reload();
    await applyNow();
  }

  function startSync(): void {
    const every = opts.syncIntervalMs ?? 2000;
    if (timer || !every) return;
    let busy = false;
    timer = setInterval(() => {
      if (busy || closed) return;
      busy = true;
      repo
        .revision()
        .then(async (rev) => {
          if (closed || rev === snapshot?.revision) return;
          await serial(reloadAndApply);
          deps.events.emit('servers.changed', { action: 'sync' });
        })
        .catch((err: unknown) => deps.logger.warn({ err: (err as Error).message }, 'servers sync failed'))
        .finally(() => (busy = false));
    }, every);
    timer.unref();
  }

  function announce(actor: Principal, action: string, target: string, before: unknown, after: unknown): void {
    deps.activity.adminChange({ actor, action, target, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
    deps.events.emit('servers.changed', { server: target, action });
  }

  /** One audited change of one server: write in a transaction, reload, apply, record before/after. */
  async function change<T>(actor: Principal, action: string, target: string, fn: (w: ServersWriter) => Promise<T>): Promise<T> {
    return serial(async () => {
      if (!snapshot) await reload();
      const was = find(target);
      const before = was ? auditView(was) : undefined;
      const result = await repo.write(fn);
      await reloadAndApply();
      const now = find(target);
      announce(actor, action, target, before, now ? auditView(now) : undefined);
      return result;
    });
  }

  async function editState(actor: Principal, action: string, name: string, edit: (s: ServerStateRecord) => ServerStateRecord): Promise<ServerView> {
    await placed(name);
    await change(actor, action, name, async (w) => w.putState(edit((await w.state(name)) ?? defaultState(name))));
    return view(find(name)!);
  }

  const core: ServersCore = {
    deps,
    placed,
    current: loaded,
    view,
    listing: (server) => listings.listing(server),
    redactText: opts.redactText ?? ((text) => text),
    announce,
    async changeStates(actor, action, names, edit) {
      await serial(async () => {
        await repo.write(async (w) => {
          for (const name of names) await w.putState(edit((await w.state(name)) ?? defaultState(name)));
        });
        await reloadAndApply();
      });
      for (const name of names) announce(actor, action, name, undefined, undefined);
    },
  };

  /** Tool prefixes in use (prefixed naming only), minus the servers being replaced. */
  function prefixOwners(except: readonly string[]): Map<string, string> {
    const owners = new Map<string, string>();
    for (const s of set.servers) {
      if (except.includes(s.name)) continue;
      owners.set(s.name, s.name);
      owners.set(s.config?.alias ?? ((s.stored?.definition as Definition | undefined)?.alias ?? s.name), s.name);
    }
    return owners;
  }

  /** Validate a definition like a config-file entry, and its tool prefix against `owners` (which it joins). */
  function checkDefinition(name: string, def: Definition, owners: Map<string, string>): Definition {
    const cfg = normaliseDefinition(name, def, ctx());
    const config = deps.config();
    if (config.gateway.prefix !== 'always') return def;
    const prefix = cfg.alias ?? name;
    if (prefix.includes(config.gateway.separator)) {
      throw new SwitchboardError('SWB_VALIDATION_FAILED', `Tool prefix '${prefix}' contains the separator '${config.gateway.separator}'; choose an alias without it`, { field: cfg.alias ? 'alias' : 'name' });
    }
    const owner = owners.get(prefix);
    if (owner !== undefined && owner !== name) throw new SwitchboardError('SWB_STATE_CONFLICT', `Tool prefix '${prefix}' is already used by server '${owner}'`, { prefix, server: owner });
    owners.set(prefix, name);
    return def;
  }

  /** The state of a new (or replaced) server; disabled tools and allowed hosts already stored for the name are kept, and so is a quarantine. */
  function creationState(prev: ServerStateRecord | undefined, input: ServerCreateInput, opts: CreateOptions): ServerStateRecord {
    const quarantined = opts.quarantined === true || !hasScope(opts.actor, 'admin');
    const reason = opts.reason ?? (hasScope(opts.actor, 'admin') ? 'added quarantined' : 'added by a non-admin');
    const base = prev ?? defaultState(input.name);
    return {
      ...base,
      enabled: input.enabled ?? true,
      quarantine: quarantined ? { by: opts.actor.name, at: new Date().toISOString(), reason } : base.quarantine,
      approved: quarantined ? null : base.approved,
    };
  }



  async function createMany(inputs: readonly ServerCreateInput[], o: CreateOptions & { replaceExisting?: boolean }): Promise<ServerView[]> {
    requireScope(o.actor, 'write');
    const items = inputs.map((i) => parseInput<ServerCreateInput>(ServerCreateInput, i));
    await loaded();
    const names = items.map((i) => i.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new SwitchboardError('SWB_STATE_CONFLICT', `Server '${dup}' appears twice`, { name: dup });
    const fileNames = new Set(deps.config().servers.map((s) => s.name));
    const owners = prefixOwners(o.replaceExisting ? names : []);
    const prepared = items.map((input) => {
      if (fileNames.has(input.name)) throw new SwitchboardError('SWB_STATE_CONFLICT', `A server named '${input.name}' is defined in the config file`, { name: input.name, source: 'config' });
      if (!o.replaceExisting && set.servers.some((s) => s.name === input.name)) throw new SwitchboardError('SWB_STATE_CONFLICT', `A server named '${input.name}' already exists`, { name: input.name });
      return { input, def: checkDefinition(input.name, toDefinition(input), owners) };
    });
    return serial(async () => {
      const befores = new Map(items.map((i) => [i.name, find(i.name)]));
      await repo.write(async (w) => {
        for (const { input, def } of prepared) {
          const existing = await w.server(input.name);
          if (existing && !o.replaceExisting) throw new SwitchboardError('SWB_STATE_CONFLICT', `A server named '${input.name}' already exists`, { name: input.name });
          if (existing) await w.updateServer(input.name, { definition: def as Record<string, unknown>, ...(input.description !== undefined ? { description: input.description } : {}) });
          else await w.insertServer({ name: input.name, definition: def as Record<string, unknown>, ...(input.description !== undefined ? { description: input.description } : {}), createdBy: o.actor.name });
          await w.putState(creationState(await w.state(input.name), input, o));
        }
      });
      await reloadAndApply();
      return items.map((i) => {
        const p = find(i.name)!;
        const b = befores.get(i.name);
        announce(o.actor, b ? DEFINITION_CHANGE : 'servers.create', i.name, b ? auditView(b) : undefined, auditView(p));
        return view(p);
      });
    });
  }

  async function storedOnly(name: string, verb: string): Promise<PlacedServer> {
    const p = await placed(name);
    if (p.source === 'config') throw new SwitchboardError('SWB_SERVER_IN_CONFIG', `Server '${name}' is defined in the config file and cannot be ${verb} over the API`, { name, source: 'config' });
    return p;
  }

  /** Store a new definition; a change by a non-admin sends the server back to quarantine. */
  async function redefine(name: string, next: Definition, description: string | null | undefined, enabled: boolean | undefined, actor: Principal): Promise<ServerView> {
    requireScope(actor, 'write');
    const p = await storedOnly(name, 'changed');
    const prev = p.stored!.definition as Definition;
    const def = checkDefinition(name, unmask(next, prev), prefixOwners([name]));
    const changed = canonical(def) !== canonical(prev);
    await change(actor, DEFINITION_CHANGE, name, async (w) => {
      const desc = description === undefined ? p.stored!.description : description ?? undefined;
      await w.updateServer(name, { definition: def as Record<string, unknown>, ...(desc !== undefined ? { description: desc } : {}) });
      const state = (await w.state(name)) ?? defaultState(name);
      const requarantine = changed && !hasScope(actor, 'admin');
      await w.putState({
        ...state,
        ...(enabled !== undefined ? { enabled } : {}),
        ...(requarantine ? { quarantine: { by: actor.name, at: new Date().toISOString(), reason: 'definition changed by a non-admin' }, approved: null } : {}),
      });
    });
    return view(find(name)!);
  }

  async function setEnabled(name: string, enabled: boolean, actor: Principal): Promise<ServerView> {
    requireScope(actor, 'write');
    return editState(actor, enabled ? 'servers.enable' : 'servers.disable', name, (s) => ({ ...s, enabled }));
  }

  return {
    ...createServerOperations(core),
    async list() {
      return (await loaded()).servers.map(view);
    },
    async get(name) {
      return view(await placed(name));
    },
    async create(input, o) {
      return (await createMany([input], o))[0]!;
    },
    createMany,
    async replace(name, input, actor) {
      const body = parseInput<ServerDefinitionInput>(ServerDefinitionInput, input);
      return redefine(name, toDefinition(body), body.description ?? null, body.enabled, actor);
    },
    async update(name, patch, actor) {
      const body = parseInput<ServerPatchInput>(ServerPatchInput, patch);
      const p = await placed(name);
      const { enabled, description, ...rest } = body;
      const touchesDefinition = Object.values(rest).some((v) => v !== undefined) || description !== undefined;
      if (!touchesDefinition && enabled !== undefined) return setEnabled(name, enabled, actor);
      if (p.source === 'config') await storedOnly(name, 'changed');
      return redefine(name, patchDefinition(p.stored!.definition as Definition, body), description, enabled, actor);
    },
    async remove(name, actor) {
      requireScope(actor, 'write');
      await storedOnly(name, 'deleted');
      await change(actor, 'servers.delete', name, (w) => w.deleteServer(name));
      await opts.onRemoved?.(name, actor);
    },
    setEnabled,
    async quarantine(name, reason, actor) {
      requireScope(actor, 'admin');
      return editState(actor, 'servers.quarantine', name, (s) => ({ ...s, quarantine: { by: actor.name, at: new Date().toISOString(), reason: reason ?? 'quarantined by an admin' }, approved: null }));
    },
    async approve(name, actor) {
      requireScope(actor, 'admin');
      return editState(actor, 'servers.approve', name, (s) => ({ ...s, quarantine: null, approved: { by: actor.name, at: new Date().toISOString() } }));
    },
    async setDisabledTools(name, tools, actor) {
      requireScope(actor, 'write');
      const clean = [...new Set(tools.map((t) => t.trim()))];
      if (clean.some((t) => t === '' || t.length > 256)) throw new SwitchboardError('SWB_VALIDATION_FAILED', 'Tool names must be 1-256 characters', { field: 'disabled_tools' });
      return editState(actor, 'servers.tools_disabled', name, (s) => ({ ...s, disabledTools: clean }));
    },
    async setAllowedHosts(name, hosts, actor) {
      requireScope(actor, 'write');
      const clean = normaliseAllowedHosts(hosts);
      return editState(actor, 'servers.allowed_hosts', name, (s) => ({ ...s, allowedHosts: clean }));
    },
    async addAllowedHost(name, host, actor) {
      requireScope(actor, 'write');
      const [added] = normaliseAllowedHosts([host]);
      return editState(actor, 'servers.allowed_hosts', name, (s) => ({ ...s, allowedHosts: normaliseAllowedHosts([...s.allowedHosts, added!]) }));
    },
    async removeAllowedHost(name, host, actor) {
      requireScope(actor, 'write');
      const [gone] = normaliseAllowedHosts([host]);
      return editState(actor, 'servers.allowed_hosts', name, (s) => ({ ...s, allowedHosts: s.allowedHosts.filter((h) => h !== gone) }));
    },
    async conflicts() {
      return (await loaded()).conflicts;
    },
    async pendingApprovals() {
      return (await loaded()).servers.filter((s) => s.quarantined).length;
    },
    activate() {
      return serial(async () => {
        live = true;
        await reloadAndApply();
        startSync();
      });
    },
    apply() {
      return serial(async () => {
        if (!snapshot || live) await reloadAndApply();
      });
    },
    publishListing(server, listing) {
      listings.publish(server, listing);
    },
    republishListing(server) {
      listings.republish(server);
    },
    sourceDown(server) {
      listings.down(server);
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await queue;
    },
  };
}
