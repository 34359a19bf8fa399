import { afterEach, describe, expect, it } from 'vitest';
import { GENESIS } from '../../../../shared/domain/audit-chain.ts';
import { CALENDAR_TTL_MS, forgetCalendar, getCalendar } from '../../../../shared/runtime/calendar.ts';
import type { BureauRecord, BureauStore } from '../../../../shared/store/ports.ts';

/** A store with one year, 2027, whose records can be changed under the loader; counts its reads. */
function fakeStore() {
  const state = { reads: 0, holidays: ['2027-01-01'] };
  const record = (): BureauRecord => ({
    kind: 'calendar',
    id: '2027',
    version: 1,
    body: { holidays: state.holidays, workdays: [] },
    updatedAt: '2026-12-01T00:00:00.000Z',
    updatedBy: 'demo-admin',
  });
  const store: BureauStore = {
    head: async () => ({ seq: 0, hash: GENESIS }),
    current: async () => {
      state.reads += 1;
      return [record()];
    },
    commit: async () => undefined,
    events: async () => ({ items: [] }),
    trail: async () => ({ head: { seq: 0, hash: GENESIS }, trail: [] }),
    settle: async () => true,
    record: async () => undefined,
  };
  return { state, store };
}

afterEach(() => forgetCalendar());

describe('getCalendar', () => {
  it('merges the stored years over the seed', async () => {
    const { store } = fakeStore();
    const calendar = await getCalendar({ store, wallClock: () => 0 });
    expect(calendar.isPublished(2027)).toBe(true);
    expect(calendar.isWorkingDay('2027-01-01')).toBe(false);
    // A seed year is still there.
    expect(calendar.isWorkingDay('2026-10-01')).toBe(false);
  });

  it('reads once per minute; a fresh read, or a forgotten cache, reads again', async () => {
    const { state, store } = fakeStore();
    let wall = 1_000;
    const wallClock = () => wall;
    await getCalendar({ store, wallClock });
    state.holidays = ['2027-01-01', '2027-01-04'];
    wall += CALENDAR_TTL_MS - 1;
    expect((await getCalendar({ store, wallClock })).isWorkingDay('2027-01-04')).toBe(true);
    expect(state.reads).toBe(1);
    wall += 1;
    expect((await getCalendar({ store, wallClock })).isWorkingDay('2027-01-04')).toBe(false);
    expect(state.reads).toBe(2);
    await getCalendar({ store, wallClock, fresh: true });
    expect(state.reads).toBe(3);
    forgetCalendar();
    await getCalendar({ store, wallClock });
    expect(state.reads).toBe(4);
  });
});
