/**
 * The statutory review clock. Counting follows Administrative Licensing Law art. 82: the start day
 * is not counted, day 1 is the first counted day after `startedOn`. Pauses (e.g. waiting for the
 * applicant to supplement materials, expert review) stop the count: the pause day still counts,
 * the resume day does not. The bureau's shorter commitment also leaves out the public notice
 * periods (`noticePeriods`); the statutory limit counts them (docs/clocks.md#the-commitment).
 */
import { chinaCalendar, fromDayNumber, type IsoDate, toDayNumber, type WorkCalendar } from './calendar.js';
import { type ProvisionalNote, provisionalMark } from './provisional.ts';

export type { IsoDate };

export type DayType = 'WORKING' | 'CALENDAR';

/** Paused on `from`; resumed on `to` (absent: still paused). */
export interface Pause {
  from: IsoDate;
  to?: IsoDate;
}

/**
 * A public notice period: the comment period on the acceptance notice (`comment`, 受理公示) or the
 * proposed decision's notice (`notice`, 拟审批公示). Its days, `(from, to]` as for a pause (`from`
 * is the day the notice was published), do not count toward the bureau's commitment.
 */
export interface NoticePeriod {
  kind: 'comment' | 'notice';
  from: IsoDate;
  to: IsoDate;
}

export interface ClockState {
  startedOn: IsoDate;
  limitDays: number;
  dayType: DayType;
  /** The bureau's published commitment, shorter than the statutory limit; always working days. */
  commitmentDays: number;
  pauses: Pause[];
  /**
   * The public notice periods so far, oldest first (`withNoticePeriods`); absent on clocks from
   * before the commitment left them out, whose commitment then counts them.
   */
  noticePeriods?: NoticePeriod[];
  /** Set when the application reaches a terminal state; the clock freezes there. */
  stoppedOn?: IsoDate;
}

export type ClockStatus = 'ON_TRACK' | 'DUE_SOON' | 'OVERDUE';

export interface ClockView {
  startedOn: IsoDate;
  limit: number;
  dayType: DayType;
  used: number;
  remaining: number;
  paused: boolean;
  pausedDays: number;
  dueDate: IsoDate;
  /**
   * The bureau's commitment: working days, not counting the pauses nor the public notice periods;
   * `noticeDays`: the working days of notice periods left out so far (beyond the paused ones).
   */
  commitment: { limit: number; dueDate: IsoDate; remaining: number; noticeDays: number };
  calendarPublished: boolean;
  unpublishedYears: number[];
  /** English only, kept for existing clients: `provisionalNote` says it in both languages. */
  note?: string;
  /** Whether a due date (`dueDate`, `commitment.dueDate`) was counted through an unpublished year. */
  provisional: boolean;
  provisionalDates?: string[];
  provisionalNote?: ProvisionalNote;
  status: ClockStatus;
}

const DUE_SOON_DAYS = 3;

export function startClock(opts: {
  startedOn: IsoDate;
  limitDays: number;
  dayType: DayType;
  commitmentDays: number;
}): ClockState {
  toDayNumber(opts.startedOn);
  for (const n of [opts.limitDays, opts.commitmentDays]) {
    if (!Number.isSafeInteger(n) || n < 0)
      throw new RangeError(`Day limits must be whole days >= 0, got ${n}`);
  }
  return { ...opts, pauses: [] };
}

function openPause(s: ClockState): Pause | undefined {
  const last = s.pauses.at(-1);
  return last && last.to === undefined ? last : undefined;
}

/**
 * A clock never runs backwards: a date before the clock's last one (a skewed server, or a local
 * demo clock set back) is taken as that last date, so pauses stay in order and never overlap.
 */
function notBefore(on: IsoDate, earliest: IsoDate): IsoDate {
  return toDayNumber(on) < toDayNumber(earliest) ? earliest : on;
}

/** No-op if already paused, or stopped (a stopped clock is frozen). */
export function pauseClock(s: ClockState, on: IsoDate): ClockState {
  if (s.stoppedOn !== undefined || openPause(s)) return s;
  const last = s.pauses.at(-1);
  return { ...s, pauses: [...s.pauses, { from: notBefore(on, last?.to ?? s.startedOn) }] };
}

/** Closes the open pause. No-op if not paused, or stopped. */
export function resumeClock(s: ClockState, on: IsoDate): ClockState {
  const open = openPause(s);
  if (s.stoppedOn !== undefined || !open) return s;
  return { ...s, pauses: [...s.pauses.slice(0, -1), { from: open.from, to: notBefore(on, open.from) }] };
}

/** No-op if already stopped: the first terminal state fixes the clock. */
export function stopClock(s: ClockState, on: IsoDate): ClockState {
  if (s.stoppedOn !== undefined) return s;
  const last = s.pauses.at(-1);
  return { ...s, stoppedOn: notBefore(on, last?.to ?? last?.from ?? s.startedOn) };
}

interface Count {
  used: number;
  pausedDays: number;
  due: number;
}

/**
 * Walks forward from the start until both `today` is reached and `limit` counted days have
 * accrued outside the excluded intervals. Excluded intervals are (from, to] in day numbers.
 */
function count(
  start: number,
  today: number,
  limit: number,
  excluded: ReadonlyArray<readonly [number, number]>,
  counts: (day: number) => boolean,
): Count {
  let used = 0;
  let pausedDays = 0;
  let accrued = 0;
  let due = limit === 0 ? start : undefined;
  for (let day = start + 1; ; day++) {
    if (day > today && due !== undefined) return { used, pausedDays, due };
    if (!counts(day)) continue;
    if (excluded.some(([a, b]) => day > a && day <= b)) {
      if (day <= today) pausedDays++;
      continue;
    }
    if (day <= today) used++;
    accrued++;
    if (accrued === limit) due = day;
  }
}

export function viewClock(s: ClockState, today: IsoDate, cal: WorkCalendar = chinaCalendar): ClockView {
  const start = toDayNumber(s.startedOn);
  const stopped = s.stoppedOn === undefined ? undefined : toDayNumber(s.stoppedOn);
  const now = stopped === undefined ? toDayNumber(today) : Math.min(toDayNumber(today), stopped);
  // An open pause runs to "now", so the due date moves as if the clock resumed today.
  const excluded = s.pauses.map(
    (p) => [toDayNumber(p.from), p.to === undefined ? now : toDayNumber(p.to)] as const,
  );
  const working = (day: number) => cal.isWorkingDayNumber(day);

  const main = count(start, now, s.limitDays, excluded, s.dayType === 'WORKING' ? working : () => true);
  let due = main.due;
  // A calendar-day deadline that falls on a rest day is extended to the next working day.
  if (s.dayType === 'CALENDAR') while (!working(due)) due++;
  // The commitment also leaves out the public notice periods; a day both paused and on notice is
  // left out once.
  const notices = (s.noticePeriods ?? []).map((p) => [toDayNumber(p.from), toDayNumber(p.to)] as const);
  const commitment = count(start, now, s.commitmentDays, [...excluded, ...notices], working);
  const noticeDays =
    notices.length === 0
      ? 0
      : commitment.pausedDays - count(start, now, s.commitmentDays, excluded, working).pausedDays;

  const remaining = s.limitDays - main.used;
  const lastDay = fromDayNumber(Math.max(due, commitment.due, now));
  const unpublishedYears = cal.unpublishedYears(s.startedOn, lastDay);
  const view: ClockView = {
    startedOn: s.startedOn,
    limit: s.limitDays,
    dayType: s.dayType,
    used: main.used,
    remaining,
    paused: openPause(s) !== undefined && stopped === undefined,
    pausedDays: main.pausedDays,
    dueDate: fromDayNumber(due),
    commitment: {
      limit: s.commitmentDays,
      dueDate: fromDayNumber(commitment.due),
      remaining: s.commitmentDays - commitment.used,
      noticeDays,
    },
    calendarPublished: unpublishedYears.length === 0,
    unpublishedYears,
    provisional: false,
    status: now > due ? 'OVERDUE' : remaining <= DUE_SOON_DAYS ? 'DUE_SOON' : 'ON_TRACK',
  };
  const mark = provisionalMark(
    {
      dueDate: { from: s.startedOn, to: view.dueDate },
      'commitment.dueDate': { from: s.startedOn, to: view.commitment.dueDate },
    },
    cal,
  );
  if (mark) Object.assign(view, mark);
  if (unpublishedYears.length > 0) {
    const years = unpublishedYears.join(', ');
    view.note = `Calendar for ${years} not yet published: counted Monday–Friday.`;
  }
  return view;
}

/** The dates of an application's notice periods, as it stores them. */
export interface NoticeDates {
  acceptance?: { noticePublishedOn: IsoDate; commentEndsOn: IsoDate; commentClosedOn?: IsoDate } | undefined;
  proposal?: { noticeStartsOn: IsoDate; noticeEndsOn: IsoDate; noticeClosedOn?: IsoDate } | undefined;
}

const earlier = (a: IsoDate, b: IsoDate | undefined): IsoDate => (b !== undefined && b < a ? b : a);

/**
 * The changes of a step on `app` (taken `today`), with the clock noting the notice periods they
 * open, move or end: the acceptance's comment period (its notice's day .. `commentEndsOn`), the
 * proposed decision's notice (`noticeStartsOn` .. `noticeEndsOn`), each up to its closing day if
 * that came first; a proposal withdrawn while on notice ends its period on the day it goes. A
 * period once noted stays (a new proposal adds its own). Every step of the workflow passes here,
 * so a calendar recount that moves a period's last day moves it on the clock too. Nothing changes
 * on a clock stopped before this step, and `changes` come back as they are when nothing moved.
 */
export function withNoticePeriods<C extends NoticeDates & { clockState?: ClockState | undefined }>(
  app: (NoticeDates & { clockState?: ClockState | undefined }) | undefined,
  changes: C,
  today: IsoDate,
): C {
  const clock = changes.clockState ?? app?.clockState;
  if (!clock || app?.clockState?.stoppedOn !== undefined) return changes;
  const acceptance = 'acceptance' in changes ? changes.acceptance : app?.acceptance;
  const proposal = 'proposal' in changes ? changes.proposal : app?.proposal;
  const periods = new Map((clock.noticePeriods ?? []).map((p) => [`${p.kind}#${p.from}`, p]));
  const note = (p: NoticePeriod) => periods.set(`${p.kind}#${p.from}`, p);
  if (acceptance) {
    const { noticePublishedOn: from, commentEndsOn, commentClosedOn } = acceptance;
    note({ kind: 'comment', from, to: notBefore(earlier(commentEndsOn, commentClosedOn), from) });
  }
  if (proposal) {
    const { noticeStartsOn: from, noticeEndsOn, noticeClosedOn } = proposal;
    note({ kind: 'notice', from, to: notBefore(earlier(noticeEndsOn, noticeClosedOn), from) });
  }
  const gone = app?.proposal;
  if (gone && gone.noticeStartsOn !== proposal?.noticeStartsOn && today < gone.noticeEndsOn) {
    const from = gone.noticeStartsOn;
    note({ kind: 'notice', from, to: notBefore(earlier(gone.noticeEndsOn, today), from) });
  }
  const noted = [...periods.values()].sort((a, b) =>
    a.from === b.from ? a.kind.localeCompare(b.kind) : a.from < b.from ? -1 : 1,
  );
  if (JSON.stringify(noted) === JSON.stringify(clock.noticePeriods ?? [])) return changes;
  return { ...changes, clockState: { ...clock, noticePeriods: noted } };
}
