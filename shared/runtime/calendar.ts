import type { WorkCalendar } from '../domain/calendar.ts';
import { calendarOf, type StoredYear } from '../domain/calendar-years.ts';
import type { BureauRecord, BureauStore } from '../store/ports.ts';
import { getBureauStore } from './clients.ts';

/**
 * The working-day calendar at run time: the years the bureau entered (PUT /admin/calendar/{year},
 * the BUREAU#calendar partition: one Query) over the shipped seed. Kept for a minute per warm
 * function, so a change reaches every function within a minute or so of its cache expiring; the
 * sweeper and the admin routes read afresh.
 */
export const CALENDAR_TTL_MS = 60_000;

let cached: { at: number; calendar: WorkCalendar } | undefined;

/** A stored calendar record as the domain knows it. */
export function storedYearOf(record: BureauRecord): StoredYear {
  const body = record.body as { holidays?: string[]; workdays?: string[] };
  return {
    year: Number(record.id),
    holidays: body.holidays ?? [],
    workdays: body.workdays ?? [],
    version: record.version,
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
    ...(record.pending ? { pending: true } : {}),
  };
}

/** Every stored year, read now. */
export async function storedYears(store: BureauStore = getBureauStore()): Promise<StoredYear[]> {
  return (await store.current('calendar')).map(storedYearOf);
}

/**
 * The calendar, from the cache while it is younger than CALENDAR_TTL_MS by the wall clock (not
 * the handlers' `now`, which the local server may move); `fresh` reads the table regardless.
 */
export async function getCalendar(
  opts: { fresh?: boolean; store?: BureauStore; wallClock?: () => number } = {},
): Promise<WorkCalendar> {
  const at = (opts.wallClock ?? Date.now)();
  if (!opts.fresh && cached && at - cached.at < CALENDAR_TTL_MS) return cached.calendar;
  const calendar = calendarOf(await storedYears(opts.store));
  cached = { at, calendar };
  return calendar;
}

/** Forget the cached calendar: after this process changed it (the local server runs every function). */
export function forgetCalendar(): void {
  cached = undefined;
}
