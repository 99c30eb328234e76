/** A sandbox result as an MCP `CallToolResult`: the one mapping every face shows. */
import type { SandboxResult } from '../sandbox/index.js';
import type { RawItem } from '../shared/index.js';

const KIND_TEXT: Record<string, string> = {
  timeout: 'timed out',
  cpu: 'used too much CPU time',
  memory: 'ran out of memory',
  output_too_large: 'produced too much output',
  forbidden_import: 'imported a module that is not allowed',
  forbidden: 'tried something the sandbox forbids',
  invalid_code: 'has invalid code',
  exception: 'raised an exception',
  recursion: 'recursed too deeply',
  crashed: 'crashed',
  cancelled: 'was cancelled',
  unavailable: 'could not run',
};

/** The text of a failure as clients see it (the code first, as every tool error does). */
export function failureText(tool: string, kind: string, message: string): string {
  return `SWB_HOSTED_TOOL_FAILED: tool '${tool}' ${KIND_TEXT[kind] ?? 'failed'}: ${message}`;
}

/**
 * A dict return → `structuredContent` plus the same JSON as text; any other value → its text; a
 * failure → an `isError` result whose text names the tool and what stopped it.
 */
export function toCallToolResult(tool: string, result: SandboxResult): RawItem {
  if (!result.ok) return { content: [{ type: 'text', text: failureText(tool, result.error.kind, result.error.message) }], isError: true };
  return { content: [{ type: 'text', text: result.text }], ...(result.structuredContent ? { structuredContent: result.structuredContent } : {}) };
}
