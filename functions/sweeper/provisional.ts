import { beijingDate, chinaCalendar, type WorkCalendar } from '../../shared/domain/calendar.ts';
import { calendarReminder } from '../../shared/domain/calendar-reminder.ts';
import { defaultConfig, type WorkflowConfig } from '../../shared/domain/config.ts';
import { openProvisionalDeadlines } from '../../shared/domain/provisional-dates.ts';
import { type Application, openStates } from '../../shared/domain/types.ts';
import { provisionalDeadlinesMetric, putMetric } from '../../shared/runtime/metrics.ts';
import { statePk } from '../../shared/store/keys.ts';
import type { ApplicationStore, Key } from '../../shared/store/ports.ts';

const PAGE = 100;

export interface ProvisionalReport {
  /** Open deadlines counted through a year with no published calendar. */
  openProvisional: number;
  /** Whether this run wrote the week's reminder to the admins (false: none due, or already written). */
  reminded: boolean;
}

/** Once a day, in the sweep that starts in this quarter hour (Beijing): the sweeper runs every 15 minutes. */
export function dailyCheckDue(now: Date): boolean {
  const beijing = new Date(now.getTime() + 8 * 3_600_000);
  return beijing.getUTCHours() === 8 && beijing.getUTCMinutes() < 15;
}

/**
 * Counts the open provisional deadlines (docs/clocks.md#provisional-dates), emits the count as a
 * metric (its alarm: infra/stateless-stack.ts), and writes the admins' weekly reminder to the
 * outbox when one is due.
 */
export async function checkProvisional(
  store: ApplicationStore,
  now: Date,
  calendar: WorkCalendar = chinaCalendar,
  /** The configuration an application follows (the version it was submitted under); default the seed. */
  configOf: (app: Application) => Promise<WorkflowConfig> = async () => defaultConfig,
): Promise<ProvisionalReport> {
  const today = beijingDate(now);
  let openProvisional = 0;
  // SUPPLEMENT_REQUIRED is read too, though it holds no running date (the completeness check stops,
  // the clock starts only at acceptance): one Query a day, and no second list to keep in step.
  for (const state of openStates) {
    let startKey: Key | undefined;
    do {
      const page = await store.list({
        index: 'byState',
        partition: statePk(state),
        limit: PAGE,
        ...(startKey ? { startKey } : {}),
      });
      startKey = page.lastKey;
      for (const app of page.items) {
        openProvisional += openProvisionalDeadlines(app, today, await configOf(app), calendar).length;
      }
    } while (startKey);
  }
  putMetric(provisionalDeadlinesMetric, openProvisional, now);
  const reminder = calendarReminder(now, openProvisional, calendar);
  const reminded = reminder ? await store.remindOnce(reminder) : false;
  return { openProvisional, reminded };
}
