/**
 * Provisional dates: a date counted through a year with no published calendar is marked, at read
 * time, from the calendar passed in; publishing the year removes the mark with nothing stored.
 */
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../../../shared/domain/calendar.ts';
import data from '../../../../shared/domain/calendar-data.json' with { type: 'json' };
import { calendarReminder, isoWeek } from '../../../../shared/domain/calendar-reminder.ts';
import { startClock, viewClock } from '../../../../shared/domain/clock.ts';
import { isProvisional, provisionalMark } from '../../../../shared/domain/provisional.ts';
import { openProvisionalDeadlines } from '../../../../shared/domain/provisional-dates.ts';
import { at, driveTo } from './fixtures.ts';

/** The shipped calendar (through 2026), and the same with a 2027 of our own standing for the published one. */
const unpublished = new WorkCalendar(data.years);
const published = new WorkCalendar({
  ...data.years,
  '2027': { holidays: ['2027-01-01', '2027-02-08', '2027-02-09', '2027-02-10'], workdays: ['2027-02-06'] },
});

describe('isProvisional', () => {
  it('a date counted inside a published year is not provisional', () => {
    expect(isProvisional('2026-03-02', '2026-12-31', unpublished)).toBe(false);
  });

  it('a date counted across into an unpublished year is, and stops being once that year is published', () => {
    expect(isProvisional('2026-12-20', '2027-01-04', unpublished)).toBe(true);
    expect(isProvisional('2026-12-20', '2027-01-04', published)).toBe(false);
  });

  it('a date counted entirely inside an unpublished year is', () => {
    expect(isProvisional('2028-03-01', '2028-03-10', published)).toBe(true);
  });

  it('a calendar-day date counts the same way: its last day moves off a rest day the calendar names', () => {
    const clock = startClock({
      startedOn: '2026-12-01',
      limitDays: 60,
      dayType: 'CALENDAR',
      commitmentDays: 5,
    });
    const v = viewClock(clock, '2026-12-01', unpublished);
    expect(v.dueDate > '2027-01-01').toBe(true);
    expect(v.provisional).toBe(true);
    expect(v.provisionalDates).toEqual(['dueDate']);
  });
});

describe('provisionalMark', () => {
  it('names the provisional fields and the unpublished years, in Chinese and English', () => {
    const mark = provisionalMark(
      {
        noticeEndsOn: { from: '2026-12-01', to: '2026-12-08' },
        hearingDeadline: { from: '2026-12-28', to: '2027-01-04' },
        absent: undefined,
      },
      unpublished,
    );
    expect(mark).toEqual({
      provisional: true,
      provisionalDates: ['hearingDeadline'],
      provisionalNote: {
        zh: '2027年节假日安排尚未公布，此日期按周一至周五推算，为暂定日期',
        en: '2027 holidays not yet published: this date is counted Monday–Friday and may move',
      },
    });
  });

  it('is absent when no date is provisional', () => {
    expect(provisionalMark({ hearingDeadline: { from: '2026-12-28', to: '2027-01-04' } }, published)).toBe(
      undefined,
    );
  });
});

describe('the review clock', () => {
  const clock = startClock({
    startedOn: '2026-12-01',
    limitDays: 60,
    dayType: 'WORKING',
    commitmentDays: 10,
  });

  it('marks the due date counted into 2027, not the commitment still inside 2026', () => {
    const v = viewClock(clock, '2026-12-01', unpublished);
    expect(v.provisional).toBe(true);
    expect(v.provisionalDates).toEqual(['dueDate']);
    expect(v.provisionalNote?.zh).toContain('2027年节假日安排尚未公布');
    expect(v.provisionalNote?.en).toContain('may move');
  });

  it('drops the mark, and moves the due date, once 2027 is published', () => {
    const before = viewClock(clock, '2026-12-01', unpublished);
    const after = viewClock(clock, '2026-12-01', published);
    expect(after.provisional).toBe(false);
    expect(after.provisionalDates).toBeUndefined();
    expect(after.provisionalNote).toBeUndefined();
    // Three holidays and one adjusted working day before the due date: two days later.
    expect(after.dueDate > before.dueDate).toBe(true);
  });
});

describe('openProvisionalDeadlines', () => {
  it('counts an open case accepted in December: its due date', () => {
    const t = driveTo('UNDER_REVIEW', 'REPORT', { on: '2026-12-01' });
    expect(openProvisionalDeadlines(t.app, '2026-12-06', undefined, unpublished)).toEqual(['dueDate']);
    expect(openProvisionalDeadlines(t.app, '2026-12-06', undefined, published)).toEqual([]);
  });

  it('counts nothing for a case counted inside 2026, or finished', () => {
    expect(
      openProvisionalDeadlines(driveTo('UNDER_REVIEW').app, '2026-03-10', undefined, unpublished),
    ).toEqual([]);
    const done = driveTo('APPROVED', 'REPORT', { on: '2026-12-01' });
    expect(openProvisionalDeadlines(done.app, '2026-12-30', undefined, unpublished)).toEqual([]);
  });

  it('counts the expected end of an expert review and the proposed-decision dates that run into 2027', () => {
    const expert = driveTo('EXPERT_REVIEW', 'REPORT_FORM', { on: '2026-12-21' });
    expect(openProvisionalDeadlines(expert.app, '2026-12-28', undefined, unpublished)).toEqual(
      expect.arrayContaining(['expertReviewEndsOn', 'dueDate']),
    );
    const notice = driveTo('PUBLIC_NOTICE', 'REPORT_FORM', { on: '2026-12-21' });
    expect(openProvisionalDeadlines(notice.app, '2026-12-28', undefined, unpublished)).toEqual(
      expect.arrayContaining(['noticeEndsOn', 'hearingDeadline']),
    );
  });
});

describe('calendarReminder', () => {
  it('says nothing in late October', () => {
    expect(calendarReminder(at('2026-10-31', '23:00'), 3, unpublished)).toBeUndefined();
  });

  it('from 1 November (Beijing) reminds the admins, in both languages, with the count', () => {
    const n = calendarReminder(new Date('2026-10-31T16:30:00Z'), 3, unpublished);
    expect(n).toMatchObject({
      action: 'calendar_reminder',
      recipients: [{ kind: 'role', role: 'admin' }],
      applicationId: 'calendar-2027',
    });
    expect(n?.subject.zh).toContain('2027年');
    expect(n?.body.zh).toContain('3 个');
    expect(n?.body.en).toContain('2027 holiday calendar');
    expect(n?.body.en).toContain('3 open deadlines');
  });

  it('once a week: every sweep of one ISO week gives the same outbox key, the next week another', () => {
    const key = (d: string, time: string) => {
      const n = calendarReminder(at(d, time), 1, unpublished);
      return n && `${n.at}#${n.applicationId}#${n.seq}`;
    };
    // Mon 2 Nov – Sun 8 Nov 2026 is week 45.
    expect(key('2026-11-02', '00:05')).toBe(key('2026-11-08', '23:55'));
    expect(key('2026-11-02', '00:05')).toBe('2026-11-01T16:00:00.000Z#calendar-2027#202645');
    expect(key('2026-11-09', '08:00')).not.toBe(key('2026-11-08', '08:00'));
  });

  it('stops once next year is published, and reminds of this year if it is still not', () => {
    expect(calendarReminder(at('2026-12-06'), 0, published)).toBeUndefined();
    expect(calendarReminder(at('2027-03-01'), 0, unpublished)?.applicationId).toBe('calendar-2027');
    expect(calendarReminder(at('2027-03-01'), 0, published)).toBeUndefined();
  });
});

describe('isoWeek', () => {
  it('puts a week in the year of its Thursday', () => {
    expect(isoWeek('2027-01-01')).toEqual({ year: 2026, week: 53, monday: '2026-12-28' });
    expect(isoWeek('2026-01-01')).toEqual({ year: 2026, week: 1, monday: '2025-12-29' });
    expect(isoWeek('2026-11-08')).toEqual({ year: 2026, week: 45, monday: '2026-11-02' });
  });
});
