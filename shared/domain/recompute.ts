import type { IsoDate, WorkCalendar } from './calendar.ts';
import { beijingDate } from './calendar.ts';
import { defaultConfig, type WorkflowConfig } from './config.ts';
import { nextCheckOn } from './deadlines.ts';
import { type Step, systemStep } from './decide.ts';
import { hearingDates } from './hearings.ts';
import { waitsOn } from './queue.ts';
import { type Application, type Changes, terminalStates } from './types.ts';

/**
 * After the bureau changes the calendar: the dates an open application stores or is indexed by,
 * counted again on the new calendar. Stored: the end of the comment period, of the proposed
 * decision's notice and of the hearing window (each only while still open), and a requested
 * hearing's last day to be held and to be scheduled (while it is not yet held: a date already set
 * for it stays, and schedule_hearing checks a new one against the new last day). Indexed: the day the
 * sweeper next looks at it (gsi7) and its due date in the work queue (gsi8: the review clock's due
 * date, or the completeness deadline while SUBMITTED). What moved is one `recompute_dates` event
 * by `system`, its payload the dates before and after; replaying it sets the stored dates again.
 */
export const RECOMPUTE_ACTION = 'recompute_dates';

/** The index dates as stored on the application's item (absent: not on that index). */
export interface IndexedDates {
  sweepOn?: IsoDate;
  queueDue?: IsoDate;
}

export interface RecomputeOptions {
  now: Date;
  requestId: string;
  calendar: WorkCalendar;
  config?: WorkflowConfig;
}

type Dates = Partial<
  Record<
    'commentEndsOn' | 'noticeEndsOn' | 'hearingDeadline' | 'holdBy' | 'scheduleBy' | 'sweepOn' | 'queueDue',
    IsoDate
  >
>;

/** A hearing requested and not yet held: its dates count from its first request, in working days. */
function openHearing(app: Application): NonNullable<Application['hearing']> | undefined {
  const hearing = app.hearing;
  return app.state === 'HEARING' && hearing?.holdBy && !hearing.recordedAt ? hearing : undefined;
}

function hearingDatesOf(app: Application): Dates {
  const hearing = openHearing(app);
  return hearing?.holdBy && hearing.scheduleBy
    ? { holdBy: hearing.holdBy, scheduleBy: hearing.scheduleBy }
    : {};
}

/** The application's dates on `calendar`, stored and indexed. */
function datesOf(
  app: Application,
  calendar: WorkCalendar,
  config: WorkflowConfig,
): { changes: Changes; dates: Dates } {
  const changes: Changes = {};
  const { acceptance, proposal } = app;
  if (acceptance && !acceptance.commentClosedOn) {
    const category = app.category === 'REGISTRATION' ? 'REPORT_FORM' : app.category;
    const commentEndsOn = calendar.addWorkingDays(acceptance.noticePublishedOn, config.commentDays[category]);
    if (commentEndsOn !== acceptance.commentEndsOn) changes.acceptance = { ...acceptance, commentEndsOn };
  }
  if (proposal && !proposal.noticeClosedOn) {
    const noticeEndsOn = calendar.addWorkingDays(proposal.noticeStartsOn, config.proposedDecisionNoticeDays);
    const hearingDeadline = calendar.addWorkingDays(proposal.noticeStartsOn, config.hearingRequestDays);
    if (noticeEndsOn !== proposal.noticeEndsOn || hearingDeadline !== proposal.hearingDeadline)
      changes.proposal = { ...proposal, noticeEndsOn, hearingDeadline };
  }
  const hearing = openHearing(app);
  if (hearing) {
    const counted = hearingDates(beijingDate(hearing.requestedAt), calendar);
    if (counted.holdBy !== hearing.holdBy || counted.scheduleBy !== hearing.scheduleBy)
      changes.hearing = { ...hearing, ...counted };
  }
  const next = { ...app, ...changes } as Application;
  const dates: Dates = {
    ...(next.acceptance && !next.acceptance.commentClosedOn
      ? { commentEndsOn: next.acceptance.commentEndsOn }
      : {}),
    ...(next.proposal && !next.proposal.noticeClosedOn
      ? { noticeEndsOn: next.proposal.noticeEndsOn, hearingDeadline: next.proposal.hearingDeadline }
      : {}),
    ...hearingDatesOf(next),
  };
  const sweepOn = nextCheckOn(next, config, calendar);
  const queueDue = waitsOn(next, config, calendar)?.due;
  if (sweepOn) dates.sweepOn = sweepOn;
  if (queueDue) dates.queueDue = queueDue;
  return { changes, dates };
}

/**
 * The recompute step one application owes after a calendar change, or undefined when nothing it
 * stores or is indexed by moves. Pure; and idempotent once committed (the commit writes the index
 * dates from the same calendar, so the next call finds nothing to do).
 */
export function recomputeStep(
  app: Application,
  indexed: IndexedDates,
  opts: RecomputeOptions,
): Step | undefined {
  if ((terminalStates as readonly string[]).includes(app.state)) return undefined;
  const config = opts.config ?? defaultConfig;
  const { changes, dates: after } = datesOf(app, opts.calendar, config);
  const before: Dates = {
    ...(app.acceptance && !app.acceptance.commentClosedOn
      ? { commentEndsOn: app.acceptance.commentEndsOn }
      : {}),
    ...(app.proposal && !app.proposal.noticeClosedOn
      ? { noticeEndsOn: app.proposal.noticeEndsOn, hearingDeadline: app.proposal.hearingDeadline }
      : {}),
    ...hearingDatesOf(app),
    ...(indexed.sweepOn ? { sweepOn: indexed.sweepOn } : {}),
    ...(indexed.queueDue ? { queueDue: indexed.queueDue } : {}),
  };
  const moved = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => before[k as keyof Dates] !== after[k as keyof Dates])
    .sort();
  if (moved.length === 0) return undefined;
  const pick = (d: Dates) => Object.fromEntries(moved.map((k) => [k, d[k as keyof Dates] ?? null]));
  return systemStep(app, RECOMPUTE_ACTION, changes, opts, { before: pick(before), after: pick(after) });
}
