import { beijingDate, chinaCalendar, type IsoDate, type WorkCalendar } from './calendar.ts';
import { viewClock } from './clock.ts';
import { defaultConfig, type WorkflowConfig } from './config.ts';
import { type Counted, isProvisional } from './provisional.ts';
import { type Application, terminalStates } from './types.ts';

/**
 * Every date of one application counted through the calendar, each with the day its count
 * started from: what the API view marks (shared/http/view.ts) and the sweeper's metric counts.
 */
export interface ApplicationDates {
  /** Last day of the window's completeness check, while the application is SUBMITTED. */
  completenessDeadline?: Counted;
  commentEndsOn?: Counted;
  noticeEndsOn?: Counted;
  hearingDeadline?: Counted;
  /** The expert review's expected last day: its start plus the expected working days. */
  expertReviewEndsOn?: Counted;
}

export function completenessCheck(
  app: Application,
  config: WorkflowConfig = defaultConfig,
  calendar: WorkCalendar = chinaCalendar,
): Counted | undefined {
  if (app.state !== 'SUBMITTED' || !app.receivedOn || app.category === 'REGISTRATION') return undefined;
  return { from: app.receivedOn, to: calendar.addWorkingDays(app.receivedOn, config.completenessCheckDays) };
}

export function expertReviewEnd(
  app: Application,
  calendar: WorkCalendar = chinaCalendar,
): Counted | undefined {
  const review = app.expertReview;
  if (!review || review.expectedWorkingDays <= 0) return undefined;
  const from = beijingDate(review.startedAt);
  return { from, to: calendar.addWorkingDays(from, review.expectedWorkingDays) };
}

export function applicationDates(
  app: Application,
  config: WorkflowConfig = defaultConfig,
  calendar: WorkCalendar = chinaCalendar,
): ApplicationDates {
  const dates: ApplicationDates = {};
  const check = completenessCheck(app, config, calendar);
  if (check) dates.completenessDeadline = check;
  if (app.acceptance) {
    dates.commentEndsOn = { from: app.acceptance.noticePublishedOn, to: app.acceptance.commentEndsOn };
  }
  if (app.proposal) {
    const from = app.proposal.noticeStartsOn;
    dates.noticeEndsOn = { from, to: app.proposal.noticeEndsOn };
    dates.hearingDeadline = { from, to: app.proposal.hearingDeadline };
  }
  const expert = expertReviewEnd(app, calendar);
  if (expert) dates.expertReviewEndsOn = expert;
  return dates;
}

/**
 * The open deadlines of an application that are provisional as of `today`: those still ahead of
 * someone (not past, not closed) in a state where they bind. What the sweeper's metric counts.
 */
export function openProvisionalDeadlines(
  app: Application,
  today: IsoDate,
  config: WorkflowConfig = defaultConfig,
  calendar: WorkCalendar = chinaCalendar,
): string[] {
  if ((terminalStates as readonly string[]).includes(app.state)) return [];
  const open: Record<string, Counted | undefined> = {};
  const dates = applicationDates(app, config, calendar);
  open.completenessDeadline = dates.completenessDeadline;
  if (!app.acceptance?.commentClosedOn) open.commentEndsOn = dates.commentEndsOn;
  if (app.state === 'PUBLIC_NOTICE' && !app.proposal?.noticeClosedOn) {
    open.noticeEndsOn = dates.noticeEndsOn;
    open.hearingDeadline = dates.hearingDeadline;
  }
  if (app.state === 'EXPERT_REVIEW') open.expertReviewEndsOn = dates.expertReviewEndsOn;
  const clock = app.clockState;
  if (clock && !clock.stoppedOn) {
    const view = viewClock(clock, today, calendar);
    open.dueDate = { from: clock.startedOn, to: view.dueDate };
  }
  return Object.entries(open)
    .filter(([, d]) => d !== undefined && d.to >= today && isProvisional(d.from, d.to, calendar))
    .map(([field]) => field);
}
