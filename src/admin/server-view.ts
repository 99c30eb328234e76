import type { TransportKind } from '../config/index.js';
import { deriveHealth, type Health, type UpstreamState, type UpstreamSupervisor } from '../upstream/index.js';
import { impliedTransport, maskValues, type Definition } from './server-definition.js';
import type { PlacedServer, ServerSource } from './server-set.js';

/** A server as every face shows it: definition (secrets masked), admin state and live state. */
export interface ServerView {
  name: string;
  source: ServerSource;
  description: string | null;
  transport: TransportKind;
  command: string | null;
  args: string[];
  env: Record<string, string>;
  cwd: string | null;
  url: string | null;
  headers: Record<string, string>;
  alias: string | null;
  timeout_ms: number;
  session_scope: 'caller' | 'shared' | null;
  enabled: boolean;
  quarantined: boolean;
  quarantine: { by: string; at: string; reason: string } | null;
  approved: { by: string; at: string } | null;
  disabled_tools: string[];
  allowed_hosts: string[];
  state: UpstreamState;
  connected: boolean;
  health: Health;
  tool_count: number;
  resource_count: number;
  prompt_count: number;
  pid: number | null;
  /** The protocol era the connected upstream speaks (probed at every connect); null while not connected. */
  protocol_era: 'legacy' | 'modern' | null;
  /** Why the server cannot be started, when it cannot. */
  problem: string | null;
  created_by: string | null;
  created_at: string | null;
  updated_at: string | null;
}

/** The part of a view that an admin change alters (what the audit log's before/after hold). */
export type ServerAudit = Omit<ServerView, 'state' | 'connected' | 'health' | 'tool_count' | 'resource_count' | 'prompt_count' | 'pid' | 'protocol_era'>;

function definitionFields(p: PlacedServer): Pick<ServerView, 'transport' | 'command' | 'args' | 'env' | 'cwd' | 'url' | 'headers' | 'alias' | 'timeout_ms' | 'session_scope'> {
  // Stored servers show the definition as written (placeholders, not their values).
  if (p.stored) {
    const d = p.stored.definition as Definition;
    return {
      transport: p.config?.transport ?? impliedTransport(d),
      command: d.command ?? null,
      args: d.args ?? [],
      env: maskValues(d.env ?? {}),
      cwd: d.cwd ?? null,
      url: d.url ?? null,
      headers: maskValues(d.headers ?? {}),
      alias: d.alias ?? null,
      timeout_ms: p.config?.timeoutMs ?? d.timeoutMs ?? 60_000,
      session_scope: sessionScopeOf(p.config?.sessionScope ?? d.sessionScope, d.url !== undefined),
    };
  }
  const f = p.file!;
  return {
    transport: f.transport,
    command: f.command ?? null,
    args: f.args,
    env: maskValues(f.env),
    cwd: f.cwd ?? null,
    url: f.url ?? null,
    headers: maskValues(f.headers),
    alias: f.alias ?? null,
    timeout_ms: f.timeoutMs,
    session_scope: sessionScopeOf(f.sessionScope, f.transport !== 'stdio'),
  };
}

/** Remote servers pool upstream sessions per caller unless set to shared; stdio servers have one process. */
function sessionScopeOf(set: 'caller' | 'shared' | undefined, remote: boolean): 'caller' | 'shared' | null {
  return remote ? (set ?? 'caller') : null;
}

function liveFields(p: PlacedServer, sup: UpstreamSupervisor | undefined): Pick<ServerView, 'state' | 'connected' | 'health' | 'tool_count' | 'resource_count' | 'prompt_count' | 'pid' | 'protocol_era'> {
  const adminState = p.quarantined ? 'quarantined' : p.enabled ? 'enabled' : 'disabled';
  if (p.problem) {
    return { state: 'error', connected: false, health: { level: 'unhealthy', admin_state: adminState, summary: 'Cannot start', detail: p.problem, action: '' }, tool_count: 0, resource_count: 0, prompt_count: 0, pid: null, protocol_era: null };
  }
  if (!sup) {
    // Not handed to the upstreams (yet): a CLI working on the data dir, or before the first apply.
    const state: UpstreamState = p.enabled ? 'stopped' : 'disabled';
    return { state, connected: false, health: deriveHealth({ state, quarantined: p.quarantined, toolCount: 0, attempts: 0 }), tool_count: 0, resource_count: 0, prompt_count: 0, pid: null, protocol_era: null };
  }
  const st = sup.status();
  return { state: st.state, connected: sup.connection !== undefined, health: st.health, tool_count: st.tools, resource_count: st.resources, prompt_count: st.prompts, pid: st.pid ?? null, protocol_era: st.protocolEra ?? null };
}

/** Build the view of one placed server; `sup` is its supervisor when it is handed to the upstreams. */
export function serverView(p: PlacedServer, sup: UpstreamSupervisor | undefined): ServerView {
  return { ...auditView(p), ...liveFields(p, sup) };
}

/** The audit shape of one placed server (no live state). */
export function auditView(p: PlacedServer): ServerAudit {
  return {
    name: p.name,
    source: p.source,
    description: p.stored?.description ?? null,
    ...definitionFields(p),
    enabled: p.enabled,
    quarantined: p.quarantined,
    quarantine: p.state.quarantine,
    approved: p.state.approved,
    disabled_tools: p.state.disabledTools,
    allowed_hosts: p.state.allowedHosts,
    problem: p.problem ?? null,
    created_by: p.stored?.createdBy ?? null,
    created_at: p.stored?.createdAt ?? null,
    updated_at: p.stored?.updatedAt ?? null,
  };
}
