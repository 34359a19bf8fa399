/**
 * The bureau's commitment leaves out the public notice periods (docs/clocks.md#the-commitment);
 * the statutory limit counts them. Expected dates are worked out by hand from the 2026 calendar:
 * May Day holiday 05-01..05 (Fri–Tue), Saturday 05-09 an adjusted working day, Dragon Boat 06-19.
 */
import { describe, expect, it } from 'vitest';
import { chinaCalendar, WorkCalendar } from '../../../../shared/domain/calendar.ts';
import { seedYears } from '../../../../shared/domain/calendar-years.ts';
import {
  type ClockState,
  pauseClock,
  resumeClock,
  startClock,
  viewClock,
  withNoticePeriods,
} from '../../../../shared/domain/clock.ts';
import { defaultConfig } from '../../../../shared/domain/config.ts';
import { nextCheckOn, sweepStep } from '../../../../shared/domain/deadlines.ts';
import { waitsOn } from '../../../../shared/domain/queue.ts';
import { recomputeStep } from '../../../../shared/domain/recompute.ts';
import { decisionTiming } from '../../../../shared/domain/stats.ts';
import type { Application, Changes } from '../../../../shared/domain/types.ts';
import { act, at, callers, driveTo, payloads, start, type Trail } from './fixtures.ts';

/*
 * REPORT_FORM (30 working days; commitment 7) accepted Wed 04-29. Comment period, 5 working days:
 * 04-30, 05-06, 05-07, 05-08, Sat 05-09 → commentEndsOn 05-09 (05-01..05 holiday, 05-10 Sunday).
 */
function accepted(): Trail {
  let t = start('REPORT_FORM', { on: '2026-04-27' });
  t = act(t, 'submit', callers.owner, {}, at('2026-04-27'));
  t = act(t, 'accept', callers.clerk, {}, at('2026-04-29'));
  return act(t, 'start_review', callers.reviewer, {}, at('2026-04-30'));
}

function proposedOn(t: Trail, day: string): Trail {
  return act(t, 'propose_decision', callers.reviewer, payloads.propose_decision, at(day));
}

const clockOf = (app: Application): ClockState => {
  if (!app.clockState) throw new Error('no clock');
  return app.clockState;
};

describe('a REPORT_FORM through both notice periods, across May Day', () => {
  it('the acceptance notes its comment period on the clock', () => {
    const t = accepted();
    expect(t.app.acceptance?.commentEndsOn).toBe('2026-05-09');
    expect(clockOf(t.app).noticePeriods).toEqual([{ kind: 'comment', from: '2026-04-29', to: '2026-05-09' }]);
    // Before any proposal the commitment's day 7 is 05-11 (1) .. 05-19 (7): the comment period
    // 04-30..05-09 is left out; the statutory count includes it.
    const v = viewClock(clockOf(t.app), '2026-04-30');
    expect(v.commitment).toEqual({ limit: 7, dueDate: '2026-05-19', remaining: 7, noticeDays: 1 });
    expect(v).toMatchObject({ used: 1, remaining: 29 });
  });

  it('proposed the first working day after the comments and approved the day after the notice: on time', () => {
    // Proposed Mon 05-11; notice 05-12, 13, 14, 15, 18 → noticeEndsOn 05-18; approved Tue 05-19.
    let t = proposedOn(accepted(), '2026-05-11');
    expect(t.app.proposal?.noticeEndsOn).toBe('2026-05-18');
    expect(clockOf(t.app).noticePeriods).toEqual([
      { kind: 'comment', from: '2026-04-29', to: '2026-05-09' },
      { kind: 'notice', from: '2026-05-11', to: '2026-05-18' },
    ]);
    t = act(t, 'approve', callers.approver, {}, at('2026-05-19'));
    const timing = decisionTiming(t.events.at(-1) ?? { at: '', changes: {} });
    // The bureau's own days: 05-11 and 05-19 = 2 of 7; day 7 would be 05-26 (05-20, 21, 22, 25, 26).
    expect(timing).toEqual({
      decidedOn: '2026-05-19',
      dueDate: '2026-06-12',
      commitmentDueDate: '2026-05-26',
      // The statutory count: 04-30, 05-06..09, 05-11..15, 05-18, 05-19 = 12.
      workingDays: 12,
      late: false,
      lateCommitment: false,
    });
    const v = viewClock(clockOf(t.app), '2026-12-31');
    expect(v.commitment).toEqual({ limit: 7, dueDate: '2026-05-26', remaining: 5, noticeDays: 10 });
    // The same clock counting the notice periods (as before) was 5 days late.
    const counted = viewClock({ ...clockOf(t.app), noticePeriods: [] }, '2026-05-19');
    expect(counted.commitment).toMatchObject({ dueDate: '2026-05-12', remaining: -5 });
  });

  it('7 working days of its own is on time; an eighth is one day late', () => {
    // Proposed Mon 05-18 (own days 05-11, 12, 13, 14, 15, 18 = 6); notice 05-19, 20, 21, 22, 25 →
    // noticeEndsOn 05-25; the 7th own day is Tue 05-26.
    const t = proposedOn(accepted(), '2026-05-18');
    expect(t.app.proposal?.noticeEndsOn).toBe('2026-05-25');
    expect(viewClock(clockOf(t.app), '2026-05-18').commitment).toMatchObject({
      dueDate: '2026-05-26',
      remaining: 1,
    });
    const onTime = act(t, 'approve', callers.approver, {}, at('2026-05-26'));
    expect(decisionTiming(onTime.events.at(-1) ?? { at: '', changes: {} })).toMatchObject({
      commitmentDueDate: '2026-05-26',
      lateCommitment: false,
      late: false,
    });
    expect(viewClock(clockOf(onTime.app), '2026-05-26').commitment.remaining).toBe(0);
    const late = act(t, 'approve', callers.approver, {}, at('2026-05-27'));
    expect(decisionTiming(late.events.at(-1) ?? { at: '', changes: {} })).toMatchObject({
      commitmentDueDate: '2026-05-26',
      lateCommitment: true,
      late: false,
    });
    expect(viewClock(clockOf(late.app), '2026-05-27').commitment.remaining).toBe(-1);
  });

  it('the sweeper’s closing steps leave the clock alone', () => {
    const t = accepted();
    const comments = sweepStep(t.app, { now: at('2026-05-10', '02:00'), requestId: 'sweep' });
    expect(comments?.event.action).toBe('close_comment_period');
    expect(comments?.event.changes).not.toHaveProperty('clockState');
    const proposed = proposedOn({ ...t, app: comments?.app ?? t.app }, '2026-05-11');
    const notice = sweepStep(proposed.app, { now: at('2026-05-19', '02:00'), requestId: 'sweep' });
    expect(notice?.event.action).toBe('close_notice');
    expect(notice?.event.changes).not.toHaveProperty('clockState');
    expect(notice?.app.clockState).toEqual(proposed.app.clockState);
  });

  it('a proposal returned to review while on notice ends its period that day; a new one adds its own', () => {
    let t = proposedOn(accepted(), '2026-05-11');
    t = act(t, 'return_to_review', callers.approver, payloads.return_to_review, at('2026-05-13'));
    expect(clockOf(t.app).noticePeriods?.at(-1)).toEqual({
      kind: 'notice',
      from: '2026-05-11',
      to: '2026-05-13',
    });
    t = proposedOn(t, '2026-05-14');
    expect(clockOf(t.app).noticePeriods).toEqual([
      { kind: 'comment', from: '2026-04-29', to: '2026-05-09' },
      { kind: 'notice', from: '2026-05-11', to: '2026-05-13' },
      { kind: 'notice', from: '2026-05-14', to: '2026-05-21' },
    ]);
    // Own days: 05-11, 05-14 = 2 by 05-21; left out: 05-12, 13 and 05-15, 18, 19, 20, 21.
    expect(viewClock(clockOf(t.app), '2026-05-21').commitment).toMatchObject({
      remaining: 5,
      noticeDays: 12,
    });
  });

  it('a clock from before the rule takes its periods on its next step, also the one that stops it', () => {
    const t = proposedOn(accepted(), '2026-05-11');
    const { noticePeriods: _, ...old } = clockOf(t.app);
    const approved = act(
      { ...t, app: { ...t.app, clockState: old } },
      'approve',
      callers.approver,
      {},
      at('2026-05-19'),
    );
    expect(clockOf(approved.app)).toMatchObject({
      stoppedOn: '2026-05-19',
      noticePeriods: [
        { kind: 'comment', from: '2026-04-29', to: '2026-05-09' },
        { kind: 'notice', from: '2026-05-11', to: '2026-05-18' },
      ],
    });
  });
});

describe('withNoticePeriods', () => {
  const base = startClock({ startedOn: '2026-06-01', limitDays: 30, dayType: 'WORKING', commitmentDays: 7 });
  const acceptance = { noticePublishedOn: '2026-06-01', commentEndsOn: '2026-06-08' };

  it('gives back the same changes when nothing moves, and nothing on a stopped clock', () => {
    const app = {
      clockState: {
        ...base,
        noticePeriods: [{ kind: 'comment' as const, from: '2026-06-01', to: '2026-06-08' }],
      },
      acceptance,
    };
    const changes: Changes = { state: 'UNDER_REVIEW' };
    expect(withNoticePeriods(app, changes, '2026-06-02')).toBe(changes);
    const stopped = { clockState: { ...base, stoppedOn: '2026-06-03' }, acceptance };
    expect(withNoticePeriods(stopped, changes, '2026-06-04')).toBe(changes);
    expect(withNoticePeriods(undefined, changes, '2026-06-04')).toBe(changes);
  });

  it('a period closed before its last day ends on its closing day', () => {
    const changes: Changes = {
      acceptance: { ...acceptance, deemed: false, acceptedOn: '2026-06-01', commentClosedOn: '2026-06-05' },
    };
    expect(
      withNoticePeriods({ clockState: base, acceptance }, changes, '2026-06-05').clockState?.noticePeriods,
    ).toEqual([{ kind: 'comment', from: '2026-06-01', to: '2026-06-05' }]);
  });

  it('counts a day both paused and on notice once, and across the Dragon Boat holiday', () => {
    // Notice from Mon 06-15: 06-16, 17, 18, 22, 23 (06-19 holiday). Paused 06-17 → 06-24 (06-18..24).
    const clock: ClockState = {
      ...resumeClock(pauseClock(base, '2026-06-17'), '2026-06-24'),
      noticePeriods: [{ kind: 'notice', from: '2026-06-15', to: '2026-06-23' }],
    };
    const v = viewClock(clock, '2026-06-25');
    // Statutory: 06-02..05, 08..12, 15, 16, 17, 25 = 13 used; 06-18, 22, 23, 24 paused.
    expect(v).toMatchObject({ used: 13, pausedDays: 4 });
    // Commitment: also 06-16 and 06-17 left out (on notice; the statute counts 06-17, the pause's
    // first day), 06-18..23 once: own days 06-02..05, 08..12, 15, 25 = 11; noticeDays 2.
    expect(v.commitment).toMatchObject({ remaining: 7 - 11, noticeDays: 2 });
  });
});

describe('a calendar recount moves the period on the clock', () => {
  it('with the comment period’s new last day', () => {
    const published = new WorkCalendar({ ...seedYears, '2027': { holidays: ['2027-01-01'], workdays: [] } });
    const app = driveTo('ACCEPTED', 'REPORT_FORM', { on: '2026-12-25' }).app;
    const from = app.acceptance?.noticePublishedOn ?? '';
    expect(clockOf(app).noticePeriods).toEqual([{ kind: 'comment', from, to: '2027-01-04' }]);
    const sweepOn = nextCheckOn(app, defaultConfig, chinaCalendar);
    const queueDue = waitsOn(app, defaultConfig, chinaCalendar)?.due;
    const indexed = { ...(sweepOn ? { sweepOn } : {}), ...(queueDue ? { queueDue } : {}) };
    const step = recomputeStep(app, indexed, {
      now: new Date('2026-12-29T02:00:00+08:00'),
      requestId: 'sweep',
      calendar: published,
    });
    expect(step?.app.acceptance?.commentEndsOn).toBe('2027-01-05');
    expect(clockOf(step?.app as Application).noticePeriods).toEqual([
      { kind: 'comment', from, to: '2027-01-05' },
    ]);
  });
});
