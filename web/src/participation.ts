/**
 * The rules of public participation as the console needs them, kept free of the page so that they
 * can be tested alone: when a notice takes comments or hearing requests, how long a text is, what
 * stops the case officer from proposing a decision, and the hearing's time as the API wants it.
 * The API decides every one of these again; the console only says them before anyone tries.
 */

/** The longest comment, hearing reason and response, in characters. */
export const MAX_TEXT = 5000;
export const MAX_NAME = 100;
export const MAX_CONTACT = 200;
export const MAX_PLACE = 200;

const DAY = 24 * 60 * 60 * 1000;

/** A date (YYYY-MM-DD) in Beijing, where the service counts its days. */
export const beijingDate = (at: Date): string =>
  new Date(at.getTime() + 8 * 60 * 60 * 1000).toISOString().slice(0, 10);

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** Characters as the API counts them (code points, after trimming), not UTF-16 units. */
export const charCount = (text: string): number => [...text.trim()].length;

/** Whether a window from `from` through `until` (both days included) is open on `today`. */
export function windowOpen(today: string, until: string | undefined, from?: string): boolean {
  return until !== undefined && today <= until && (from === undefined || from <= today);
}

/** What the console knows of a notice that the public may answer. */
export interface AnswerableNotice {
  kind: string;
  publishedOn: string;
  commentsOpenUntil?: string | undefined;
  hearingRequestsOpenUntil?: string | undefined;
}

/** Whether the public may comment on the notice today. */
export const commentsOpen = (n: AnswerableNotice, today: string): boolean =>
  windowOpen(today, n.commentsOpenUntil, n.publishedOn);

/** Whether interested parties may ask for a hearing on the notice today (proposed decisions only). */
export const hearingRequestsOpen = (n: AnswerableNotice, today: string): boolean =>
  n.kind === 'PROPOSED_DECISION' && windowOpen(today, n.hearingRequestsOpenUntil, n.publishedOn);

/** What stops a proposal, as the API's problem types name it. */
export type ProposalBlock =
  | { type: 'comment-period-open'; until: string }
  | { type: 'comments-unanswered'; unanswered: number };

/**
 * What stops the case officer from proposing a decision today, from the application as read:
 * the acceptance notice's comment period still running (through its last day, until the sweeper
 * closes it), and public comments without a response. Both are listed when both apply.
 */
export function proposalBlocks(
  app: {
    acceptance?: { commentEndsOn: string; commentClosedOn?: string };
    comments?: { received: number; answered: number };
  },
  today: string,
): ProposalBlock[] {
  const blocks: ProposalBlock[] = [];
  const a = app.acceptance;
  if (a && !a.commentClosedOn && today <= a.commentEndsOn)
    blocks.push({ type: 'comment-period-open', until: a.commentEndsOn });
  const unanswered = app.comments ? Math.max(0, app.comments.received - app.comments.answered) : 0;
  if (unanswered > 0) blocks.push({ type: 'comments-unanswered', unanswered });
  return blocks;
}

/** The number of unanswered comments in the API's 422 detail ("3 public comments have no response yet"). */
export function unansweredIn(detail: string): number | undefined {
  const n = /^(\d+) public comments? ha(?:s|ve) no response/.exec(detail)?.[1];
  return n === undefined ? undefined : Number(n);
}

/**
 * A hearing's time from a date-time field (`2026-12-20T09:30`, Beijing time, as the officer typed
 * it) as the API takes it: ISO 8601 with the +08:00 offset. Undefined for anything else.
 */
export function hearingAt(local: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(?:\.\d+)?$/.exec(local.trim());
  if (!m) return undefined;
  const iso = `${m[1]}T${m[2]}${m[3] ?? ':00'}+08:00`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

/**
 * The days a hearing may be put on: from today + 7 calendar days (the parties are told at least
 * 7 days ahead) through `holdBy` (20 working days from the first request). `possible` is false
 * when that range is empty.
 */
export function hearingDays(
  today: string,
  holdBy?: string,
): { earliest: string; latest?: string; possible: boolean } {
  const earliest = addDays(today, 7);
  return {
    earliest,
    ...(holdBy ? { latest: holdBy } : {}),
    possible: holdBy === undefined || earliest <= holdBy,
  };
}

/** Whether a contact looks like an e-mail address (those requesters are told by e-mail; others by phone). */
export const isEmail = (contact: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact.trim());
