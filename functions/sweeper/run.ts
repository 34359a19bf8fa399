import { beijingDate, chinaCalendar } from '../../shared/domain/calendar.ts';
import { calendarOf } from '../../shared/domain/calendar-years.ts';
import { sweepStep } from '../../shared/domain/deadlines.ts';
import { ConflictError } from '../../shared/domain/errors.ts';
import { stepChange } from '../../shared/domain/step-change.ts';
import { decideNumbered, NumbersBusyError, retryOnNumberConflict } from '../../shared/http/numbered.ts';
import { CALENDAR_TTL_MS, storedYearOf } from '../../shared/runtime/calendar.ts';
import { logger } from '../../shared/runtime/logger.ts';
import { configAt, seedVersion } from '../../shared/runtime/workflow-config.ts';
import type { ApplicationStore, BureauStore, DigestStore, Key } from '../../shared/store/ports.ts';
import { type DigestReport, writeDigests } from './digests.ts';
import { checkProvisional, dailyCheckDue, type ProvisionalReport } from './provisional.ts';
import { type RecomputeReport, recomputeDates } from './recompute.ts';

export interface SweepReport {
  today: string;
  /** Applications read from the sweep index: only those with something due. */
  read: number;
  /** Events written, by action. */
  steps: Record<string, number>;
  /** Applications another writer (or a concurrent sweep) changed first: left for the next run. */
  skipped: number;
  /** After a calendar change: the open applications recounted on it (when a bureau store is given). */
  recompute?: RecomputeReport;
  /** Why the recount failed, when it did: the marks stay, the next run retries; the steps ran regardless. */
  recomputeError?: string;
  /** The daily digests written by this run (when a digest store is given). */
  digests?: DigestReport;
  /** Why the digest step failed, when it did; the deadline steps above were written regardless. */
  digestError?: string;
  /** Once a day: the open provisional deadlines counted, and the admins' weekly reminder. */
  provisional?: ProvisionalReport;
  /** Why the daily count or reminder failed, when it did. */
  provisionalError?: string;
}

const PAGE = 100;
const MAX_STEPS_PER_APPLICATION = 5;

/**
 * One sweep: read what is due from the sparse sweep index (never the whole table), and write each
 * step the domain owes as its own transaction. Safe to run twice or at once: every write is
 * conditioned on the version it read, so each event is written once. Then, given `digests`, the
 * daily digests of the days completed since the last one (./digests.ts), after the steps, so that
 * the steps' events are on the day index when their day is read. Once a day, the count of open
 * provisional deadlines and the admins' reminder to publish the calendar (./provisional.ts).
 *
 * Given `bureau`, every date is counted on the calendar at run time, read afresh; a calendar year
 * entered since the last sweep first has the open applications' dates recounted (./recompute.ts),
 * so the steps below already see the moved dates.
 */
export async function runSweep(
  store: ApplicationStore,
  now: Date,
  digests?: DigestStore,
  bureau?: BureauStore,
): Promise<SweepReport> {
  const today = beijingDate(now);
  const report: SweepReport = { today, read: 0, steps: {}, skipped: 0 };
  // The records are kept: the recount settles exactly the versions the calendar was built from.
  const records = bureau ? await bureau.current('calendar') : [];
  const calendar = bureau ? calendarOf(records.map(storedYearOf)) : chinaCalendar;
  // A function may still count on its cached calendar for CALENDAR_TTL_MS after a year's change, and
  // what it writes meanwhile escapes this recount: that year's mark stays until a later run.
  const pending = records
    .filter((r) => r.pending)
    .map((record) => ({ record, settle: now.getTime() >= Date.parse(record.updatedAt) + CALENDAR_TTL_MS }));
  if (bureau && pending.length > 0) {
    // Like the digests: a failed recount must not stop the deadline steps; the marks stay for the next run.
    try {
      report.recompute = await recomputeDates(store, bureau, pending, calendar, now);
    } catch (error) {
      logger.error('dates not recomputed', { error: error as Error });
      report.recomputeError = (error as Error).message;
    }
  }
  let startKey: Key | undefined;
  do {
    const page = await store.dueForSweep(today, PAGE, startKey);
    startKey = page.lastKey;
    for (const loaded of page.items) {
      report.read += 1;
      let { app, headHash } = loaded;
      // Each application's deadlines are those of the configuration version it was submitted under.
      const { config } = bureau ? await configAt(app.configVersion, bureau) : seedVersion;
      for (let n = 0; n < MAX_STEPS_PER_APPLICATION; n++) {
        const current = app;
        // Deemed acceptance issues a numbered acceptance notice: its counter is read first, and
        // read again when another act took that number (shared/http/numbered.ts).
        let change: ReturnType<typeof stepChange> | undefined;
        try {
          change = await retryOnNumberConflict(async () => {
            const step = await decideNumbered(store, (counters) =>
              sweepStep(current, {
                now,
                requestId: `sweep-${now.toISOString()}-${current.id}-${current.version}`,
                calendar,
                config,
                ...(counters ? { counters } : {}),
              }),
            );
            if (!step) return undefined;
            const next = stepChange(step, headHash, calendar, config);
            await store.commit(next);
            return next;
          });
        } catch (error) {
          if (!(error instanceof ConflictError) && !(error instanceof NumbersBusyError)) throw error;
          report.skipped += 1;
          break;
        }
        if (!change) break;
        report.steps[change.event.action] = (report.steps[change.event.action] ?? 0) + 1;
        app = change.app;
        headHash = change.event.hash;
      }
    }
  } while (startKey);
  // A digest that cannot be written (e.g. a day too large for one item) must not stop the
  // deadline steps of later runs: report it, and leave the chain to be mended.
  if (digests) {
    try {
      report.digests = await writeDigests(digests, now);
    } catch (error) {
      logger.error('digest not written', { error: error as Error });
      report.digestError = (error as Error).message;
    }
  }
  // Like the digests: a failed count must not fail the steps already written; the next day retries.
  if (dailyCheckDue(now)) {
    try {
      report.provisional = await checkProvisional(store, now, calendar, async (app) =>
        bureau ? (await configAt(app.configVersion, bureau)).config : seedVersion.config,
      );
    } catch (error) {
      logger.error('provisional deadlines not counted', { error: error as Error });
      report.provisionalError = (error as Error).message;
    }
  }
  return report;
}
