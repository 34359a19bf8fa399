/**
 * China's official working-day calendar: weekends, public holidays and the adjusted working days
 * (调休) that move work onto weekends. The data lives in calendar-data.json, which the bureau
 * extends when the State Council publishes a new year; for a year not yet published we can only
 * count Monday–Friday, and callers ask `isPublished` so they can say so.
 */
// @ts-nocheck

import data from './calendar-data.json' with { type: 'json' };

export type IsoDate = string; // 'YYYY-MM-DD'

export interface CalendarYear {
  holidays: readonly IsoDate[];
  workdays: readonly IsoDate[];
}

const DAY_MS = 86_400_000;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 (UTC), so that arithmetic never meets a local timezone. */
export function toDayNumber(date: IsoDate): number {
  const m = ISO_RE.exec(date);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const ms = Date.UTC(y, mo - 1, d);
    // Date.UTC rolls 02-30 over to March; a round trip catches that.
    if (fromDayNumber(ms / DAY_MS) === date) return ms / DAY_MS;
  }
  throw new RangeError(`Not a valid date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

export function fromDayNumber(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function isIsoDate(s: string): boolean {
  try {
    toDayNumber(s);
    return true;
  } catch {
    return false;
  }
}

export function addCalendarDays(date: IsoDate, n: number): IsoDate {
  assertInteger(n);
  return fromDayNumber(toDayNumber(date) + n);
}

/** The calendar date in Beijing (UTC+8 all year: China has no daylight saving time). */
export function beijingDate(instant: Date | string): IsoDate {
  const ms = new Date(instant).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`Not a valid instant: ${String(instant)}`);
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}

function assertInteger(n: number): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`Expected an integer, got ${n}`);
}

export class WorkCalendar {
  // Day numbers rather than strings: the clock asks about every day of a long interval.
  readonly #holidays = new Set<number>();
  readonly #workdays = new Set<number>();
  readonly #published = new Set<number>();

  constructor(years: Readonly<Record<string, CalendarYear>>) {
    // The file is edited by hand, so a typo must fail loudly at load rather than shift a deadline.
    for (const [key, year] of Object.entries(years)) {
      if (!/^\d{4}$/.test(key)) throw new RangeError(`Calendar year key must be YYYY, got ${key}`);
      for (const [list, set] of [
        [year.holidays, this.#holidays],
        [year.workdays, this.#workdays],
      ] as const) {
        for (const date of list) {
          if (!date.startsWith(`${key}-`)) throw new RangeError(`${date} is listed under year ${key}`);
          set.add(toDayNumber(date));
        }
      }
      for (const date of year.workdays) {
        if (this.#holidays.has(toDayNumber(date))) {
          throw new RangeError(`${date} is listed both as a holiday and as a working day`);
        }
      }
      this.#published.add(Number(key));
    }
  }

  isPublished(year: number): boolean {
    return this.#published.has(year);
  }

  isWorkingDay(date: IsoDate): boolean {
    return this.isWorkingDayNumber(toDayNumber(date));
  }

  /** As isWorkingDay, for callers that already work in day numbers. */
  isWorkingDayNumber(day: number): boolean {
    // Unpublished years have no entries in either set, which is exactly the Monday–Friday fallback.
    if (this.#workdays.has(day)) return true;
    if (this.#holidays.has(day)) return false;
    const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    return weekday !== 0 && weekday !== 6;
  }

  /** The n-th working day after `date` (date itself not counted); negative n counts backwards. */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    assertInteger(n);
    let day = toDayNumber(date);
    const step = n < 0 ? -1 : 1;
    for (let left = Math.abs(n); left > 0; ) {
      day += step;
      if (this.isWorkingDayNumber(day)) left--;
    }
    return fromDayNumber(day);
  }

  /** Working days d with from < d <= to. 0 if to <= from. */
  workingDaysBetween(fromExclusive: IsoDate, toInclusive: IsoDate): number {
    const to = toDayNumber(toInclusive);
    let count = 0;
    for (let day = toDayNumber(fromExclusive) + 1; day <= to; day++) {
      if (this.isWorkingDayNumber(day)) count++;
    }
    return count;
  }

  /** Years in [from's year, to's year] with no published calendar. */
  unpublishedYears(from: IsoDate, to: IsoDate): number[] {
    toDayNumber(from);
    toDayNumber(to);
    const first = Number(from.slice(0, 4));
    const last = Number(to.slice(0, 4));
    const missing: number[] = [];
    for (let year = first; year <= last; year++) if (!this.isPublished(year)) missing.push(year);
    return missing;
  }
}

export const chinaCalendar = new WorkCalendar(data.years);
