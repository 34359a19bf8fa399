/**
 * The sweeper's recount after a calendar change, against in-memory stores: it clears exactly the
 * marks of the year versions it counted on, each year after its own cache lifetime, and a failed
 * recount does not stop the rest of the sweep.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSweep } from '../../../../functions/sweeper/run.ts';
import { openStates } from '../../../../shared/domain/types.ts';
import { CALENDAR_TTL_MS } from '../../../../shared/runtime/calendar.ts';
import { logger } from '../../../../shared/runtime/logger.ts';
import type { ApplicationStore, BureauRecord, BureauStore } from '../../../../shared/store/ports.ts';

/** 2026-12-29 10:00 in Beijing: not the quarter hour of the daily provisional count. */
const T0 = Date.parse('2026-12-29T02:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms);

const year = (id: string, updatedAt: Date): BureauRecord => ({
  kind: 'calendar',
  id,
  version: 1,
  body: { holidays: [`${id}-01-01`], workdays: [] },
  updatedAt: updatedAt.toISOString(),
  updatedBy: 'demo-admin',
  pending: true,
});

/** The bureau's calendar records; `settle` is conditioned on the version, as in DynamoDB. */
function fakeBureau(initial: BureauRecord[]) {
  const records = new Map(initial.map((r) => [r.id, r]));
  const bureau = {
    async current() {
      return [...records.values()].map((r) => ({ ...r }));
    },
    async settle(record: BureauRecord) {
      if (records.get(record.id)?.version !== record.version) return false;
      const { pending: _pending, ...settled } = record;
      records.set(record.id, settled);
      return true;
    },
  } as unknown as BureauStore;
  /** PUT /admin/calendar/{id} again: the next version, marked pending. */
  const enterAgain = (id: string, when: Date) => {
    const r = records.get(id) as BureauRecord;
    records.set(id, { ...r, version: r.version + 1, updatedAt: when.toISOString(), pending: true });
  };
  return { bureau, records, enterAgain };
}

/** No application open or due; counts the state-index reads of the recount and the due reads. */
function fakeStore(onRecount: () => void = () => {}) {
  const reads = { inState: 0, due: 0 };
  const store = {
    async inState() {
      reads.inState += 1;
      onRecount();
      return { items: [] };
    },
    async dueForSweep() {
      reads.due += 1;
      return { items: [] };
    },
  } as unknown as ApplicationStore;
  return { store, reads };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the recount after a calendar change', () => {
  it('a year entered again during the sweep stays pending, and the next sweep recounts and settles it', async () => {
    const { bureau, records, enterAgain } = fakeBureau([year('2027', at(0))]);
    let entered = false;
    const first = fakeStore(() => {
      if (entered) return;
      entered = true;
      enterAgain('2027', at(2 * CALENDAR_TTL_MS));
    });

    const report = await runSweep(first.store, at(2 * CALENDAR_TTL_MS), undefined, bureau);

    // Version 1 was recounted and is past its cache lifetime, but version 2 was never counted on.
    expect(records.get('2027')).toMatchObject({ version: 2, pending: true });
    expect(report.recompute).toMatchObject({ years: [2027], settledYears: [], settled: false });

    const next = fakeStore();
    const later = await runSweep(next.store, at(4 * CALENDAR_TTL_MS), undefined, bureau);
    expect(next.reads.inState).toBe(openStates.length);
    expect(later.recompute).toMatchObject({ years: [2027], settledYears: [2027], settled: true });
    expect(records.get('2027')?.version).toBe(2);
    expect(records.get('2027')?.pending).toBeUndefined();
  });

  it('settles each year after its own cache lifetime, keeping the younger one', async () => {
    const { bureau, records } = fakeBureau([year('2027', at(0)), year('2028', at(CALENDAR_TTL_MS / 2))]);
    const report = await runSweep(fakeStore().store, at(CALENDAR_TTL_MS + 1000), undefined, bureau);
    expect(records.get('2027')?.pending).toBeUndefined();
    expect(records.get('2028')?.pending).toBe(true);
    expect(report.recompute).toMatchObject({ years: [2027, 2028], settledYears: [2027], settled: false });
  });

  it('a failed recount is reported and logged; the deadline steps still run, the mark stays', async () => {
    const { bureau, records } = fakeBureau([year('2027', at(0))]);
    const { store, reads } = fakeStore(() => {
      throw new Error('DynamoDB is throttling; retry shortly');
    });
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => {});
    const report = await runSweep(store, at(2 * CALENDAR_TTL_MS), undefined, bureau);
    expect(logged).toHaveBeenCalledWith('dates not recomputed', expect.anything());
    expect(report.recomputeError).toBe('DynamoDB is throttling; retry shortly');
    expect(report.recompute).toBeUndefined();
    expect(reads.due).toBe(1);
    expect(records.get('2027')?.pending).toBe(true);
  });
});

describe('the recount counts each application by its own configuration version', () => {
  it('a case submitted under a version with a longer notice period gets that period, the seed case the seed one', async () => {
    const { recomputeDates } = await import('../../../../functions/sweeper/recompute.ts');
    const { driveTo } = await import('../../shared/domain/fixtures.ts');
    const { WorkCalendar } = await import('../../../../shared/domain/calendar.ts');
    const { defaultConfig } = await import('../../../../shared/domain/config.ts');
    const data = (await import('../../../../shared/domain/calendar-data.json', { with: { type: 'json' } }))
      .default;
    const seedCase = driveTo('PUBLIC_NOTICE', 'REPORT', { on: '2026-12-21' }).app;
    const pinnedCase = { ...driveTo('PUBLIC_NOTICE', 'REPORT', { on: '2026-12-21' }).app, configVersion: 2 };
    const v2 = { ...defaultConfig, proposedDecisionNoticeDays: 15 };
    const bureau = {
      async current(kind: string) {
        return kind === 'config'
          ? [
              {
                kind: 'config',
                id: 'v0002',
                version: 1,
                body: v2,
                updatedAt: at(0).toISOString(),
                updatedBy: 'demo-admin',
              },
            ]
          : [];
      },
      async settle() {
        return true;
      },
    } as unknown as BureauStore;
    const committed: { id: string; noticeEndsOn?: string }[] = [];
    const store = {
      async inState(state: string) {
        return {
          items:
            state === 'PUBLIC_NOTICE'
              ? [seedCase, pinnedCase].map((app) => ({ app, headHash: 'h'.repeat(64), indexed: {} }))
              : [],
        };
      },
      async noticeOf() {
        return undefined;
      },
      async commit(change: { app: { id: string; proposal?: { noticeEndsOn: string } } }) {
        committed.push({
          id: change.app.id,
          ...(change.app.proposal && { noticeEndsOn: change.app.proposal.noticeEndsOn }),
        });
      },
    } as unknown as ApplicationStore;
    const calendar = new WorkCalendar({
      ...data.years,
      '2027': { holidays: ['2027-01-01', '2027-01-04'], workdays: [] },
    });

    await recomputeDates(store, bureau, [], calendar, at(0));

    const startsOn = seedCase.proposal?.noticeStartsOn as string;
    expect(committed).toEqual(
      expect.arrayContaining([
        { id: seedCase.id, noticeEndsOn: calendar.addWorkingDays(startsOn, 5) },
        { id: pinnedCase.id, noticeEndsOn: calendar.addWorkingDays(startsOn, 15) },
      ]),
    );
    expect(calendar.addWorkingDays(startsOn, 15)).not.toBe(calendar.addWorkingDays(startsOn, 5));
  });
});
