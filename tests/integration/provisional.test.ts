/**
 * Provisional dates over HTTP: a case accepted in late December 2026 (the shipped calendar ends
 * with 2026) has its dates marked in the application, the lists, the work queue and the public
 * notice, in words in both languages; the daily sweep counts them and reminds the admins once a week.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notification } from '../../shared/domain/notifications.ts';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';
import { beijing, ok, submitted } from './helpers/scenario.ts';

type Json = Record<string, unknown>;
interface Mark {
  provisional?: boolean;
  provisionalDates?: string[];
  provisionalNote?: { zh: string; en: string };
}

let stack: LocalStack;
let id: string;
beforeAll(async () => {
  stack = await startLocalStack();
  id = await submitted(stack, '2026-12-23');
  await stack.setNow(beijing('2026-12-28'));
  await ok(stack, id, 'accept', 'clerk');
});
afterAll(async () => {
  await stack?.stop();
});

const says2027 = (mark: Mark | undefined) => {
  expect(mark?.provisional).toBe(true);
  expect(mark?.provisionalNote?.zh).toContain('2027年节假日安排尚未公布');
  expect(mark?.provisionalNote?.en).toContain('2027 holidays not yet published');
};

describe('provisional dates', () => {
  it('the application marks its clock and its comment period', async () => {
    const res = await stack.request<{ clock: Mark & { dueDate: string }; acceptance: Mark }>(
      'GET',
      `/applications/${id}`,
      { as: 'clerk' },
    );
    expect(res.status).toBe(200);
    says2027(res.json.clock);
    expect(res.json.clock.provisionalDates).toContain('dueDate');
    says2027(res.json.acceptance);
    expect(res.json.acceptance.provisionalDates).toEqual(['commentEndsOn']);
  });

  it('so do the list items and the work queue', async () => {
    const list = await stack.request<{ items: (Json & { clock?: Mark })[] }>('GET', '/applications', {
      as: 'clerk',
    });
    says2027(list.json.items.find((a) => a.id === id)?.clock);
    const queue = await stack.request<{ items: (Json & { clock?: Mark })[] }>(
      'GET',
      '/applications?queue=mine',
      { as: 'reviewer' },
    );
    says2027(queue.json.items.find((a) => a.id === id)?.clock);
  });

  it('the public notice says its comment period ends on a provisional date, in both languages', async () => {
    const res = await stack.request<{ items: (Mark & Json)[] }>('GET', '/public/notices');
    const notice = res.json.items.find((n) => n.applicationId === id && n.kind === 'ACCEPTANCE');
    says2027(notice);
    expect(notice?.provisionalDates).toEqual(['endsOn']);
  });

  it('the daily sweep counts the open provisional deadlines and reminds the admins once a week', async () => {
    await stack.setNow(beijing('2026-12-29', '08:05'));
    const first = await stack.request<{ provisional?: { openProvisional: number; reminded: boolean } }>(
      'POST',
      '/local/sweep',
    );
    expect(first.status, first.text).toBe(200);
    expect(first.json.provisional?.openProvisional).toBeGreaterThanOrEqual(2);
    expect(first.json.provisional?.reminded).toBe(true);

    await stack.setNow(beijing('2026-12-30', '08:10'));
    const again = await stack.request<{ provisional?: { reminded: boolean } }>('POST', '/local/sweep');
    expect(again.json.provisional?.reminded).toBe(false);

    const outbox = await stack.request<{ items: Notification[] }>('GET', '/local/outbox?limit=100');
    const reminders = outbox.json.items.filter((n) => n.action === 'calendar_reminder');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({ recipients: [{ kind: 'role', role: 'admin' }] });
    expect(reminders[0]?.body.zh).toContain('2027年');

    // Not at another hour of the day: the count runs once a day.
    await stack.setNow(beijing('2026-12-30', '10:00'));
    const later = await stack.request<Json>('POST', '/local/sweep');
    expect(later.json.provisional).toBeUndefined();
  });
});
