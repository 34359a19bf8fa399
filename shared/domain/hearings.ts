import { addCalendarDays, beijingDate, type IsoDate, type WorkCalendar } from './calendar.ts';
import { publicActor } from './comments.ts';
import { type DecideOptions, type Step, stepOutside, systemStep } from './decide.ts';
import type { Application, Notice } from './types.ts';

/**
 * Hearings (docs/workflow.md#hearings): the applicant (`request_hearing`) and any interested party
 * (POST /public/notices/{noticeId}/hearing-requests) may ask for one while the proposed decision's
 * hearing window is open. The first request moves the case to HEARING and pauses the clock; the
 * case officer then schedules it (`schedule_hearing`) at least 7 days ahead and no later than 20
 * working days after the first request (Administrative Licensing Law arts. 47–48).
 */

/** The longest name, contact and reason an interested party may send, in characters. */
export const MAX_HEARING_NAME_CHARS = 100;
export const MAX_HEARING_CONTACT_CHARS = 200;
export const MAX_HEARING_REASON_CHARS = 5000;

/** The hearing is held within this many working days of the first request (art. 47). */
export const HEARING_HOLD_WORKING_DAYS = 20;
/** Those who take part are told at least this many calendar days ahead (art. 48). */
export const HEARING_NOTICE_DAYS = 7;

/** The action an interested party's request is recorded as once a hearing is already requested. */
export const RECEIVE_HEARING_REQUEST = 'receive_hearing_request';

/**
 * One interested party's request, as stored beside its application. The name, contact and reason
 * are theirs: only officials and auditors read them; the trail records the name and contact (masked
 * for everyone else), never the reason.
 */
export interface HearingRequest {
  hearingRequestId: string;
  applicationId: string;
  noticeId: string;
  receivedAt: string;
  name: string;
  contact: string;
  reason: string;
}

/** The hearing's two dates, from the day of the first request. */
export function hearingDates(
  firstRequestOn: IsoDate,
  calendar: WorkCalendar,
): { holdBy: IsoDate; scheduleBy: IsoDate } {
  const holdBy = calendar.addWorkingDays(firstRequestOn, HEARING_HOLD_WORKING_DAYS);
  return { holdBy, scheduleBy: addCalendarDays(holdBy, -HEARING_NOTICE_DAYS) };
}

/** The dates of `hearing` as stored, or counted from its first request on `calendar` when it has none. */
export function datesOfHearing(
  hearing: NonNullable<Application['hearing']>,
  calendar: WorkCalendar,
): { holdBy: IsoDate; scheduleBy: IsoDate } {
  if (hearing.holdBy && hearing.scheduleBy) return { holdBy: hearing.holdBy, scheduleBy: hearing.scheduleBy };
  return hearingDates(beijingDate(hearing.requestedAt), calendar);
}

/** Whether a contact reads as an e-mail address (the notifier writes to those; the case officer phones the others). */
export function isEmailAddress(contact: string): boolean {
  return /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]+$/.test(contact.trim());
}

/** The hearing is requested and waits for its date: in HEARING, not yet scheduled. */
export function awaitsScheduling(app: Pick<Application, 'state' | 'hearing'>): boolean {
  return app.state === 'HEARING' && app.hearing !== undefined && app.hearing.scheduled === undefined;
}

/** A date of `schedule_hearing` that breaks a rule: its problem type, the field and why. */
export interface ScheduleRefusal {
  type: 'hearing-too-soon' | 'hearing-too-late';
  path: 'at';
  message: string;
  /** The rule's name and values, for a client to word it (shared/domain/rules.ts). */
  rule: 'hearing-too-soon' | 'hearing-too-late';
  params: { earliest?: string; holdBy?: string; days?: number; day: string };
}

/**
 * What is wrong with holding the hearing at `at` when scheduling it on `today`, or undefined: its
 * day (Beijing) must be at least 7 calendar days after today, and no later than `holdBy`.
 */
export function scheduleRefusal(
  app: Pick<Application, 'hearing'>,
  at: string,
  today: IsoDate,
  calendar: WorkCalendar,
): ScheduleRefusal | undefined {
  const day = beijingDate(at);
  const earliest = addCalendarDays(today, HEARING_NOTICE_DAYS);
  if (day < earliest) {
    return {
      type: 'hearing-too-soon',
      path: 'at',
      message: `those taking part must be told at least ${HEARING_NOTICE_DAYS} days ahead: hold it on ${earliest} or later, not on ${day}`,
      rule: 'hearing-too-soon',
      params: { earliest, days: HEARING_NOTICE_DAYS, day },
    };
  }
  if (!app.hearing) return undefined;
  const { holdBy } = datesOfHearing(app.hearing, calendar);
  if (day > holdBy) {
    return {
      type: 'hearing-too-late',
      path: 'at',
      message: `the hearing must be held by ${holdBy}, ${HEARING_HOLD_WORKING_DAYS} working days after the first request of ${beijingDate(app.hearing.requestedAt)}, not on ${day}`,
      rule: 'hearing-too-late',
      params: { holdBy, days: HEARING_HOLD_WORKING_DAYS, day },
    };
  }
  return undefined;
}

/** Whether `notice` is the notice of the application's current proposed decision. */
function ofCurrentProposal(
  app: Pick<Application, 'proposal'>,
  notice: Pick<Notice, 'kind' | 'publishedAt'>,
): boolean {
  return notice.kind === 'PROPOSED_DECISION' && notice.publishedAt === app.proposal?.proposedAt;
}

/** The hearing on the current proposal has been held (its outcome recorded). */
function heldOnProposal(app: Pick<Application, 'proposal' | 'hearing'>): boolean {
  const { hearing, proposal } = app;
  return !!hearing?.recordedAt && !!proposal && hearing.requestedAt >= proposal.proposedAt;
}

/**
 * The last day interested parties may ask for a hearing on `notice` (the proposal's
 * `hearingDeadline`), or undefined when the notice takes none whatever the day: it is not the
 * notice of the application's current proposed decision, the case is neither on notice nor in its
 * hearing, or the hearing on this proposal was held. From the notice's first day.
 */
export function hearingRequestsOpenUntil(
  app: Pick<Application, 'state' | 'proposal' | 'hearing'>,
  notice: Pick<Notice, 'kind' | 'publishedAt'>,
): IsoDate | undefined {
  if (!ofCurrentProposal(app, notice) || heldOnProposal(app)) return undefined;
  if (app.state !== 'PUBLIC_NOTICE' && app.state !== 'HEARING') return undefined;
  return app.proposal?.hearingDeadline;
}

/**
 * Why an interested party may not ask for a hearing on `notice` on `today`, in plain words, or
 * undefined: only on the notice of the application's current proposed decision, while the case is
 * on notice or in its hearing (the outcome not yet recorded), from the notice's first day through
 * the proposal's `hearingDeadline`.
 */
export function hearingWindowRefusal(
  app: Application,
  notice: Pick<Notice, 'kind' | 'publishedAt' | 'publishedOn'>,
  today: IsoDate,
): string | undefined {
  if (notice.kind !== 'PROPOSED_DECISION') {
    return 'a hearing is requested on the notice of a proposed decision; this notice is not one';
  }
  if (!ofCurrentProposal(app, notice)) {
    return 'this proposed decision is no longer the current one: it was withdrawn or replaced';
  }
  if (app.state === 'WITHDRAWN') return 'the application this notice is about was withdrawn';
  if (heldOnProposal(app)) {
    return `the hearing on this proposed decision was held; its outcome was recorded on ${beijingDate(app.hearing?.recordedAt ?? '')}`;
  }
  const until = hearingRequestsOpenUntil(app, notice);
  if (!until) return 'the case is no longer on notice: hearing requests are closed';
  if (today < notice.publishedOn || today > until) {
    return `hearing requests on this notice are taken from ${notice.publishedOn} until ${until}`;
  }
  return undefined;
}

/**
 * The step an interested party's request makes. The first request on this proposal (the case is
 * still on notice) is `request_hearing` by the public: PUBLIC_NOTICE → HEARING, the clock paused,
 * exactly as the applicant's; any later one is `receive_hearing_request`, which only counts it.
 * Either way the trail records the notice, the request's id, the name and the contact, never the
 * reason.
 */
export function receiveHearingRequest(app: Application, request: HearingRequest, opts: DecideOptions): Step {
  const payload = {
    noticeId: request.noticeId,
    hearingRequestId: request.hearingRequestId,
    name: request.name,
    contact: request.contact,
  };
  if (app.state === 'PUBLIC_NOTICE') {
    return stepOutside(app, 'request_hearing', publicActor, { reason: '' }, opts, payload);
  }
  const hearing = app.hearing ?? { reason: '', requestedAt: opts.now.toISOString() };
  const step = systemStep(
    app,
    RECEIVE_HEARING_REQUEST,
    { hearing: { ...hearing, requests: (hearing.requests ?? 0) + 1 } },
    opts,
    payload,
  );
  return { ...step, event: { ...step.event, actor: publicActor } };
}
