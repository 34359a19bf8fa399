import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Notification } from '../../../../shared/domain/notifications.ts';
import { inboxStore } from '../../../../shared/store/inbox-store.ts';
import { apiEvent, type Event, lambdaContext, type User } from '../../../support/api-events.ts';
import { clerk, loadHandler, NOW, owner, reviewer, TABLE, useHandlerEnvironment } from '../fixtures.ts';

const ddb = useHandlerEnvironment();
type Handler = (event: Event, context: typeof lambdaContext) => Promise<unknown>;
let list: Handler;
let read: Handler;

beforeAll(async () => {
  list = await loadHandler<Handler>('inbox');
  read = await loadHandler<Handler>('inbox-read');
});

/**
 * A table in memory behind the mocked client: Get, Query (one partition, by sort key) and
 * TransactWrite of Puts with the store's conditions, all or nothing, so the store's own logic runs.
 */
let table: Map<string, Record<string, unknown>>;
/** Makes the next transactions fail their counter's condition, as another writer would. */
let conflictsToInject = 0;
const keyOf = (k: Record<string, unknown>) => `${String(k.pk)}|${String(k.sk)}`;

function holds(
  condition: string | undefined,
  existing: Record<string, unknown> | undefined,
  values: Record<string, unknown> = {},
  names: Record<string, string> = {},
): boolean {
  if (!condition) return true;
  return condition.split(' AND ').every((part) => {
    const p = part.trim();
    if (p === 'attribute_not_exists(pk)') return existing === undefined;
    if (p === 'attribute_exists(pk)') return existing !== undefined;
    const notExists = /^attribute_not_exists\((#\w+)\)$/.exec(p);
    if (notExists) return existing?.[names[notExists[1] ?? ''] ?? ''] === undefined;
    const equals = /^(#\w+) = (:\w+)$/.exec(p);
    if (equals) return existing?.[names[equals[1] ?? ''] ?? ''] === values[equals[2] ?? ''];
    throw new Error(`condition not understood by the test table: ${p}`);
  });
}

beforeEach(() => {
  ddb.reset();
  table = new Map();
  conflictsToInject = 0;
  ddb.on(GetCommand).callsFake((input: GetCommandInput) => {
    const item = table.get(keyOf(input.Key ?? {}));
    return item ? { Item: structuredClone(item) } : {};
  });
  ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    const pk = input.ExpressionAttributeValues?.[':pk'];
    const prefix = String(input.ExpressionAttributeValues?.[':prefix'] ?? '');
    let items = [...table.values()]
      .filter((i) => i.pk === pk && String(i.sk).startsWith(prefix))
      .sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
    if (input.ScanIndexForward === false) items.reverse();
    if (input.ExclusiveStartKey)
      items = items.slice(items.findIndex((i) => i.sk === input.ExclusiveStartKey?.sk) + 1);
    const limit = input.Limit ?? items.length;
    const page = items.slice(0, limit);
    const last = page.at(-1);
    return {
      Items: page.map((i) => structuredClone(i)),
      ...(items.length > limit && last ? { LastEvaluatedKey: { pk: last.pk, sk: last.sk } } : {}),
    };
  });
  ddb.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
    const puts = (input.TransactItems ?? []).map((t) => t.Put);
    const reasons = puts.map((put) => {
      if (!put) throw new Error('only Puts are expected');
      const item = put.Item as Record<string, unknown>;
      const ok = holds(
        put.ConditionExpression,
        table.get(keyOf(item)),
        put.ExpressionAttributeValues,
        put.ExpressionAttributeNames,
      );
      const counter = String(item.sk) === 'COUNT';
      if (counter && conflictsToInject > 0) return 'ConditionalCheckFailed';
      return ok ? 'None' : 'ConditionalCheckFailed';
    });
    if (
      puts.some((p) => String((p?.Item as Record<string, unknown> | undefined)?.sk) === 'COUNT') &&
      conflictsToInject > 0
    )
      conflictsToInject -= 1;
    if (reasons.some((r) => r !== 'None')) {
      throw Object.assign(new Error('Transaction cancelled'), {
        name: 'TransactionCanceledException',
        CancellationReasons: reasons.map((Code) => ({ Code })),
      });
    }
    for (const put of puts) table.set(keyOf(put?.Item ?? {}), structuredClone(put?.Item ?? {}));
    return {};
  });
});
afterEach(() => {
  expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
});

const store = () =>
  inboxStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' })), TABLE);

function notification(seq: number, at: string, extra: Partial<Notification> = {}): Notification {
  return {
    applicationId: 'app-1',
    seq,
    action: 'accept',
    at,
    recipients: [{ kind: 'user', id: owner.sub }],
    subject: { zh: `已受理 ${seq}`, en: `Accepted ${seq}` },
    body: { zh: `正文 ${seq}`, en: `Body ${seq}` },
    ...extra,
  };
}

async function deliver(userId: string, n: Notification, now = NOW) {
  const { entryOf } = await import('../../../../shared/domain/inbox.ts');
  const { deliveredAt: _, ...entry } = entryOf(n, now.toISOString());
  return store().deliver(userId, entry, now);
}

interface Answer {
  status: number;
  json: any;
}
async function call(handler: Handler, input: Parameters<typeof apiEvent>[0]): Promise<Answer> {
  const result = (await handler(apiEvent(input), lambdaContext)) as { statusCode: number; body: string };
  return { status: result.statusCode, json: JSON.parse(result.body) };
}
const getInbox = (user: User, query: Record<string, string> = {}) =>
  call(list, { method: 'GET', route: '/inbox', user, query });
const markRead = (user: User, body: unknown) =>
  call(read, { method: 'POST', route: '/inbox/read', user, body });
const issuePaths = (a: Answer) => (a.json?.issues ?? []).map((i: { path: string }) => i.path);

describe('delivering to an inbox', () => {
  it('adds an entry once and counts it once, however often the notification is delivered', async () => {
    expect(await deliver(owner.sub, notification(3, '2025-06-09T01:00:00.000Z'))).toBe(true);
    expect(await deliver(owner.sub, notification(3, '2025-06-09T01:00:00.000Z'))).toBe(false);
    expect(await deliver(owner.sub, notification(3, '2025-06-09T01:00:00.000Z'))).toBe(false);
    const answer = await getInbox(owner);
    expect(answer.status).toBe(200);
    expect(answer.json.items).toHaveLength(1);
    expect(answer.json.unreadCount).toBe(1);
  });

  it('retries when another writer moved the counter meanwhile, and counts right', async () => {
    conflictsToInject = 2;
    expect(await deliver(owner.sub, notification(1, '2025-06-09T01:00:00.000Z'))).toBe(true);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(3);
    expect((await getInbox(owner)).json.unreadCount).toBe(1);
  });
});

describe('GET /inbox', () => {
  it('answers newest first, each entry marked unread, with the unread count, and no-store', async () => {
    await deliver(owner.sub, notification(1, '2025-06-05T01:00:00.000Z'));
    await deliver(owner.sub, notification(4, '2025-06-09T01:00:00.000Z', { deadline: '2025-07-01' }));
    await deliver(owner.sub, notification(2, '2025-06-06T01:00:00.000Z'));
    const result = (await list(apiEvent({ method: 'GET', route: '/inbox', user: owner }), lambdaContext)) as {
      headers: Record<string, string>;
      body: string;
    };
    expect(result.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(result.body);
    expect(body.items.map((i: { subject: { zh: string } }) => i.subject.zh)).toEqual([
      '已受理 4',
      '已受理 2',
      '已受理 1',
    ]);
    expect(body.items[0]).toMatchObject({
      applicationId: 'app-1',
      action: 'accept',
      read: false,
      deadline: '2025-07-01',
    });
    expect(body.unreadCount).toBe(3);
  });

  it("shows only the caller's own entries", async () => {
    await deliver(owner.sub, notification(1, '2025-06-05T01:00:00.000Z'));
    await deliver(reviewer.sub, notification(2, '2025-06-06T01:00:00.000Z'));
    const mine = await getInbox(owner);
    const theirs = await getInbox(reviewer);
    const none = await getInbox(clerk);
    expect(mine.json.items.map((i: { subject: { en: string } }) => i.subject.en)).toEqual(['Accepted 1']);
    expect(theirs.json.items.map((i: { subject: { en: string } }) => i.subject.en)).toEqual(['Accepted 2']);
    expect(none.json).toEqual({ items: [], unreadCount: 0 });
  });

  it('pages with a cursor that another user cannot use', async () => {
    for (let seq = 1; seq <= 5; seq++)
      await deliver(owner.sub, notification(seq, `2025-06-0${seq}T01:00:00.000Z`));
    const first = await getInbox(owner, { limit: '2' });
    expect(first.json.items).toHaveLength(2);
    expect(first.json.cursor).toEqual(expect.any(String));
    const second = await getInbox(owner, { limit: '2', cursor: first.json.cursor });
    expect(second.json.items.map((i: { subject: { en: string } }) => i.subject.en)).toEqual([
      'Accepted 3',
      'Accepted 2',
    ]);
    const stolen = await getInbox(reviewer, { limit: '2', cursor: first.json.cursor });
    expect(stolen.status).toBe(400);
    expect(issuePaths(stolen)).toEqual(['cursor']);
  });

  it('a calendar reminder links to no case', async () => {
    await deliver(
      owner.sub,
      notification(202701, '2025-06-09T01:00:00.000Z', {
        action: 'calendar_reminder',
        applicationId: 'calendar-2027',
      }),
    );
    const answer = await getInbox(owner);
    expect(answer.json.items[0]).not.toHaveProperty('applicationId');
  });

  it('refuses unknown query parameters, naming them', async () => {
    const answer = await getInbox(owner, { unread: 'true' });
    expect(answer.status).toBe(400);
    expect(issuePaths(answer)).toEqual(['unread']);
  });

  it('refuses a request without a signed-in caller', async () => {
    const answer = await call(list, { method: 'GET', route: '/inbox' });
    expect(answer.status).toBe(401);
  });
});

describe('POST /inbox/read', () => {
  beforeEach(async () => {
    for (let seq = 1; seq <= 3; seq++)
      await deliver(owner.sub, notification(seq, `2025-06-0${seq}T01:00:00.000Z`));
  });

  it('marks the entries named, once: the count goes down by those that were unread', async () => {
    const { items } = (await getInbox(owner)).json;
    const first = await markRead(owner, { ids: [items[0].id, items[1].id] });
    expect(first).toEqual({ status: 200, json: { marked: 2, unreadCount: 1 } });
    const again = await markRead(owner, { ids: [items[0].id] });
    expect(again.json).toEqual({ marked: 0, unreadCount: 1 });
    const after = await getInbox(owner);
    expect(after.json.items.map((i: { read: boolean }) => i.read)).toEqual([true, true, false]);
    expect(after.json.items[0].readAt).toBe(NOW.toISOString());
    expect(after.json.unreadCount).toBe(1);
  });

  it("cannot mark another user's entry: their inbox is untouched", async () => {
    const { items } = (await getInbox(owner)).json;
    const answer = await markRead(reviewer, { ids: [items[0].id] });
    expect(answer.json).toEqual({ marked: 0, unreadCount: 0 });
    expect((await getInbox(owner)).json.unreadCount).toBe(3);
  });

  it('marks everything read, and a notification delivered after it is unread again', async () => {
    expect((await markRead(owner, { all: true })).json).toEqual({ marked: 3, unreadCount: 0 });
    const after = await getInbox(owner);
    expect(after.json.items.every((i: { read: boolean }) => i.read)).toBe(true);
    await deliver(owner.sub, notification(9, '2025-06-04T01:00:00.000Z'));
    const later = await getInbox(owner);
    expect(later.json.unreadCount).toBe(1);
    expect(
      later.json.items
        .filter((i: { read: boolean }) => !i.read)
        .map((i: { subject: { en: string } }) => i.subject.en),
    ).toEqual(['Accepted 9']);
  });

  it.each([
    [{}, ['ids']],
    [{ ids: ['x'], all: true }, ['all']],
    [{ all: false }, ['all']],
    [{ ids: [] }, ['ids']],
    [{ ids: ['not an id!'] }, ['ids.0']],
    [{ ids: [Buffer.from('a#b').toString('base64url')] }, ['ids.0']],
    [{ ids: ['x'], extra: 1 }, ['extra']],
  ])('refuses %j, naming %j', async (body, paths) => {
    const answer = await markRead(owner, body);
    expect(answer.status).toBe(400);
    expect(issuePaths(answer)).toEqual(paths);
    expect((await getInbox(owner)).json.unreadCount).toBe(3);
  });
});
