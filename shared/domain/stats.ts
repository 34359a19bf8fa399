import { beijingDate, type IsoDate } from './calendar.ts';
import { type ClockState, viewClock } from './clock.ts';
import { type AuditEvent, type Category, categories } from './types.ts';

/**
 * GET /stats, as a pure function of the events of a period (docs/http-api.md#statistics).
 *
 * Every count is of events whose `at` falls in the period (Beijing days), whatever happened
 * before or after: an application submitted in March and decided in May counts as received in
 * March and decided in May.
 * - received: `submit` events (a REGISTRATION submit is its filing: counted as received and filed);
 * - accepted: `accept` events, by the clerk or deemed (art. 32; `acceptance.deemed`), deemed ones
 *   also counted on their own;
 * - decided: `approve` + `reject` events;
 * - onTime / late: the decision on or before / after the statutory due date of its clock (the clock
 *   in the decision event's changes, stopped on the decision day: pauses for expert review,
 *   revision and hearings move the due date and do not count);
 * - onTimeCommitment / lateCommitment: the same against the bureau's shorter commitment target,
 *   which also leaves out the public notice periods the clock noted (`noticePeriods`: the comment
 *   period after acceptance, the proposed decision's notice); a clock from before they were noted
 *   has none, and its commitment counts them, as it did when it was decided;
 * - medianWorkingDays: the median of the working days the clock ran from acceptance to decision,
 *   paused days excluded (always working days, even for a limit configured in calendar days).
 * Events are grouped by the application's category as it stands when the statistics are read.
 */

export const statsActions = ['submit', 'accept', 'approve', 'reject'] as const;
export type StatsAction = (typeof statsActions)[number];

export interface StatsRow {
  received: number;
  /** REGISTRATION submits (filings); included in `received`. */
  filed: number;
  accepted: number;
  /** Accepted by operation of law (art. 32); included in `accepted`. */
  acceptedDeemed: number;
  decided: number;
  approved: number;
  rejected: number;
  onTime: number;
  late: number;
  onTimeCommitment: number;
  lateCommitment: number;
  /** Null when nothing was decided in the period. */
  medianWorkingDays: number | null;
}

export interface Stats {
  from: IsoDate;
  to: IsoDate;
  byCategory: Record<Category, StatsRow>;
  total: StatsRow;
  /** Events whose application could not be found (never expected): counted in `total` only. */
  uncategorised: number;
}

/** One decision as the statistics see it. */
export interface DecisionTiming {
  decidedOn: IsoDate;
  dueDate: IsoDate;
  commitmentDueDate: IsoDate;
  workingDays: number;
  late: boolean;
  lateCommitment: boolean;
}

/** The clock of a decision event, viewed on the day it stopped; undefined if it carries none. */
export function decisionTiming(event: Pick<AuditEvent, 'at' | 'changes'>): DecisionTiming | undefined {
  const clock = event.changes.clockState as ClockState | undefined | null;
  if (!clock || typeof clock !== 'object' || typeof clock.startedOn !== 'string') return undefined;
  const decidedOn = clock.stoppedOn ?? beijingDate(event.at);
  const view = viewClock(clock, decidedOn);
  const working = clock.dayType === 'WORKING' ? view : viewClock({ ...clock, dayType: 'WORKING' }, decidedOn);
  return {
    decidedOn,
    dueDate: view.dueDate,
    commitmentDueDate: view.commitment.dueDate,
    workingDays: working.used,
    late: decidedOn > view.dueDate,
    lateCommitment: decidedOn > view.commitment.dueDate,
  };
}

/** The middle value, or the mean of the two middle values; null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

interface Tally extends Omit<StatsRow, 'medianWorkingDays'> {
  days: number[];
}

const emptyTally = (): Tally => ({
  received: 0,
  filed: 0,
  accepted: 0,
  acceptedDeemed: 0,
  decided: 0,
  approved: 0,
  rejected: 0,
  onTime: 0,
  late: 0,
  onTimeCommitment: 0,
  lateCommitment: 0,
  days: [],
});

function add(t: Tally, event: AuditEvent): void {
  switch (event.action) {
    case 'submit':
      t.received++;
      if (event.to === 'FILED') t.filed++;
      return;
    case 'accept': {
      t.accepted++;
      const acceptance = event.changes.acceptance as { deemed?: unknown } | undefined | null;
      if (acceptance?.deemed === true) t.acceptedDeemed++;
      return;
    }
    case 'approve':
    case 'reject': {
      t.decided++;
      if (event.action === 'approve') t.approved++;
      else t.rejected++;
      const timing = decisionTiming(event);
      if (!timing) return;
      if (timing.late) t.late++;
      else t.onTime++;
      if (timing.lateCommitment) t.lateCommitment++;
      else t.onTimeCommitment++;
      t.days.push(timing.workingDays);
      return;
    }
  }
}

function row({ days, ...counts }: Tally): StatsRow {
  return { ...counts, medianWorkingDays: median(days) };
}

/**
 * The statistics of a period (Beijing days, both included) from its events (any order; an event
 * seen twice counts once; events of other actions or outside the period are ignored) and the
 * category of each application.
 */
export function computeStats(
  period: { from: IsoDate; to: IsoDate },
  events: Iterable<AuditEvent>,
  categoryOf: (applicationId: string) => Category | undefined,
): Stats {
  const tallies = Object.fromEntries(categories.map((c) => [c, emptyTally()])) as Record<Category, Tally>;
  const total = emptyTally();
  const seen = new Set<string>();
  let uncategorised = 0;
  for (const event of events) {
    if (!(statsActions as readonly string[]).includes(event.action)) continue;
    const day = beijingDate(event.at);
    if (day < period.from || day > period.to) continue;
    const id = `${event.applicationId}#${event.seq}`;
    if (seen.has(id)) continue;
    seen.add(id);
    add(total, event);
    const category =
      event.action === 'submit' && event.to === 'FILED' ? 'REGISTRATION' : categoryOf(event.applicationId);
    if (category && category in tallies) add(tallies[category], event);
    else uncategorised++;
  }
  return {
    from: period.from,
    to: period.to,
    byCategory: Object.fromEntries(categories.map((c) => [c, row(tallies[c])])) as Record<Category, StatsRow>,
    total: row(total),
    uncategorised,
  };
}
