import { ProtocolError, SdkError, SdkErrorCode } from '@modelcontextprotocol/server';
import { SwitchboardError, renderError, type RawItem } from '../shared/index.js';

/** An upstream failure in Switchboard's terms; upstream JSON-RPC errors pass through unchanged. */
export function fromUpstreamError(err: unknown, server: string): unknown {
  if (err instanceof ProtocolError) return err;
  // A caller's own upstream session that could not be opened: already in Switchboard's terms.
  if (err instanceof SwitchboardError && err.code === 'SWB_UPSTREAM_UNAVAILABLE') return err;
  const e = err as { code?: unknown; message?: unknown; data?: unknown; name?: unknown };
  if (err instanceof SdkError || (e && typeof e.code === 'string')) {
    if (e.code === SdkErrorCode.RequestTimeout) return new SwitchboardError('SWB_UPSTREAM_TIMEOUT', `Upstream '${server}' did not answer in time`, { server });
    return new SwitchboardError('SWB_UPSTREAM_FAILED', `Upstream '${server}' failed: ${String(e.message ?? 'connection lost')}`, { server });
  }
  if (e && typeof e.code === 'number' && typeof e.message === 'string') return new ProtocolError(e.code, e.message, e.data);
  if (e?.name === 'AbortError') return err;
  return new SwitchboardError('SWB_UPSTREAM_FAILED', `Upstream '${server}' failed: ${err instanceof Error ? err.message : String(err)}`, { server });
}

/** A protocol-level error for the client (never a stack, always a stable code in the message). */
export function toProtocolError(err: unknown): unknown {
  if (err instanceof ProtocolError) return err;
  if (err instanceof SwitchboardError) {
    // MCP clients recognise "resource not found" by data carrying exactly `uri`; keep it that way.
    if (err.code === 'SWB_RESOURCE_NOT_FOUND' && typeof err.details?.['uri'] === 'string') return new ProtocolError(err.jsonRpcCode, renderError(err), { uri: err.details['uri'] });
    return new ProtocolError(err.jsonRpcCode, renderError(err), { code: err.code, ...(err.details ?? {}) });
  }
  if ((err as { name?: string })?.name === 'AbortError') return err;
  return new ProtocolError(-32603, 'SWB_INTERNAL_ERROR: Internal error');
}

/** A tool call that failed on the gateway side, reported the way MCP reports tool failures. */
export function toolErrorResult(err: SwitchboardError): RawItem {
  return { content: [{ type: 'text', text: renderError(err) }], isError: true };
}

export function invalidParams(message: string): ProtocolError {
  return new ProtocolError(-32602, message);
}
