import { type CalendarYear, WorkCalendar } from './calendar.ts';
import seed from './calendar-data.json' with { type: 'json' };

/**
 * The calendar at run time: the shipped calendar-data.json is the seed of a new deployment, and a
 * year the bureau has entered (PUT /admin/calendar/{year}) replaces the seed's year.
 */
export const seedYears: Readonly<Record<string, CalendarYear>> = seed.years;

/** A year as the bureau stored it. */
export interface StoredYear {
  year: number;
  holidays: readonly string[];
  workdays: readonly string[];
  version: number;
  updatedAt: string;
  updatedBy: string;
  /** Entered since the last sweep: the sweeper still owes the open applications a recompute. */
  pending?: boolean;
}

export interface CalendarYearView extends CalendarYear {
  year: number;
  source: 'seed' | 'bureau';
  version?: number;
  updatedAt?: string;
  updatedBy?: string;
  pendingRecompute?: boolean;
}

/** Every year, seed and stored, the stored one winning, in year order. */
export function mergeYears(stored: readonly StoredYear[]): CalendarYearView[] {
  const byYear = new Map<number, CalendarYearView>();
  for (const [year, data] of Object.entries(seedYears)) {
    byYear.set(Number(year), { year: Number(year), source: 'seed', ...data });
  }
  for (const s of stored) {
    byYear.set(s.year, {
      year: s.year,
      source: 'bureau',
      holidays: s.holidays,
      workdays: s.workdays,
      version: s.version,
      updatedAt: s.updatedAt,
      updatedBy: s.updatedBy,
      ...(s.pending ? { pendingRecompute: true } : {}),
    });
  }
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

/** The working-day calendar of the merged years. */
export function calendarOf(stored: readonly StoredYear[]): WorkCalendar {
  return new WorkCalendar(
    Object.fromEntries(
      mergeYears(stored).map((y) => [String(y.year), { holidays: y.holidays, workdays: y.workdays }]),
    ),
  );
}
