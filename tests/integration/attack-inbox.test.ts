/**
 * The inbox attacked, against the local server and DynamoDB Local: a cursor or an entry id reaches
 * only the caller's own inbox; a malformed id is refused naming it, never read elsewhere (the
 * counter is no entry); marking read and delivering at once, from many requests, leaves the unread
 * count equal to the unread entries and never below zero; an account nobody ever wrote to has an
 * empty inbox it cannot drive negative.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenSubject } from '../../local/tokens.ts';
import { entryIdOf, entryOf } from '../../shared/domain/inbox.ts';
import type { Notification } from '../../shared/domain/notifications.ts';
import { getInboxStore } from '../../shared/runtime/clients.ts';
import { type LocalStack, startLocalStack, type Who } from './helpers/local-stack.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

const person = (sub: string): TokenSubject => ({ sub, name: sub, groups: ['reviewer'] });
const victim = person('inbox-attack-victim');
const attacker = person('inbox-attack-attacker');

const notification = (seq: number, app = 'attack-app'): Notification => ({
  applicationId: app,
  seq,
  action: 'mark_due_soon',
  at: new Date(Date.UTC(2026, 3, 1, 0, 0, seq)).toISOString(),
  recipients: [],
  subject: { zh: `即将到期 ${seq}`, en: `Due soon ${seq}` },
  body: { zh: '请尽快办理。', en: 'Please act promptly.' },
});
function deliver(user: string, n: Notification) {
  const { deliveredAt: _, ...entry } = entryOf(n, new Date().toISOString());
  return getInboxStore().deliver(user, entry, new Date());
}

interface Inbox {
  items: { id: string; read: boolean }[];
  unreadCount: number;
  cursor?: string;
}
const inbox = async (as: Who, query = '') => {
  const res = await stack.request<Inbox>('GET', `/inbox${query}`, { as });
  expect(res.status, res.text).toBe(200);
  return res.json;
};
const markRead = (as: Who, body: unknown) =>
  stack.request<{ marked: number; unreadCount: number; issues?: { path: string }[] }>('POST', '/inbox/read', {
    as,
    body,
  });

describe('only the caller’s own inbox', () => {
  beforeAll(async () => {
    for (const seq of [1, 2, 3]) await deliver(victim.sub, notification(seq));
  });

  it('a cursor of another’s inbox, or an edited one, is refused naming cursor', async () => {
    const first = await inbox(victim, '?limit=1');
    const cursor = String(first.cursor);
    expect(first.cursor).toBeDefined();
    for (const c of [cursor, `${cursor.slice(0, -1)}${cursor.endsWith('A') ? 'B' : 'A'}`]) {
      const res = await stack.request<{ issues: { path: string }[] }>(
        'GET',
        `/inbox?limit=1&cursor=${encodeURIComponent(c)}`,
        { as: attacker },
      );
      expect(res.status, res.text).toBe(400);
      expect(res.json.issues.map((i) => i.path)).toEqual(['cursor']);
    }
    // The owner's own goes on.
    expect((await inbox(victim, `?limit=1&cursor=${encodeURIComponent(cursor)}`)).items).toHaveLength(1);
  });

  it('another’s entry ids mark nothing, of theirs or the caller’s; their count stays', async () => {
    const ids = (await inbox(victim)).items.map((e) => e.id);
    const res = await markRead(attacker, { ids });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ marked: 0, unreadCount: 0 });
    expect((await inbox(victim)).unreadCount).toBe(3);
    expect((await inbox(attacker)).items).toEqual([]);
  });

  it.each([
    ['the counter’s key', [entryIdOf('COUNT')]],
    ['a key of no entry’s shape', [entryIdOf('N#a#b#c#d')]],
    ['padded base64', ['YQ==']],
    ['another spelling of an id', ['YWJj+']],
    ['a dot', ['a.b']],
    ['an empty id', ['']],
    ['a very long id', ['A'.repeat(301)]],
  ])('an id that is %s is refused naming it', async (_, ids) => {
    const res = await markRead(attacker, { ids });
    expect(res.status, res.text).toBe(400);
    expect(res.json.issues?.map((i) => i.path)).toEqual(['ids.0']);
  });

  it.each([
    ['neither ids nor all', {}],
    ['both', { ids: [entryIdOf('2026#a#0000000001#x')], all: true }],
    ['all: false', { all: false }],
    ['no ids', { ids: [] }],
    ['51 ids', { ids: Array.from({ length: 51 }, (_, i) => entryIdOf(`2026#a#${i}#x`)) }],
    ['another field', { all: true, user: victim.sub }],
  ])('a body with %s is refused naming the field', async (_, body) => {
    const res = await markRead(attacker, body);
    expect(res.status, res.text).toBe(400);
    expect(res.json.issues?.length).toBeGreaterThan(0);
    expect((await inbox(victim)).unreadCount).toBe(3);
  });
});

describe('an account nobody wrote to', () => {
  it('has an empty inbox, and marking it read leaves it at zero', async () => {
    const nobody = person('inbox-attack-nobody');
    expect(await inbox(nobody)).toEqual({ items: [], unreadCount: 0 });
    expect((await markRead(nobody, { all: true })).json).toEqual({ marked: 0, unreadCount: 0 });
    expect((await markRead(nobody, { ids: [entryIdOf('2026#a#0000000001#x')] })).json).toEqual({
      marked: 0,
      unreadCount: 0,
    });
    expect(await inbox(nobody)).toEqual({ items: [], unreadCount: 0 });
  });
});

describe('marking read and delivering at once', () => {
  it('every entry is marked once or stays unread; the count is the unread entries, never below zero', async () => {
    const user = person('inbox-attack-race');
    for (let seq = 1; seq <= 10; seq++) await deliver(user.sub, notification(seq, 'race-app'));
    const ids = (await inbox(user, '?limit=100')).items.map((e) => e.id);
    expect(ids).toHaveLength(10);
    const results = await Promise.all([
      ...[0, 1, 2, 3, 4].map(() => markRead(user, { ids })),
      markRead(user, { all: true }),
      markRead(user, { ids: ids.slice(0, 3) }),
      ...[11, 12, 13].map((seq) => deliver(user.sub, notification(seq, 'race-app'))),
      markRead(user, { all: true }),
    ]);
    const marked = results.reduce<number>((sum, r) => {
      if (typeof r === 'boolean') return sum;
      expect(r.status, r.text).toBe(200);
      expect(r.json.unreadCount).toBeGreaterThanOrEqual(0);
      return sum + r.json.marked;
    }, 0);
    const after = await inbox(user, '?limit=100');
    expect(after.items).toHaveLength(13);
    const unread = after.items.filter((e) => !e.read).length;
    expect(after.unreadCount).toBe(unread);
    expect(marked + unread).toBe(13);
  });
});
