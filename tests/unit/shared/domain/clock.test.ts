import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../../../shared/domain/calendar.ts';
import data from '../../../../shared/domain/calendar-data.json' with { type: 'json' };
import {
  type ClockState,
  pauseClock,
  resumeClock,
  startClock,
  stopClock,
  viewClock,
} from '../../../../shared/domain/clock.ts';

/*
 * 30 working days from Mon 2026-02-02 (the start day is not counted):
 *   02-03..06 (4) · 02-09..13 (9) · Sat 02-14 调休 (10) · holiday 02-15..23
 *   02-24..27 (14) · Sat 02-28 调休 (15) · 03-02..06 (20) · 03-09..13 (25) · 03-16..20 (30)
 * → due Fri 2026-03-20.
 */
const spring = startClock({ startedOn: '2026-02-02', limitDays: 30, dayType: 'WORKING', commitmentDays: 20 });

describe('working-day clock', () => {
  it('gets the due date right across Spring Festival 2026', () => {
    const v = viewClock(spring, '2026-02-02');
    expect(v.dueDate).toBe('2026-03-20');
    // Commitment of 20 working days: day 20 is Fri 03-06 (see above).
    expect(v.commitment).toEqual({ limit: 20, dueDate: '2026-03-06', remaining: 20, noticeDays: 0 });
    expect(v).toMatchObject({ used: 0, remaining: 30, paused: false, pausedDays: 0, status: 'ON_TRACK' });
    expect(v.calendarPublished).toBe(true);
    expect(v.unpublishedYears).toEqual([]);
    expect(v.note).toBeUndefined();
  });

  it('counts the working days used so far, holidays excluded', () => {
    // 02-03..06, 02-09..13, 02-14 = 10; nothing accrues during the holiday
    expect(viewClock(spring, '2026-02-14').used).toBe(10);
    expect(viewClock(spring, '2026-02-23').used).toBe(10);
    expect(viewClock(spring, '2026-02-24').used).toBe(11);
  });

  it('gets a 60-working-day due date right across National Day 2026', () => {
    /*
     * From Tue 2026-09-01: 09-02..04 (3) · 09-07..11 (8) · 09-14..18 (13) · Sun 09-20 调休 (14)
     * 09-21..24 (18; Fri 09-25 Mid-Autumn) · 09-28..30 (21) · holiday 10-01..07 · 10-08..09 (23)
     * Sat 10-10 调休 (24) · 10-12..16 (29) · 10-19..23 (34) · 10-26..30 (39) · 11-02..06 (44)
     * 11-09..13 (49) · 11-16..20 (54) · 11-23..27 (59) · Mon 11-30 (60)
     */
    const c = startClock({ startedOn: '2026-09-01', limitDays: 60, dayType: 'WORKING', commitmentDays: 20 });
    const v = viewClock(c, '2026-09-01');
    expect(v.dueDate).toBe('2026-11-30');
    expect(v.commitment.dueDate).toBe('2026-09-29'); // day 20 (09-28 is day 19)
  });

  it('moves ON_TRACK → DUE_SOON (≤3 left) → OVERDUE', () => {
    expect(viewClock(spring, '2026-03-16')).toMatchObject({ used: 26, remaining: 4, status: 'ON_TRACK' });
    expect(viewClock(spring, '2026-03-17')).toMatchObject({ used: 27, remaining: 3, status: 'DUE_SOON' });
    expect(viewClock(spring, '2026-03-20')).toMatchObject({ used: 30, remaining: 0, status: 'DUE_SOON' });
    // Weekend after the due date: no working day used yet, but the deadline has passed.
    expect(viewClock(spring, '2026-03-21')).toMatchObject({ used: 30, remaining: 0, status: 'OVERDUE' });
    expect(viewClock(spring, '2026-03-23')).toMatchObject({ used: 31, remaining: -1, status: 'OVERDUE' });
  });

  it("counts the commitment's remaining days as commitment minus used", () => {
    // 10 working days used by 02-14 (see above): 20 - 10 left of the commitment, 30 - 10 of the limit.
    expect(viewClock(spring, '2026-02-14')).toMatchObject({
      used: 10,
      remaining: 20,
      commitment: { limit: 20, remaining: 10 },
    });
  });

  it('a view before the start has used nothing', () => {
    expect(viewClock(spring, '2026-01-20')).toMatchObject({ used: 0, remaining: 30, dueDate: '2026-03-20' });
  });
});

describe('pauses', () => {
  it('a closed pause moves the due date by exactly the paused working days', () => {
    // Paused Thu 02-05, resumed Wed 02-11: 02-06, 02-09, 02-10, 02-11 do not count (4 days).
    const c = resumeClock(pauseClock(spring, '2026-02-05'), '2026-02-11');
    const v = viewClock(c, '2026-02-12');
    expect(v.pausedDays).toBe(4);
    // 02-03, 02-04, 02-05 (pause day counts), 02-12
    expect(v.used).toBe(4);
    expect(v.paused).toBe(false);
    // 03-20 + 4 working days: 03-23, 24, 25, 26
    expect(v.dueDate).toBe('2026-03-26');
    expect(v.commitment.dueDate).toBe('2026-03-12'); // 03-06 + 4 working days
  });

  it('an open pause keeps moving the due date as if resumed today', () => {
    const c = pauseClock(spring, '2026-02-05');
    const on11 = viewClock(c, '2026-02-11');
    expect(on11).toMatchObject({ paused: true, used: 3, pausedDays: 4, dueDate: '2026-03-26' });
    // Through 02-24: 02-06, 09..13, 14, 24 = 8 paused working days; 03-20 + 8 → 03-23..27, 30, 31, 04-01
    const on24 = viewClock(c, '2026-02-24');
    expect(on24).toMatchObject({ paused: true, used: 3, pausedDays: 8, dueDate: '2026-04-01' });
    // Holidays during a pause are not working days, so they are not "paused days" either.
    expect(viewClock(c, '2026-02-23').pausedDays).toBe(7);
  });

  it('counts paused days only up to the day viewed, also when the pause ends later', () => {
    // Paused Thu 02-05, resumed Wed 02-11; on Mon 02-09 only 02-06 and 02-09 have been paused.
    const c = resumeClock(pauseClock(spring, '2026-02-05'), '2026-02-11');
    expect(viewClock(c, '2026-02-09')).toMatchObject({ pausedDays: 2, used: 3, dueDate: '2026-03-26' });
  });

  it('a pause and resume on the same day excludes nothing', () => {
    const c = resumeClock(pauseClock(spring, '2026-02-05'), '2026-02-05');
    expect(viewClock(c, '2026-02-10')).toMatchObject({ pausedDays: 0, dueDate: '2026-03-20' });
  });

  it('several pauses add up', () => {
    let c = resumeClock(pauseClock(spring, '2026-02-05'), '2026-02-06'); // 02-06
    c = resumeClock(pauseClock(c, '2026-03-02'), '2026-03-04'); // 03-03, 03-04
    expect(viewClock(c, '2026-03-05')).toMatchObject({ pausedDays: 3, dueDate: '2026-03-25' });
  });

  it('pause/resume are no-ops when already paused / not paused, and never mutate', () => {
    const snapshot = structuredClone(spring);
    const paused = pauseClock(spring, '2026-02-05');
    expect(spring).toEqual(snapshot);
    expect(pauseClock(paused, '2026-02-09')).toBe(paused);
    expect(resumeClock(spring, '2026-02-09')).toBe(spring);
    const pausedSnapshot = structuredClone(paused);
    resumeClock(paused, '2026-02-09');
    expect(paused).toEqual(pausedSnapshot);
  });

  it('never runs backwards: a date before the last one counts as that last one', () => {
    const c = resumeClock(pauseClock(spring, '2026-02-05'), '2026-02-11');
    expect(pauseClock(c, '2026-02-10').pauses.at(-1)).toEqual({ from: '2026-02-11' });
    expect(resumeClock(pauseClock(spring, '2026-02-05'), '2026-02-04').pauses).toEqual([
      { from: '2026-02-05', to: '2026-02-05' },
    ]);
    expect(pauseClock(spring, '2026-01-30').pauses).toEqual([{ from: spring.startedOn }]);
    expect(stopClock(c, '2026-02-01').stoppedOn).toBe('2026-02-11');
  });
});

describe('stopped clocks', () => {
  it('freeze on the stop date', () => {
    const stopped = stopClock(spring, '2026-03-10');
    // Day 22 is 03-10 (03-09 is day 21, see the header).
    const later = viewClock(stopped, '2026-06-30');
    expect(later).toMatchObject({ used: 22, remaining: 8, status: 'ON_TRACK', dueDate: '2026-03-20' });
    expect(later).toEqual(viewClock(stopped, '2026-03-10'));
    // Before the stop date the clock reads as it did then.
    expect(viewClock(stopped, '2026-03-09').used).toBe(21);
  });

  it('an open pause ends at the stop date and no longer reads as paused', () => {
    const stopped = stopClock(pauseClock(spring, '2026-02-05'), '2026-02-11');
    const v = viewClock(stopped, '2026-05-01');
    expect(v).toMatchObject({ paused: false, used: 3, pausedDays: 4, dueDate: '2026-03-26' });
  });

  it('ignore later pause, resume and stop', () => {
    const stopped = stopClock(spring, '2026-03-10');
    expect(pauseClock(stopped, '2026-03-11')).toBe(stopped);
    expect(stopClock(stopped, '2026-03-12')).toBe(stopped);
  });

  it('ignore a resume even while a pause was open when they stopped', () => {
    const stopped = stopClock(pauseClock(spring, '2026-02-05'), '2026-02-11');
    expect(resumeClock(stopped, '2026-02-12')).toBe(stopped);
  });

  it('an overdue clock stopped late stays overdue', () => {
    expect(viewClock(stopClock(spring, '2026-03-24'), '2026-12-01').status).toBe('OVERDUE');
  });
});

describe('calendar-day clock', () => {
  it('a due date on a holiday moves to the next working day', () => {
    // 10 calendar days from Mon 2026-09-21 → Thu 10-01, National Day → Thu 10-08
    const c = startClock({ startedOn: '2026-09-21', limitDays: 10, dayType: 'CALENDAR', commitmentDays: 5 });
    const v = viewClock(c, '2026-09-21');
    expect(v.dueDate).toBe('2026-10-08');
    // The commitment still counts working days: 09-22, 23, 24, 28, 29 (09-25 Mid-Autumn, 09-26/27 off)
    expect(v.commitment.dueDate).toBe('2026-09-29');
  });

  it('a due date on a weekend moves to Monday, and every day counts as used', () => {
    // 5 calendar days from Mon 2026-03-02 → Sat 03-07 → Mon 03-09
    const c = startClock({ startedOn: '2026-03-02', limitDays: 5, dayType: 'CALENDAR', commitmentDays: 5 });
    expect(viewClock(c, '2026-03-02').dueDate).toBe('2026-03-09');
    expect(viewClock(c, '2026-03-08')).toMatchObject({ used: 6, remaining: -1, status: 'DUE_SOON' });
    expect(viewClock(c, '2026-03-10').status).toBe('OVERDUE');
  });

  it('a due date on an ordinary working day stays put', () => {
    const c = startClock({ startedOn: '2026-03-02', limitDays: 3, dayType: 'CALENDAR', commitmentDays: 3 });
    expect(viewClock(c, '2026-03-02').dueDate).toBe('2026-03-05');
  });

  it('pauses exclude calendar days', () => {
    const c = resumeClock(
      pauseClock(
        startClock({ startedOn: '2026-03-02', limitDays: 3, dayType: 'CALENDAR', commitmentDays: 3 }),
        '2026-03-03',
      ),
      '2026-03-05',
    );
    // 03-04, 03-05 excluded: counted 03-03, 03-06, Sat 03-07 → Mon 03-09
    expect(viewClock(c, '2026-03-05')).toMatchObject({ pausedDays: 2, used: 1, dueDate: '2026-03-09' });
  });
});

describe('unpublished calendar years', () => {
  /*
   * 60 working days from Tue 2026-12-01: December has 22 (12-02..04, 07..11, 14..18, 21..25, 28..31);
   * 2027 is not published, so Monday–Friday: Fri 01-01 (23), 01-04..08 (28), ..., 02-15..19 (58),
   * 02-22, 02-23 (60).
   */
  const c = startClock({ startedOn: '2026-12-01', limitDays: 60, dayType: 'WORKING', commitmentDays: 10 });

  it('falls back to Monday–Friday and says so', () => {
    const v = viewClock(c, '2026-12-01');
    expect(v.dueDate).toBe('2027-02-23');
    expect(v.calendarPublished).toBe(false);
    expect(v.unpublishedYears).toEqual([2027]);
    expect(v.note).toBe('Calendar for 2027 not yet published: counted Monday–Friday.');
  });

  it('uses the year once the bureau adds it', () => {
    const cal = new WorkCalendar({ ...data.years, '2027': { holidays: ['2027-01-01'], workdays: [] } });
    const v = viewClock(c, '2026-12-01', cal);
    expect(v.dueDate).toBe('2027-02-24');
    expect(v.calendarPublished).toBe(true);
    expect(v.note).toBeUndefined();
  });

  it('a clock that ends within published years is not flagged', () => {
    // 10 working days end 12-15: 2027 is never reached.
    const short = startClock({
      startedOn: '2026-12-01',
      limitDays: 10,
      dayType: 'WORKING',
      commitmentDays: 5,
    });
    expect(viewClock(short, '2026-12-01').calendarPublished).toBe(true);
  });

  it('an overdue clock viewed in an unpublished year is flagged, since `used` counts into it', () => {
    const short = startClock({
      startedOn: '2026-12-01',
      limitDays: 10,
      dayType: 'WORKING',
      commitmentDays: 5,
    });
    expect(viewClock(short, '2027-01-05')).toMatchObject({ unpublishedYears: [2027], status: 'OVERDUE' });
  });
});

describe('startClock', () => {
  it('validates its input', () => {
    const ok = { startedOn: '2026-03-02', limitDays: 20, dayType: 'WORKING', commitmentDays: 10 } as const;
    expect(startClock(ok)).toEqual<ClockState>({ ...ok, pauses: [] });
    expect(() => startClock({ ...ok, startedOn: '2026-02-30' })).toThrow(RangeError);
    expect(() => startClock({ ...ok, limitDays: -1 })).toThrow(RangeError);
    expect(() => startClock({ ...ok, commitmentDays: 2.5 })).toThrow(RangeError);
  });

  it('a zero-day limit is due on the start day', () => {
    const c = startClock({ startedOn: '2026-03-02', limitDays: 0, dayType: 'WORKING', commitmentDays: 0 });
    expect(viewClock(c, '2026-03-02')).toMatchObject({ dueDate: '2026-03-02', status: 'DUE_SOON' });
    expect(viewClock(c, '2026-03-03').status).toBe('OVERDUE');
  });
});
