/**
 * The case officer's response to a public comment is an official action like any other: the
 * application's owner, and an official of its organisation, are refused with 403
 * `conflict-of-interest` whatever roles they hold, even when they are named its case officer; a
 * reviewer who is not its case officer gets `not-yours`, one without the role `wrong-role`.
 */
import { describe, expect, it } from 'vitest';
import { type PublicComment, respondToComment } from '../../../../shared/domain/comments.ts';
import { ForbiddenError } from '../../../../shared/domain/errors.ts';
import type { Application, Caller } from '../../../../shared/domain/types.ts';
import { at, callers, deepFreeze, driveTo, ORG_CODE, refusal } from './fixtures.ts';

const reviewing = deepFreeze(driveTo('UNDER_REVIEW').app);
const comment: PublicComment = {
  commentId: 'c-1',
  applicationId: reviewing.id,
  noticeId: 'notice-1',
  noticeKind: 'ACCEPTANCE',
  receivedAt: '2026-03-04T02:00:00.000Z',
  text: '担心粉尘影响',
};
const withCounts: Application = { ...reviewing, comments: { received: 1, answered: 0 } };
const respond = (app: Application, caller: Caller) =>
  respondToComment(app, comment, '已要求加装布袋除尘', caller, {
    now: at('2026-03-05'),
    requestId: 'req-respond',
  });

describe('responding to a public comment', () => {
  it('is taken from the case officer, counted as answered (control)', () => {
    const step = respond(withCounts, callers.reviewer);
    expect(step.app.comments).toMatchObject({ received: 1, answered: 1 });
    expect(step.event).toMatchObject({ action: 'respond_to_comment', actor: { id: callers.reviewer.id } });
  });

  it('refuses the case officer once they are of the applicant organisation: conflict-of-interest', () => {
    const sameOrg: Caller = { ...callers.reviewer, orgCode: ORG_CODE };
    const error = refusal(() => respond(withCounts, sameOrg), ForbiddenError, 403);
    expect(error.type).toBe('conflict-of-interest');
  });

  it('refuses the owner holding every role, even named case officer: conflict-of-interest', () => {
    const owner: Caller = { ...callers.owner, roles: ['applicant', 'clerk', 'reviewer', 'approver'] };
    const named: Application = { ...withCounts, caseOfficerId: owner.id };
    const error = refusal(() => respond(named, owner), ForbiddenError, 403);
    expect(error.type).toBe('conflict-of-interest');
  });

  it('refuses another reviewer (not-yours) and a caller without the role (wrong-role)', () => {
    expect(refusal(() => respond(withCounts, callers.otherReviewer), ForbiddenError, 403).type).toBe(
      'not-yours',
    );
    expect(refusal(() => respond(withCounts, callers.approver), ForbiddenError, 403).type).toBe('wrong-role');
  });
});
