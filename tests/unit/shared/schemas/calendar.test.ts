import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/domain/errors.ts';
import { parseCalendarYear } from '../../../../shared/schemas/calendar.ts';

/** The paths a refusal names. */
function refused(year: string, body: unknown, thisYear = 2026): string[] {
  try {
    parseCalendarYear(year, body, thisYear);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues?.map((i) => i.path) ?? [];
  }
  throw new Error('accepted');
}

describe('parseCalendarYear', () => {
  it('sorts each list and drops repeats', () => {
    expect(
      parseCalendarYear(
        '2027',
        { holidays: ['2027-02-12', '2027-01-01', '2027-02-12'], workdays: ['2027-02-20', '2027-02-07'] },
        2026,
      ),
    ).toEqual({ year: 2027, holidays: ['2027-01-01', '2027-02-12'], workdays: ['2027-02-07', '2027-02-20'] });
  });

  it('takes years from 2000 to next year + 1', () => {
    for (const year of ['2000', '2026', '2028'])
      expect(parseCalendarYear(year, { holidays: [], workdays: [] }, 2026).year).toBe(Number(year));
    for (const year of ['1999', '2029', '27', '2027a', ''])
      expect(refused(year, { holidays: [], workdays: [] })).toEqual(['path.year']);
  });

  it('names every date outside its year and every date in both lists', () => {
    expect(
      refused('2027', {
        holidays: ['2027-01-01', '2026-12-31', '2028-01-01'],
        workdays: ['2027-01-01', '2027-02-20'],
      }),
    ).toEqual(['holidays.1', 'holidays.2', 'workdays.0']);
  });

  it('names what is no date, a missing list and an unknown field', () => {
    expect(refused('2027', { holidays: ['2027-02-30', '2027-1-5'], workdays: [] })).toEqual([
      'holidays.0',
      'holidays.1',
    ]);
    expect(refused('2027', { holidays: [] })).toEqual(['workdays']);
    expect(refused('2027', { holidays: [], workdays: [], year: 2027 })).toEqual(['year']);
  });
});
