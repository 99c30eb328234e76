import type { ServerConfig } from '../config/index.js';
import { hasScope, SwitchboardError, type Principal, type Scope, type SourceListing } from '../shared/index.js';
import type { ServerStateRecord } from '../store/index.js';
import type { AdminDeps } from './admin.js';
import type { ServerCreateInput, ServerDefinitionInput, ServerPatchInput } from './server-definition.js';
import type { ServerOperations } from './server-operations.js';
import type { PlacedServer, ServerConflict, ServerSet } from './server-set.js';
import type { ServerView } from './server-view.js';

/** What the servers service reads besides AdminDeps. */
export interface ServersOptions {
  /** The `quarantine_config_servers` setting (default off). */
  quarantineConfigServers?: () => boolean;
  /** Resolve `${secret:NAME}` in env and headers before a server starts; a throw keeps it from starting. */
  resolveSecrets?: (cfg: ServerConfig) => ServerConfig | Promise<ServerConfig>;
  /** How often a running gateway looks for changes other processes made on the data dir. Default 2 s; 0 disables. */
  syncIntervalMs?: number;
  /** Called after a stored server is deleted (its secrets go with it). */
  onRemoved?: (name: string, actor: Principal) => Promise<unknown>;
  /** Masks known secret values in text shown to operators (upstream stderr may print its env). */
  redactText?: (text: string) => string;
  /** Trust review of every listing before it reaches the catalogue (tool pinning). */
  reviewListing?: (server: string, listing: SourceListing) => SourceListing;
}

/** Who makes a creation, and whether it starts quarantined (always, when the actor is not an admin). */
export interface CreateOptions {
  actor: Principal;
  quarantined?: boolean;
  /** Shown as the quarantine reason. */
  reason?: string;
}

/**
 * Servers: the effective set (config file + store, with admin state from the store), CRUD, admin state
 * and operations. The one place that hands servers to the upstreams and tool listings to the catalogue.
 */
export interface ServersService extends ServerOperations {
  list(): Promise<ServerView[]>;
  get(name: string): Promise<ServerView>;
  create(input: ServerCreateInput, opts: CreateOptions): Promise<ServerView>;
  /** Create several at once, all or nothing (imports). `replaceExisting` overwrites stored servers of the same name. */
  createMany(inputs: readonly ServerCreateInput[], opts: CreateOptions & { replaceExisting?: boolean }): Promise<ServerView[]>;
  replace(name: string, input: ServerDefinitionInput, actor: Principal): Promise<ServerView>;
  update(name: string, patch: ServerPatchInput, actor: Principal): Promise<ServerView>;
  remove(name: string, actor: Principal): Promise<void>;
  setEnabled(name: string, enabled: boolean, actor: Principal): Promise<ServerView>;
  quarantine(name: string, reason: string | undefined, actor: Principal): Promise<ServerView>;
  approve(name: string, actor: Principal): Promise<ServerView>;
  setDisabledTools(name: string, tools: readonly string[], actor: Principal): Promise<ServerView>;
  setAllowedHosts(name: string, hosts: readonly string[], actor: Principal): Promise<ServerView>;
  addAllowedHost(name: string, host: string, actor: Principal): Promise<ServerView>;
  /** Idempotent: removing a host that is not listed changes nothing. */
  removeAllowedHost(name: string, host: string, actor: Principal): Promise<ServerView>;
  /** Config-file servers left out because a stored server has the name or tool prefix. */
  conflicts(): Promise<ServerConflict[]>;
  /** Servers waiting for an admin's approval. */
  pendingApprovals(): Promise<number>;
  /**
   * Start managing the upstreams (the gateway's start-up; idempotent): from now on every change is
   * applied. Before it, changes only reach the store (a CLI working on the data dir).
   */
  activate(): Promise<void>;
  /** Recompute the effective set and bring the upstreams in line (config reload, settings or secret change); a no-op before `activate`. */
  apply(): Promise<void>;
  /** Upstream callbacks: a server's listing arrived / it went down. Disabled tools are filtered here. */
  publishListing(server: string, listing: SourceListing): void;
  /** Publish a server's last listing again after a trust decision. */
  republishListing(server: string): void;
  sourceDown(server: string): void;
  close(): Promise<void>;
}

/** Internals shared with the operations half of the service. */
export interface ServersCore {
  readonly deps: AdminDeps;
  placed(name: string): Promise<PlacedServer>;
  current(): Promise<ServerSet>;
  view(p: PlacedServer): ServerView;
  listing(server: string): SourceListing | undefined;
  /** Masks known secret values in operator-visible text. */
  redactText(text: string): string;
  /** Record an admin change and announce it. */
  announce(actor: Principal, action: string, target: string, before: unknown, after: unknown): void;
  /** Persist state changes for several servers in one write, then apply. */
  changeStates(actor: Principal, action: string, names: readonly string[], edit: (s: ServerStateRecord) => ServerStateRecord): Promise<void>;
}

/** Throws SWB_AUTH_FORBIDDEN unless the actor holds the scope (the faces check too; this is the backstop). */
export function requireScope(actor: Principal, scope: Scope): void {
  if (!hasScope(actor, scope)) throw new SwitchboardError('SWB_AUTH_FORBIDDEN', `This needs the '${scope}' scope`, { required: scope });
}
