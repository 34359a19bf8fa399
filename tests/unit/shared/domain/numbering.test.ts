/**
 * Document numbers (shared/domain/numbers.ts, decide's issueDocument): each act of the table issues
 * one document, numbered next in its series for the year (Beijing) from the counter value read,
 * with the prefix of the application's configuration version.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../../shared/domain/config.ts';
import { SYSTEM, sweepStep } from '../../../../shared/domain/deadlines.ts';
import { countersNeeded, decide } from '../../../../shared/domain/decide.ts';
import { formatNumber, seriesOf } from '../../../../shared/domain/documents.ts';
import { counterId, nextNumber, yearOf } from '../../../../shared/domain/numbers.ts';
import type { ActionName } from '../../../../shared/schemas/actions.ts';
import { at, callers, driveTo, payloads, start, workingDay } from './fixtures.ts';

describe('nextNumber', () => {
  it('is the next after the value read, 1 for a counter never read, with the series prefix', () => {
    expect(nextNumber(defaultConfig.numberPrefixes, 'decision', 2026, { 'decision#2026': 16 })).toEqual({
      n: 17,
      number: '醴环评〔2026〕17号',
      read: 16,
    });
    expect(nextNumber(defaultConfig.numberPrefixes, 'receipt', 2027, { 'decision#2027': 4 })).toEqual({
      n: 1,
      number: '醴环备〔2027〕1号',
      read: 0,
    });
    expect(counterId('acceptance', 2026)).toBe('acceptance#2026');
    expect(yearOf('2027-01-01')).toBe(2027);
  });
});

describe('the acts that issue a document', () => {
  const cases: [ActionName, string, string, ReturnType<typeof driveTo>][] = [
    ['accept', 'clerk', 'ACCEPTANCE_NOTICE', driveTo('SUBMITTED')],
    ['request_supplement', 'clerk', 'SUPPLEMENT_NOTICE', driveTo('SUBMITTED')],
    ['decline', 'clerk', 'NOT_ACCEPTED_DECISION', driveTo('SUBMITTED')],
    ['approve', 'approver', 'APPROVAL', driveTo('PUBLIC_NOTICE')],
    ['reject', 'approver', 'REJECTION', driveTo('PUBLIC_NOTICE', 'REPORT', { proposal: 'reject' })],
  ];
  it.each(cases)(
    '%s issues one %s, numbered next in its series, in the act’s own event',
    (action, who, kind, t) => {
      const now =
        action === 'approve' || action === 'reject' ? at(workingDay('2026-03-02', 12)) : at('2026-03-03');
      const series = seriesOf[kind as keyof typeof seriesOf];
      const s = decide(t.app, action, callers[who as 'clerk'], payloads[action], {
        now,
        requestId: 'r',
        counters: { [counterId(series, 2026)]: 41 },
      });
      const seq = t.app.version + 1;
      const ref = {
        documentId: `${kind}-${seq}`,
        kind,
        number: formatNumber(defaultConfig.numberPrefixes[series], 2026, 42),
        issuedOn: s.event.at.slice(0, 10),
        seq,
      };
      expect(s.app.documents).toEqual([...(t.app.documents ?? []), ref]);
      expect(s.event.changes.documents).toEqual(s.app.documents);
      expect(s.issued).toEqual({ ref, series, year: 2026, read: 41 });
      expect(countersNeeded(t.app, action, now)).toEqual([counterId(series, 2026)]);
      if (series === 'decision') expect(s.app.decisionNumber).toBe(ref.number);
      else expect(s.app.decisionNumber).toBeUndefined();
    },
  );

  it('approvals and rejections share the decision series; the others each have their own prefix', () => {
    expect(seriesOf.APPROVAL).toBe(seriesOf.REJECTION);
    expect(new Set(Object.values(defaultConfig.numberPrefixes)).size).toBe(5);
  });

  it('takes the prefix of the application’s configuration version', () => {
    const t = driveTo('PUBLIC_NOTICE');
    const config = {
      ...defaultConfig,
      numberPrefixes: { ...defaultConfig.numberPrefixes, decision: '醴环审批' },
    };
    const s = decide(
      t.app,
      'approve',
      callers.approver,
      {},
      {
        now: at(workingDay('2026-03-02', 12)),
        requestId: 'r',
        config,
        counters: { 'decision#2026': 2 },
      },
    );
    expect(s.app.decisionNumber).toBe('醴环审批〔2026〕3号');
  });

  it('numbers by the year of the day in Beijing: 17:00 UTC on 31 December is already next year', () => {
    const t = driveTo('SUBMITTED', 'REPORT', { on: '2026-12-30' });
    const now = new Date('2026-12-31T17:00:00Z');
    expect(countersNeeded(t.app, 'accept', now)).toEqual(['acceptance#2027']);
    const s = decide(
      t.app,
      'accept',
      callers.clerk,
      {},
      { now, requestId: 'r', counters: { 'acceptance#2027': 0 } },
    );
    expect(s.issued).toMatchObject({
      year: 2027,
      read: 0,
      ref: { number: '醴环受〔2027〕1号', issuedOn: '2027-01-01' },
    });
  });

  it('a registration’s submit issues the filing receipt; any other submit, and every other act, issues none', () => {
    const registration = start('REGISTRATION');
    expect(countersNeeded(registration.app, 'submit', at('2026-03-02'))).toEqual(['receipt#2026']);
    const report = start('REPORT');
    expect(countersNeeded(report.app, 'submit', at('2026-03-02'))).toEqual([]);
    const s = decide(report.app, 'submit', callers.owner, {}, { now: at('2026-03-02'), requestId: 'r' });
    expect(s.issued).toBeUndefined();
    const accepted = driveTo('ACCEPTED');
    const review = decide(
      accepted.app,
      'start_review',
      callers.reviewer,
      {},
      { now: at('2026-03-04'), requestId: 'r' },
    );
    expect(review.issued).toBeUndefined();
    expect(review.app.documents).toEqual(accepted.app.documents);
    expect(countersNeeded(accepted.app, 'start_review', at('2026-03-04'))).toEqual([]);
    expect(countersNeeded(accepted.app, 'no_such_action', at('2026-03-04'))).toEqual([]);
  });

  it('deemed acceptance by the sweeper issues an acceptance notice too', () => {
    const t = driveTo('SUBMITTED', 'REPORT', { on: '2026-03-02' });
    const now = at(workingDay('2026-03-02', 10));
    const s = sweepStep(t.app, { now, requestId: 'sweep', counters: { 'acceptance#2026': 9 } });
    expect(s?.event).toMatchObject({ action: 'accept', actor: { id: SYSTEM.id } });
    expect(s?.app.acceptance?.deemed).toBe(true);
    expect(s?.issued?.ref).toMatchObject({ kind: 'ACCEPTANCE_NOTICE', number: '醴环受〔2026〕10号' });
  });
});
