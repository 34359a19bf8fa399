import { describe, expect, it } from 'vitest';
import { GENESIS } from '../../../../shared/domain/audit-chain.ts';
import {
  type BureauEvent,
  chainBureauEvent,
  emptyHead,
  type StoredBureauEvent,
  verifyBureau,
} from '../../../../shared/domain/bureau.ts';

const change = (year: number) => ({
  action: 'set_calendar_year',
  actor: { id: 'demo-admin', role: 'admin' as const, name: '李明' },
  at: `2026-12-0${year - 2026}T02:00:00.000Z`,
  subject: `calendar/${year}`,
  payload: { year, holidays: [`${year}-01-01`], workdays: [] },
  changes: { before: null, after: { holidays: [`${year}-01-01`], workdays: [] } },
  requestId: `req-${year}`,
});

function stream(n: number): StoredBureauEvent[] {
  const events: BureauEvent[] = [];
  for (let i = 0; i < n; i++) {
    const last = events.at(-1);
    events.push(chainBureauEvent(change(2027 + i), last ? { seq: last.seq, hash: last.hash } : emptyHead));
  }
  return events.map((event) => ({ position: event.seq, event }));
}
const headOf = (trail: StoredBureauEvent[]) => {
  const last = trail.at(-1)?.event;
  return last ? { seq: last.seq, hash: last.hash } : emptyHead;
};

describe('the bureau stream', () => {
  it('chains from GENESIS, seq by seq', () => {
    const trail = stream(3);
    expect(trail.map((t) => t.event.seq)).toEqual([1, 2, 3]);
    expect(trail[0]?.event.prevHash).toBe(GENESIS);
    expect(trail[1]?.event.prevHash).toBe(trail[0]?.event.hash);
    expect(verifyBureau(trail, headOf(trail))).toEqual({
      ok: true,
      events: 3,
      headHash: trail[2]?.event.hash,
    });
    expect(verifyBureau([], emptyHead)).toEqual({ ok: true, events: 0, headHash: GENESIS });
  });

  it('finds an altered event, a gap, and a newest event deleted behind the head', () => {
    const trail = stream(3);
    const head = headOf(trail);
    const altered = trail.map((t, i) =>
      i === 1 ? { ...t, event: { ...t.event, payload: { year: 2028, holidays: [] } } } : t,
    );
    expect(verifyBureau(altered, head)).toMatchObject({ ok: false, firstBrokenSeq: 2 });
    const gap = [trail[0], trail[2]].filter((t) => t !== undefined);
    expect(verifyBureau(gap, head)).toMatchObject({ ok: false, firstBrokenSeq: 2 });
    expect(verifyBureau(trail.slice(0, 2), head)).toMatchObject({
      ok: false,
      firstBrokenSeq: 3,
      reason: 'the head names seq 3, but the stream ends at seq 2',
    });
    const relinked = trail.map((t, i) => (i === 2 ? { ...t, event: { ...t.event, prevHash: GENESIS } } : t));
    expect(verifyBureau(relinked, head)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });
});
