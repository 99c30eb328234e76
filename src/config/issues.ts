import { SwitchboardError } from '../shared/index.js';

/** One segment of a JSON path: an object key or an array index. */
export type PathSegment = string | number;

/** One problem found in a configuration: where (a JSON path such as `mcpServers.github.args[2]`) and what. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** Shown for an issue about the document itself. */
export const ROOT_PATH = '(root)';

/** How many issues the error message lists; `details.issues` always holds all of them. */
const MAX_LISTED = 20;

const PLAIN_KEY = /^[A-Za-z0-9_$-]+$/;

/**
 * Render a path the way a JavaScript reader would write it: `mcpServers.github.args[2]`, with keys
 * that are not plain words quoted (`mcpServers["my server"]`). The empty path renders as `(root)`.
 */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out === '' ? ROOT_PATH : out;
}

/** Build an issue from a path and a problem description. */
export function issueAt(path: readonly PathSegment[], message: string): ConfigIssue {
  return { path: formatPath(path), message };
}

/** Name the JSON type of a value for messages: `string`, `number`, `array`, `null`, `object`... */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** `true` when the value is a JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The SWB_CONFIG_INVALID error for a non-empty list of issues. The message lists the issues (up to 20)
 * as `path: problem`; `details.issues` holds every one, and `details.file` the source when known.
 */
export function configInvalidError(issues: readonly ConfigIssue[], source?: string): SwitchboardError {
  const where = source ? ` in ${source}` : '';
  const lines = issues.slice(0, MAX_LISTED).map((i) => `${i.path}: ${i.message}`);
  if (issues.length > MAX_LISTED) lines.push(`... and ${issues.length - MAX_LISTED} more`);
  const message =
    issues.length === 1
      ? `Invalid configuration${where}: ${lines[0]}`
      : `Invalid configuration${where} (${issues.length} problems):\n${lines.map((l) => `  - ${l}`).join('\n')}`;
  return new SwitchboardError('SWB_CONFIG_INVALID', message, { issues: [...issues], ...(source ? { file: source } : {}) });
}
