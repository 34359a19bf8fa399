// @ts-nocheck
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  beijingDate,
  chinaCalendar as cal,
  isIsoDate,
  WorkCalendar,
} from '../../../../shared/domain/calendar.ts';
import data from '../../../../shared/domain/calendar-data.json' with { type: 'json' };

describe('Spring Festival 2026', () => {
  it('has the nine-day holiday 02-15..02-23', () => {
    for (let d = 15; d <= 23; d++) expect(cal.isWorkingDay(`2026-02-${d}`)).toBe(false);
    expect(cal.isWorkingDay('2026-02-24')).toBe(true);
  });

  it('makes Saturdays 02-14 and 02-28 working days (调休), but not other Saturdays', () => {
    expect(cal.isWorkingDay('2026-02-14')).toBe(true);
    expect(cal.isWorkingDay('2026-02-28')).toBe(true);
    expect(cal.isWorkingDay('2026-02-07')).toBe(false);
    expect(cal.isWorkingDay('2026-03-07')).toBe(false);
  });

  it('counts working days across the holiday', () => {
    // Fri 02-13 → Sat 02-14 (调休) → holiday → Tue 02-24
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(cal.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    // 02-14, 02-24..27, 02-28
    expect(cal.workingDaysBetween('2026-02-13', '2026-02-28')).toBe(6);
    expect(cal.addWorkingDays('2026-02-13', 6)).toBe('2026-02-28');
    expect(cal.addWorkingDays('2026-02-13', 7)).toBe('2026-03-02');
  });
});

describe('National Day 2026', () => {
  it('has 10-01..10-07 off, Sun 09-20 and Sat 10-10 on, and Mid-Autumn Fri 09-25 off', () => {
    for (let d = 1; d <= 7; d++) expect(cal.isWorkingDay(`2026-10-0${d}`)).toBe(false);
    expect(cal.isWorkingDay('2026-10-08')).toBe(true);
    expect(cal.isWorkingDay('2026-09-20')).toBe(true);
    expect(cal.isWorkingDay('2026-10-10')).toBe(true);
    expect(cal.isWorkingDay('2026-09-25')).toBe(false);
  });

  it('counts working days across the holiday', () => {
    // Wed 09-30 → holiday → Thu 10-08, Fri 10-09, Sat 10-10 (调休), Mon 10-12
    expect(cal.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(cal.addWorkingDays('2026-09-30', 4)).toBe('2026-10-12');
    // 09-21..24, 09-28..30, 10-08..10 = 4 + 3 + 3
    expect(cal.workingDaysBetween('2026-09-20', '2026-10-10')).toBe(10);
  });
});

describe('WorkCalendar', () => {
  it('addWorkingDays: n=0 is the date itself, negative n counts backwards', () => {
    expect(cal.addWorkingDays('2026-02-15', 0)).toBe('2026-02-15');
    expect(cal.addWorkingDays('2026-02-24', -1)).toBe('2026-02-14');
    expect(cal.addWorkingDays('2026-02-24', -2)).toBe('2026-02-13');
  });

  it('workingDaysBetween excludes the start, includes the end, and is 0 for an empty range', () => {
    expect(cal.workingDaysBetween('2026-03-02', '2026-03-06')).toBe(4);
    expect(cal.workingDaysBetween('2026-03-06', '2026-03-06')).toBe(0);
    expect(cal.workingDaysBetween('2026-03-06', '2026-03-02')).toBe(0);
  });

  it('falls back to Monday–Friday for an unpublished year', () => {
    expect(cal.isPublished(2026)).toBe(true);
    expect(cal.isPublished(2031)).toBe(false);
    // 2031-01-01 is a Wednesday: surely a holiday, but unknown until published.
    expect(cal.isWorkingDay('2031-01-01')).toBe(true);
    expect(cal.isWorkingDay('2031-01-04')).toBe(false); // Saturday
    expect(cal.addWorkingDays('2031-01-02', 2)).toBe('2031-01-06');
    expect(cal.unpublishedYears('2026-12-01', '2031-03-01')).toEqual([2027, 2028, 2029, 2030, 2031]);
    expect(cal.unpublishedYears('2025-01-01', '2026-12-31')).toEqual([]);
  });

  it('uses bureau-added years', () => {
    const withAdded = new WorkCalendar({
      ...data.years,
      '2031': { holidays: ['2031-01-01'], workdays: ['2031-01-04'] },
    });
    expect(withAdded.isPublished(2031)).toBe(true);
    expect(withAdded.isWorkingDay('2031-01-01')).toBe(false);
    expect(withAdded.isWorkingDay('2031-01-04')).toBe(true);
  });

  it('rejects hand-edited data that would silently shift deadlines', () => {
    expect(() => new WorkCalendar({ '2027': { holidays: ['2027-02-30'], workdays: [] } })).toThrow(
      /valid date/,
    );
    expect(() => new WorkCalendar({ '2027': { holidays: ['2028-01-01'], workdays: [] } })).toThrow(
      /year 2027/,
    );
    expect(
      () => new WorkCalendar({ '2027': { holidays: ['2027-01-02'], workdays: ['2027-01-02'] } }),
    ).toThrow(/both/);
    expect(() => new WorkCalendar({ '27': { holidays: [], workdays: [] } })).toThrow(/YYYY/);
  });

  it('rejects invalid dates in queries', () => {
    expect(() => cal.isWorkingDay('2026-2-1')).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-02-01', 1.5)).toThrow(RangeError);
  });
});

describe('date helpers', () => {
  it('beijingDate is UTC+8 regardless of the local timezone', () => {
    expect(beijingDate('2026-03-01T16:30:00Z')).toBe('2026-03-02');
    expect(beijingDate('2026-03-01T15:59:59Z')).toBe('2026-03-01');
    expect(beijingDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(() => beijingDate('not a date')).toThrow(RangeError);
  });

  it('addCalendarDays crosses months, years and leap days', () => {
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addCalendarDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('isIsoDate accepts only real YYYY-MM-DD dates', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
    expect(isIsoDate('2026-01-01T00:00:00Z')).toBe(false);
    expect(isIsoDate('')).toBe(false);
  });
});

describe('calendar-data.json', () => {
  const pkgPath = createRequire(import.meta.url).resolve('chinese-days/dist/chinese-days.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    holidays: Record<string, string>;
    workdays: Record<string, string>;
  };
  const pkgYear = (dates: Record<string, string>, year: string) =>
    Object.keys(dates)
      .filter((d) => d.startsWith(`${year}-`))
      .sort();

  it('matches chinese-days for 2026', () => {
    const y2026 = data.years['2026'];
    expect(y2026.holidays).toEqual(pkgYear(pkg.holidays, '2026'));
    expect(y2026.workdays).toEqual(pkgYear(pkg.workdays, '2026'));
    expect(y2026.holidays).toContain('2026-02-15');
    expect(y2026.workdays).toEqual(expect.arrayContaining(['2026-02-14', '2026-02-28']));
  });

  it('matches chinese-days for every seeded year it knows, from 2020', () => {
    const years: Record<string, { holidays: string[]; workdays: string[] }> = data.years;
    expect(Object.keys(years)).toContain('2020');
    for (const [year, y] of Object.entries(years)) {
      const holidays = pkgYear(pkg.holidays, year);
      if (holidays.length === 0) continue; // bureau-added year
      expect(y.holidays, year).toEqual(holidays);
      expect(y.workdays, year).toEqual(pkgYear(pkg.workdays, year));
    }
  });
});
