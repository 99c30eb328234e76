import { hasScope, type Principal, type Scope } from '../shared/index.js';
import { matchesAny } from './globs.js';

/** What an item in the catalogue is, as far as the gate cares. */
export type PolicyKind = 'tool' | 'resource' | 'resource_template' | 'prompt';

/**
 * What the caller wants to do with an item. Seeing an item (`list`) and using it are decided by the
 * same rules, so whatever a principal is shown it can use, and it is shown everything it can use.
 */
export type PolicyAction = 'list' | 'call' | 'read' | 'subscribe' | 'get' | 'complete';

/** One catalogue item as the gate sees it. */
export interface PolicyItem {
  kind: PolicyKind;
  /** The owning server's configured name (not its alias). */
  server: string;
  /** The exposed name (tools, prompts) or exposed URI / URI template (resources), as clients see it. */
  name: string;
  /** The upstream's own name, for the `server/tool` form of tool patterns. */
  original?: string;
}

/** Short, stable reasons: they are stored in the activity log and filtered on. */
export type PolicyReason = 'allowed' | `missing_scope:${Scope}` | 'server_not_allowed' | 'tool_not_allowed' | 'action_not_applicable';

export interface PolicyDecision {
  allowed: boolean;
  reason: PolicyReason;
}

/** The scope each kind of item needs, to be seen and used alike. */
export const KIND_SCOPE: Record<PolicyKind, Scope> = {
  tool: 'execute',
  resource: 'read',
  resource_template: 'read',
  prompt: 'read',
};

const KIND_ACTIONS: Record<PolicyKind, readonly PolicyAction[]> = {
  tool: ['list', 'call'],
  resource: ['list', 'read', 'subscribe'],
  resource_template: ['list', 'read', 'complete'],
  prompt: ['list', 'get', 'complete'],
};

const ALLOWED: PolicyDecision = Object.freeze({ allowed: true, reason: 'allowed' });
const denied = (reason: PolicyReason): PolicyDecision => ({ allowed: false, reason });

/**
 * The one policy decision. Pure: the outcome depends only on the principal and the item.
 * Order: the scope the kind needs, then the server allow-list, then (tools only) the tool allow-list.
 */
export function decide(principal: Principal, action: PolicyAction, item: PolicyItem): PolicyDecision {
  if (!KIND_ACTIONS[item.kind].includes(action)) return denied('action_not_applicable');
  const scope = KIND_SCOPE[item.kind];
  if (!hasScope(principal, scope)) return denied(`missing_scope:${scope}`);
  if (principal.servers && !matchesAny(principal.servers, item.server)) return denied('server_not_allowed');
  if (item.kind === 'tool' && principal.tools && !toolAllowed(principal.tools, item)) return denied('tool_not_allowed');
  return ALLOWED;
}

/**
 * A tool pattern containing `/` is matched against `server/original-name` (independent of prefixes,
 * separators and aliases); any other pattern against the exposed name. Exposed names never contain
 * `/`, so the two forms cannot be confused.
 */
function toolAllowed(patterns: readonly string[], item: PolicyItem): boolean {
  for (const p of patterns) {
    const subject = p.includes('/') ? `${item.server}/${item.original ?? item.name}` : item.name;
    if (matchesAny([p], subject)) return true;
  }
  return false;
}

/** The items of one list the principal may see, in their original order. */
export function filterVisible<T extends PolicyItem>(principal: Principal, items: readonly T[]): T[] {
  return items.filter((it) => decide(principal, 'list', it).allowed);
}

/**
 * A key naming what a principal can see of one kind: principals with the same key see exactly the
 * same items, so list pages can be shared between them. `*` is everything, `-` is nothing.
 */
export function viewSignature(principal: Principal, kind: PolicyKind): string {
  if (!hasScope(principal, KIND_SCOPE[kind])) return '-';
  const servers = principal.servers;
  const tools = kind === 'tool' ? principal.tools : undefined;
  if (!servers && !tools) return '*';
  return JSON.stringify([servers ?? null, tools ?? null]);
}
