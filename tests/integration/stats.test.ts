/**
 * GET /stats over HTTP against DynamoDB Local: a few applications driven through to approval,
 * rejection, filing and deemed acceptance on known dates (time moved, never slept on), and the
 * figures checked against hand counts. July 2026 has no public holiday.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatsRow } from '../../shared/domain/stats.ts';
import type { Category } from '../../shared/domain/types.ts';
import { type LocalStack, startLocalStack, type Who } from './helpers/local-stack.ts';
import { beijing, draft, ok } from './helpers/scenario.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function on(date: string, time = '10:00'): Promise<void> {
  await stack.setNow(beijing(date, time));
}

interface Stats {
  from: string;
  to: string;
  byCategory: Record<Category, StatsRow>;
  total: StatsRow;
  uncategorised: number;
}

async function stats(from: string, to: string, as: Who = 'clerk') {
  return stack.request<Stats>('GET', `/stats?from=${from}&to=${to}`, { as });
}

const zero: StatsRow = {
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
};

describe('GET /stats on applications driven through on known dates', () => {
  beforeAll(async () => {
    // The commitment leaves out the comment period after acceptance and the proposed decision's
    // notice (docs/clocks.md#the-commitment); the statutory limit counts them.
    // P, REPORT_FORM: submitted Monday 06-29 (June), accepted Wednesday 07-01, proposed 07-09 (the
    // day after its comment period 07-02..07-08), approved Friday 07-17 (the day after its notice
    // 07-10..07-16). Used: 07-02, 03, 06–10, 13–17 = 12 (≤ 30); its own days 07-09, 07-17 = 2 (≤ 7).
    await on('2026-06-29');
    const p = await draft(stack, 'REPORT_FORM');
    await ok(stack, p, 'submit', 'applicant');
    // Q, REPORT_FORM: submitted 07-01, accepted 07-02, proposed 07-10 (comments 07-03..07-09),
    // rejected Tuesday 07-28 (notice 07-13..07-17). Used: 07-03, 06–10, 13–17, 20–24, 27, 28 = 18
    // (≤ 30); its own days 07-10, 20–24, 27, 28 = 8 (> 7: one day late on the commitment).
    await on('2026-07-01');
    await ok(stack, p, 'accept', 'clerk');
    await ok(stack, p, 'start_review', 'reviewer');
    const q = await draft(stack, 'REPORT_FORM');
    await ok(stack, q, 'submit', 'applicant');
    await on('2026-07-02');
    await ok(stack, q, 'accept', 'clerk');
    await ok(stack, q, 'start_review', 'reviewer');
    // S, REPORT: submitted and accepted 07-06, still under review.
    await on('2026-07-06');
    const s = await draft(stack, 'REPORT');
    await ok(stack, s, 'submit', 'applicant');
    await ok(stack, s, 'accept', 'clerk');
    // R, REGISTRATION: filed 07-07.
    await on('2026-07-07');
    const r = await draft(stack, 'REGISTRATION');
    await ok(stack, r, 'submit', 'applicant');
    await on('2026-07-09');
    await ok(stack, p, 'propose_decision', 'reviewer', { proposal: 'approve' });
    await on('2026-07-10');
    await ok(stack, q, 'propose_decision', 'reviewer', { proposal: 'reject', reasons: ['选址不符合规划'] });
    // D, REPORT_FORM: submitted Monday 07-13; no check within 5 working days (07-14..07-20): the
    // sweeper deems it accepted on 07-21, from the receipt date.
    await on('2026-07-13');
    const d = await draft(stack, 'REPORT_FORM');
    await ok(stack, d, 'submit', 'applicant');
    await on('2026-07-17');
    await ok(stack, p, 'approve', 'approver');
    await on('2026-07-21', '02:00');
    const sweep = await stack.request('POST', '/local/sweep');
    expect(sweep.status, sweep.text).toBe(200);
    await on('2026-07-28');
    await ok(stack, q, 'reject', 'approver', { reasons: ['选址不符合规划'] });
    await on('2026-08-03');
  });

  it('counts July per category and in total', async () => {
    const res = await stats('2026-07-01', '2026-07-31');
    expect(res.status, res.text).toBe(200);
    expect(res.json.uncategorised).toBe(0);
    expect(res.json.byCategory.REPORT_FORM).toEqual({
      ...zero,
      received: 2, // Q, D (P was received in June)
      accepted: 3, // P, Q, D
      acceptedDeemed: 1, // D
      decided: 2,
      approved: 1,
      rejected: 1,
      onTime: 2,
      onTimeCommitment: 1,
      lateCommitment: 1,
      medianWorkingDays: 15, // (12 + 18) / 2
    });
    expect(res.json.byCategory.REPORT).toEqual({ ...zero, received: 1, accepted: 1 });
    expect(res.json.byCategory.REGISTRATION).toEqual({ ...zero, received: 1, filed: 1 });
    expect(res.json.total).toMatchObject({
      received: 4,
      filed: 1,
      accepted: 4,
      acceptedDeemed: 1,
      decided: 2,
      onTime: 2,
      late: 0,
      medianWorkingDays: 15,
    });
    // Read cost is the period's events (4 submits, 4 accepts, 2 decisions) and their applications.
    expect(Number(res.headers['x-items-read'])).toBeLessThanOrEqual(10 + 5);
  });

  it('takes whole Beijing days: June holds only P’s submission; 07-17 only its approval', async () => {
    const june = await stats('2026-06-01', '2026-06-30');
    expect(june.json.total).toEqual({ ...zero, received: 1 });
    const day = await stats('2026-07-17', '2026-07-17', 'approver');
    expect(day.json.total).toEqual({
      ...zero,
      decided: 1,
      approved: 1,
      onTime: 1,
      onTimeCommitment: 1,
      medianWorkingDays: 12,
    });
  });

  it('answers the auditor and reviewer, refuses an applicant, and names a bad date', async () => {
    expect((await stats('2026-07-01', '2026-07-31', 'auditor')).status).toBe(200);
    expect((await stats('2026-07-01', '2026-07-31', 'reviewer')).status).toBe(200);
    expect((await stats('2026-07-01', '2026-07-31', 'applicant')).status).toBe(403);
    expect((await stack.request('GET', '/stats?from=2026-07-01&to=2026-07-31')).status).toBe(401);
    const bad = await stack.request<{ issues: { path: string }[] }>(
      'GET',
      '/stats?from=2026-07-32&to=2026-07-31',
      {
        as: 'clerk',
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.json.issues.map((i) => i.path)).toEqual(['from']);
  });
});
