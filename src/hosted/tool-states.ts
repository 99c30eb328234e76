/**
 * The approval state machine of a hosted tool. One table, typed so a missing state fails to compile,
 * and one `transition()` that refuses every move the table does not list.
 */
import { SwitchboardError } from '../shared/index.js';

export const TOOL_STATUSES = ['draft', 'pending_review', 'approved', 'rejected', 'revoked'] as const;
export type ToolStatus = (typeof TOOL_STATUSES)[number];

/**
 * What can happen to a tool: `edit` is any saved code change (and `rollback`, which saves an older
 * version as the new one); `request_publish` asks for review; the admin decides with `approve`,
 * `reject` (a reason is required) and `revoke`.
 */
export const TOOL_EVENTS = ['edit', 'rollback', 'request_publish', 'approve', 'reject', 'revoke'] as const;
export type ToolEvent = (typeof TOOL_EVENTS)[number];

/**
 * Where each event leads from each status; absent means not allowed. Editing approved code or rolling
 * it back sends it back to review: what runs is always what an admin saw. A rejected or revoked tool
 * that is edited starts over as a draft.
 */
export const TOOL_TRANSITIONS: { readonly [S in ToolStatus]: Readonly<Partial<Record<ToolEvent, ToolStatus>>> } = {
  draft: { edit: 'draft', rollback: 'draft', request_publish: 'pending_review' },
  pending_review: { edit: 'pending_review', rollback: 'pending_review', approve: 'approved', reject: 'rejected' },
  approved: { edit: 'pending_review', rollback: 'pending_review', revoke: 'revoked' },
  rejected: { edit: 'draft', rollback: 'draft', request_publish: 'pending_review' },
  revoked: { edit: 'draft', rollback: 'draft', request_publish: 'pending_review' },
};

export function isToolStatus(s: string): s is ToolStatus {
  return (TOOL_STATUSES as readonly string[]).includes(s);
}

/** The status after `event`, or SWB_HOSTED_TRANSITION_INVALID naming what is allowed from here. */
export function transition(from: string, event: ToolEvent): ToolStatus {
  const to = isToolStatus(from) ? TOOL_TRANSITIONS[from][event] : undefined;
  if (to === undefined) {
    const allowed = isToolStatus(from) ? Object.keys(TOOL_TRANSITIONS[from]) : [];
    throw new SwitchboardError('SWB_HOSTED_TRANSITION_INVALID', `A ${from} tool cannot be ${PAST[event]}${allowed.length ? ` (allowed now: ${allowed.join(', ')})` : ''}`, { status: from, event, allowed });
  }
  return to;
}

const PAST: Record<ToolEvent, string> = {
  edit: 'edited',
  rollback: 'rolled back',
  request_publish: 'submitted for review',
  approve: 'approved',
  reject: 'rejected',
  revoke: 'revoked',
};
