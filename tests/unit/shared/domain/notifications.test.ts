/** The notifications each notifiable step owes: who is told, in both languages, and by when. */
import { describe, expect, it } from 'vitest';
import { beijingDate } from '../../../../shared/domain/calendar.ts';
import { viewClock } from '../../../../shared/domain/clock.ts';
import { sweepStep } from '../../../../shared/domain/deadlines.ts';
import { type Notification, notificationsFor } from '../../../../shared/domain/notifications.ts';
import type { Application, UnsignedEvent } from '../../../../shared/domain/types.ts';
import { act, at, callers, driveTo, ORG_CODE, payloads } from './fixtures.ts';

function only(event: UnsignedEvent, app: Application): Notification {
  const list = notificationsFor(event, app);
  expect(list).toHaveLength(1);
  const [n] = list;
  if (!n) throw new Error('no notification');
  expect(n).toMatchObject({ applicationId: app.id, seq: event.seq, action: event.action, at: event.at });
  for (const text of [n.subject.zh, n.subject.en, n.body.zh, n.body.en]) {
    expect(text).toContain(app.project.name);
    // No personal phone numbers.
    expect(text).not.toContain(app.applicant.contactPhone);
    expect(text).not.toMatch(/1[3-9]\d{9}/);
  }
  // Chinese in Chinese, English in English.
  expect(n.subject.zh).toMatch(/[\u4e00-\u9fff]/);
  expect(n.body.zh).toMatch(/[\u4e00-\u9fff]/);
  expect(n.subject.en).toMatch(/^[A-Z][a-z]/);
  if (app.caseNumber) {
    expect(n.subject.zh).toContain(app.caseNumber);
    expect(n.subject.en).toContain(app.caseNumber);
  }
  if (n.deadline) {
    expect(n.body.zh).toContain(n.deadline);
    expect(n.body.en).toContain(n.deadline);
  }
  return n;
}

const last = (t: { events: UnsignedEvent[] }) => t.events.at(-1) as UnsignedEvent;
const dueOf = (app: Application, on: string) =>
  viewClock(app.clockState as NonNullable<Application['clockState']>, on).dueDate;

/** Sweep on `date` until the sweeper writes `action`. */
function sweepUntil(app: Application, date: string, action: string) {
  let current = app;
  for (let i = 0; i < 10; i++) {
    const step = sweepStep(current, { now: at(date, '02:00'), requestId: 'sweep' });
    if (!step) break;
    if (step.event.action === action) return step;
    current = step.app;
  }
  throw new Error(`no ${action} on ${date}`);
}

describe('notificationsFor', () => {
  it('request_supplement: tells the owner what to supply', () => {
    const t = driveTo('SUPPLEMENT_REQUIRED');
    const n = only(last(t), t.app);
    expect(n.recipients).toEqual([{ kind: 'user', id: callers.owner.id }]);
    for (const item of t.app.supplement?.items ?? []) expect(n.body.en).toContain(item.code);
  });

  it('request_revision: tells the owner, naming the topics', () => {
    const t = driveTo('REVISION_REQUIRED');
    const n = only(last(t), t.app);
    expect(n.recipients).toEqual([{ kind: 'user', id: callers.owner.id }]);
    for (const item of t.app.revision?.items ?? []) expect(n.body.zh).toContain(item.topic);
  });

  it('accept: tells the owner and the reviewers, with the case number and the due date', () => {
    const t = driveTo('ACCEPTED');
    const event = last(t);
    const n = only(event, t.app);
    expect(t.app.caseNumber).toBeDefined();
    expect(n.recipients).toEqual([
      { kind: 'user', id: callers.owner.id },
      { kind: 'role', role: 'reviewer' },
    ]);
    expect(n.deadline).toBe(dueOf(t.app, beijingDate(event.at)));
    expect(n.body.en).toContain(t.app.acceptance?.commentEndsOn);
  });

  it('propose_decision: tells the owner (hearing deadline) and the approvers (notice end)', () => {
    const t = driveTo('PUBLIC_NOTICE');
    const n = only(last(t), t.app);
    expect(n.recipients).toEqual([
      { kind: 'user', id: callers.owner.id },
      { kind: 'role', role: 'approver' },
    ]);
    expect(n.deadline).toBe(t.app.proposal?.hearingDeadline);
    for (const text of [n.body.zh, n.body.en]) {
      expect(text).toContain(t.app.proposal?.noticeEndsOn);
      expect(text).toContain(t.app.proposal?.hearingDeadline);
    }
  });

  it.each([
    ['APPROVED', 'approve', 'Approved'],
    ['REJECTED', 'reject', 'Rejected'],
  ] as const)('%s: tells the owner and the case officer', (state, action, word) => {
    const t = driveTo(state);
    const n = only(last(t), t.app);
    expect(n.action).toBe(action);
    expect(n.subject.en).toContain(word);
    expect(n.recipients).toEqual([
      { kind: 'user', id: callers.owner.id },
      { kind: 'user', id: callers.reviewer.id },
    ]);
  });

  it('mark_due_soon: tells whoever the application waits on, with the due date', () => {
    const t = driveTo('UNDER_REVIEW');
    const due = dueOf(t.app, beijingDate(t.now));
    const step = sweepUntil(t.app, due, 'mark_due_soon');
    const n = only(step.event, step.app);
    expect(n.recipients).toEqual([{ kind: 'user', id: callers.reviewer.id }]);
    expect(n.deadline).toBe(due);
  });

  it('mark_overdue: escalates to the case officer and the approvers', () => {
    const t = driveTo('UNDER_REVIEW');
    const due = dueOf(t.app, beijingDate(t.now));
    const step = sweepUntil(t.app, '2027-12-01', 'mark_overdue');
    const n = only(step.event, step.app);
    expect(n.recipients).toEqual([
      { kind: 'user', id: callers.reviewer.id },
      { kind: 'role', role: 'approver' },
    ]);
    expect(n.deadline).toBe(due);
    expect(n.subject.en).toContain('Overdue');
  });

  it('decline: tells the owner why, and the remedies with their time limits', () => {
    const t = driveTo('NOT_ACCEPTED');
    const n = only(last(t), t.app);
    expect(n.recipients).toEqual([{ kind: 'user', id: callers.owner.id }]);
    const reason = String(payloads.decline.reason);
    expect(n.body.zh).toContain(reason);
    expect(n.body.en).toContain(reason);
    expect(n.body.zh).toMatch(/60日内申请行政复议.*6个月内提起行政诉讼/);
    expect(n.body.en).toMatch(/reconsideration within 60 days.*lawsuit within 6 months/);
  });

  it("a walk-in's decline and supplement notice go to its organisation, with a copy to the window clerk", () => {
    // As the window creates it: ownerId is the clerk, the organisation is the owner.
    const walkIn = (app: Application): Application => ({
      ...app,
      ownerId: callers.clerk.id,
      intake: {
        kind: 'WALK_IN',
        by: { id: callers.clerk.id, name: callers.clerk.name },
        onBehalfOf: { orgName: app.applicant.orgName, orgCode: app.applicant.orgCode },
      },
    });
    const expected = [
      { kind: 'org', orgCode: ORG_CODE },
      { kind: 'user', id: callers.clerk.id },
    ];
    for (const state of ['NOT_ACCEPTED', 'SUPPLEMENT_REQUIRED'] as const) {
      const t = driveTo(state);
      const n = only(last(t), walkIn(t.app));
      expect(n.recipients, state).toEqual(expected);
      expect(n.recipients, state).not.toContainEqual({ kind: 'user', id: callers.owner.id });
    }
    const accepted = driveTo('ACCEPTED');
    expect(only(last(accepted), walkIn(accepted.app)).recipients).toEqual([
      ...expected,
      { kind: 'role', role: 'reviewer' },
    ]);
  });

  it('owes nothing for steps nobody has to act on', () => {
    const t = driveTo('UNDER_REVIEW');
    expect(notificationsFor(last(t), t.app)).toEqual([]);
    const s = act(t, 'start_expert_review', callers.reviewer, payloads.start_expert_review, t.now);
    expect(notificationsFor(last(s), s.app)).toEqual([]);
  });

  it('the e-mail of a provisional date says so, in both languages; a date inside a published year does not', () => {
    const t = driveTo('ACCEPTED', 'REPORT', { on: '2026-12-01' });
    const n = only(last(t), t.app);
    expect(n.deadline && n.deadline > '2027-01-01').toBe(true);
    expect(n).toMatchObject({ provisional: true, provisionalDates: ['dueDate', 'deadline'] });
    expect(n.body.zh).toContain(`注意：${n.deadline} 为暂定日期`);
    expect(n.body.zh).toContain('2027年节假日安排尚未公布');
    expect(n.body.en).toContain(`${n.deadline} is a provisional date`);
    expect(n.body.en).toContain('2027 holidays not yet published');
    // The comment period ends in 2026: it is not named as provisional.
    expect(n.body.en).not.toContain(`${t.app.acceptance?.commentEndsOn} is`);

    const plain = driveTo('ACCEPTED');
    const inside = only(last(plain), plain.app);
    expect(inside.provisional).toBeUndefined();
    expect(inside.body.zh).not.toContain('暂定');
    expect(inside.body.en).not.toContain('provisional');
  });

  it('propose_decision: names each provisional date of the notice', () => {
    const t = driveTo('PUBLIC_NOTICE', 'REPORT_FORM', { on: '2026-12-21' });
    const n = only(last(t), t.app);
    const p = t.app.proposal;
    expect(p?.noticeEndsOn && p.noticeEndsOn >= '2027-01-01').toBe(true);
    expect(n.provisionalDates).toEqual(
      expect.arrayContaining(['noticeEndsOn', 'hearingDeadline', 'deadline']),
    );
    expect(n.body.zh).toContain(`${p?.noticeEndsOn}`);
    expect(n.body.zh).toMatch(/注意：.*为暂定日期。2027年节假日安排尚未公布/);
    expect(n.body.en).toMatch(/Note: .* are provisional dates\. 2027 holidays not yet published/);
  });
});
