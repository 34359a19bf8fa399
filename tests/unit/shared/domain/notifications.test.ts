/** The notifications each notifiable step owes: who is told, in both languages, and by when. */
import { describe, expect, it } from 'vitest';
import { compose } from '../../../../functions/notifier/notify.ts';
import { addCalendarDays, beijingDate } from '../../../../shared/domain/calendar.ts';
import { viewClock } from '../../../../shared/domain/clock.ts';
import { defaultConfig } from '../../../../shared/domain/config.ts';
import { sweepStep } from '../../../../shared/domain/deadlines.ts';
import {
  EXPERT_REVIEW_ELAPSED,
  type Notification,
  notificationsFor,
} from '../../../../shared/domain/notifications.ts';
import { expertReviewEnd } from '../../../../shared/domain/provisional-dates.ts';
import type { Application, UnsignedEvent } from '../../../../shared/domain/types.ts';
import {
  act,
  at,
  callers,
  DEFAULT_START,
  driveTo,
  ORG_CODE,
  payloadFor,
  payloads,
  workingDay,
} from './fixtures.ts';

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
    // By name in each language, never the code.
    const items = t.app.supplement?.items ?? [];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      const material = defaultConfig.materials.find((m) => m.code === item.code);
      expect(n.body.zh).toContain(material?.zh);
      expect(n.body.en).toContain(material?.en);
      expect(n.body.zh).not.toContain(item.code);
    }
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
    const p = driveTo('PREVIEW_REQUESTED');
    expect(notificationsFor(last(p), p.app)).toEqual([]);
  });

  it('give_preview_advice: tells the owner the advice and the suggested category', () => {
    const p = driveTo('PREVIEW_REQUESTED');
    const t = act(p, 'give_preview_advice', callers.clerk, payloads.give_preview_advice, p.now);
    const n = only(last(t), t.app);
    expect(n.recipients).toEqual([{ kind: 'user', id: callers.owner.id }]);
    const advice = String(payloads.give_preview_advice.advice);
    expect(n.body.zh).toContain(advice);
    expect(n.body.en).toContain(advice);
    expect(n.body.zh).toContain('建议编制：环境影响报告表');
    expect(n.body.en).toContain('Suggested: an environmental impact report form');
    expect(n.subject.en).toBe(`Preview advice: "${t.app.project.name}"`);
    expect(n.deadline).toBeUndefined();
    // Without a suggested category, no such line.
    const bare = act(p, 'give_preview_advice', callers.clerk, { advice: '请补充项目规模。' }, p.now);
    const m = only(last(bare), bare.app);
    expect(m.body.zh).not.toContain('建议编制');
    expect(m.body.en).not.toContain('Suggested');
  });

  it('start_expert_review: tells the owner the expected working days and last day; the clock is paused', () => {
    const t = driveTo('EXPERT_REVIEW');
    const n = only(last(t), t.app);
    const ends = expertReviewEnd(t.app)?.to;
    expect(ends).toBeDefined();
    expect(n.recipients).toEqual([{ kind: 'user', id: callers.owner.id }]);
    expect(n.body.zh).toContain(`预计需要 ${payloads.start_expert_review.expectedWorkingDays} 个工作日`);
    expect(n.body.zh).toContain(`预计于 ${ends} 完成`);
    expect(n.body.en).toContain(`expected to take 10 working days, until ${ends}`);
    expect(n.body.zh).toContain('不计入审批期限');
    expect(n.body.en).toContain('the review clock is paused');
    expect(n.provisional).toBeUndefined();
    expect(n.body.en).not.toContain('provisional');
  });

  it('start_expert_review: marks the expected last day provisional when counted through an unpublished year', () => {
    const t = driveTo('EXPERT_REVIEW', 'REPORT', { on: '2026-12-18' });
    const n = only(last(t), t.app);
    const ends = expertReviewEnd(t.app)?.to ?? '';
    expect(ends >= '2027-01-01').toBe(true);
    expect(n).toMatchObject({ provisional: true, provisionalDates: ['expertReviewEndsOn'] });
    // Beside the date, why it may move: an expected end is no clock's due date, a pause does not move it.
    expect(n.body.zh).toContain(`预计于 ${ends}（暂定：2027年节假日安排尚未公布）完成`);
    expect(n.body.en).toContain(`until ${ends} (provisional: 2027 holidays not yet published)`);
  });

  it('record_expert_opinion: tells the owner the review resumed, with the due date', () => {
    const e = driveTo('EXPERT_REVIEW');
    const later = at(workingDay(DEFAULT_START, 8));
    const t = act(e, 'record_expert_opinion', callers.reviewer, payloads.record_expert_opinion, later);
    const n = only(last(t), t.app);
    expect(n.recipients).toEqual([{ kind: 'user', id: callers.owner.id }]);
    const due = dueOf(t.app, beijingDate(later));
    expect(n.body.zh).toContain(`审批期限：${due}`);
    expect(n.body.en).toContain(`Decision due by ${due}`);
    // The paused days moved the due date on.
    expect(due > dueOf(e.app, beijingDate(e.now))).toBe(true);
  });

  it.each([
    ['PUBLIC_NOTICE', true],
    ['UNDER_REVIEW', false],
  ] as const)(
    'record_hearing_outcome (next %s): tells the owner the outcome and what follows',
    (next, stands) => {
      const h = driveTo('HEARING');
      const summary = `听证会已召开（${next}）`;
      const t = act(
        h,
        'record_hearing_outcome',
        callers.reviewer,
        { summary, next },
        at(workingDay(DEFAULT_START, 7)),
      );
      const n = only(last(t), t.app);
      expect(n.recipients).toEqual(
        stands
          ? [
              { kind: 'user', id: callers.owner.id },
              { kind: 'role', role: 'approver' },
            ]
          : [{ kind: 'user', id: callers.owner.id }],
      );
      expect(n.body.zh).toContain(summary);
      expect(n.body.en).toContain(summary);
      if (stands) {
        expect(n.body.zh).toContain(`拟审批意见维持，公示期至 ${t.app.proposal?.noticeEndsOn}`);
        expect(n.body.en).toContain('The proposed decision stands');
      } else {
        expect(n.body.zh).toContain('拟审批意见已撤回');
        expect(n.body.en).toContain('The proposed decision is withdrawn');
      }
    },
  );

  it('reject: names the remedies with their time limits; approve does not', () => {
    const rejected = driveTo('REJECTED');
    const n = only(last(rejected), rejected.app);
    expect(n.body.zh).toMatch(/60日内申请行政复议.*6个月内提起行政诉讼/);
    expect(n.body.en).toMatch(/reconsideration within 60 days.*lawsuit within 6 months/);
    const approved = driveTo('APPROVED');
    const a = only(last(approved), approved.app);
    expect(a.body.zh).not.toContain('行政复议');
    expect(a.body.en).not.toContain('reconsideration');
  });

  it('mark_expert_review_elapsed: warns the case officer, naming the expected days and last day', () => {
    const t = driveTo('EXPERT_REVIEW');
    const ends = expertReviewEnd(t.app)?.to ?? '';
    const step = sweepUntil(t.app, addCalendarDays(ends, 1), EXPERT_REVIEW_ELAPSED);
    const n = only(step.event, step.app);
    expect(n.recipients).toEqual([{ kind: 'user', id: callers.reviewer.id }]);
    expect(n.body.zh).toContain(`预计 10 个工作日，至 ${ends} 完成`);
    expect(n.body.en).toContain(`expected to take 10 working days, until ${ends}`);
    expect(n.body.en).toContain(`started on ${beijingDate(t.now)}`);
    expect(n.subject.zh).toContain('专家评审预计期限已过');
  });

  it('a provisional due date is marked 暂定 with its reason, and that a pause moves it, in both languages', () => {
    const t = driveTo('ACCEPTED', 'REPORT', { on: '2026-12-01' });
    const n = only(last(t), t.app);
    expect(n.deadline && n.deadline > '2027-01-01').toBe(true);
    expect(n).toMatchObject({ provisional: true, provisionalDates: ['dueDate', 'deadline'] });
    expect(n.body.zh).toContain(
      `审批期限：${n.deadline}（暂定：2027年节假日安排尚未公布；如有暂停将顺延）。`,
    );
    expect(n.body.en).toContain(
      `Decision due by ${n.deadline} (provisional: 2027 holidays not yet published; later if the review is paused).`,
    );
    expect(n.deadlineNote).toEqual({
      zh: '暂定：2027年节假日安排尚未公布；如有暂停将顺延',
      en: 'provisional: 2027 holidays not yet published; later if the review is paused',
    });
    // The mail's deadline line says it too.
    const mail = compose(n).text;
    expect(mail).toContain(`办理期限：${n.deadline}（暂定：2027年节假日安排尚未公布；如有暂停将顺延）`);
    expect(mail).toContain(`Act by: ${n.deadline} (provisional: 2027 holidays not yet published; later`);
    // The comment period, published and counted inside 2026, is firm: bare.
    const commentEnds = t.app.acceptance?.commentEndsOn ?? '';
    expect(commentEnds < '2027-01-01').toBe(true);
    expect(n.body.zh).toContain(`公众意见征求期至 ${commentEnds}。`);
    expect(n.body.en).toContain(`open until ${commentEnds}.`);
  });

  it('a firm due date is not 暂定, yet says that a pause moves it; a past one says nothing', () => {
    const plain = driveTo('ACCEPTED');
    const inside = only(last(plain), plain.app);
    expect(inside.provisional).toBeUndefined();
    expect(inside.body.zh).not.toContain('暂定');
    expect(inside.body.en).not.toContain('provisional');
    expect(inside.body.zh).toContain(`审批期限：${inside.deadline}（如有暂停将顺延）。`);
    expect(inside.body.en).toContain(`Decision due by ${inside.deadline} (later if the review is paused).`);
    expect(inside.deadlineNote).toEqual({ zh: '如有暂停将顺延', en: 'later if the review is paused' });
    expect(compose(inside).text).toContain(`办理期限：${inside.deadline}（如有暂停将顺延）`);

    // Overdue: the due date is past, no pause moves it any more.
    const t = driveTo('UNDER_REVIEW');
    const due = dueOf(t.app, beijingDate(t.now));
    const step = sweepUntil(t.app, '2026-12-01', 'mark_overdue');
    const overdue = only(step.event, step.app);
    expect(overdue.body.zh).toContain(`审批期限已于 ${due} 届满`);
    expect(overdue.body.en).toContain(`ended on ${due};`);
    expect(overdue.deadlineNote).toBeUndefined();
    expect(compose(overdue).text).toContain(`办理期限：${due}\n`);
  });

  it("the hearing's day and place, set by the case officer, are firm: nothing beside them", () => {
    // Asked for in December: the last day it may be held is counted into 2027, the day set is not counted.
    const h = driveTo('HEARING', 'REPORT', { on: '2026-12-14' });
    expect(h.app.hearing?.holdBy && h.app.hearing.holdBy > '2027-01-01').toBe(true);
    const scheduled = act(
      h,
      'schedule_hearing',
      callers.reviewer,
      payloadFor('schedule_hearing', h.app),
      h.now,
    );
    const n = notificationsFor(last(scheduled), scheduled.app)[0];
    expect(n?.body.zh).toContain(`定于 ${h.app.hearing?.holdBy} 09:30（北京时间）在`);
    expect(n?.body.zh).not.toContain('暂定');
    expect(n?.body.zh).not.toContain('顺延');
    expect(n?.deadlineNote).toBeUndefined();
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
    expect(n.body.zh).toContain(`公示期至 ${p?.noticeEndsOn}（暂定：2027年节假日安排尚未公布）。`);
    expect(n.body.zh).toContain(`请于 ${p?.hearingDeadline}（暂定：2027年节假日安排尚未公布）前提出`);
    expect(n.body.en).toContain(`until ${p?.noticeEndsOn} (provisional: 2027 holidays not yet published).`);
    // The hearing deadline is no clock's due date: a pause does not move it.
    expect(n.deadlineNote).toEqual({
      zh: '暂定：2027年节假日安排尚未公布',
      en: 'provisional: 2027 holidays not yet published',
    });
  });
});
