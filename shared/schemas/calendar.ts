import * as z from 'zod/mini';
import { isIsoDate } from '../domain/calendar.ts';
import { type FieldIssue, ValidationError } from '../domain/errors.ts';
import { ruleIssue, ruleParams } from '../domain/rules.ts';
import { parse } from './parse.ts';

const DateList = z
  .array(
    z.string().check(
      z.refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isIsoDate(s), {
        message: 'must be a date, YYYY-MM-DD',
        params: ruleParams('calendar-date'),
      }),
    ),
  )
  .check(z.maxLength(366, 'a year has at most 366 days'));

/** The body of PUT /admin/calendar/{year}: the year's public holidays and adjusted working days (调休). */
export const CalendarYearSchema = z.strictObject({ holidays: DateList, workdays: DateList });

/** The first year a calendar may be entered for: the seed reaches back to 2020. */
export const FIRST_CALENDAR_YEAR = 2000;

/**
 * A year as stored: validated (a year from 2000 to next year + 1, every date inside it, none in
 * both lists) and normalised (each list sorted, without repeats). 400 naming each offending field;
 * `thisYear` is the current year in Beijing.
 */
export function parseCalendarYear(
  yearParam: string,
  body: unknown,
  thisYear: number,
): { year: number; holidays: string[]; workdays: string[] } {
  const last = thisYear + 2;
  if (!/^\d{4}$/.test(yearParam) || Number(yearParam) < FIRST_CALENDAR_YEAR || Number(yearParam) > last) {
    throw new ValidationError(`Invalid year: ${yearParam}`, [
      ruleIssue(
        'path.year',
        `must be a year from ${FIRST_CALENDAR_YEAR} to ${last} (next year + 1)`,
        'calendar-year',
        {
          from: FIRST_CALENDAR_YEAR,
          to: last,
        },
      ),
    ]);
  }
  const year = Number(yearParam);
  const data = parse(CalendarYearSchema, body);
  const issues: FieldIssue[] = [];
  for (const list of ['holidays', 'workdays'] as const) {
    data[list].forEach((date, i) => {
      if (!date.startsWith(`${year}-`))
        issues.push(
          ruleIssue(`${list}.${i}`, `${date} is not in ${year}`, 'date-not-in-year', { date, year }),
        );
    });
  }
  const holidays = new Set(data.holidays);
  data.workdays.forEach((date, i) => {
    if (holidays.has(date))
      issues.push(
        ruleIssue(`workdays.${i}`, `${date} is also listed as a holiday`, 'workday-is-holiday', { date }),
      );
  });
  if (issues.length > 0) {
    throw new ValidationError(
      `Invalid calendar for ${year}: ${issues.map((i) => i.path).join(', ')}`,
      issues,
    );
  }
  return { year, holidays: [...holidays].sort(), workdays: [...new Set(data.workdays)].sort() };
}
