/**
 * GET /stats's figures on a seeded set of events whose answers are counted by hand below, on the
 * 2026 calendar (holidays 04-04..06, 05-01..05, 06-19; adjusted working day Saturday 05-09).
 */
import { describe, expect, it } from 'vitest';
import type { ClockState } from '../../../../shared/domain/clock.ts';
import { computeStats, decisionTiming, median, type StatsRow } from '../../../../shared/domain/stats.ts';
import type { AuditEvent, Category, State } from '../../../../shared/domain/types.ts';

let seq = 0;
/** An event at `beijing` (YYYY-MM-DDTHH:MM, Beijing time). */
function event(
  applicationId: string,
  action: string,
  beijing: string,
  to: State,
  changes: Record<string, unknown> = {},
): AuditEvent {
  seq += 1;
  return {
    applicationId,
    seq,
    action,
    actor: {
      id: 'someone',
      role: action === 'approve' || action === 'reject' ? 'approver' : 'clerk',
      name: 'x',
    },
    at: new Date(Date.parse(`${beijing}:00+08:00`)).toISOString(),
    from: null,
    to,
    payload: {},
    changes,
    requestId: `req-${seq}`,
    prevHash: '0',
    hash: '1',
  };
}

const limits = {
  REPORT: { limitDays: 60, dayType: 'WORKING', commitmentDays: 15 },
  REPORT_FORM: { limitDays: 30, dayType: 'WORKING', commitmentDays: 7 },
} as const;

function clock(
  category: keyof typeof limits,
  startedOn: string,
  stoppedOn: string,
  pauses: ClockState['pauses'] = [],
): ClockState {
  return { startedOn, ...limits[category], pauses, stoppedOn };
}
const accepted = (category: keyof typeof limits, startedOn: string, deemed: boolean) => ({
  clockState: { startedOn, ...limits[category], pauses: [] },
  acceptance: { acceptedOn: startedOn, deemed, noticePublishedOn: startedOn, commentEndsOn: startedOn },
});
const decided = (c: ClockState) => ({ clockState: c });

const categoryOf: Record<string, Category> = {
  A1: 'REPORT_FORM',
  A2: 'REPORT_FORM',
  A3: 'REPORT_FORM',
  B1: 'REPORT',
  B2: 'REPORT',
  B3: 'REPORT',
  R1: 'REGISTRATION',
};

/*
 * The period: June 2026 (Beijing days). Working days are counted after the start day (art. 82).
 *
 * A1 REPORT_FORM: submitted 06-01 00:00 Beijing (the period's first instant); accepted by the clerk
 *    06-02; approved 06-10. Used: 06-03, 04, 05, 08, 09, 10 = 6 ≤ 30 on time; ≤ 7 commitment on time.
 * A2 REPORT_FORM: accepted 05-06 (May: outside the period); rejected 06-12. Used: May 07, 08, 09
 *    (Saturday, adjusted working day), 11–15, 18–22, 25–29 = 18; June 01–05, 08–12 = 10; 28 ≤ 30 on
 *    time; > 7 commitment late.
 * A3 REPORT_FORM: accepted 04-20; paused for revision 05-11 → 05-29 (05-12..05-29 not counted);
 *    approved 06-25. Used: April 21–24, 27–30 = 8; May 06, 07, 08, 09, 11 = 5 (01–05 holiday);
 *    June 01–05, 08–12, 15–18 (19th holiday), 22–25 = 18; 31 > 30 late (due 06-24); commitment late.
 * B1 REPORT: accepted 03-02; approved 06-05. Used: March 03–31 = 21; April = 21 (03-06 holiday);
 *    May = 19 (with Saturday 05-09); June 01–05 = 5; 66 > 60 late (due 05-28); commitment late.
 * B2 REPORT: deemed accepted in May from receipt 05-20; approved 06-30. Used: May 21, 22, 25–29 = 7;
 *    June 01–05, 08–12, 15–18, 22–26, 29, 30 = 21; 28 ≤ 60 on time; > 15 commitment late.
 * B3 REPORT: submitted 06-15; deemed accepted by the system 06-24 (clock from receipt 06-15).
 * R1 REGISTRATION: filed 06-03.
 * Outside the period or not counted: A1's accept repeated (same seq), B2's May accept, a submit at
 * 07-01 00:00 Beijing, a submit at 05-31 23:59 Beijing, a start_review in June.
 *
 * Expected, REPORT_FORM: received 1 (A1), accepted 1 (A1), deemed 0, decided 3 (approved A1, A3;
 *   rejected A2), on time 2 (A1, A2), late 1 (A3), commitment on time 1 (A1), late 2;
 *   median of 6, 28, 31 = 28.
 * REPORT: received 1 (B3), accepted 1 (B3), deemed 1, decided 2 (both approved), on time 1 (B2),
 *   late 1 (B1), commitment on time 0, late 2; median of 28, 66 = 47.
 * REGISTRATION: received 1, filed 1; nothing else.
 * Total: received 3, filed 1, accepted 2, deemed 1, decided 5, approved 4, rejected 1, on time 3,
 *   late 2, commitment on time 1, late 4; median of 6, 28, 28, 31, 66 = 28.
 */
const a1Accept = event(
  'A1',
  'accept',
  '2026-06-02T10:00',
  'ACCEPTED',
  accepted('REPORT_FORM', '2026-06-02', false),
);
const seeded: AuditEvent[] = [
  event('A1', 'submit', '2026-06-01T00:00', 'SUBMITTED', { receivedOn: '2026-06-01' }),
  a1Accept,
  { ...a1Accept },
  event('A1', 'start_review', '2026-06-03T10:00', 'UNDER_REVIEW'),
  event(
    'A1',
    'approve',
    '2026-06-10T15:00',
    'APPROVED',
    decided(clock('REPORT_FORM', '2026-06-02', '2026-06-10')),
  ),
  event(
    'A2',
    'reject',
    '2026-06-12T11:00',
    'REJECTED',
    decided(clock('REPORT_FORM', '2026-05-06', '2026-06-12')),
  ),
  event(
    'A3',
    'approve',
    '2026-06-25T16:30',
    'APPROVED',
    decided(clock('REPORT_FORM', '2026-04-20', '2026-06-25', [{ from: '2026-05-11', to: '2026-05-29' }])),
  ),
  event(
    'B1',
    'approve',
    '2026-06-05T09:30',
    'APPROVED',
    decided(clock('REPORT', '2026-03-02', '2026-06-05')),
  ),
  event('B2', 'accept', '2026-05-28T02:00', 'ACCEPTED', accepted('REPORT', '2026-05-20', true)),
  event(
    'B2',
    'approve',
    '2026-06-30T23:59',
    'APPROVED',
    decided(clock('REPORT', '2026-05-20', '2026-06-30')),
  ),
  event('B3', 'submit', '2026-06-15T09:00', 'SUBMITTED', { receivedOn: '2026-06-15' }),
  event('B3', 'accept', '2026-06-24T02:00', 'ACCEPTED', accepted('REPORT', '2026-06-15', true)),
  event('B3', 'submit', '2026-07-01T00:00', 'SUBMITTED'),
  event('A3', 'submit', '2026-05-31T23:59', 'SUBMITTED'),
  event('R1', 'submit', '2026-06-03T14:00', 'FILED', { receiptNumber: 'R-1', receivedOn: '2026-06-03' }),
];

const row = (r: Partial<StatsRow>): StatsRow => ({
  received: 0,
  filed: 0,
  accepted: 0,
  acceptedDeemed: 0,
  decided: 0,
  approved: 0,
  rejected: 0,
  onTime: 0,
  late: 0,
  onTimeCommitment: 0,
  lateCommitment: 0,
  medianWorkingDays: null,
  ...r,
});

describe('statistics on a seeded set with known answers', () => {
  const stats = computeStats({ from: '2026-06-01', to: '2026-06-30' }, seeded, (id) => categoryOf[id]);

  it('counts per category', () => {
    expect(stats.byCategory.REPORT_FORM).toEqual(
      row({
        received: 1,
        accepted: 1,
        decided: 3,
        approved: 2,
        rejected: 1,
        onTime: 2,
        late: 1,
        onTimeCommitment: 1,
        lateCommitment: 2,
        medianWorkingDays: 28,
      }),
    );
    expect(stats.byCategory.REPORT).toEqual(
      row({
        received: 1,
        accepted: 1,
        acceptedDeemed: 1,
        decided: 2,
        approved: 2,
        onTime: 1,
        late: 1,
        lateCommitment: 2,
        medianWorkingDays: 47,
      }),
    );
    expect(stats.byCategory.REGISTRATION).toEqual(row({ received: 1, filed: 1 }));
  });

  it('counts in total, and names the period', () => {
    expect(stats.total).toEqual(
      row({
        received: 3,
        filed: 1,
        accepted: 2,
        acceptedDeemed: 1,
        decided: 5,
        approved: 4,
        rejected: 1,
        onTime: 3,
        late: 2,
        onTimeCommitment: 1,
        lateCommitment: 4,
        medianWorkingDays: 28,
      }),
    );
    expect(stats).toMatchObject({ from: '2026-06-01', to: '2026-06-30', uncategorised: 0 });
  });

  it('does not depend on the order of the events', () => {
    const reversed = computeStats(
      { from: '2026-06-01', to: '2026-06-30' },
      [...seeded].reverse(),
      (id) => categoryOf[id],
    );
    expect(reversed).toEqual(stats);
  });

  it('a one-day period takes only that Beijing day', () => {
    const day = computeStats({ from: '2026-06-01', to: '2026-06-01' }, seeded, (id) => categoryOf[id]);
    expect(day.total).toEqual(row({ received: 1 }));
    const last = computeStats({ from: '2026-06-30', to: '2026-06-30' }, seeded, (id) => categoryOf[id]);
    // B2's approval at 23:59 Beijing on 06-30 (15:59 UTC) is still 06-30.
    expect(last.total).toEqual(
      row({ decided: 1, approved: 1, onTime: 1, lateCommitment: 1, medianWorkingDays: 28 }),
    );
  });

  it('an application that cannot be found counts in the total only', () => {
    const s = computeStats({ from: '2026-06-01', to: '2026-06-30' }, seeded, (id) =>
      id === 'B1' ? undefined : categoryOf[id],
    );
    expect(s.uncategorised).toBe(1);
    expect(s.total.decided).toBe(5);
    expect(s.byCategory.REPORT.decided).toBe(1);
  });

  it('an empty period has zeros and no median', () => {
    const s = computeStats({ from: '2026-08-01', to: '2026-08-31' }, seeded, (id) => categoryOf[id]);
    expect(s.total).toEqual(row({}));
  });
});

describe('one decision', () => {
  it('the working days exclude the paused days, and the due date moves by them', () => {
    const paused = decisionTiming({
      at: '2026-06-25T08:30:00.000Z',
      changes: {
        clockState: clock('REPORT_FORM', '2026-04-20', '2026-06-25', [
          { from: '2026-05-11', to: '2026-05-29' },
        ]),
      },
    });
    // The pause took 05-12..05-29: 14 working days; without it, 8 + 19 (all of May's) + 18 = 45.
    expect(paused).toEqual({
      decidedOn: '2026-06-25',
      dueDate: '2026-06-24',
      commitmentDueDate: '2026-04-29',
      workingDays: 31,
      late: true,
      lateCommitment: true,
    });
    const unpaused = decisionTiming({
      at: '2026-06-25T08:30:00.000Z',
      changes: { clockState: clock('REPORT_FORM', '2026-04-20', '2026-06-25') },
    });
    expect(unpaused?.workingDays).toBe(45);
  });

  it('decided on the due date is on time; a day later is late', () => {
    // REPORT_FORM accepted 05-06: day 30 is 06-16 (day 28 is 06-12).
    const on = decisionTiming({
      at: '',
      changes: { clockState: clock('REPORT_FORM', '2026-05-06', '2026-06-16') },
    });
    expect(on).toMatchObject({ dueDate: '2026-06-16', workingDays: 30, late: false });
    const after = decisionTiming({
      at: '',
      changes: { clockState: clock('REPORT_FORM', '2026-05-06', '2026-06-17') },
    });
    expect(after).toMatchObject({ workingDays: 31, late: true });
  });

  it('a limit in calendar days is judged by its own due date, but reported in working days', () => {
    // 10 calendar days from Monday 06-01: due Thursday 06-11; decided 06-12 is late, after 9 working days.
    const t = decisionTiming({
      at: '',
      changes: {
        clockState: {
          startedOn: '2026-06-01',
          limitDays: 10,
          dayType: 'CALENDAR',
          commitmentDays: 5,
          pauses: [],
          stoppedOn: '2026-06-12',
        },
      },
    });
    expect(t).toMatchObject({ dueDate: '2026-06-11', late: true, workingDays: 9 });
  });

  it('the commitment leaves out the notice periods the clock noted; an older clock without them counts them', () => {
    // REPORT_FORM accepted Mon 06-01, comments 06-02..06-08, proposed 06-09, notice 06-10..06-16,
    // approved 06-17: its own days 06-09, 06-17, 18, 22 (06-19 holiday), 23, 24, 25 → due 06-25.
    const noticed: ClockState = {
      ...clock('REPORT_FORM', '2026-06-01', '2026-06-17'),
      noticePeriods: [
        { kind: 'comment', from: '2026-06-01', to: '2026-06-08' },
        { kind: 'notice', from: '2026-06-09', to: '2026-06-16' },
      ],
    };
    const t = decisionTiming({ at: '', changes: { clockState: noticed } });
    // The statutory count keeps them: 06-02..05, 08..12, 15..17 = 12.
    expect(t).toMatchObject({ commitmentDueDate: '2026-06-25', lateCommitment: false, workingDays: 12 });
    // Counting them, day 7 is 06-10.
    const old = decisionTiming({
      at: '',
      changes: { clockState: clock('REPORT_FORM', '2026-06-01', '2026-06-17') },
    });
    expect(old).toMatchObject({ commitmentDueDate: '2026-06-10', lateCommitment: true, workingDays: 12 });
    const stats = computeStats(
      { from: '2026-06-01', to: '2026-06-30' },
      [
        event('N1', 'approve', '2026-06-17T10:00', 'APPROVED', decided(noticed)),
        event(
          'N2',
          'approve',
          '2026-06-17T10:00',
          'APPROVED',
          decided(clock('REPORT_FORM', '2026-06-01', '2026-06-17')),
        ),
      ],
      () => 'REPORT_FORM',
    );
    expect(stats.total).toMatchObject({ onTime: 2, onTimeCommitment: 1, lateCommitment: 1 });
  });

  it('without a clock there is no timing', () => {
    expect(decisionTiming({ at: '2026-06-01T00:00:00.000Z', changes: {} })).toBeUndefined();
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([10, 1, 4, 7])).toBe(5.5);
  });
});
