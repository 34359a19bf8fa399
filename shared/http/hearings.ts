import { beijingDate, type IsoDate, type WorkCalendar } from '../domain/calendar.ts';
import { textIssue } from '../domain/comments.ts';
import { ValidationError } from '../domain/errors.ts';
import {
  awaitsScheduling,
  type HearingRequest,
  MAX_HEARING_CONTACT_CHARS,
  MAX_HEARING_NAME_CHARS,
  MAX_HEARING_REASON_CHARS,
} from '../domain/hearings.ts';
import { withProvisional } from '../domain/provisional.ts';
import { ruleIssue } from '../domain/rules.ts';
import type { Application } from '../domain/types.ts';

const FIELDS = ['name', 'contact', 'reason'] as const;

/**
 * An interested party's hearing request, checked: `name` (1–100 characters), `contact` (1–200) and
 * `reason` (1–5,000), each required, trimmed, without control characters; 400 naming each field
 * that is wrong or unknown.
 */
export function hearingRequestInput(body: unknown): { name: string; contact: string; reason: string } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError('Invalid hearing request: the body must be a JSON object', [
      ruleIssue('', 'expected {"name", "contact", "reason"}', 'json-object'),
    ]);
  }
  const b = body as Record<string, unknown>;
  const issues = [
    textIssue('name', b.name, MAX_HEARING_NAME_CHARS, true, 'line'),
    textIssue('contact', b.contact, MAX_HEARING_CONTACT_CHARS, true, 'line'),
    textIssue('reason', b.reason, MAX_HEARING_REASON_CHARS, true),
    ...Object.keys(b)
      .filter((k) => !(FIELDS as readonly string[]).includes(k))
      .map((k) => ({
        path: k,
        message: `${k} is not a field of a hearing request`,
        code: 'unrecognized_keys',
      })),
  ].filter((i) => i !== undefined);
  if (issues.length) {
    throw new ValidationError(`Invalid hearing request: ${issues.map((i) => i.path).join(', ')}`, issues);
  }
  return { name: String(b.name).trim(), contact: String(b.contact).trim(), reason: String(b.reason).trim() };
}

/** A hearing request as the API shows it to officials and auditors. */
export function hearingRequestView(r: HearingRequest) {
  return {
    hearingRequestId: r.hearingRequestId,
    noticeId: r.noticeId,
    receivedAt: r.receivedAt,
    name: r.name,
    contact: r.contact,
    reason: r.reason,
  };
}

/**
 * An application's hearing as the API shows it on `today`: `holdBy` and `scheduleBy` marked when
 * counted through an unpublished year, and `scheduleOverdue: true` once the case officer has not
 * scheduled it by `scheduleBy` (the case waits on them, overdue, in their queue).
 */
export function hearingView(app: Application, today: IsoDate, calendar: WorkCalendar) {
  const hearing = app.hearing;
  if (!hearing) return undefined;
  const from = beijingDate(hearing.requestedAt);
  const overdue = awaitsScheduling(app) && hearing.scheduleBy !== undefined && today > hearing.scheduleBy;
  return withProvisional(
    { ...hearing, ...(overdue ? { scheduleOverdue: true } : {}) },
    {
      holdBy: hearing.holdBy ? { from, to: hearing.holdBy } : undefined,
      scheduleBy: hearing.scheduleBy ? { from, to: hearing.scheduleBy } : undefined,
    },
    calendar,
  );
}
