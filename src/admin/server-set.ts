import type { ServerConfig } from '../config/index.js';
import type { ServerStateRecord, ServersSnapshot, StoredServerRecord } from '../store/index.js';
import type { Definition } from './server-definition.js';

/** Where a server is defined. */
export type ServerSource = 'config' | 'api';

/** One server of the effective set: its definition, its admin state, and what the upstreams get. */
export interface PlacedServer {
  name: string;
  source: ServerSource;
  /** The config-file entry (source `config`). */
  file?: ServerConfig;
  /** The stored record (source `api`). */
  stored?: StoredServerRecord;
  state: ServerStateRecord;
  enabled: boolean;
  quarantined: boolean;
  /** What the upstreams run (admin state applied); absent when the server cannot be started. */
  config?: ServerConfig;
  /** Why it cannot be started (an invalid stored definition, a missing secret). */
  problem?: string;
}

/** A config-file server left out because it clashes with a stored one. */
export interface ServerConflict {
  name: string;
  reason: string;
}

export interface ServerSet {
  servers: PlacedServer[];
  conflicts: ServerConflict[];
}

export interface ServerSetInputs {
  file: readonly ServerConfig[];
  snapshot: ServersSnapshot;
  /** Tool names are `<alias or name><sep><tool>`: prefixes must then be unique. */
  prefixed: boolean;
  /** The `quarantine_config_servers` setting. */
  quarantineConfigServers: boolean;
  /** Stored definition → ServerConfig; throws when it is invalid. */
  normalise(name: string, def: Definition): ServerConfig;
}

/** The admin state of a name that has none stored yet. */
export function defaultState(name: string): ServerStateRecord {
  return { name, enabled: null, quarantine: null, approved: null, disabledTools: [], allowedHosts: [], updatedAt: '' };
}

/** Whether a config-file server must be (or stay) quarantined on its own account, before any approval. */
export function fileWantsQuarantine(file: ServerConfig, quarantineConfigServers: boolean): boolean {
  return file.quarantined || quarantineConfigServers;
}

/**
 * The effective server set: config-file servers in file order, then stored servers in creation order,
 * each with its admin state from the store. A stored server keeps its name: a config-file entry with
 * the same name (or tool prefix) is left out and reported as a conflict. Pure.
 */
export function computeServerSet(inp: ServerSetInputs): ServerSet {
  const states = new Map(inp.snapshot.states.map((s) => [s.name, s]));
  const stateOf = (name: string) => states.get(name) ?? defaultState(name);
  const stored: PlacedServer[] = inp.snapshot.servers.map((rec) => {
    const state = stateOf(rec.name);
    const enabled = state.enabled ?? true;
    const quarantined = state.quarantine !== null;
    const base: PlacedServer = { name: rec.name, source: 'api', stored: rec, state, enabled, quarantined };
    try {
      const cfg = inp.normalise(rec.name, rec.definition as Definition);
      return { ...base, config: { ...cfg, enabled, quarantined } };
    } catch (err) {
      return { ...base, problem: `Invalid definition: ${(err as Error).message}` };
    }
  });
  const taken = new Map<string, string>();
  for (const s of stored) {
    taken.set(s.name, s.name);
    if (inp.prefixed) taken.set(s.config?.alias ?? ((s.stored!.definition as Definition).alias ?? s.name), s.name);
  }
  const conflicts: ServerConflict[] = [];
  const fromFile: PlacedServer[] = [];
  for (const file of inp.file) {
    const clash = taken.get(file.name) ?? (inp.prefixed ? taken.get(file.alias ?? file.name) : undefined);
    if (clash !== undefined) {
      conflicts.push({ name: file.name, reason: clash === file.name ? `a server named '${file.name}' was added through the API; the stored one is used` : `its tool prefix clashes with the stored server '${clash}'` });
      continue;
    }
    const state = stateOf(file.name);
    const enabled = state.enabled ?? file.enabled;
    const quarantined = state.quarantine !== null || (fileWantsQuarantine(file, inp.quarantineConfigServers) && state.approved === null);
    fromFile.push({ name: file.name, source: 'config', file, state, enabled, quarantined, config: { ...file, enabled, quarantined } });
  }
  return { servers: [...fromFile, ...stored], conflicts };
}
