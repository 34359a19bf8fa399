import type { WorkCalendar } from '../../shared/domain/calendar.ts';
import { commentsOn } from '../../shared/domain/comments.ts';
import { ConflictError } from '../../shared/domain/errors.ts';
import { recomputeStep } from '../../shared/domain/recompute.ts';
import { stepChange } from '../../shared/domain/step-change.ts';
import { type Application, type Notice, openStates } from '../../shared/domain/types.ts';
import { configFor } from '../../shared/runtime/workflow-config.ts';
import { noticeIdOf } from '../../shared/store/keys.ts';
import type { ApplicationStore, BureauRecord, BureauStore, Key } from '../../shared/store/ports.ts';

/** A calendar year marked pending, as read before the recount, and whether its mark may be cleared after it. */
export interface PendingYear {
  record: BureauRecord;
  /** False while a function may still count on a calendar cached before this version. */
  settle: boolean;
}

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
  /** The years whose mark this run cleared. */
  settledYears: number[];
  /** Whether every mark read was cleared; a year kept pending is recounted by the next run. */
  settled: boolean;
}

const PAGE = 100;
const DAY_MS = 86_400_000;

/**
 * A calendar year was entered (marked pending on its record): every open application is read from
 * the state index (one Query per open state, never a Scan) and, where a stored or indexed date
 * moves, written again with its `recompute_dates` event, conditioned on the version it was read
 * at, together with its public notices whose last day moved. Then the marks of `pending` (the
 * records `calendar` was built from) that may `settle` are cleared, each on the condition that its
 * version is still the one read: a year entered again meanwhile was not counted on here and stays
 * pending for the next run; none when an application was skipped, so the next run retries. A
 * recount is idempotent: running it again writes only what has moved since.
 */
export async function recomputeDates(
  store: ApplicationStore,
  bureau: BureauStore,
  pending: readonly PendingYear[],
  calendar: WorkCalendar,
  now: Date,
): Promise<RecomputeReport> {
  const report: RecomputeReport = {
    years: pending.map((p) => Number(p.record.id)),
    read: 0,
    recomputed: 0,
    notices: 0,
    skipped: 0,
    settledYears: [],
    settled: false,
  };
  for (const state of openStates) {
    let startKey: Key | undefined;
    do {
      const page = await store.inState(state, PAGE, startKey);
      startKey = page.lastKey;
      for (const { app, headHash, indexed } of page.items) {
        report.read += 1;
        // Its periods are those of the configuration version it was submitted under.
        const { config } = await configFor(app, bureau);
        const step = recomputeStep(app, indexed, {
          now,
          requestId: `recompute-${now.toISOString()}-${app.id}-${app.version}`,
          calendar,
          config,
        });
        if (!step) continue;
        const notices = await movedNotices(store, app, step.app);
        try {
          await store.commit({
            ...stepChange(step, headHash, calendar, config),
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
  if (report.skipped > 0) return report;
  for (const { record, settle } of pending) {
    if (settle && (await bureau.settle(record))) report.settledYears.push(Number(record.id));
  }
  report.settled = report.settledYears.length === pending.length;
  return report;
}

/**
 * The acceptance and proposed-decision notices whose last day the recompute moved, with the new day
 * and the comment count of the application this commit is conditioned on (the notice read here may
 * lag a comment behind).
 */
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
    if (notice)
      found.push({ ...notice, endsOn: comment, commentCount: commentsOn(after, noticeIdOf(notice)) });
  }
  const ends = after.proposal?.noticeEndsOn;
  if (before.proposal && ends && ends !== before.proposal.noticeEndsOn) {
    const at = before.proposal.proposedAt;
    const notice = await store.noticeOf(before.id, 'PROPOSED_DECISION', at, at);
    if (notice) found.push({ ...notice, endsOn: ends, commentCount: commentsOn(after, noticeIdOf(notice)) });
  }
  return found;
}
