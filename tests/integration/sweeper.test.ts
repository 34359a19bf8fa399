/** The sweeper over HTTP (POST /local/sweep) against DynamoDB Local; time moved, never slept on. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../shared/domain/audit-chain.ts';
import { EXPERT_REVIEW_ELAPSED, type Notification } from '../../shared/domain/notifications.ts';
import type { AuditEvent } from '../../shared/domain/types.ts';
import { type LocalStack, startLocalStack, users } from './helpers/local-stack.ts';
import { beijing, ok, submitted, sweep as sweepOn } from './helpers/scenario.ts';

interface Report {
  today: string;
  read: number;
  steps: Record<string, number>;
  skipped: number;
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

const sweep = (on: string) => sweepOn<Report>(stack, on);

describe('the sweeper', () => {
  it('deems accepted on the 6th working day after receipt, across National Day, reading only what is due', async () => {
    // Received Tue 09-29; the window's 5 working days end on 10-12 (National Day 10-01..07 off).
    const due = await submitted(stack, '2026-09-29');
    // Ten more received later: not due on 10-13, so a sweep never reads them.
    for (let i = 0; i < 10; i++) await submitted(stack, '2026-10-09');

    const early = await sweep('2026-10-12');
    expect(early).toMatchObject({ read: 0, steps: {} });

    const report = await sweep('2026-10-13');
    expect(report).toMatchObject({ read: 1, steps: { accept: 1 }, skipped: 0 });
    const app = await stack.request<Record<string, unknown>>('GET', `/applications/${due}`, { as: 'clerk' });
    expect(app.json).toMatchObject({
      state: 'ACCEPTED',
      acceptance: { acceptedOn: '2026-09-29', deemed: true },
      clock: { startedOn: '2026-09-29' },
    });
    const events = await stack.request<{ items: AuditEvent[] }>('GET', `/applications/${due}/events`, {
      as: 'auditor',
    });
    expect(events.json.items.at(-1)).toMatchObject({
      action: 'accept',
      actor: { id: 'system', role: 'system' },
    });
    expect(verifyChain(events.json.items)).toEqual({ ok: true });

    // The same sweep again finds nothing: each step happens once.
    expect(await sweep('2026-10-13')).toMatchObject({ read: 0, steps: {} });
  });

  it('writes each step once when two sweeps run at the same time', async () => {
    // The ten received 10-09 (Fri, an adjusted working day) are due on 10-16.
    await stack.setNow(beijing('2026-10-16', '02:00'));
    const [a, b] = await Promise.all([
      stack.request<Report>('POST', '/local/sweep'),
      stack.request<Report>('POST', '/local/sweep'),
    ]);
    const accepted = (a.json.steps.accept ?? 0) + (b.json.steps.accept ?? 0);
    expect(accepted).toBe(10);
    const list = await stack.request<{ items: { id: string }[] }>(
      'GET',
      '/applications?state=ACCEPTED&limit=100',
      {
        as: 'clerk',
      },
    );
    for (const { id } of list.json.items) {
      const events = await stack.request<{ items: AuditEvent[] }>('GET', `/applications/${id}/events`, {
        as: 'auditor',
      });
      expect(events.json.items.filter((e) => e.action === 'accept')).toHaveLength(1);
      expect(verifyChain(events.json.items)).toEqual({ ok: true });
    }
  });

  it('warns the case officer once when an expert review outruns its expected working days', async () => {
    // REPORT_FORM accepted Tue 06-02: comment period 06-03..09, closed by the sweep of 06-10. An
    // expert review of 5 working days from Mon 06-15: 06-16, 17, 18, (19 Dragon Boat), 22, 23.
    const id = await submitted(stack, '2026-06-01');
    await stack.setNow(beijing('2026-06-02'));
    await ok(stack, id, 'accept', 'clerk');
    await ok(stack, id, 'start_review', 'reviewer');
    expect((await sweep('2026-06-10')).steps).toEqual({ close_comment_period: 1 });
    await stack.setNow(beijing('2026-06-15'));
    await ok(stack, id, 'start_expert_review', 'reviewer', { expectedWorkingDays: 5 });

    const outbox = async (action: string) => {
      const res = await stack.request<{ items: Notification[] }>('GET', '/local/outbox?limit=100');
      return res.json.items.filter((n) => n.applicationId === id && n.action === action);
    };
    const [told] = await outbox('start_expert_review');
    expect(told?.recipients).toEqual([{ kind: 'user', id: users.applicant.sub }]);
    expect(told?.body.zh).toContain('预计需要 5 个工作日，预计于 2026-06-23 完成');
    expect(told?.body.en).toContain('expected to take 5 working days, until 2026-06-23');

    // The last expected day: nothing, and the sweep reads nothing.
    expect(await sweep('2026-06-23')).toMatchObject({ read: 0, steps: {} });
    expect(await sweep('2026-06-24')).toMatchObject({ read: 1, steps: { [EXPERT_REVIEW_ELAPSED]: 1 } });
    // Recorded once: later sweeps do not read it again.
    expect(await sweep('2026-06-24')).toMatchObject({ read: 0, steps: {} });
    expect(await sweep('2026-06-25')).toMatchObject({ read: 0, steps: {} });

    const app = await stack.request<Record<string, unknown>>('GET', `/applications/${id}`, {
      as: 'reviewer',
    });
    expect(app.json).toMatchObject({ state: 'EXPERT_REVIEW', expertReview: { elapsedOn: '2026-06-24' } });
    const warned = await outbox(EXPERT_REVIEW_ELAPSED);
    expect(warned).toHaveLength(1);
    expect(warned[0]?.recipients).toEqual([{ kind: 'user', id: users.reviewer.sub }]);
    expect(warned[0]?.body.en).toContain('until 2026-06-23');
    const events = await stack.request<{ items: AuditEvent[] }>('GET', `/applications/${id}/events`, {
      as: 'auditor',
    });
    expect(events.json.items.filter((e) => e.action === EXPERT_REVIEW_ELAPSED)).toHaveLength(1);
    expect(events.json.items.at(-1)).toMatchObject({
      action: EXPERT_REVIEW_ELAPSED,
      actor: { id: 'system', role: 'system' },
      from: 'EXPERT_REVIEW',
      to: 'EXPERT_REVIEW',
    });
    expect(verifyChain(events.json.items)).toEqual({ ok: true });
  });
});
