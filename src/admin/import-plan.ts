import { DEFAULT_TIMEOUT_MS, type ServerConfig } from '../config/index.js';
import { SwitchboardError } from '../shared/index.js';
import { canonicalJson } from './backup-signature.js';
import { normaliseDefinition, ServerCreateInput, toDefinition, type Definition, type NormaliseContext } from './server-definition.js';
import type { PlacedServer } from './server-set.js';

/** What an import does with one server. */
export type ServerAction = 'add' | 'update' | 'conflict' | 'unchanged' | 'invalid';

export interface PlannedServer {
  name: string;
  action: ServerAction;
  transport: ServerConfig['transport'];
  /** Why a server is a conflict or invalid, or what an update replaces. */
  reason?: string;
}

/** The creation input an import hands to the servers service: references kept as written. */
export function toCreateInput(c: ServerConfig, description?: string): ServerCreateInput {
  return {
    name: c.name,
    transport: c.transport,
    ...(c.command !== undefined ? { command: c.command } : {}),
    ...(c.args.length ? { args: c.args } : {}),
    ...(Object.keys(c.env).length ? { env: c.env } : {}),
    ...(c.cwd !== undefined ? { cwd: c.cwd } : {}),
    ...(c.url !== undefined ? { url: c.url } : {}),
    ...(Object.keys(c.headers).length ? { headers: c.headers } : {}),
    ...(c.alias !== undefined ? { alias: c.alias } : {}),
    ...(c.timeoutMs !== DEFAULT_TIMEOUT_MS ? { timeout_ms: c.timeoutMs } : {}),
    enabled: c.enabled,
    ...(description !== undefined ? { description } : {}),
  };
}

/** How a server is reached (admin state such as enabled and quarantined left out). */
function reachKey(c: ServerConfig): string {
  const { enabled: _e, quarantined: _q, ...rest } = c;
  return canonicalJson(rest);
}

export interface PlanInputs {
  /** The imported servers, normalised with `${env:...}` kept as references. */
  incoming: readonly ServerConfig[];
  /** The current effective set, stored definitions normalised the same way. */
  current: readonly PlacedServer[];
  /** Config-file servers as running (environment expanded). */
  fileServers: readonly ServerConfig[];
  /** Resolves `${env:...}` the way the servers will be started (the gateway's environment). */
  running: NormaliseContext;
  prefixed: boolean;
}

/**
 * Decide, for each imported server: `add` (new name), `update` (a stored server whose definition
 * differs), `unchanged`, `conflict` (defined differently in the config file, which an import never
 * overrides, or its tool prefix is taken) or `invalid` (it would not start here, e.g. a missing
 * environment variable). Pure apart from reading the inputs.
 */
export function planServers(inp: PlanInputs): PlannedServer[] {
  const byName = new Map(inp.current.map((p) => [p.name, p]));
  const file = new Map(inp.fileServers.map((s) => [s.name, s]));
  const incomingNames = new Set(inp.incoming.map((s) => s.name));
  const owners = new Map<string, string>();
  if (inp.prefixed) {
    for (const p of inp.current) {
      if (incomingNames.has(p.name)) continue;
      owners.set(p.name, p.name);
      owners.set(p.config?.alias ?? p.name, p.name);
    }
  }
  return inp.incoming.map((c): PlannedServer => {
    const base = { name: c.name, transport: c.transport };
    const input = ServerCreateInput.safeParse(toCreateInput(c));
    if (!input.success) return { ...base, action: 'invalid', reason: input.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ') };
    let running: ServerConfig;
    try {
      running = normaliseDefinition(c.name, toDefinition(toCreateInput(c)) as Definition, inp.running);
    } catch (err) {
      return { ...base, action: 'invalid', reason: err instanceof SwitchboardError ? err.message : String(err) };
    }
    const existing = byName.get(c.name);
    if (existing?.source === 'config') {
      const same = file.has(c.name) && reachKey(file.get(c.name)!) === reachKey(running);
      return same ? { ...base, action: 'unchanged' } : { ...base, action: 'conflict', reason: `'${c.name}' is defined differently in the config file; an import never overrides the file (edit the file, or rename the imported server)` };
    }
    const prefix = c.alias ?? c.name;
    const owner = owners.get(prefix);
    if (owner !== undefined && owner !== c.name) return { ...base, action: 'conflict', reason: `its tool prefix '${prefix}' is already used by server '${owner}'` };
    if (!existing) return { ...base, action: 'add' };
    if (existing.config && reachKey(existing.config) === reachKey(c)) return { ...base, action: 'unchanged' };
    return { ...base, action: 'update', reason: 'replaces the stored definition; the server is quarantined again until approved' };
  });
}
