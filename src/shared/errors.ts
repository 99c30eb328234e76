/**
 * One table of stable error codes. Every failure that leaves the process is a SwitchboardError with
 * one of these codes; REST bodies, MCP errors and log lines all render it through `renderError`.
 * A retired code is never reused.
 */
export const ERROR_CODES = {
  SWB_CONFIG_INVALID: { http: 422, jsonrpc: -32602, hint: 'Fix the configuration at the reported JSON path and retry.' },
  SWB_CONFIG_UNREADABLE: { http: 422, jsonrpc: -32603, hint: 'Check that the config file exists, is readable and holds JSON.' },
  SWB_AUTH_REQUIRED: { http: 401, jsonrpc: -32001, hint: 'Send the API key as "Authorization: Bearer <key>" or "X-API-Key: <key>".' },
  SWB_AUTH_INVALID: { http: 401, jsonrpc: -32001, hint: 'The API key is wrong, revoked or expired.' },
  SWB_HTTP_FORBIDDEN_ORIGIN: { http: 403, jsonrpc: -32000, hint: 'Add the origin to "http.allowedOrigins" if this browser origin is trusted.' },
  SWB_HTTP_FORBIDDEN_HOST: { http: 403, jsonrpc: -32000, hint: 'Add the host name to "http.allowedHosts" when serving behind a proxy or on a public name.' },
  SWB_HTTP_BODY_TOO_LARGE: { http: 413, jsonrpc: -32600, hint: 'Send a smaller request or raise "http.maxBodyBytes".' },
  SWB_HTTP_BAD_REQUEST: { http: 400, jsonrpc: -32600, hint: 'The request is not valid for this endpoint.' },
  SWB_SESSION_NOT_FOUND: { http: 404, jsonrpc: -32001, hint: 'Start a new session with an initialize request.' },
  SWB_TOOL_NOT_FOUND: { http: 404, jsonrpc: -32602, hint: 'List tools again; the tool may have been removed or renamed.' },
  SWB_RESOURCE_NOT_FOUND: { http: 404, jsonrpc: -32002, hint: 'List resources again; the resource may have been removed.' },
  SWB_PROMPT_NOT_FOUND: { http: 404, jsonrpc: -32602, hint: 'List prompts again; the prompt may have been removed.' },
  SWB_UPSTREAM_UNAVAILABLE: { http: 503, jsonrpc: -32603, hint: 'The upstream server is not connected; check `switchboard servers list` and its logs.' },
  SWB_UPSTREAM_FAILED: { http: 502, jsonrpc: -32603, hint: 'The upstream server failed while handling the request; see its logs.' },
  SWB_UPSTREAM_TIMEOUT: { http: 504, jsonrpc: -32603, hint: 'The upstream server did not answer in time; raise its "timeoutMs" or check it.' },
  SWB_SERVER_NOT_FOUND: { http: 404, jsonrpc: -32602, hint: 'Check the server name with `switchboard servers list`.' },
  SWB_STORE_UNAVAILABLE: { http: 503, jsonrpc: -32603, hint: 'Pass --data DIR with a writable directory (the default is ./.switchboard under the current directory).' },
  SWB_INVALID_ARGUMENT: { http: 400, jsonrpc: -32602, hint: 'Check the arguments against the schema.' },
  SWB_AUTH_FORBIDDEN: { http: 403, jsonrpc: -32003, hint: 'The credentials are valid but lack the scope or role this needs; ask an admin for a key with more scopes.' },
  SWB_AUTH_RATE_LIMITED: { http: 429, jsonrpc: -32000, hint: 'Too many attempts; wait for the time given in Retry-After and try again.' },
  SWB_RATE_LIMITED: { http: 429, jsonrpc: -32000, hint: 'Too many requests for this key; slow down or raise the limit in settings.' },
  SWB_NOT_FOUND: { http: 404, jsonrpc: -32602, hint: 'Check the id or name; it may have been deleted.' },
  SWB_CONFLICT: { http: 409, jsonrpc: -32602, hint: 'The request conflicts with the current state (a duplicate name, or a one-time step already done).' },
  SWB_VALIDATION_FAILED: { http: 422, jsonrpc: -32602, hint: 'The request is well-formed but its values are not acceptable; see details.' },
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
