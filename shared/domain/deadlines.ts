import { addCalendarDays, beijingDate, chinaCalendar, type IsoDate, type WorkCalendar } from './calendar.ts';
import { viewClock } from './clock.ts';
import { defaultConfig, type WorkflowConfig } from './config.ts';
import { allowedActions, decide, type Step, systemStep } from './decide.ts';
import { EXPERT_REVIEW_ELAPSED } from './notifications.ts';
import type { CounterValues } from './numbers.ts';
import { expertReviewEnd } from './provisional-dates.ts';
import { systemActorNames } from './system-actors.ts';
import { type Application, type Caller, terminalStates } from './types.ts';

/**
 * What the sweeper does to one application, as pure functions: deemed acceptance (Administrative
 * Licensing Law art. 32), the end of the public comment and proposed-decision notice periods, and
 * the DUE_SOON and OVERDUE marks of the review clock, each once, each with its own event; and the
 * case officer's warning when an expert review has outrun its expected working days, once a review.
 */
export const SYSTEM: Caller = { id: 'system', name: systemActorNames.sweeper, roles: ['system'] };

export interface SweepOptions {
  now: Date;
  requestId: string;
  config?: WorkflowConfig;
  calendar?: WorkCalendar;
  /** The acceptance notice's counter as read (deemed acceptance issues one): see DecideOptions. */
  counters?: CounterValues;
}

function isTerminal(app: Application): boolean {
  return (terminalStates as readonly string[]).includes(app.state);
}

/** The review clock, when it is running: started, not stopped, not paused. */
function runningClock(app: Application) {
  const clock = app.clockState;
  if (!clock || clock.stoppedOn) return undefined;
  const last = clock.pauses.at(-1);
  return last && last.to === undefined ? undefined : clock;
}

/** The next step the sweeper owes this application now, if any. Run it until it answers undefined. */
export function sweepStep(app: Application, opts: SweepOptions): Step | undefined {
  const today = beijingDate(opts.now);
  const calendar = opts.calendar ?? chinaCalendar;
  if (app.state === 'SUBMITTED' && allowedActions(app, SYSTEM, opts).includes('accept')) {
    return decide(app, 'accept', SYSTEM, {}, opts);
  }
  const acceptance = app.acceptance;
  // A finished application's trail stays finished: no system steps after a terminal state.
  if (isTerminal(app)) return undefined;
  if (acceptance && !acceptance.commentClosedOn && today > acceptance.commentEndsOn) {
    return systemStep(
      app,
      'close_comment_period',
      { acceptance: { ...acceptance, commentClosedOn: today } },
      opts,
    );
  }
  const proposal = app.proposal;
  if (
    app.state === 'PUBLIC_NOTICE' &&
    proposal &&
    !proposal.noticeClosedOn &&
    today > proposal.noticeEndsOn
  ) {
    return systemStep(app, 'close_notice', { proposal: { ...proposal, noticeClosedOn: today } }, opts);
  }
  // The review clock is paused during an expert review, so this comes before the clock's marks.
  const review = app.expertReview;
  const reviewEnds = app.state === 'EXPERT_REVIEW' ? expertReviewEnd(app, calendar) : undefined;
  if (review && reviewEnds && !review.elapsedOn && today > reviewEnds.to) {
    return systemStep(app, EXPERT_REVIEW_ELAPSED, { expertReview: { ...review, elapsedOn: today } }, opts);
  }
  const clock = runningClock(app);
  if (!clock) return undefined;
  const status = viewClock(clock, today, calendar).status;
  const marks = app.deadlines ?? {};
  if (status === 'OVERDUE' && !marks.overdueOn) {
    return systemStep(
      app,
      'mark_overdue',
      { deadlines: { dueSoonOn: marks.dueSoonOn ?? today, overdueOn: today } },
      opts,
    );
  }
  if (status === 'DUE_SOON' && !marks.dueSoonOn) {
    return systemStep(app, 'mark_due_soon', { deadlines: { ...marks, dueSoonOn: today } }, opts);
  }
  return undefined;
}

/**
 * The first day on which `sweepStep` may have something to do: the sweeper's index is keyed by
 * it, so a sweep reads only what is due. Undefined: nothing will ever be due (or not until the
 * application changes again, which computes a new date).
 */
export function nextCheckOn(
  app: Application,
  config: WorkflowConfig = defaultConfig,
  calendar: WorkCalendar = chinaCalendar,
): IsoDate | undefined {
  const dates: IsoDate[] = [];
  if (app.state === 'SUBMITTED' && app.receivedOn && app.category !== 'REGISTRATION') {
    dates.push(addCalendarDays(calendar.addWorkingDays(app.receivedOn, config.completenessCheckDays), 1));
  }
  if (isTerminal(app)) return undefined;
  if (app.acceptance && !app.acceptance.commentClosedOn)
    dates.push(addCalendarDays(app.acceptance.commentEndsOn, 1));
  if (app.state === 'PUBLIC_NOTICE' && app.proposal && !app.proposal.noticeClosedOn) {
    dates.push(addCalendarDays(app.proposal.noticeEndsOn, 1));
  }
  if (app.state === 'EXPERT_REVIEW' && !app.expertReview?.elapsedOn) {
    const ends = expertReviewEnd(app, calendar);
    if (ends) dates.push(addCalendarDays(ends.to, 1));
  }
  const clock = runningClock(app);
  const marks = app.deadlines ?? {};
  if (clock && !marks.overdueOn) {
    // Without an open pause the clock's dates do not depend on the day they are viewed.
    const view = viewClock(clock, clock.startedOn, calendar);
    if (marks.dueSoonOn) dates.push(addCalendarDays(view.dueDate, 1));
    else {
      const soon = viewClock(
        { ...clock, limitDays: Math.max(0, clock.limitDays - 3) },
        clock.startedOn,
        calendar,
      );
      dates.push(soon.dueDate);
    }
  }
  return dates.sort()[0];
}
