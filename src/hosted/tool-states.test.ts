import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SwitchboardError } from '../shared/index.js';
import { TOOL_EVENTS, TOOL_STATUSES, transition, type ToolEvent, type ToolStatus } from './tool-states.js';

/** The whole machine, written out: every (status, event) pair and where it leads, or null when refused. */
const EXPECTED: Record<ToolStatus, Record<ToolEvent, ToolStatus | null>> = {
  draft: { edit: 'draft', rollback: 'draft', request_publish: 'pending_review', approve: null, reject: null, revoke: null },
  pending_review: { edit: 'pending_review', rollback: 'pending_review', request_publish: null, approve: 'approved', reject: 'rejected', revoke: null },
  approved: { edit: 'pending_review', rollback: 'pending_review', request_publish: null, approve: null, reject: null, revoke: 'revoked' },
  rejected: { edit: 'draft', rollback: 'draft', request_publish: 'pending_review', approve: null, reject: null, revoke: null },
  revoked: { edit: 'draft', rollback: 'draft', request_publish: 'pending_review', approve: null, reject: null, revoke: null },
};

test('every status × event pair moves as the table says, and refusals name what is allowed', () => {
  for (const from of TOOL_STATUSES) {
    for (const event of TOOL_EVENTS) {
      const want = EXPECTED[from][event];
      if (want) {
        assert.equal(transition(from, event), want, `${from} --${event}--> ${want}`);
        continue;
      }
      assert.throws(
        () => transition(from, event),
        (err: unknown) => err instanceof SwitchboardError && err.code === 'SWB_HOSTED_TRANSITION_INVALID' && err.httpStatus === 409 && Array.isArray(err.details?.['allowed']) && !(err.details['allowed'] as string[]).includes(event),
        `${from} --${event}--> refused`,
      );
    }
  }
});

test('nothing reaches approved except an approval of a tool in review; editing approved code always returns it to review', () => {
  for (const from of TOOL_STATUSES) for (const event of TOOL_EVENTS) if (EXPECTED[from][event] === 'approved') assert.deepEqual([from, event], ['pending_review', 'approve']);
  assert.equal(transition('approved', 'edit'), 'pending_review');
  assert.equal(transition('approved', 'rollback'), 'pending_review');
});

test('an unknown stored status is refused for every event', () => {
  for (const event of TOOL_EVENTS) assert.throws(() => transition('published', event), /SWB|cannot/);
});
