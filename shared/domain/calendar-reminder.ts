import { addCalendarDays, beijingDate, chinaCalendar, toDayNumber, type WorkCalendar } from './calendar.ts';
import type { Notification } from './notifications.ts';

/**
 * The admins' weekly reminder to publish the calendar (docs/clocks.md#provisional-dates): from
 * 1 November (Beijing) while next year has no published calendar, and at any time while this
 * year has none. One per ISO week: its `at` is the week's Monday, 00:00 Beijing, and its `seq` the
 * week (YYYYWW), so the outbox key (and the consumers' applicationId + seq + action) are the same
 * for every sweep of that week, and the outbox writes it once.
 */
export function calendarReminder(
  now: Date,
  openProvisional: number,
  calendar: WorkCalendar = chinaCalendar,
): Notification | undefined {
  const today = beijingDate(now);
  const year = Number(today.slice(0, 4));
  const missing = [year, year + 1].filter(
    (y) => !calendar.isPublished(y) && (y === year || today.slice(5) >= '11-01'),
  );
  if (missing.length === 0) return undefined;
  const week = isoWeek(today);
  const years = missing.join('、');
  const yearsEn = missing.join(' and ');
  return {
    applicationId: `calendar-${missing.join('-')}`,
    seq: week.year * 100 + week.week,
    action: 'calendar_reminder',
    at: new Date(`${week.monday}T00:00:00+08:00`).toISOString(),
    recipients: [{ kind: 'role', role: 'admin' }],
    subject: {
      zh: `请录入${years}年节假日安排`,
      en: `Please enter the ${yearsEn} holiday calendar`,
    },
    body: {
      zh: `本系统尚无${years}年的节假日安排，凡计算经过该年度的期限均按周一至周五推算，标为暂定日期；目前有 ${openProvisional} 个未到期的期限为暂定。国务院办公厅公布后，请在管理页面录入${years}年的节假日和调休上班日。录入前每周提醒一次。`,
      en: `The service has no ${yearsEn} holiday calendar yet: every date counted through it is counted Monday–Friday and marked provisional; ${openProvisional} open deadlines are provisional now. Once the State Council publishes it, please enter the ${yearsEn} holidays and adjusted working days on the admin page. You will be reminded each week until then.`,
    },
  };
}

/** The ISO 8601 week of a date: its week-numbering year, week number and Monday. */
export function isoWeek(date: string): { year: number; week: number; monday: string } {
  const day = toDayNumber(date);
  const weekday = (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Monday
  const monday = addCalendarDays(date, -weekday);
  // The week belongs to the year its Thursday falls in.
  const thursday = addCalendarDays(monday, 3);
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor((toDayNumber(thursday) - toDayNumber(`${year}-01-01`)) / 7) + 1;
  return { year, week, monday };
}
