import * as z from 'zod/mini';
import { addCalendarDays, isIsoDate, toDayNumber } from '../domain/calendar.ts';
import { ForbiddenError, ValidationError } from '../domain/errors.ts';
import { ruleIssue, ruleParams } from '../domain/rules.ts';
import { type Caller, officialRoles } from '../domain/types.ts';
import { parseQuery } from './query.ts';

/** A period of at most this many Beijing days (a leap year). */
export const MAX_PERIOD_DAYS = 366;

const DateParam = z.string().check(
  z.refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isIsoDate(s), {
    message: 'must be a date, YYYY-MM-DD (a Beijing day)',
    params: ruleParams('query-date'),
  }),
);
const Query = z.strictObject({ from: DateParam, to: DateParam });

export interface StatsPeriod {
  from: string;
  to: string;
  /** The first instant of `from` in Beijing, as a UTC ISO instant (inclusive). */
  lo: string;
  /** The first instant after `to` in Beijing, as a UTC ISO instant (exclusive). */
  hi: string;
}

/**
 * Officials (clerk, reviewer, approver) and the auditor, who oversees the bureau's work read-only:
 * the figures are counts, with no personal data. Applicants get 403.
 */
export function requireStatsReader(caller: Caller): void {
  const allowed: readonly string[] = [...officialRoles, 'auditor'];
  if (!caller.roles.some((r) => allowed.includes(r)))
    throw new ForbiddenError('wrong-role', 'statistics are open to officials and the auditor');
}

const beijingMidnight = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`)).toISOString();

/** GET /stats's query string: both dates required, real, in order, at most MAX_PERIOD_DAYS apart. */
export function parseStatsQuery(query: Record<string, string>): StatsPeriod {
  const { from, to } = parseQuery(Query, query);
  if (from > to) {
    throw new ValidationError('Invalid query string: from', [
      ruleIssue('from', 'must not be after to', 'from-after-to'),
    ]);
  }
  if (toDayNumber(to) - toDayNumber(from) + 1 > MAX_PERIOD_DAYS) {
    throw new ValidationError('Invalid query string: to', [
      ruleIssue('to', `the period may span at most ${MAX_PERIOD_DAYS} days`, 'period-too-long', {
        max: MAX_PERIOD_DAYS,
      }),
    ]);
  }
  return { from, to, lo: beijingMidnight(from), hi: beijingMidnight(addCalendarDays(to, 1)) };
}
