import { chinaCalendar, type IsoDate, type WorkCalendar } from './calendar.ts';
import { type ClockState, viewClock } from './clock.ts';
import { defaultConfig, type WorkflowConfig } from './config.ts';
import type { Application, Role } from './types.ts';

/**
 * Who an application waits on, from its state alone (GET /applications?queue=mine):
 * - SUBMITTED, PREVIEW_REQUESTED: the window (any clerk);
 * - ACCEPTED: any reviewer (start_review makes them the case officer);
 * - UNDER_REVIEW, EXPERT_REVIEW, HEARING: the case officer (a user); a hearing not yet scheduled
 *   is due by `hearing.scheduleBy` (shared/domain/hearings.ts), overdue from the day after;
 * - PUBLIC_NOTICE: the approvers, but only once the notice period has ended (`after`: the last
 *   day of the notice; approve/reject are allowed from the day after, see workflow.ts afterNotice);
 * - SUPPLEMENT_REQUIRED, REVISION_REQUIRED: the owner (a user; for a walk-in, its organisation);
 * - DRAFT and terminal states: nobody.
 *
 * `due` is the date the work is due by: the completeness-check deadline for SUBMITTED, the review
 * clock's due date for the states under the clock, none otherwise. It is computed as of the last
 * write (it is stored in an index): while the clock is paused the real due date moves day by day,
 * and the index keeps the date as it stood when the pause began. The API view of each item carries
 * the live clock.
 */
export interface WaitsOn {
  role?: Extract<Role, 'clerk' | 'reviewer' | 'approver'>;
  userId?: string;
  /** A walk-in's organisation: every applicant whose token carries this `custom:orgCode`. */
  orgCode?: string;
  due?: IsoDate;
  /** Not actionable until the day after this date. */
  after?: IsoDate;
}

/** The clock's due date as of its last change: an open pause counts as ending on the day it began. */
export function clockDueDate(clock: ClockState, calendar: WorkCalendar = chinaCalendar): IsoDate {
  const open = clock.pauses.at(-1);
  const asOf = open && open.to === undefined ? open.from : clock.startedOn;
  return viewClock(clock, asOf, calendar).dueDate;
}

export function waitsOn(
  app: Application,
  config: WorkflowConfig = defaultConfig,
  calendar: WorkCalendar = chinaCalendar,
): WaitsOn | undefined {
  const clockDue = app.clockState ? { due: clockDueDate(app.clockState, calendar) } : {};
  switch (app.state) {
    case 'PREVIEW_REQUESTED':
      return { role: 'clerk' };
    case 'SUBMITTED':
      return app.receivedOn
        ? { role: 'clerk', due: calendar.addWorkingDays(app.receivedOn, config.completenessCheckDays) }
        : { role: 'clerk' };
    case 'ACCEPTED':
      return { role: 'reviewer', ...clockDue };
    case 'HEARING':
      // A hearing not yet scheduled is due by the last day it can be announced 7 days ahead.
      if (app.caseOfficerId && app.hearing?.scheduleBy && !app.hearing.scheduled)
        return { userId: app.caseOfficerId, due: app.hearing.scheduleBy };
      return app.caseOfficerId
        ? { userId: app.caseOfficerId, ...clockDue }
        : { role: 'reviewer', ...clockDue };
    case 'UNDER_REVIEW':
    case 'EXPERT_REVIEW':
      // A case without an officer (not reachable through the workflow) goes back to every reviewer.
      return app.caseOfficerId
        ? { userId: app.caseOfficerId, ...clockDue }
        : { role: 'reviewer', ...clockDue };
    case 'PUBLIC_NOTICE':
      return {
        role: 'approver',
        ...clockDue,
        ...(app.proposal ? { after: app.proposal.noticeEndsOn } : {}),
      };
    case 'SUPPLEMENT_REQUIRED':
    case 'REVISION_REQUIRED':
      return app.intake ? { orgCode: app.intake.onBehalfOf.orgCode } : { userId: app.ownerId };
    case 'DRAFT':
    case 'APPROVED':
    case 'REJECTED':
    case 'NOT_ACCEPTED':
    case 'WITHDRAWN':
    case 'FILED':
      return undefined;
  }
}
