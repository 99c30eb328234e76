import type { Logger } from 'pino';
import type { ActivityRecorder } from '../activity/index.js';
import type { Identity } from '../auth/index.js';
import type { Catalog } from '../catalog/index.js';
import type { SwitchboardConfig } from '../config/index.js';
import type { EventBus } from '../events/index.js';
import type { McpOperations } from '../shared/index.js';
import type { Store } from '../store/index.js';
import type { Upstreams } from '../upstream/index.js';
import { createActivityService, type ActivityService } from './activity-service.js';
import { createAuthService, type AuthService } from './auth-service.js';
import { createKeysService, type KeysService } from './keys-service.js';
import { createUsersService, type UsersService } from './users-service.js';
import { createBackupService, type BackupService } from './backup-service.js';
import { createConfigService, type ConfigService } from './config-service.js';
import { createSecretsService, type SecretsService } from './secrets-service.js';
import { createSettingsService, type SettingsService } from './settings-service.js';
import { createServersService, type ServersService } from './servers-service.js';
import { createSystemService, type SystemService } from './system-service.js';
import { createProfilesService, type ProfilesService } from './profiles-service.js';
import { createSearchService, type SearchService } from './search-service.js';
import { createTrustService, type TrustService } from './trust-service.js';
import type { Sandbox } from '../hosted/index.js';
import { createApprovalsService, type ApprovalsService } from './approvals-service.js';
import { createHostedCore } from './hosted-core.js';
import { createHostedService, type HostedService } from './hosted-service.js';
import { createInProcessSources, type InProcessSources } from './in-process-sources.js';
import { createExternalSourcesService, type ExternalSourcesService } from './external-sources-service.js';

/** A live client session, as the gateway reports it (the gateway sits above admin, so it is passed in). */
export interface SessionSummary {
  id: string;
  transport: string;
  caller?: string;
  createdAt: string;
  lastSeen: string;
}

/** What the admin service is built from; main.ts supplies it. */
export interface AdminDeps {
  store: Store;
  upstreams: Upstreams;
  /** The merged tool catalogue (the servers service publishes listings into it). */
  catalog: Catalog;
  events: EventBus;
  activity: ActivityRecorder;
  /** Users, logins, API keys and the admin token (with their in-memory credential caches). */
  identity: Identity;
  logger: Logger;
  env: Readonly<Record<string, string | undefined>>;
  /** The configuration as loaded from the file (before store overrides). */
  config(): SwitchboardConfig;
  /** Where the config file lives, when there is one. */
  configPath?: string;
  /** Make `next` the running configuration (what an edit of the config file does); absent where nothing runs. */
  applyConfig?(next: SwitchboardConfig): Promise<void>;
  sessions(): SessionSummary[];
  /** The gateway's MCP operations on behalf of a principal (gate, validation and activity included). */
  mcp: McpOperations;
  startedAt: number;
  /** The Python sandbox for hosted tools (tests pass one with their own egress client); created lazily otherwise. */
  sandbox?: Sandbox;
}

/**
 * The one management service. The REST API, the CLI, the MCP management tools and the web console are
 * thin faces over it; each domain has its own sub-service.
 */
export interface AdminService {
  readonly deps: AdminDeps;
  readonly activity: ActivityService;
  readonly servers: ServersService;
  readonly system: SystemService;
  readonly secrets: SecretsService;
  readonly settings: SettingsService;
  readonly config: ConfigService;
  /** Export (client formats, signed backup) and import. */
  readonly backup: BackupService;
  /** Logins, first-run setup, password changes, the admin token. */
  readonly auth: AuthService;
  readonly users: UsersService;
  readonly keys: KeysService;
  /** Tool pinning and the description scanner: pending, changed and quarantined definitions, approvals. */
  readonly trust: TrustService;
  /** Tool search over the catalogue, through the caller's gate. */
  readonly search: SearchService;
  /** Named tool profiles (virtual servers on /mcp/p/<name>). */
  readonly profiles: ProfilesService;
  /** Hosted servers and their Python tools (versions, validate, test, execution logs). */
  readonly hosted: HostedService;
  /** Publish, module and network-access requests and the admin's decisions. */
  readonly approvals: ApprovalsService;
  /** External MCP sources of hosted servers: discover their tools and import them as hosted tools. */
  readonly externalSources: ExternalSourcesService;
  /** Tool sources inside the gateway (hosted servers, management tools); the gateway reaches them like upstreams. */
  readonly sources: InProcessSources;
}

/** Replace every occurrence of a known secret value (4+ characters, so short ones do not shred text). */
function maskValues(text: string, values: Iterable<string>): string {
  let out = text;
  for (const v of values) if (v.length >= 4 && out.includes(v)) out = out.split(v).join('********');
  return out;
}

export function createAdmin(deps: AdminDeps): AdminService {
  const secrets = createSecretsService(deps);
  const settings = createSettingsService(deps);
  const sources = createInProcessSources(deps.catalog, () => deps.config().gateway);
  // Every upstream listing passes the trust review before it reaches the catalogue; a decision re-publishes it.
  const trust = createTrustService(deps, {
    autoApproveSetting: () => settings.get().auto_approve_tool_changes,
    republish: (server) => servers.republishListing(server),
    requireServer: (server) => servers.get(server),
  });
  // The servers service configures the catalogue with upstreams; the wrapper keeps in-process sources in.
  const servers = createServersService({ ...deps, catalog: sources.catalog }, {
    quarantineConfigServers: () => settings.get().quarantine_config_servers,
    resolveSecrets: (cfg) => secrets.resolveServerSecrets(cfg),
    onRemoved: async (name, actor) => {
      await secrets.deleteAllFor(name, actor);
      await trust.forget(name);
    },
    redactText: (text) => maskValues(text, secrets.values()),
    reviewListing: (server, listing) => trust.review(server, listing),
  });
  // A new secret value or a policy change is picked up by recomputing the server set (only servers whose
  // resolved configuration changed restart).
  secrets.onChange(() => void servers.apply().catch((err: unknown) => deps.logger.warn({ err: (err as Error).message }, 'applying servers after a secret change failed')));
  settings.onChange(() => void servers.apply().catch((err: unknown) => deps.logger.warn({ err: (err as Error).message }, 'applying servers after a settings change failed')));
  const profiles = createProfilesService(deps);
  // A backup restore writes pins, profiles and hosted servers in the store; these services re-read them.
  const backup = createBackupService(deps, {
    secrets,
    settings,
    servers,
    reloaded: async () => {
      await trust.reload();
      await profiles.reload();
      await hostedCore.refresh();
    },
  });
  const hostedCore = createHostedCore(deps, { settings, secrets, servers, sources, ...(deps.sandbox ? { sandbox: deps.sandbox } : {}) });
  return { deps, activity: createActivityService(deps), servers, system: createSystemService(deps, servers, () => settings.get().hosted_require_all_layers), secrets, settings, config: createConfigService(deps, secrets), backup, auth: createAuthService(deps), users: createUsersService(deps), keys: createKeysService(deps), hosted: createHostedService(hostedCore), approvals: createApprovalsService(hostedCore), externalSources: createExternalSourcesService(hostedCore, createApprovalsService(hostedCore)), sources, trust, search: createSearchService(deps), profiles };
}
