/**
 * The inbox against the local server and DynamoDB Local: an act's notification reaches the inbox of
 * every signed-in user it names (the owner, a role's members), once however often it is delivered;
 * each reads their own, newest first, marks entries read, or all; the unread count stays right
 * under concurrent deliveries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliverInboxBetween,
  disableLocalInbox,
  enableLocalInbox,
  localInboxIdle,
} from '../../local/inbox.ts';
import { entryOf } from '../../shared/domain/inbox.ts';
import type { Notification } from '../../shared/domain/notifications.ts';
import { getInboxStore } from '../../shared/runtime/clients.ts';
import { type LocalStack, startLocalStack, type Who } from './helpers/local-stack.ts';
import { beijing, draft, ok } from './helpers/scenario.ts';

let stack: LocalStack;
let id: string;
beforeAll(async () => {
  stack = await startLocalStack();
  enableLocalInbox();
  await stack.setNow(beijing('2026-03-02', '09:00'));
  id = await draft(stack);
  await ok(stack, id, 'submit', 'applicant');
  await stack.setNow(beijing('2026-03-02', '10:00'));
  await ok(stack, id, 'accept', 'clerk');
});
afterAll(async () => {
  disableLocalInbox();
  await localInboxIdle();
  await stack?.stop();
});

interface Entry {
  id: string;
  applicationId?: string;
  action: string;
  subject: { zh: string; en: string };
  read: boolean;
}
interface Inbox {
  items: Entry[];
  unreadCount: number;
  cursor?: string;
}
const inbox = async (as: Who, query = '') => {
  const res = await stack.request<Inbox>('GET', `/inbox${query}`, { as });
  expect(res.status, res.text).toBe(200);
  return res.json;
};
const markRead = (as: Who, body: unknown) =>
  stack.request<{ marked: number; unreadCount: number }>('POST', '/inbox/read', { as, body });

describe('an act reaches the inboxes of those it names', () => {
  it("the acceptance: the applicant's and each reviewer's, unread; nobody else's", async () => {
    const own = await inbox('applicant');
    expect(own.items.map((e) => [e.applicationId, e.action, e.read])).toEqual([[id, 'accept', false]]);
    expect(own.items[0]?.subject.zh).toMatch(/^已受理：/);
    expect(own.unreadCount).toBe(1);
    const reviewer = await inbox('reviewer');
    expect(reviewer.items.map((e) => e.action)).toEqual(['accept']);
    for (const who of ['clerk', 'approver', 'auditor', 'admin'] as const)
      expect(await inbox(who)).toEqual({ items: [], unreadCount: 0 });
  });

  it('a second delivery of the same notifications adds nothing and counts nothing', async () => {
    expect(await deliverInboxBetween('2026-01-01T00:00:00.000Z', '2026-12-31T00:00:00.000Z')).toBe(0);
    expect((await inbox('applicant')).unreadCount).toBe(1);
  });

  it('opening an entry marks it read, once; the count follows', async () => {
    const [entry] = (await inbox('reviewer')).items;
    const first = await markRead('reviewer', { ids: [entry?.id] });
    expect(first.status, first.text).toBe(200);
    expect(first.json).toEqual({ marked: 1, unreadCount: 0 });
    expect((await markRead('reviewer', { ids: [entry?.id] })).json).toEqual({ marked: 0, unreadCount: 0 });
    expect((await inbox('reviewer')).items.map((e) => e.read)).toEqual([true]);
    // The applicant's copy of the same notification is theirs: still unread.
    expect((await inbox('applicant')).unreadCount).toBe(1);
  });

  it("another user's id marks nothing of theirs", async () => {
    const [entry] = (await inbox('applicant')).items;
    expect((await markRead('approver', { ids: [entry?.id] })).json).toEqual({ marked: 0, unreadCount: 0 });
    expect((await inbox('applicant')).unreadCount).toBe(1);
  });

  it('a malformed request names its field', async () => {
    const res = await markRead('applicant', { ids: ['???'] });
    expect(res.status).toBe(400);
    expect((res.json as unknown as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
      'ids.0',
    ]);
  });
});

describe('the counter under concurrent writes (DynamoDB Local)', () => {
  const user = 'inbox-concurrency-user';
  const n = (seq: number): Notification => ({
    applicationId: 'concurrency-app',
    seq,
    action: 'mark_due_soon',
    at: `2026-04-01T0${seq % 10}:00:00.${String(seq).padStart(3, '0')}Z`,
    recipients: [{ kind: 'user', id: user }],
    subject: { zh: `即将到期 ${seq}`, en: `Due soon ${seq}` },
    body: { zh: '请尽快办理。', en: 'Please act promptly.' },
  });
  const deliver = (notification: Notification) => {
    const { deliveredAt: _, ...entry } = entryOf(notification, new Date().toISOString());
    return getInboxStore().deliver(user, entry, new Date());
  };

  it('the same notification delivered 8 times at once: one entry, counted once', async () => {
    const added = await Promise.all(Array.from({ length: 8 }, () => deliver(n(1))));
    expect(added.filter(Boolean)).toHaveLength(1);
    const page = await getInboxStore().page(user, 100);
    expect(page.items).toHaveLength(1);
    expect(page.unreadCount).toBe(1);
  });

  it('12 notifications at once: 12 entries, 12 unread; marking all read leaves none; paged newest first', async () => {
    const added = await Promise.all(Array.from({ length: 12 }, (_, i) => deliver(n(i + 2))));
    expect(added.every(Boolean)).toBe(true);
    const page = await getInboxStore().page(user, 100);
    expect(page.items).toHaveLength(13);
    expect(page.unreadCount).toBe(13);
    const ats = page.items.map((e) => e.at);
    expect(ats).toEqual([...ats].sort().reverse());
    expect(await getInboxStore().markRead(user, 'all', new Date())).toEqual({ marked: 13, unreadCount: 0 });
    const after = await getInboxStore().page(user, 5);
    expect(after.items.every((e) => e.read)).toBe(true);
    expect(after.lastKey).toBeDefined();
    expect(after.unreadCount).toBe(0);
  });
});
