import { chinaCalendar, type IsoDate, type WorkCalendar } from './calendar.ts';

/**
 * Provisional dates: a date counted through a year whose official calendar (holidays and adjusted
 * working days) is not yet known can only be counted Monday–Friday, so it may move once the year is
 * published. Which dates are provisional is decided here, at read time, from the calendar the
 * caller passes in: nothing is stored, so the mark disappears by itself when the year is added.
 *
 * The rule: counting from `from` (not counted) to `to` is provisional when any year from `from`'s
 * to `to`'s has no published calendar. A calendar-day count is no exception: its last day moves to
 * the next working day when it falls on a rest day, and which days rest is what the calendar says.
 */
export function isProvisional(from: IsoDate, to: IsoDate, calendar: WorkCalendar = chinaCalendar): boolean {
  return calendar.unpublishedYears(from, to).length > 0;
}

export interface ProvisionalNote {
  zh: string;
  en: string;
}

/** The words that go with a provisional date, naming the years not yet published. */
export function provisionalNote(years: readonly number[]): ProvisionalNote {
  return {
    zh: `${years.join('、')}年节假日安排尚未公布，此日期按周一至周五推算，为暂定日期`,
    en: `${years.join(', ')} holidays not yet published: this date is counted Monday–Friday and may move`,
  };
}

/**
 * What an object holding dates carries beside them when any of them is provisional (the API's
 * one shape for it, docs/clocks.md#provisional-dates): `provisionalDates` names which fields.
 */
export interface ProvisionalMark {
  provisional: true;
  provisionalDates: string[];
  provisionalNote: ProvisionalNote;
}

/** A date and the day its count started from (not counted). */
export interface Counted {
  from: IsoDate;
  to: IsoDate;
}

/** The mark for an object's dates (by field name), or undefined when none is provisional. */
export function provisionalMark(
  dates: Readonly<Record<string, Counted | undefined>>,
  calendar: WorkCalendar = chinaCalendar,
): ProvisionalMark | undefined {
  const fields: string[] = [];
  const years = new Set<number>();
  for (const [field, date] of Object.entries(dates)) {
    if (!date) continue;
    const missing = calendar.unpublishedYears(date.from, date.to);
    if (missing.length === 0) continue;
    fields.push(field);
    for (const y of missing) years.add(y);
  }
  if (fields.length === 0) return undefined;
  return {
    provisional: true,
    provisionalDates: fields,
    provisionalNote: provisionalNote([...years].sort((a, b) => a - b)),
  };
}

/** `object` with the mark of its dates beside them, when there is one. */
export function withProvisional<T extends object>(
  object: T,
  dates: Readonly<Record<string, Counted | undefined>>,
  calendar: WorkCalendar = chinaCalendar,
): T | (T & ProvisionalMark) {
  const mark = provisionalMark(dates, calendar);
  return mark ? { ...object, ...mark } : object;
}
