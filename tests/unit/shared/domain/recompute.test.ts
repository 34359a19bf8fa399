import { describe, expect, it } from 'vitest';
import { chinaCalendar, WorkCalendar } from '../../../../shared/domain/calendar.ts';
import { seedYears } from '../../../../shared/domain/calendar-years.ts';
import { defaultConfig } from '../../../../shared/domain/config.ts';
import { nextCheckOn, sweepStep } from '../../../../shared/domain/deadlines.ts';
import { waitsOn } from '../../../../shared/domain/queue.ts';
import { type IndexedDates, recomputeStep } from '../../../../shared/domain/recompute.ts';
import { replay } from '../../../../shared/domain/replay.ts';
import type { Application } from '../../../../shared/domain/types.ts';
import { deepFreeze, driveTo } from './fixtures.ts';

/** Test holidays of our own for 2027: New Year's Day, a Spring Festival week, one adjusted working day. */
const published = new WorkCalendar({
  ...seedYears,
  '2027': {
    holidays: ['2027-01-01', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'],
    workdays: ['2027-02-20'],
  },
});

/** What the store indexed the application by, counted on `calendar`. */
const indexedOn = (app: Application, calendar: WorkCalendar): IndexedDates => {
  const sweepOn = nextCheckOn(app, defaultConfig, calendar);
  const queueDue = waitsOn(app, defaultConfig, calendar)?.due;
  return { ...(sweepOn ? { sweepOn } : {}), ...(queueDue ? { queueDue } : {}) };
};
const opts = { now: new Date('2026-12-29T02:00:00+08:00'), requestId: 'sweep', calendar: published };

describe('recomputeStep', () => {
  it('moves the stored comment end and the index dates of a case accepted late in 2026, as one system event', () => {
    const trail = driveTo('ACCEPTED', 'REPORT_FORM', { on: '2026-12-25' });
    const app = deepFreeze(trail.app);
    expect(app.acceptance?.commentEndsOn).toBe('2027-01-04');
    const step = recomputeStep(app, indexedOn(app, chinaCalendar), opts);
    expect(step?.event).toMatchObject({
      action: 'recompute_dates',
      actor: { id: 'system', role: 'system' },
      from: 'ACCEPTED',
      to: 'ACCEPTED',
      payload: {
        before: { commentEndsOn: '2027-01-04', sweepOn: '2027-01-05' },
        after: { commentEndsOn: '2027-01-05', sweepOn: '2027-01-06' },
      },
    });
    expect(step?.app.acceptance?.commentEndsOn).toBe('2027-01-05');
    // The event alone rebuilds it: a replay of the trail and the step is the recomputed application.
    expect(replay([...trail.events, step?.event].filter((e) => e !== undefined))).toEqual(step?.app);
  });

  it('is idempotent: once committed (dates and index on the new calendar), nothing more to do', () => {
    const { app } = driveTo('PUBLIC_NOTICE', 'REPORT', { on: '2026-12-21' });
    const step = recomputeStep(app, indexedOn(app, chinaCalendar), opts);
    expect(step).toBeDefined();
    const next = step?.app ?? app;
    expect(recomputeStep(next, indexedOn(next, published), opts)).toBeUndefined();
  });

  it('moves a proposed decision’s notice end and hearing deadline together', () => {
    const { app } = driveTo('PUBLIC_NOTICE', 'REPORT', { on: '2026-12-21' });
    const step = recomputeStep(app, indexedOn(app, chinaCalendar), opts);
    expect(app.proposal?.noticeEndsOn).not.toBe(step?.app.proposal?.noticeEndsOn);
    expect(step?.app.proposal?.hearingDeadline).toBe(
      published.addWorkingDays(app.proposal?.noticeStartsOn ?? '', defaultConfig.hearingRequestDays),
    );
  });

  it('owes nothing when no date moves, nor to a closed application', () => {
    const early = driveTo('ACCEPTED', 'REPORT_FORM', { on: '2026-03-02' }).app;
    expect(recomputeStep(early, indexedOn(early, chinaCalendar), opts)).toBeUndefined();
    const closed = driveTo('APPROVED', 'REPORT', { on: '2026-12-21' }).app;
    expect(recomputeStep(closed, indexedOn(closed, chinaCalendar), opts)).toBeUndefined();
  });

  it('moves the day the sweeper warns that an expert review outran its expected working days', () => {
    // Expert review of 10 working days from Wed 2026-12-23: 2027-01-06 counted Monday–Friday,
    // 01-07 once New Year's Day is a holiday. Its comment period (to 12-28) is closed first.
    const { app: inReview } = driveTo('EXPERT_REVIEW', 'REPORT_FORM', { on: '2026-12-18' });
    const closed = sweepStep(inReview, { now: new Date('2026-12-29T02:00:00+08:00'), requestId: 's' });
    expect(closed?.event.action).toBe('close_comment_period');
    const app = closed?.app ?? inReview;
    expect(nextCheckOn(app, defaultConfig, chinaCalendar)).toBe('2027-01-07');
    const step = recomputeStep(app, indexedOn(app, chinaCalendar), opts);
    expect(step?.event.payload).toMatchObject({
      before: { sweepOn: '2027-01-07' },
      after: { sweepOn: '2027-01-08' },
    });
  });

  it('records an index date that moved even when nothing stored did (the review clock’s due date)', () => {
    const { app } = driveTo('UNDER_REVIEW', 'REPORT', { on: '2026-12-01' });
    const step = recomputeStep(app, indexedOn(app, chinaCalendar), opts);
    expect(step?.event.changes).toEqual({});
    expect(step?.event.payload).toMatchObject({
      before: { queueDue: '2027-02-24' },
      after: { queueDue: '2027-03-03' },
    });
  });
});
