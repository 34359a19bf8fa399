// @ts-nocheck
import { describe, expect, it } from 'vitest';
import { chain, GENESIS } from '../../../../shared/domain/audit-chain.ts';
import { type StoredEvent, verifyTrail } from '../../../../shared/domain/audit-verify.ts';
import type { AuditEvent } from '../../../../shared/domain/types.ts';
import { trail } from '../../../support/trail-fixture.ts';
import { APP_ID } from '../../functions/fixtures.ts';

const stored = (events: readonly AuditEvent[]): StoredEvent[] =>
  events.map((event) => ({ position: event.seq, event }));

function check(events: StoredEvent[], t = trail(), app = { app: t.app, headHash: t.headHash }) {
  return verifyTrail({ applicationId: APP_ID, stored: app, trail: events });
}

describe('verifyTrail', () => {
  it('passes an untouched trail and gives its head hash', () => {
    const t = trail();
    expect(check(stored(t.events), t)).toEqual({
      ok: true,
      events: 5,
      headHash: t.headHash,
      applicationVersion: 5,
    });
  });

  it('finds an edited payload at its seq', () => {
    const t = trail();
    const events = stored(t.events);
    const third = events[2];
    if (!third) throw new Error('no seq 3');
    events[2] = { ...third, event: { ...third.event, payload: { project: { description: 'forged' } } } };
    expect(check(events, t)).toMatchObject({
      ok: false,
      firstBrokenSeq: 3,
      reason: expect.stringMatching(/hash of seq 3/),
    });
  });

  it('finds a re-hashed forgery at the next link', () => {
    const t = trail();
    const events = stored(t.events);
    const second = t.events[1];
    if (!second) throw new Error('no seq 2');
    const { hash: _h, prevHash, ...unsigned } = second;
    events[1] = { position: 2, event: chain({ ...unsigned, payload: { forged: true } }, prevHash) };
    expect(check(events, t)).toMatchObject({
      ok: false,
      firstBrokenSeq: 3,
      reason: expect.stringMatching(/prevHash of seq 3/),
    });
  });

  it('finds a deleted event as the missing seq', () => {
    const t = trail();
    const events = stored(t.events).filter((e) => e.position !== 2);
    expect(check(events, t)).toMatchObject({
      ok: false,
      firstBrokenSeq: 2,
      reason: expect.stringMatching(/seq 2 is missing/),
    });
  });

  it('finds two swapped events at the first of them', () => {
    const t = trail();
    const events = stored(t.events);
    const [a, b] = [events[1], events[3]];
    if (!a || !b) throw new Error('short trail');
    events[1] = { position: 2, event: b.event };
    events[3] = { position: 4, event: a.event };
    expect(check(events, t)).toMatchObject({
      ok: false,
      firstBrokenSeq: 2,
      reason: expect.stringMatching(/says it is seq 4/),
    });
  });

  it('finds the newest event deleted, from the application version', () => {
    const t = trail();
    const events = stored(t.events.slice(0, -1));
    expect(check(events, t)).toMatchObject({ ok: false, firstBrokenSeq: 5, events: 4 });
  });

  it('finds the newest event rewritten and re-hashed, from the application head hash', () => {
    const t = trail();
    const last = t.events.at(-1);
    if (!last) throw new Error('empty');
    const { hash: _h, prevHash, ...unsigned } = last;
    const events = [
      ...stored(t.events.slice(0, -1)),
      { position: 5, event: chain({ ...unsigned, payload: { x: 1 } }, prevHash) },
    ];
    expect(check(events, t)).toMatchObject({
      ok: false,
      firstBrokenSeq: 5,
      reason: expect.stringMatching(/headHash/),
    });
  });

  it('finds a whole trail gone while the application remains', () => {
    const t = trail();
    expect(check([], t)).toEqual({
      ok: false,
      events: 0,
      firstBrokenSeq: 1,
      reason: expect.any(String),
      headHash: GENESIS,
      applicationVersion: 5,
    });
  });

  it('finds an event carried over from another application', () => {
    const t = trail();
    const other = trail(2, '11111111-2222-4333-8444-555555555555');
    const events = stored(t.events);
    events[0] = { position: 1, event: other.events[0] as AuditEvent };
    expect(check(events, t)).toMatchObject({
      ok: false,
      firstBrokenSeq: 1,
      reason: expect.stringMatching(/belongs to application/),
    });
  });

  it('finds an application item edited behind the trail’s back, naming the field', () => {
    const t = trail();
    const result = check(stored(t.events), t, { app: { ...t.app, state: 'APPROVED' }, headHash: t.headHash });
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/in: state$/) });
    expect(result.firstBrokenSeq).toBeUndefined();
  });

  it('reports a trail whose application item is gone', () => {
    const t = trail();
    expect(verifyTrail({ applicationId: APP_ID, trail: stored(t.events) })).toMatchObject({
      ok: false,
      events: 5,
      reason: expect.stringMatching(/application item is missing/),
    });
  });
});
