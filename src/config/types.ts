import type { ProfileDefinition } from '../shared/index.js';

/** The normalised, validated configuration the rest of Switchboard sees, whatever format the file used. */
export type TransportKind = 'stdio' | 'sse' | 'streamable-http';

export interface ServerConfig {
  /** Unique name; key in the source file (or `name` in the array form). */
  name: string;
  transport: TransportKind;
  /** stdio */
  command?: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** sse / streamable-http */
  url?: string;
  headers: Record<string, string>;
  enabled: boolean;
  /** Replaces `name` as the tool-name prefix. */
  alias?: string;
  /** Marked quarantined by the operator. */
  quarantined: boolean;
  /** Per-request timeout towards this upstream. */
  timeoutMs: number;
  /** Accept new and changed tool definitions without an admin (the scanner still quarantines); absent: the setting decides. */
  autoApproveToolChanges?: boolean;
  /**
   * HTTP upstreams: `caller` (absent means this) gives each caller identity its own upstream session
   * for its requests; `shared` sends everyone's over one. stdio servers are always shared (one process).
   */
  sessionScope?: 'caller' | 'shared';
}

export interface GatewaySettings {
  prefix: 'always' | 'never';
  separator: string;
  /** What /mcp serves: `all` tools (default), `search` (the meta-tools) or `profile:<name>`. */
  exposure?: string;
}

export interface HttpSettings {
  host: string;
  port: number;
  /** Bytes; requests over it get 413. */
  maxBodyBytes: number;
  /** Extra Host header names accepted besides loopback names and the bind address. */
  allowedHosts: string[];
  /** Browser origins accepted on /mcp besides loopback origins. */
  allowedOrigins: string[];
}

export interface SwitchboardConfig {
  servers: ServerConfig[];
  gateway: GatewaySettings;
  http: HttpSettings;
  /** API key accepted on /mcp (SWITCHBOARD_API_KEY overrides/extends). */
  apiKey?: string;
  /** Explicit opt-in to run /mcp without a key on loopback (quiets the warning). */
  allowUnauthenticatedLoopback: boolean;
  /** Named tool profiles (virtual servers on /mcp/p/<name>); read-only over the API. */
  profiles?: Record<string, ProfileDefinition>;
}
