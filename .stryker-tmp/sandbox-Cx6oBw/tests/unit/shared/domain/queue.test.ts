/**
 * Work queues: who an application waits on, from its state, and by when. Dates are worked out by
 * hand from the 2026 State Council calendar (DEFAULT_START is Mon 2026-03-02, a plain week).
 */
// @ts-nocheck

import { describe, expect, it } from 'vitest';
import { allowedActions } from '../../../../shared/domain/decide.ts';
import { clockDueDate, waitsOn } from '../../../../shared/domain/queue.ts';
import { type Caller, states } from '../../../../shared/domain/types.ts';
import { appIndexKeys } from '../../../../shared/store/keys.ts';
import { act, at, callers, driveTo, payloads, start, workingDay } from './fixtures.ts';

const terminal = ['APPROVED', 'REJECTED', 'NOT_ACCEPTED', 'WITHDRAWN'] as const;

describe('waitsOn', () => {
  it('covers every state (no state is forgotten)', () => {
    const expected: Record<string, string> = {
      DRAFT: 'nobody',
      PREVIEW_REQUESTED: 'role:clerk',
      SUBMITTED: 'role:clerk',
      SUPPLEMENT_REQUIRED: 'user:u-owner',
      ACCEPTED: 'role:reviewer',
      UNDER_REVIEW: 'user:u-reviewer',
      EXPERT_REVIEW: 'user:u-reviewer',
      REVISION_REQUIRED: 'user:u-owner',
      PUBLIC_NOTICE: 'role:approver',
      HEARING: 'user:u-reviewer',
      APPROVED: 'nobody',
      REJECTED: 'nobody',
      NOT_ACCEPTED: 'nobody',
      WITHDRAWN: 'nobody',
      FILED: 'nobody',
    };
    expect(Object.keys(expected).sort()).toEqual([...states].sort());
    for (const state of states) {
      const app = driveTo(state, state === 'FILED' ? 'REGISTRATION' : 'REPORT').app;
      const w = waitsOn(app);
      const got = !w ? 'nobody' : w.userId ? `user:${w.userId}` : `role:${w.role}`;
      expect(got, state).toBe(expected[state]);
    }
  });

  it('puts SUBMITTED on the window, due the last day of the 5-working-day completeness check', () => {
    const app = driveTo('SUBMITTED').app;
    expect(app.receivedOn).toBe('2026-03-02');
    expect(waitsOn(app)).toEqual({ role: 'clerk', due: '2026-03-09' });
  });

  it('puts PREVIEW_REQUESTED on the window, with no due date', () => {
    expect(waitsOn(driveTo('PREVIEW_REQUESTED').app)).toEqual({ role: 'clerk' });
  });

  it('puts ACCEPTED on every reviewer, due the review clock’s due date', () => {
    const app = driveTo('ACCEPTED').app;
    const due = clockDueDate(app.clockState!);
    expect(waitsOn(app)).toEqual({ role: 'reviewer', due });
    // REPORT: 60 working days from acceptance on day 1 (2026-03-03).
    expect(due).toBe(workingDay('2026-03-03', 60));
  });

  it('puts review, expert review and hearing on the case officer, not on other reviewers', () => {
    for (const state of ['UNDER_REVIEW', 'EXPERT_REVIEW', 'HEARING'] as const) {
      const app = driveTo(state, 'REPORT', { caseOfficer: callers.otherReviewer }).app;
      expect(waitsOn(app), state).toMatchObject({ userId: callers.otherReviewer.id });
      expect(waitsOn(app)?.role, state).toBeUndefined();
    }
  });

  it('keeps the due date of a paused clock as it stood when the pause began (as of the last write)', () => {
    const review = driveTo('UNDER_REVIEW').app;
    const paused = driveTo('EXPERT_REVIEW').app;
    expect(paused.clockState?.pauses.at(-1)?.to).toBeUndefined();
    expect(waitsOn(paused)?.due).toBe(waitsOn(review)?.due);
  });

  it('moves the due date by the paused working days once the clock resumes', () => {
    const t = driveTo('EXPERT_REVIEW');
    const before = waitsOn(t.app)?.due as string;
    // Paused on day 3 (03-05), resumed 5 working days later: the due date moves by 5 working days.
    const resumed = act(
      t,
      'record_expert_opinion',
      callers.reviewer,
      payloads.record_expert_opinion,
      at(workingDay('2026-03-05', 5)),
    );
    expect(resumed.app.state).toBe('UNDER_REVIEW');
    expect(waitsOn(resumed.app)?.due).toBe(workingDay(before, 5));
  });

  it('puts PUBLIC_NOTICE on the approvers, actionable only after the notice ends', () => {
    const app = driveTo('PUBLIC_NOTICE').app;
    const w = waitsOn(app);
    expect(w).toEqual({
      role: 'approver',
      due: clockDueDate(app.clockState!),
      after: app.proposal?.noticeEndsOn,
    });
  });

  it('puts SUPPLEMENT_REQUIRED and REVISION_REQUIRED on the owner, with no due date', () => {
    expect(waitsOn(driveTo('SUPPLEMENT_REQUIRED').app)).toEqual({ userId: callers.owner.id });
    expect(waitsOn(driveTo('REVISION_REQUIRED').app)).toEqual({ userId: callers.owner.id });
  });

  it('waits on nobody in DRAFT or a terminal state', () => {
    expect(waitsOn(start('REPORT').app)).toBeUndefined();
    for (const state of terminal) expect(waitsOn(driveTo(state).app), state).toBeUndefined();
    expect(waitsOn(driveTo('FILED', 'REGISTRATION').app)).toBeUndefined();
  });

  it('agrees with the workflow: whoever it waits on may act on it (the queue lists actionable work)', () => {
    const roleCaller: Record<string, Caller> = {
      clerk: callers.clerk,
      reviewer: callers.otherReviewer,
      approver: callers.approver,
    };
    const userCaller: Record<string, Caller> = {
      [callers.owner.id]: callers.owner,
      [callers.reviewer.id]: callers.reviewer,
    };
    for (const state of states) {
      if (state === 'FILED') continue;
      const t = driveTo(state);
      const w = waitsOn(t.app);
      if (!w) continue;
      const caller = w.userId ? userCaller[w.userId] : roleCaller[w.role as string];
      const day = w.after ? workingDay(w.after, 1) : workingDay('2026-03-02', 6);
      const actions = allowedActions(t.app, caller as Caller, { now: at(day) }).filter(
        (a) => a !== 'withdraw',
      );
      expect(actions.length, `${state}: ${actions.join(',')}`).toBeGreaterThan(0);
      if (state === 'PUBLIC_NOTICE') expect(actions).toContain('approve');
    }
  });
});

describe('the queue index attributes (appIndexKeys)', () => {
  it('key the application into its waiter’s partition by due date, creation and id', () => {
    const app = driveTo('SUBMITTED').app;
    expect(appIndexKeys(app)).toMatchObject({
      gsi8pk: 'WAITS#role#clerk',
      gsi8sk: `2026-03-09#${app.createdAt}#${app.id}`,
    });
    const owner = driveTo('REVISION_REQUIRED').app;
    expect(appIndexKeys(owner)).toMatchObject({
      gsi8pk: `WAITS#user#${callers.owner.id}`,
      gsi8sk: `9999-12-31#${owner.createdAt}#${owner.id}`,
    });
    const notice = driveTo('PUBLIC_NOTICE').app;
    expect(appIndexKeys(notice)).toMatchObject({
      gsi8pk: 'WAITS#role#approver',
      waitsAfter: notice.proposal?.noticeEndsOn,
    });
  });

  it('leave the index (sparse) when the application waits on nobody', () => {
    const keys = appIndexKeys(driveTo('APPROVED').app);
    expect(keys).not.toHaveProperty('gsi8pk');
    expect(keys).not.toHaveProperty('gsi8sk');
    expect(keys).not.toHaveProperty('waitsAfter');
  });
});
