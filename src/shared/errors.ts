/**
 * One table of stable error codes. Every failure that leaves the process is a SwitchboardError with
 * one of these codes; REST bodies, MCP errors and log lines all render it through `renderError`.
 * A retired code is never reused.
 */
export const ERROR_CODES = {
  SWB_CONFIG_INVALID: { http: 422, jsonrpc: -32602, hint: 'Fix the configuration at the reported JSON path and retry.' },
  SWB_CONFIG_UNREADABLE: { http: 422, jsonrpc: -32603, hint: 'Check that the config file exists, is readable and holds JSON.' },
  SWB_AUTH_REQUIRED: { http: 401, jsonrpc: -32001, hint: 'Send an API key or access token as "Authorization: Bearer <key>" or "X-API-Key: <key>"; see docs/access-control.md.' },
  SWB_AUTH_INVALID: { http: 401, jsonrpc: -32001, hint: 'The credentials (API key, access or refresh token, user name or password) are wrong, revoked or expired; log in again or use a valid key.' },
  SWB_HTTP_FORBIDDEN_ORIGIN: { http: 403, jsonrpc: -32000, hint: 'Add the origin to "http.allowedOrigins" if this browser origin is trusted.' },
  SWB_HTTP_FORBIDDEN_HOST: { http: 403, jsonrpc: -32000, hint: 'Add the host name to "http.allowedHosts" when serving behind a proxy or on a public name.' },
  SWB_HTTP_BODY_TOO_LARGE: { http: 413, jsonrpc: -32600, hint: 'Send a smaller request or raise "http.maxBodyBytes".' },
  SWB_HTTP_BAD_REQUEST: { http: 400, jsonrpc: -32600, hint: 'The request is not valid for this endpoint.' },
  SWB_HTTP_ROUTE_NOT_FOUND: { http: 404, jsonrpc: -32601, hint: 'No endpoint has this method and path; the API reference is at /docs.' },
  SWB_SESSION_NOT_FOUND: { http: 404, jsonrpc: -32001, hint: 'Start a new session with an initialize request.' },
  SWB_TOOL_NOT_FOUND: { http: 404, jsonrpc: -32602, hint: 'List tools again; the tool may have been removed or renamed.' },
  SWB_RESOURCE_NOT_FOUND: { http: 404, jsonrpc: -32602, hint: 'List resources again; the resource may have been removed.' },
  SWB_PROMPT_NOT_FOUND: { http: 404, jsonrpc: -32602, hint: 'List prompts again; the prompt may have been removed.' },
  SWB_UPSTREAM_UNAVAILABLE: { http: 503, jsonrpc: -32603, hint: 'The upstream server is not connected; check `switchboard servers list` and its logs.' },
  SWB_UPSTREAM_FAILED: { http: 502, jsonrpc: -32603, hint: 'The upstream server failed while handling the request; see its logs.' },
  SWB_UPSTREAM_TIMEOUT: { http: 504, jsonrpc: -32603, hint: 'The upstream server did not answer in time; raise its "timeoutMs" or check it.' },
  SWB_SERVER_NOT_FOUND: { http: 404, jsonrpc: -32602, hint: 'Check the server name with `switchboard servers list`.' },
  SWB_SERVER_IN_CONFIG: { http: 409, jsonrpc: -32602, hint: 'This server is defined in the config file: change or remove it there. Over the API it can only be enabled, disabled, quarantined or approved.' },
  SWB_SERVER_QUARANTINED: { http: 409, jsonrpc: -32602, hint: 'The server is quarantined: an admin must approve it (POST /api/servers/{name}/approve or `switchboard servers approve NAME`) before it runs.' },
  SWB_SERVER_DISABLED: { http: 409, jsonrpc: -32602, hint: 'The server is disabled: enable it first (POST /api/servers/{name}/enable or `switchboard servers enable NAME`).' },
  SWB_SECRET_NOT_FOUND: { http: 404, jsonrpc: -32602, hint: 'List the server\'s secrets with GET /api/servers/{name}/secrets; create a placeholder with POST.' },
  SWB_SECRET_MISSING: { http: 422, jsonrpc: -32603, hint: 'Set the value with PUT /api/servers/{name}/secrets/{key}; the server starts once every ${secret:...} it uses has one.' },
  SWB_SECRET_MASTER_KEY_INVALID: { http: 500, jsonrpc: -32603, hint: 'SWITCHBOARD_MASTER_KEY must be 32 bytes written as 64 hex characters or base64, e.g. the output of `openssl rand -base64 32`.' },
  SWB_SETTINGS_INVALID: { http: 422, jsonrpc: -32602, hint: 'Fix the settings at the reported paths; GET /api/settings shows every field and its current value.' },
  SWB_CONFIG_NO_FILE: { http: 409, jsonrpc: -32602, hint: 'Start the gateway with --config PATH (or $SWITCHBOARD_CONFIG) so there is a file to write.' },
  SWB_IMPORT_FORMAT_UNKNOWN: { http: 422, jsonrpc: -32602, hint: 'Send a Switchboard export or backup, or a Claude Desktop / Cursor (mcpServers), VS Code (servers) or MCPProxy file.' },
  SWB_IMPORT_SIGNATURE_INVALID: { http: 422, jsonrpc: -32602, hint: 'The backup was altered or signed with another master key; restore an unmodified file with the same SWITCHBOARD_MASTER_KEY.' },
  SWB_IMPORT_CONFLICT: { http: 409, jsonrpc: -32602, hint: 'Run the import with dry_run=true to see the conflicting servers; rename or remove them and retry.' },
  SWB_STORE_UNAVAILABLE: { http: 503, jsonrpc: -32603, hint: 'Pass --data DIR with a writable directory (the default is ./.switchboard under the current directory).' },
  SWB_INVALID_ARGUMENT: { http: 400, jsonrpc: -32602, hint: 'Check the arguments against the schema.' },
  SWB_AUTH_FORBIDDEN: { http: 403, jsonrpc: -32003, hint: 'The credentials are valid but lack the scope or role this needs; ask an admin for a key with more scopes.' },
  SWB_AUTH_RATE_LIMITED: { http: 429, jsonrpc: -32000, hint: 'Too many attempts; wait for the time given in Retry-After and try again.' },
  SWB_AUTH_LAST_ADMIN: { http: 409, jsonrpc: -32602, hint: 'Make another user an enabled admin first; Switchboard always keeps one.' },
  SWB_API_RATE_LIMITED: { http: 429, jsonrpc: -32000, hint: 'Too many requests for this key; slow down or raise the limit in settings.' },
  SWB_ITEM_NOT_FOUND: { http: 404, jsonrpc: -32602, hint: 'Check the id or name; it may have been deleted.' },
  SWB_STATE_CONFLICT: { http: 409, jsonrpc: -32602, hint: 'The request conflicts with the current state (a duplicate name, or a one-time step already done).' },
  SWB_VALIDATION_FAILED: { http: 422, jsonrpc: -32602, hint: 'The request is well-formed but its values are not acceptable; see details.' },
  SWB_SANDBOX_UNAVAILABLE: { http: 503, jsonrpc: -32603, hint: 'The Python sandbox could not start; run `switchboard doctor` to see which isolation layer is missing.' },
  SWB_EGRESS_BLOCKED: { http: 403, jsonrpc: -32000, hint: "Add the host to the hosted server's allowed hosts; private, loopback and metadata addresses are never reachable." },
  SWB_EGRESS_FAILED: { http: 502, jsonrpc: -32000, hint: 'The outbound request failed, timed out or returned too much; check the URL and try again.' },
  SWB_HOSTED_TRANSITION_INVALID: { http: 409, jsonrpc: -32602, hint: 'The tool is not in a state that allows this step (draft → pending_review → approved | rejected → revoked); GET /api/tools/{id} shows its status.' },
  SWB_HOSTED_FORBIDDEN: { http: 403, jsonrpc: -32003, hint: 'The security policy does not allow this (remote tool editing, test runs before approval, or approving work submitted by the same principal through MCP); an admin decides through the REST API, CLI or UI.' },
  SWB_HOSTED_CODE_INVALID: { http: 422, jsonrpc: -32602, hint: 'Fix the reported problems (syntax, the `async def main` contract, forbidden imports, size); POST /api/tools/validate-code checks code without saving it.' },
  SWB_HOSTED_TOOL_FAILED: { http: 422, jsonrpc: -32603, hint: 'The hosted tool raised an error or hit a sandbox limit; its execution log (GET /api/tools/{id}/logs) has the details and output.' },
  SWB_EXTERNAL_SOURCE_NOT_FOUND: { http: 404, jsonrpc: -32602, hint: 'List the external MCP sources with GET /api/external-sources (or switchboard_list_external_sources); the id may have been deleted.' },
  SWB_EXTERNAL_HOST_BLOCKED: { http: 422, jsonrpc: -32602, hint: "An external source's URL must name a host on the hosted server's allowed hosts (loopback and private addresses only when that exact host is listed), or the network_access_policy setting must be public; metadata addresses are never reachable." },
  SWB_EXTERNAL_SOURCE_UNREACHABLE: { http: 502, jsonrpc: -32603, hint: 'Switchboard could not talk to the external MCP server: check its URL and transport, that it runs, and that the secrets its headers reference have values.' },
  SWB_EXTERNAL_RESULT_TOO_LARGE: { http: 502, jsonrpc: -32603, hint: 'The external MCP server sent a message (a tool result) larger than the cap for forwarded results (1 MiB, as for sandbox results); have the tool return less.' },
  SWB_PROFILE_NOT_FOUND: { http: 404, jsonrpc: -32602, hint: 'List profiles with GET /api/profiles; /mcp/p/<name> serves only defined profiles.' },
  SWB_PROFILE_IN_CONFIG: { http: 409, jsonrpc: -32602, hint: 'This profile is defined in the config file ("profiles"): change or remove it there.' },
  SWB_TRUST_SENSITIVE_DATA: { http: 403, jsonrpc: -32003, hint: 'The security policy sensitive_data is set to block: the call carried a credential or card number (arguments: not sent; results: withheld). Remove it, or an admin changes the policy (PATCH /api/settings).' },
  SWB_INTERNAL_ERROR: { http: 500, jsonrpc: -32603, hint: 'An unexpected error; the gateway log has the details.' },
} as const satisfies Record<string, { http: number; jsonrpc: number; hint: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The one error type for failures Switchboard reports to a client or an operator. */
export class SwitchboardError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SwitchboardError';
    this.code = code;
    this.details = details;
  }
  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }
  get jsonRpcCode(): number {
    return ERROR_CODES[this.code].jsonrpc;
  }
  get hint(): string {
    return ERROR_CODES[this.code].hint;
  }
}

/** Coerce anything thrown into a SwitchboardError without leaking internals (no stacks). */
export function toSwitchboardError(err: unknown): SwitchboardError {
  if (err instanceof SwitchboardError) return err;
  return new SwitchboardError('SWB_INTERNAL_ERROR', 'Internal error', undefined, { cause: err });
}

/** The single user-facing rendering: used for REST bodies, MCP error text and log lines alike. */
export function renderError(err: SwitchboardError): string {
  return `${err.code}: ${err.message}`;
}

/** The REST error envelope. */
export function errorEnvelope(err: SwitchboardError): { error: { code: ErrorCode; message: string; details?: Record<string, unknown>; hint: string } } {
  return { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}), hint: err.hint } };
}
