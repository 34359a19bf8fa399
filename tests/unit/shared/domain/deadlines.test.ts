/**
 * The sweeper's domain: deemed acceptance, the end of notice periods, DUE_SOON and OVERDUE, each
 * once, and the date the sweeper must look again. Dates are worked out by hand from the 2026
 * State Council calendar.
 */
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../../../shared/domain/calendar.ts';
import data from '../../../../shared/domain/calendar-data.json' with { type: 'json' };
import { nextCheckOn, sweepStep } from '../../../../shared/domain/deadlines.ts';
import { EXPERT_REVIEW_ELAPSED, notificationsFor } from '../../../../shared/domain/notifications.ts';
import { systemActorNames } from '../../../../shared/domain/system-actors.ts';
import type { Application } from '../../../../shared/domain/types.ts';
import { act, at, callers, payloads, start, type Trail } from './fixtures.ts';

const opts = (date: string) => ({ now: at(date, '02:00'), requestId: 'sweep' });

/** Apply every step the sweeper owes on `date`; the actions, in order. */
function sweep(app: Application, date: string): { app: Application; actions: string[] } {
  const actions: string[] = [];
  let current = app;
  for (let step = sweepStep(current, opts(date)); step; step = sweepStep(current, opts(date))) {
    actions.push(step.event.action);
    expect(step.event.actor).toEqual({ id: 'system', role: 'system', name: systemActorNames.sweeper });
    current = step.app;
    if (actions.length > 10) throw new Error('the sweeper does not settle');
  }
  return { app: current, actions };
}

describe('deemed acceptance', () => {
  // Received Tue 2026-09-29; 5 working days: 09-30, 10-09 (Fri, adjusted), 10-10 (Sat, adjusted)…
  // National Day 10-01..07 are off, so the window's 5th day is 10-12 and the sweeper acts on 10-13.
  const submitted = () =>
    act(start('REPORT_FORM', { on: '2026-09-29' }), 'submit', callers.owner, {}, at('2026-09-29'));

  it('happens on the day after the window’s 5th working day, counted from receipt', () => {
    const t = submitted();
    expect(nextCheckOn(t.app)).toBe('2026-10-13');
    expect(sweep(t.app, '2026-10-12').actions).toEqual([]);
    const { app, actions } = sweep(t.app, '2026-10-13');
    expect(actions).toEqual(['accept']);
    expect(app.acceptance).toMatchObject({ acceptedOn: '2026-09-29', deemed: true });
    expect(app.clockState?.startedOn).toBe('2026-09-29');
  });

  it('does not happen once the window has issued the supplement notice', () => {
    const t = act(
      submitted(),
      'request_supplement',
      callers.clerk,
      { items: [{ code: 'EIA_DOCUMENT', reason: '缺页' }] },
      at('2026-09-30'),
    );
    expect(nextCheckOn(t.app)).toBeUndefined();
    expect(sweep(t.app, '2026-10-20').actions).toEqual([]);
  });
});

describe('the review clock across Spring Festival 2026', () => {
  // Accepted Tue 01-20, REPORT_FORM, 30 working days: …, 02-14 (Sat, adjusted) is day 19, 02-15..23
  // off, 02-24..27 days 20-23, 02-28 (Sat, adjusted) day 24, 03-02..06 days 25-29, 03-09 day 30.
  // DUE_SOON (3 or fewer left) from day 27 = 03-04; OVERDUE from 03-10. Comment period: 5 working
  // days from 01-20, ends 01-27.
  const accepted = () => {
    const t = act(
      start('REPORT_FORM', { on: '2026-01-20' }),
      'submit',
      callers.owner,
      {},
      at('2026-01-20', '09:00'),
    );
    return act(t, 'accept', callers.clerk, {}, at('2026-01-20', '10:00'));
  };

  it('closes the comment period, then marks DUE_SOON and OVERDUE once each, on the right days', () => {
    let app = accepted().app;
    expect(nextCheckOn(app)).toBe('2026-01-28');
    expect(sweep(app, '2026-01-27').actions).toEqual([]);
    ({ app } = expectSweep(app, '2026-01-28', ['close_comment_period']));
    expect(nextCheckOn(app)).toBe('2026-03-04');
    expect(sweep(app, '2026-03-03').actions).toEqual([]);
    ({ app } = expectSweep(app, '2026-03-04', ['mark_due_soon']));
    expect(sweep(app, '2026-03-04').actions).toEqual([]);
    expect(nextCheckOn(app)).toBe('2026-03-10');
    ({ app } = expectSweep(app, '2026-03-10', ['mark_overdue']));
    expect(app.deadlines).toEqual({ dueSoonOn: '2026-03-04', overdueOn: '2026-03-10' });
    expect(nextCheckOn(app)).toBeUndefined();
    expect(sweep(app, '2026-04-30').actions).toEqual([]);
  });

  it('marks nothing while the clock is paused, and a pause moves the day it looks again', () => {
    let t = act(accepted(), 'start_review', callers.reviewer, {}, at('2026-01-21'));
    t = act(
      t,
      'start_expert_review',
      callers.reviewer,
      { expectedWorkingDays: 5 },
      at('2026-01-21', '11:00'),
    );
    const closed = sweep(t.app, '2026-01-28');
    expect(closed.actions).toEqual(['close_comment_period']);
    // No clock mark; only the case officer's warning that the expert review outran its 5 days.
    expect(sweep(closed.app, '2026-03-20').actions).toEqual([EXPERT_REVIEW_ELAPSED]);
    // Paused Wed 01-21, resumed Wed 01-28: 5 working days (01-22..28) do not count, so DUE_SOON
    // moves 5 working days later: from 03-04 to 03-11.
    const resumed = act(
      { ...t, app: closed.app },
      'record_expert_opinion',
      callers.reviewer,
      { opinion: '通过', conclusion: 'PASS' },
      at('2026-01-28', '12:00'),
    );
    expect(nextCheckOn(resumed.app)).toBe('2026-03-11');
  });
});

describe('an expert review past its expected working days', () => {
  // REPORT_FORM accepted Mon 03-02 (comment period 03-03..09, closed by the sweep of 03-10). An
  // expert review of 5 working days from Tue 03-10: 03-11, 12, 13, 16, 17; the case officer is
  // warned on Wed 03-18.
  const inExpertReview = (days = 5, on = '2026-03-10'): Trail => {
    let t = act(
      start('REPORT_FORM', { on: '2026-03-02' }),
      'submit',
      callers.owner,
      {},
      at('2026-03-02', '09:00'),
    );
    t = act(t, 'accept', callers.clerk, {}, at('2026-03-02', '10:00'));
    t = act(t, 'start_review', callers.reviewer, {}, at('2026-03-03'));
    const closed = sweep(t.app, '2026-03-10');
    expect(closed.actions).toEqual(['close_comment_period']);
    return act(
      { ...t, app: closed.app },
      'start_expert_review',
      callers.reviewer,
      { expectedWorkingDays: days },
      at(on),
    );
  };

  it('warns the case officer once: not on the last expected day, on the next, never again', () => {
    const t = inExpertReview();
    expect(nextCheckOn(t.app)).toBe('2026-03-18');
    expect(sweep(t.app, '2026-03-17').actions).toEqual([]);
    const step = sweepStep(t.app, opts('2026-03-18'));
    if (!step) throw new Error('no warning on 03-18');
    expect(step.event.action).toBe(EXPERT_REVIEW_ELAPSED);
    expect(step.app.state).toBe('EXPERT_REVIEW');
    expect(step.app.expertReview?.elapsedOn).toBe('2026-03-18');
    expect(step.event.changes).toMatchObject({ expertReview: { elapsedOn: '2026-03-18' } });
    const outbox = notificationsFor(step.event, step.app);
    expect(outbox.map((n) => n.recipients)).toEqual([[{ kind: 'user', id: callers.reviewer.id }]]);
    // Recorded: the next sweeps (the same day, the next, weeks later) owe nothing; it leaves the list.
    expect(sweep(step.app, '2026-03-18').actions).toEqual([]);
    expect(sweep(step.app, '2026-03-19').actions).toEqual([]);
    expect(sweep(step.app, '2026-04-30').actions).toEqual([]);
    expect(nextCheckOn(step.app)).toBeUndefined();
  });

  it('counts working days: a review ending on a Friday is warned about on the Saturday', () => {
    // 2 working days from Wed 03-11: 03-12, 03-13 (Fri).
    const t = inExpertReview(2, '2026-03-11');
    expect(nextCheckOn(t.app)).toBe('2026-03-14');
    expect(sweep(t.app, '2026-03-13').actions).toEqual([]);
    expect(sweep(t.app, '2026-03-14').actions).toEqual([EXPERT_REVIEW_ELAPSED]);
  });

  it('is not given once the opinion is recorded, and a new expert review is warned about again', () => {
    const t = inExpertReview();
    const opinion = { opinion: '通过', conclusion: 'PASS' };
    const recorded = act(t, 'record_expert_opinion', callers.reviewer, opinion, at('2026-03-17'));
    expect(sweep(recorded.app, '2026-03-18').actions).toEqual([]);
    const warned = sweep(t.app, '2026-03-18').app;
    const back = act(
      { ...t, app: warned },
      'record_expert_opinion',
      callers.reviewer,
      opinion,
      at('2026-03-19'),
    );
    // A second review of 1 working day from Fri 03-20 (Mon 03-23): warned on Tue 03-24.
    const again = act(
      back,
      'start_expert_review',
      callers.reviewer,
      { expectedWorkingDays: 1 },
      at('2026-03-20'),
    );
    expect(again.app.expertReview?.elapsedOn).toBeUndefined();
    expect(nextCheckOn(again.app)).toBe('2026-03-24');
    expect(sweep(again.app, '2026-03-23').actions).toEqual([]);
    expect(sweep(again.app, '2026-03-24').actions).toEqual([EXPERT_REVIEW_ELAPSED]);
  });

  it('follows the calendar it is given: a new holiday moves the warning day', () => {
    const t = inExpertReview();
    const y2026 = data.years['2026'];
    const calendar = new WorkCalendar({
      ...data.years,
      '2026': { ...y2026, holidays: [...y2026.holidays, '2026-03-12'] },
    });
    expect(nextCheckOn(t.app, undefined, calendar)).toBe('2026-03-19');
    const on = (date: string) => ({ now: at(date, '02:00'), requestId: 'sweep', calendar });
    expect(sweepStep(t.app, on('2026-03-18'))).toBeUndefined();
    expect(sweepStep(t.app, on('2026-03-19'))?.event.action).toBe(EXPERT_REVIEW_ELAPSED);
  });
});

describe('the proposed-decision notice', () => {
  it('is closed by the sweeper the day after it ends, once', () => {
    let t = act(
      start('REPORT_FORM', { on: '2026-03-02' }),
      'submit',
      callers.owner,
      {},
      at('2026-03-02', '09:00'),
    );
    t = act(t, 'accept', callers.clerk, {}, at('2026-03-02', '10:00'));
    t = act(t, 'start_review', callers.reviewer, {}, at('2026-03-03'));
    t = act(t, 'propose_decision', callers.reviewer, { proposal: 'approve' }, at('2026-03-10'));
    // Proposed Tue 03-10; 5 working days: 03-11..03-17. Comment period: 03-03..03-09, closed 03-10.
    const first = sweep(t.app, '2026-03-17');
    expect(first.actions).toEqual(['close_comment_period']);
    const { app } = expectSweep(first.app, '2026-03-18', ['close_notice']);
    expect(app.proposal?.noticeClosedOn).toBe('2026-03-18');
    expect(app.state).toBe('PUBLIC_NOTICE');
  });
});

describe('the day the sweeper looks again', () => {
  // REPORT accepted Mon 03-02: its 10-day comment period ends 03-16 (03-03..06, 09..13, 16). Proposed
  // on Wed 03-04, the 5-day notice ends Wed 03-11 (03-05, 06, 09, 10, 11): before the comment period.
  const onNotice = () => {
    let t = act(
      start('REPORT', { on: '2026-03-02' }),
      'submit',
      callers.owner,
      {},
      at('2026-03-02', '09:00'),
    );
    t = act(t, 'accept', callers.clerk, {}, at('2026-03-02', '10:00'));
    t = act(t, 'start_review', callers.reviewer, {}, at('2026-03-03'));
    return act(t, 'propose_decision', callers.reviewer, { proposal: 'approve' }, at('2026-03-04'));
  };

  it('is the earliest of the days it owes, whatever their order: a short notice before a long comment period', () => {
    const t = onNotice();
    expect(t.app.acceptance?.commentEndsOn).toBe('2026-03-16');
    expect(t.app.proposal?.noticeEndsOn).toBe('2026-03-11');
    expect(nextCheckOn(t.app)).toBe('2026-03-12');
    const { app } = expectSweep(t.app, '2026-03-12', ['close_notice']);
    // A closed notice is owed nothing more: next is the end of the comment period.
    expect(nextCheckOn(app)).toBe('2026-03-17');
    expectSweep(app, '2026-03-17', ['close_comment_period']);
  });

  it('leaves the notice open during a hearing, and closes it once the case is back on notice', () => {
    let t = act(onNotice(), 'request_hearing', callers.owner, payloads.request_hearing, at('2026-03-05'));
    expect(t.app.state).toBe('HEARING');
    // The clock is paused, so only the comment period is owed.
    expect(nextCheckOn(t.app)).toBe('2026-03-17');
    expect(sweep(t.app, '2026-03-13').actions).toEqual([]);
    t = act(t, 'record_hearing_outcome', callers.reviewer, payloads.record_hearing_outcome, at('2026-03-13'));
    expect(nextCheckOn(t.app)).toBe('2026-03-12');
    expectSweep(t.app, '2026-03-14', ['close_notice']);
  });

  it('has no completeness date for a registration form, which is filed and never accepted', () => {
    const submitted = act(
      start('REPORT_FORM', { on: '2026-03-02' }),
      'submit',
      callers.owner,
      {},
      at('2026-03-02'),
    );
    expect(nextCheckOn(submitted.app)).toBe('2026-03-10');
    expect(nextCheckOn({ ...submitted.app, category: 'REGISTRATION' })).toBeUndefined();
  });
});

describe('a paused clock', () => {
  // REPORT_FORM accepted Tue 01-20 (as above): 3 or fewer days are left from Wed 03-04.
  it('is not marked DUE_SOON, even with 3 or fewer days left, nor looked at again until it resumes', () => {
    let t = act(
      start('REPORT_FORM', { on: '2026-01-20' }),
      'submit',
      callers.owner,
      {},
      at('2026-01-20', '09:00'),
    );
    t = act(t, 'accept', callers.clerk, {}, at('2026-01-20', '10:00'));
    t = act(t, 'start_review', callers.reviewer, {}, at('2026-01-21'));
    const closed = sweep(t.app, '2026-01-28').app;
    // The case officer asks for a revision on 03-04, before any sweep of that day marked it.
    const paused = act(
      { ...t, app: closed },
      'request_revision',
      callers.reviewer,
      payloads.request_revision,
      at('2026-03-04'),
    );
    expect(nextCheckOn(paused.app)).toBeUndefined();
    expect(sweep(paused.app, '2026-03-05').actions).toEqual([]);
    const resumed = act(paused, 'submit_revision', callers.owner, { response: '已修改' }, at('2026-03-06'));
    expect(sweep(resumed.app, '2026-03-09').actions).toEqual(['mark_due_soon']);
  });
});

describe('a calendar given to the sweeper', () => {
  it('is the one its clock is counted by', () => {
    // A holiday on Tue 03-03 moves the DUE_SOON day of the clock accepted on 01-20 from 03-04 to 03-05.
    const y2026 = data.years['2026'];
    const calendar = new WorkCalendar({
      ...data.years,
      '2026': { ...y2026, holidays: [...y2026.holidays, '2026-03-03'] },
    });
    let t = act(
      start('REPORT_FORM', { on: '2026-01-20' }),
      'submit',
      callers.owner,
      {},
      at('2026-01-20', '09:00'),
    );
    t = act(t, 'accept', callers.clerk, {}, at('2026-01-20', '10:00'));
    const closed = sweep(t.app, '2026-01-28').app;
    const on = (date: string) => ({ now: at(date, '02:00'), requestId: 'sweep', calendar });
    expect(sweepStep(closed, on('2026-03-04'))).toBeUndefined();
    expect(sweepStep(closed, on('2026-03-05'))?.event.action).toBe('mark_due_soon');
    expect(nextCheckOn(closed, undefined, calendar)).toBe('2026-03-05');
  });
});

function expectSweep(app: Application, date: string, expected: string[]) {
  const result = sweep(app, date);
  expect(result.actions).toEqual(expected);
  return result;
}

describe('a finished application', () => {
  it('gets no more system steps, and leaves the sweeper’s list', () => {
    let t = act(
      start('REPORT_FORM', { on: '2026-03-02' }),
      'submit',
      callers.owner,
      {},
      at('2026-03-02', '09:00'),
    );
    t = act(t, 'accept', callers.clerk, {}, at('2026-03-02', '10:00'));
    expect(nextCheckOn(t.app)).toBe('2026-03-10');
    t = act(t, 'withdraw', callers.owner, {}, at('2026-03-04'));
    expect(nextCheckOn(t.app)).toBeUndefined();
    expect(sweep(t.app, '2026-06-30').actions).toEqual([]);
  });
});
