// @ts-nocheck
import { describe, expect, it } from 'vitest';
import { choosePlan, feasiblePlans, nextDay } from '../../../../shared/store/audit-plan.ts';

const now = new Date('2025-06-10T02:00:00.000Z');
const app = '0b6f3c1e-6a2d-4f7b-9c3e-2d5a8e4f1a90';

describe('choosing the index of an audit query', () => {
  it.each([
    [{ applicationId: app, actor: 'a', action: 'accept', lo: '2025-06-01T00:00:00.000Z' }, 'application'],
    [{ actor: 'a', action: 'accept', lo: '2025-06-01T00:00:00.000Z' }, 'actor'],
    [{ action: 'accept', hi: '2025-06-01T00:00:00.000Z' }, 'action'],
    [{ lo: '2025-06-01T00:00:00.000Z' }, 'day'],
  ])('%j → %s', (filter, kind) => {
    expect(choosePlan(filter, 'desc', now).kind).toBe(kind);
  });

  it('lists every path that can answer a filter, most selective first', () => {
    const filter = { applicationId: app, actor: 'a', action: 'accept', lo: '2025-06-01T00:00:00.000Z' };
    expect(feasiblePlans(filter, 'asc', now).map((p) => p.kind)).toEqual([
      'application',
      'actor',
      'action',
      'day',
    ]);
  });

  it('refuses a query with nothing to key on, naming from', () => {
    expect(() => choosePlan({}, 'desc', now)).toThrow(
      expect.objectContaining({ status: 400, issues: [expect.objectContaining({ path: 'from' })] }),
    );
    expect(() => choosePlan({ hi: '2025-06-01T00:00:00.000Z' }, 'desc', now)).toThrow(/from/);
  });

  it('walks the UTC days of the range in reading order, ending today without `to`', () => {
    const lo = '2025-06-08T16:00:00.000Z';
    expect(choosePlan({ lo }, 'asc', now).days).toEqual({ first: '2025-06-08', last: '2025-06-10' });
    expect(choosePlan({ lo }, 'desc', now).days).toEqual({ first: '2025-06-10', last: '2025-06-08' });
    // `hi` is exclusive: a range ending at midnight does not touch the next day.
    expect(choosePlan({ lo, hi: '2025-06-09T00:00:00.000Z' }, 'asc', now).days).toEqual({
      first: '2025-06-08',
      last: '2025-06-08',
    });
  });

  it('has no day to walk for a range wholly in the future', () => {
    expect(choosePlan({ lo: '2025-07-01T00:00:00.000Z' }, 'asc', now).days).toBeUndefined();
  });

  it('steps one day at a time in either direction and stops after the last', () => {
    const asc = choosePlan({ lo: '2025-05-30T00:00:00.000Z', hi: '2025-06-02T00:00:00.000Z' }, 'asc', now);
    expect(nextDay(asc, '2025-05-31')).toBe('2025-06-01');
    expect(nextDay(asc, '2025-06-01')).toBeUndefined();
    const desc = choosePlan({ lo: '2025-05-30T00:00:00.000Z', hi: '2025-06-02T00:00:00.000Z' }, 'desc', now);
    expect(nextDay(desc, '2025-06-01')).toBe('2025-05-31');
    expect(nextDay(desc, '2025-05-30')).toBeUndefined();
  });
});
