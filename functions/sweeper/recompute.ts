import type { WorkCalendar } from '../../shared/domain/calendar.ts';
import type { StoredYear } from '../../shared/domain/calendar-years.ts';
import { ConflictError } from '../../shared/domain/errors.ts';
import { recomputeStep } from '../../shared/domain/recompute.ts';
import { stepChange } from '../../shared/domain/step-change.ts';
import type { Application, Notice, State } from '../../shared/domain/types.ts';
import { states, terminalStates } from '../../shared/domain/types.ts';
import type { ApplicationStore, BureauStore, Key } from '../../shared/store/ports.ts';

export interface RecomputeReport {
  /** The calendar years whose change was worked off. */
  years: number[];
  /** Open applications read (one Query per open state, paged). */
  read: number;
  /** `recompute_dates` events written: one per application whose dates moved. */
  recomputed: number;
  /** Public notices whose `endsOn` moved with them. */
  notices: number;
  /** Applications another writer changed first: the marks stay, and the next run retries them. */
  skipped: number;
  /** Whether the marks were cleared: not while a function may still count on the old calendar. */
  settled: boolean;
}

/** States an application may have a date in; a draft or a preview request has none. */
const openStates = states.filter(
  (s): s is State =>
    s !== 'DRAFT' && s !== 'PREVIEW_REQUESTED' && !(terminalStates as readonly string[]).includes(s),
);

const PAGE = 100;
const DAY_MS = 86_400_000;

/**
 * A calendar year was entered (marked pending on its record): every open application is read from
 * the state index (one Query per open state, never a Scan) and, where a stored or indexed date
 * moves, written again with its `recompute_dates` event, conditioned on the version it was read
 * at, together with its public notices whose last day moved. Then, given `settle`, the marks are
 * cleared (each unless the year changed again meanwhile; none when an application was skipped, so
 * the next run retries), and the next sweep recounts nothing. A recount is idempotent: running it
 * again writes only what has moved since.
 */
export async function recomputeDates(
  store: ApplicationStore,
  bureau: BureauStore,
  years: readonly StoredYear[],
  calendar: WorkCalendar,
  now: Date,
  settle = true,
): Promise<RecomputeReport> {
  const pending = years.filter((y) => y.pending);
  const report: RecomputeReport = {
    years: pending.map((y) => y.year),
    read: 0,
    recomputed: 0,
    notices: 0,
    skipped: 0,
    settled: false,
  };
  for (const state of openStates) {
    let startKey: Key | undefined;
    do {
      const page = await store.inState(state, PAGE, startKey);
      startKey = page.lastKey;
      for (const { app, headHash, indexed } of page.items) {
        report.read += 1;
        const step = recomputeStep(app, indexed, {
          now,
          requestId: `recompute-${now.toISOString()}-${app.id}-${app.version}`,
          calendar,
        });
        if (!step) continue;
        const notices = await movedNotices(store, app, step.app);
        try {
          await store.commit({
            ...stepChange(step, headHash, calendar),
            ...(notices.length ? { notices } : {}),
          });
          report.recomputed += 1;
          report.notices += notices.length;
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          report.skipped += 1;
        }
      }
    } while (startKey);
  }
  // An application another writer changed first keeps its old stored dates: the next run retries.
  if (!settle || report.skipped > 0) return report;
  const records = await bureau.current('calendar');
  for (const record of records) if (record.pending) await bureau.settle(record);
  report.settled = true;
  return report;
}

/** The acceptance and proposed-decision notices whose last day the recompute moved, with the new day. */
async function movedNotices(
  store: ApplicationStore,
  before: Application,
  after: Application,
): Promise<Notice[]> {
  const found: Notice[] = [];
  const comment = after.acceptance?.commentEndsOn;
  if (before.acceptance && comment && comment !== before.acceptance.commentEndsOn) {
    // The acceptance records its publishing day (Beijing), not the instant: that day's stretch.
    const from = Date.parse(`${before.acceptance.noticePublishedOn}T00:00:00+08:00`);
    const notice = await store.noticeOf(
      before.id,
      'ACCEPTANCE',
      new Date(from).toISOString(),
      new Date(from + DAY_MS - 1).toISOString(),
    );
    if (notice) found.push({ ...notice, endsOn: comment });
  }
  const ends = after.proposal?.noticeEndsOn;
  if (before.proposal && ends && ends !== before.proposal.noticeEndsOn) {
    const at = before.proposal.proposedAt;
    const notice = await store.noticeOf(before.id, 'PROPOSED_DECISION', at, at);
    if (notice) found.push({ ...notice, endsOn: ends });
  }
  return found;
}
