import { beijingDate, chinaCalendar, type WorkCalendar } from '../domain/calendar.ts';
import { type ClockState, type ClockView, viewClock } from '../domain/clock.ts';
import { defaultConfig, type WorkflowConfig } from '../domain/config.ts';
import { allowedActions, canEdit } from '../domain/decide.ts';
import { withProvisional } from '../domain/provisional.ts';
import { applicationDates } from '../domain/provisional-dates.ts';
import { type Application, type Caller, type Notice, type State, terminalStates } from '../domain/types.ts';
import { noticeIdOf } from '../store/keys.ts';
import { hearingView } from './hearings.ts';

/**
 * An application as the API shows it to `caller`: the clock computed for today, and what they may
 * do. Every object holding a date counted through an unpublished year carries the provisional mark
 * beside it (docs/clocks.md#provisional-dates), computed here from `calendar`, never stored.
 */
export function applicationView(
  app: Application,
  caller: Caller,
  now: Date,
  calendar: WorkCalendar = chinaCalendar,
  config: WorkflowConfig = defaultConfig,
) {
  const { clockState, id, state, category, version, acceptance, proposal, expertReview, ...rest } = app;
  const dates = applicationDates(app, config, calendar);
  const check = dates.completenessDeadline;
  return {
    id,
    state,
    category,
    version,
    ...rest,
    ...(acceptance
      ? { acceptance: withProvisional(acceptance, { commentEndsOn: dates.commentEndsOn }, calendar) }
      : {}),
    ...(proposal
      ? {
          proposal: withProvisional(
            proposal,
            { noticeEndsOn: dates.noticeEndsOn, hearingDeadline: dates.hearingDeadline },
            calendar,
          ),
        }
      : {}),
    ...(expertReview
      ? {
          expertReview: withProvisional(
            {
              ...expertReview,
              ...(dates.expertReviewEndsOn ? { expectedEndsOn: dates.expertReviewEndsOn.to } : {}),
            },
            { expectedEndsOn: dates.expertReviewEndsOn },
            calendar,
          ),
        }
      : {}),
    ...(check
      ? { completenessCheck: withProvisional({ deadline: check.to }, { deadline: check }, calendar) }
      : {}),
    ...(clockState ? { clock: clockOf(state, clockState, beijingDate(now), calendar) } : {}),
    // The hearing's dates marked when provisional; overdue once not scheduled in time (hearings.ts).
    ...(app.hearing ? { hearing: hearingView(app, beijingDate(now), calendar) } : {}),
    allowedActions: allowedActions(app, caller, { now, calendar, config }),
    canEdit: canEdit(app, caller),
  };
}

/**
 * The review clock as the API shows it: `stopped` says whether it has stopped for good (the case is
 * decided, withdrawn or not accepted). A stopped clock has no days left to run: `remaining` and
 * `commitment.remaining` are 0 (what it had used stays in `used`), so that no client shows days
 * remaining on a decided case; `stoppedOn` is the day it stopped.
 */
export function clockOf(
  state: State,
  clockState: ClockState,
  today: string,
  calendar: WorkCalendar = chinaCalendar,
): ClockView & { stopped: boolean; stoppedOn?: string } {
  const view = viewClock(clockState, today, calendar);
  const stopped = (terminalStates as readonly State[]).includes(state) || clockState.stoppedOn !== undefined;
  if (!stopped) return { ...view, stopped: false };
  return {
    ...view,
    remaining: 0,
    commitment: { ...view.commitment, remaining: 0 },
    stopped: true,
    ...(clockState.stoppedOn ? { stoppedOn: clockState.stoppedOn } : {}),
  };
}

/** A public notice as the API shows it: its period's last day marked when it is provisional. */
export function noticeView(notice: Notice, calendar: WorkCalendar = chinaCalendar) {
  return withProvisional(
    // Its stable id: GET /public/notices/{noticeId}/public-version.
    { noticeId: noticeIdOf(notice), ...notice },
    { endsOn: notice.endsOn ? { from: notice.publishedOn, to: notice.endsOn } : undefined },
    calendar,
  );
}

export const etag = (app: Pick<Application, 'version'>) => `"${app.version}"`;
