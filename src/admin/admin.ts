import type { Logger } from 'pino';
import type { ActivityRecorder } from '../activity/index.js';
import type { SwitchboardConfig } from '../config/index.js';
import type { EventBus } from '../events/index.js';
import type { McpOperations } from '../shared/index.js';
import type { Store } from '../store/index.js';
import type { Upstreams } from '../upstream/index.js';

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
  events: EventBus;
  activity: ActivityRecorder;
  logger: Logger;
  env: Readonly<Record<string, string | undefined>>;
  /** The configuration as loaded from the file (before store overrides). */
  config(): SwitchboardConfig;
  /** Where the config file lives, when there is one. */
  configPath?: string;
  sessions(): SessionSummary[];
  /** The gateway's MCP operations on behalf of a principal (gate, validation and activity included). */
  mcp: McpOperations;
  startedAt: number;
}

/**
 * The one management service. The REST API, the CLI, the MCP management tools and the web console are
 * thin faces over it; each domain has its own sub-service.
 */
export interface AdminService {
  readonly deps: AdminDeps;
}

export function createAdmin(deps: AdminDeps): AdminService {
  return { deps };
}
