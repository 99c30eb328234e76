import type { Principal } from './principal.js';

/** One tool a search found, as faces return it (REST, the CLI, /mcp/search). */
export interface ToolSearchHit {
  /** The exposed name: what tools/call takes. */
  name: string;
  server: string;
  /** The upstream's own name. */
  original_name: string;
  title: string | null;
  description: string | null;
  /** Relevance, comparable only within one answer. */
  score: number;
  annotations: Record<string, unknown> | null;
}

/** Tool search as the gateway offers it to a caller: only tools the caller's gate lets it see. */
export type ToolSearch = (caller: Principal, query: string, limit: number) => ToolSearchHit[];
