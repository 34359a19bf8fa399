/**
 * The admin's calendar editor as data: a year's holidays and adjusted working days (调休), one
 * day's mark changed by a click (normal → holiday → adjusted working day → normal), and the
 * weeks of a month as the grid shows them (Monday first, blanks before the 1st).
 */
export type DayMark = 'normal' | 'holiday' | 'workday';

export interface YearMarks {
  holidays: Set<string>;
  workdays: Set<string>;
}

export function markOf(marks: YearMarks, date: string): DayMark {
  if (marks.holidays.has(date)) return 'holiday';
  if (marks.workdays.has(date)) return 'workday';
  return 'normal';
}

const next: Record<DayMark, DayMark> = { normal: 'holiday', holiday: 'workday', workday: 'normal' };

/** The marks after a click on `date`: a date is never in both lists. */
export function cycle(marks: YearMarks, date: string): YearMarks {
  const to = next[markOf(marks, date)];
  const holidays = new Set(marks.holidays);
  const workdays = new Set(marks.workdays);
  holidays.delete(date);
  workdays.delete(date);
  if (to === 'holiday') holidays.add(date);
  if (to === 'workday') workdays.add(date);
  return { holidays, workdays };
}

/** The body of PUT /admin/calendar/{year}: each list sorted. */
export function bodyOf(marks: YearMarks): { holidays: string[]; workdays: string[] } {
  return { holidays: [...marks.holidays].sort(), workdays: [...marks.workdays].sort() };
}

/** The weeks of a month (1–12), Monday first: each a row of 7 dates or null for a blank. */
export function monthWeeks(year: number, month: number): (string | null)[][] {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const cells: (string | null)[] = Array.from({ length: lead }, () => null);
  for (let d = 1; d <= days; d++)
    cells.push(`${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  while (cells.length % 7) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** Saturday or Sunday. */
export function isWeekend(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}
