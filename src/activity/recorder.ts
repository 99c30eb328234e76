import type { Principal } from '../shared/index.js';

/** One MCP request as it starts (tools/call, resources/read, prompts/get, lists …). */
export interface McpRequestStart {
  caller: Principal;
  sessionId?: string;
  method: string;
  server?: string;
  /** The tool (tools/call) or prompt (prompts/get) name, as the client sent it. */
  tool?: string;
  /** What else the request is about, e.g. the resource URI of resources/read. */
  target?: string;
  /** Recorded with secrets redacted. */
  arguments?: unknown;
  requestId?: string | number;
}

export interface McpRequestOutcome {
  status: 'ok' | 'error' | 'denied' | 'cancelled';
  /** Bytes of the serialised result. */
  resultBytes?: number;
  errorCode?: string;
  errorMessage?: string;
  /** Kept (truncated and redacted) so the activity detail can show it. */
  result?: unknown;
  /** Why the record is notable beyond its status, e.g. the sensitive data found in the call (never the values). */
  reason?: string;
}

export interface PolicyDecisionRecord {
  caller: Principal;
  sessionId?: string;
  action: string;
  server?: string;
  tool?: string;
  allowed: boolean;
  reason: string;
}

export interface AdminChangeRecord {
  actor: Principal;
  /** `domain.verb`, e.g. `servers.create`, `keys.revoke`. */
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

/**
 * What the rest of Switchboard calls to write the activity log. Implementations buffer and write off
 * the request path: none of these may block or throw.
 */
export interface ActivityRecorder {
  /** Returns the function that finishes the record. */
  mcpRequest(start: McpRequestStart): (outcome: McpRequestOutcome) => void;
  policyDecision(rec: PolicyDecisionRecord): void;
  adminChange(rec: AdminChangeRecord): void;
  /**
   * Adds a source of live secret values that must never reach the log or its events (e.g. the
   * decrypted secrets of running servers). The getter must be synchronous and cheap. Returns the
   * function that removes it.
   */
  registerSecretValues?(getter: () => Iterable<string>): () => void;
  /** Resolves once everything recorded so far is written (readers call it to see their own writes). */
  flush?(): Promise<void>;
}

/** For code paths and tests that run without a log. */
export const NO_ACTIVITY: ActivityRecorder = {
  mcpRequest: () => () => undefined,
  policyDecision: () => undefined,
  adminChange: () => undefined,
};
