import {
  type BureauMark,
  bureauHeadAsOf,
  type Digest,
  dayAfter,
  sealDigest,
} from '../../shared/domain/audit-digest.ts';
import type { DigestStore } from '../../shared/store/ports.ts';

/** At most this many days digested per run: a long gap is caught up over a few runs. */
export const MAX_DIGESTS_PER_RUN = 31;
/** A day is digested only this long after it ended, so that events committed at midnight are in. */
export const SETTLE_MS = 15 * 60_000;

export interface DigestReport {
  /** The days digested by this run, oldest first. */
  written: string[];
  /** The newest day that may be digested now (UTC). */
  through: string;
  /** Query calls on the day index. */
  dayReads: number;
  /** Query calls reading the bureau stream back from its head. */
  bureauReads: number;
}

/**
 * The daily digests' step of the sweep: every completed UTC day after the newest digest (or from the
 * day the oldest application was created), in order, each read from the day index only (its cost
 * grows with that day's events) and chained to the day before. Days without events get a digest
 * with no applications, so the chain has no gaps. Each also records the bureau stream's head as of
 * the day's end (read back from the stream's newest event). Each is written once: a concurrent sweep that wrote
 * a day first ends this run's step (it is carrying the chain on).
 */
export async function writeDigests(store: DigestStore, now: Date): Promise<DigestReport> {
  const settled = new Date(now.getTime() - SETTLE_MS).toISOString().slice(0, 10);
  const through = new Date(Date.parse(`${settled}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const report: DigestReport = { written: [], through, dayReads: 0, bureauReads: 0 };
  let previous: Digest | undefined = await store.latest();
  let day = previous ? dayAfter(previous.day) : await store.firstActivityDay();
  // The bureau stream read back once, to the newest event of the first day to digest: every later
  // day's head is among those events (or is that one).
  let bureauTail: BureauMark[] = [];
  if (day !== undefined && day <= through) {
    const { events, calls } = await store.bureauTail(day);
    bureauTail = events;
    report.bureauReads += calls;
  }
  while (day !== undefined && day <= through && report.written.length < MAX_DIGESTS_PER_RUN) {
    const { events, calls } = await store.eventsOfDay(day);
    report.dayReads += calls;
    const digest = sealDigest(day, events, previous, bureauHeadAsOf(bureauTail, day));
    if (!(await store.put(digest))) break;
    report.written.push(day);
    previous = digest;
    day = dayAfter(day);
  }
  return report;
}
