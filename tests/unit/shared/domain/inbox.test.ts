import { describe, expect, it } from 'vitest';
import {
  counterAfterDelivery,
  counterAfterReading,
  counterAfterReadingAll,
  deliveryInstant,
  emptyCounter,
  entryIdOf,
  entryOf,
  entrySortKey,
  isRead,
  sortKeyOfId,
} from '../../../../shared/domain/inbox.ts';
import type { Notification } from '../../../../shared/domain/notifications.ts';

const n: Notification = {
  applicationId: 'a-1',
  seq: 12,
  action: 'accept',
  at: '2026-03-02T02:00:00.000Z',
  recipients: [{ kind: 'user', id: 'u-1' }],
  subject: { zh: '已受理', en: 'Accepted' },
  body: { zh: '正文', en: 'Body' },
  deadline: '2026-05-29',
  provisional: true,
};

describe('entry ids', () => {
  it('one per notification, sorting by time, and read back exactly', () => {
    expect(entrySortKey(n)).toBe('2026-03-02T02:00:00.000Z#a-1#0000000012#accept');
    const id = entryIdOf(entrySortKey(n));
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(sortKeyOfId(id)).toBe(entrySortKey(n));
    expect(entrySortKey({ ...n, at: '2026-03-03T00:00:00.000Z' }) > entrySortKey(n)).toBe(true);
  });

  it('refuses what cannot be an id: other characters, a second spelling, another shape', () => {
    const id = entryIdOf(entrySortKey(n));
    expect(sortKeyOfId(`${id}=`)).toBeUndefined();
    expect(sortKeyOfId('a b')).toBeUndefined();
    expect(sortKeyOfId('')).toBeUndefined();
    expect(sortKeyOfId(entryIdOf('a#b'))).toBeUndefined();
    expect(sortKeyOfId('x'.repeat(301))).toBeUndefined();
  });
});

describe('entryOf', () => {
  it("keeps the notification's words, deadline and mark; a calendar reminder names no case", () => {
    expect(entryOf(n, '2026-03-02T02:00:01.000Z')).toEqual({
      id: entryIdOf(entrySortKey(n)),
      applicationId: 'a-1',
      seq: 12,
      action: 'accept',
      at: n.at,
      deliveredAt: '2026-03-02T02:00:01.000Z',
      subject: n.subject,
      body: n.body,
      deadline: '2026-05-29',
      provisional: true,
    });
    const reminder = entryOf({ ...n, action: 'calendar_reminder', applicationId: 'calendar-2027' }, n.at);
    expect(reminder).not.toHaveProperty('applicationId');
  });
});

describe('the counter', () => {
  const t0 = new Date('2026-03-02T02:00:00.000Z');

  it('counts a delivery, a reading, and everything read; never below zero', () => {
    const one = counterAfterDelivery(emptyCounter, t0.toISOString());
    expect(one).toEqual({ unread: 1, version: 1, lastDeliveredAt: t0.toISOString() });
    expect(counterAfterReading(one, 1)).toEqual({ ...one, unread: 0, version: 2 });
    expect(counterAfterReading(one, 5).unread).toBe(0);
    expect(counterAfterReadingAll(one, new Date('2026-03-02T03:00:00.000Z'))).toMatchObject({
      unread: 0,
      version: 2,
      allReadAt: '2026-03-02T03:00:00.000Z',
    });
  });

  it('"all read" covers a delivery stamped by a writer whose clock runs ahead', () => {
    const ahead = counterAfterDelivery(emptyCounter, '2026-03-02T02:05:00.000Z');
    const all = counterAfterReadingAll(ahead, t0);
    expect(all.allReadAt).toBe('2026-03-02T02:05:00.000Z');
    expect(isRead({ deliveredAt: '2026-03-02T02:05:00.000Z' }, all)).toBe(true);
  });

  it('a delivery after "all read" is unread, even from a writer whose clock lags', () => {
    const all = counterAfterReadingAll(emptyCounter, new Date('2026-03-02T02:10:00.000Z'));
    const at = deliveryInstant(t0, all);
    expect(at).toBe('2026-03-02T02:10:00.001Z');
    expect(isRead({ deliveredAt: at }, all)).toBe(false);
    expect(deliveryInstant(new Date('2026-03-02T03:00:00.000Z'), all)).toBe('2026-03-02T03:00:00.000Z');
  });

  it('an entry opened is read whatever the counter says', () => {
    expect(isRead({ deliveredAt: t0.toISOString(), readAt: t0.toISOString() }, emptyCounter)).toBe(true);
    expect(isRead({ deliveredAt: t0.toISOString() }, emptyCounter)).toBe(false);
  });
});
