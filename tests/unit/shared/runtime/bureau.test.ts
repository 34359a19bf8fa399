import { describe, expect, it } from 'vitest';
import { GENESIS } from '../../../../shared/domain/audit-chain.ts';
import type { BureauEvent, BureauHead } from '../../../../shared/domain/bureau.ts';
import { recordBureauChange } from '../../../../shared/runtime/bureau.ts';
import { ConcurrentChangeError } from '../../../../shared/store/errors.ts';
import type { BureauCommit, BureauStore } from '../../../../shared/store/ports.ts';

const change = {
  action: 'set_calendar_year',
  actor: { id: 'demo-admin', role: 'admin' as const, name: '李明' },
  at: '2026-12-01T02:00:00.000Z',
  subject: 'calendar/2027',
  payload: { year: 2027 },
  changes: { before: null, after: { holidays: [], workdays: [] } },
  requestId: 'req-1',
};

/** A stream in memory whose commits fail as told, one answer per attempt. */
function store(failures: (ConcurrentChangeError | undefined)[]) {
  let head: BureauHead = { seq: 0, hash: GENESIS };
  const commits: BureauCommit[] = [];
  const fake: BureauStore = {
    head: async () => head,
    current: async () => [],
    commit: async (c) => {
      commits.push(c);
      const failure = failures.shift();
      // Another admin took the seq meanwhile: the head moves on.
      if (failure && !failure.staleVersion) head = { seq: head.seq + 1, hash: 'f'.repeat(64) };
      if (failure) throw failure;
      head = { seq: c.event.seq, hash: c.event.hash };
    },
    events: async () => ({ items: [] }),
    trail: async () => ({ head, trail: [] }),
    settle: async () => true,
    record: async () => undefined,
  };
  return { fake, commits };
}

describe('recordBureauChange', () => {
  it('links the event to the head and commits it with its record', async () => {
    const { fake, commits } = store([]);
    const record = {
      kind: 'calendar' as const,
      id: '2027',
      version: 1,
      body: {},
      updatedAt: change.at,
      updatedBy: 'demo-admin',
    };
    const event: BureauEvent = await recordBureauChange({ ...change, record }, fake);
    expect(event).toMatchObject({ stream: 'bureau', seq: 1, prevHash: GENESIS });
    expect(commits).toEqual([{ event, record }]);
  });

  it('retries a lost race for the seq on the new head', async () => {
    const { fake, commits } = store([new ConcurrentChangeError('seq taken', false)]);
    const event = await recordBureauChange(change, fake);
    expect(commits).toHaveLength(2);
    expect(event).toMatchObject({ seq: 2, prevHash: 'f'.repeat(64) });
  });

  it('gives up on a stale record at once, and after five lost races', async () => {
    const stale = new ConcurrentChangeError('record changed', true);
    const first = store([stale]);
    await expect(recordBureauChange(change, first.fake)).rejects.toBe(stale);
    expect(first.commits).toHaveLength(1);
    const races = Array.from({ length: 5 }, () => new ConcurrentChangeError('seq taken', false));
    const busy = store([...races]);
    await expect(recordBureauChange(change, busy.fake)).rejects.toBe(races[4]);
    expect(busy.commits).toHaveLength(5);
  });
});
