import { beijingDate } from '../../shared/domain/calendar.ts';
import { sweepStep } from '../../shared/domain/deadlines.ts';
import { ConflictError } from '../../shared/domain/errors.ts';
import { stepChange } from '../../shared/domain/step-change.ts';
import { logger } from '../../shared/runtime/logger.ts';
import type { ApplicationStore, DigestStore, Key } from '../../shared/store/ports.ts';
import { type DigestReport, writeDigests } from './digests.ts';

export interface SweepReport {
  today: string;
  /** Applications read from the sweep index: only those with something due. */
  read: number;
  /** Events written, by action. */
  steps: Record<string, number>;
  /** Applications another writer (or a concurrent sweep) changed first: left for the next run. */
  skipped: number;
  /** The daily digests written by this run (when a digest store is given). */
  digests?: DigestReport;
  /** Why the digest step failed, when it did; the deadline steps above were written regardless. */
  digestError?: string;
}

const PAGE = 100;
const MAX_STEPS_PER_APPLICATION = 5;

/**
 * One sweep: read what is due from the sparse sweep index (never the whole table), and write each
 * step the domain owes as its own transaction. Safe to run twice or at once: every write is
 * conditioned on the version it read, so each event is written once. Then, given `digests`, the
 * daily digests of the days completed since the last one (./digests.ts), after the steps, so that
 * the steps' events are on the day index when their day is read.
 */
export async function runSweep(
  store: ApplicationStore,
  now: Date,
  digests?: DigestStore,
): Promise<SweepReport> {
  const today = beijingDate(now);
  const report: SweepReport = { today, read: 0, steps: {}, skipped: 0 };
  let startKey: Key | undefined;
  do {
    const page = await store.dueForSweep(today, PAGE, startKey);
    startKey = page.lastKey;
    for (const loaded of page.items) {
      report.read += 1;
      let { app, headHash } = loaded;
      for (let n = 0; n < MAX_STEPS_PER_APPLICATION; n++) {
        const step = sweepStep(app, {
          now,
          requestId: `sweep-${now.toISOString()}-${app.id}-${app.version}`,
        });
        if (!step) break;
        const change = stepChange(step, headHash);
        try {
          await store.commit(change);
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          report.skipped += 1;
          break;
        }
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
  return report;
}
