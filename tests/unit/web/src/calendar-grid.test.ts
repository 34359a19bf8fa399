import { describe, expect, it } from 'vitest';
import { bodyOf, cycle, isWeekend, markOf, monthWeeks } from '../../../../web/src/calendar-grid.ts';

describe('the calendar grid', () => {
  it('a click cycles a day: normal → holiday → adjusted working day → normal, never in both lists', () => {
    let marks = { holidays: new Set(['2027-01-01']), workdays: new Set<string>() };
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      marks = cycle(marks, '2027-02-20');
      seen.push(markOf(marks, '2027-02-20'));
      expect(marks.holidays.has('2027-02-20') && marks.workdays.has('2027-02-20')).toBe(false);
    }
    expect(seen).toEqual(['holiday', 'workday', 'normal']);
    expect(markOf(marks, '2027-01-01')).toBe('holiday');
  });

  it('sends each list sorted', () => {
    const marks = { holidays: new Set(['2027-02-12', '2027-01-01']), workdays: new Set(['2027-02-20']) };
    expect(bodyOf(marks)).toEqual({ holidays: ['2027-01-01', '2027-02-12'], workdays: ['2027-02-20'] });
  });

  it('lays a month out in weeks from Monday', () => {
    // February 2027 starts on a Monday and has 28 days: exactly four full weeks.
    const feb = monthWeeks(2027, 2);
    expect(feb).toHaveLength(4);
    expect(feb[0]?.[0]).toBe('2027-02-01');
    expect(feb[3]?.[6]).toBe('2027-02-28');
    // January 2027 starts on a Friday: four blanks first.
    const jan = monthWeeks(2027, 1);
    expect(jan[0]?.slice(0, 5)).toEqual([null, null, null, null, '2027-01-01']);
    expect(jan.flat().filter((d) => d !== null)).toHaveLength(31);
    expect(isWeekend('2027-02-20')).toBe(true);
    expect(isWeekend('2027-02-19')).toBe(false);
  });
});
