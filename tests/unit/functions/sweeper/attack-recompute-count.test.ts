/**
 * The recount after a calendar change rewrites the notices whose last day moved. The notice it
 * writes keeps the comment count of its application (the version the commit is conditioned on),
 * not the count of a notice read a moment earlier: a read that missed the last comment (an
 * eventually consistent Query) must not put the count back.
 */
import { describe, expect, it } from 'vitest';
import { recomputeDates } from '../../../../functions/sweeper/recompute.ts';
import { WorkCalendar } from '../../../../shared/domain/calendar.ts';
import { seedYears } from '../../../../shared/domain/calendar-years.ts';
import type { Notice } from '../../../../shared/domain/types.ts';
import { noticeIdOf } from '../../../../shared/store/keys.ts';
import type { ApplicationStore, BureauRecord, BureauStore, Commit } from '../../../../shared/store/ports.ts';
import { driveTo } from '../../shared/domain/fixtures.ts';

/** 2027 with holidays of our own: a case accepted 2026-12-25 has its comment period end a day later. */
const published = new WorkCalendar({
  ...seedYears,
  '2027': {
    holidays: ['2027-01-01', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'],
    workdays: ['2027-02-20'],
  },
});

describe('the recount and the notices’ comment counts', () => {
  it('writes the moved acceptance notice with the application’s count, not a stale read’s', async () => {
    const { app: accepted } = driveTo('ACCEPTED', 'REPORT_FORM', { on: '2026-12-25' });
    const notice: Notice = {
      kind: 'ACCEPTANCE',
      applicationId: accepted.id,
      publishedAt: '2026-12-25T02:00:00.000Z',
      publishedOn: '2026-12-25',
      endsOn: accepted.acceptance?.commentEndsOn,
      commentCount: 2,
    } as Notice;
    const noticeId = noticeIdOf(notice);
    // The application has 3 comments on it; the notice read lags one behind.
    const app = { ...accepted, comments: { received: 3, answered: 0, byNotice: { [noticeId]: 3 } } };
    const commits: Commit[] = [];
    const store = {
      async inState(state: string) {
        return { items: state === 'ACCEPTED' ? [{ app, headHash: 'h'.repeat(64), indexed: {} }] : [] };
      },
      async noticeOf() {
        return notice;
      },
      async commit(change: Commit) {
        commits.push(change);
      },
    } as unknown as ApplicationStore;
    const record: BureauRecord = {
      kind: 'calendar',
      id: '2027',
      version: 1,
      body: {},
      updatedAt: '2026-12-28T00:00:00.000Z',
      updatedBy: 'demo-admin',
      pending: true,
    } as BureauRecord;
    const bureau = { settle: async () => true } as unknown as BureauStore;

    const report = await recomputeDates(
      store,
      bureau,
      [{ record, settle: true }],
      published,
      new Date('2026-12-29T02:00:00Z'),
    );
    expect(report.notices).toBe(1);
    const written = commits[0]?.notices?.[0];
    expect(written?.endsOn).not.toBe(notice.endsOn);
    expect(written?.commentCount).toBe(3);
  });
});
