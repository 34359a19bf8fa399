import { GetCommand, QueryCommand, type QueryCommandInput, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appKey } from '../../../shared/store/keys.ts';
import { apiEvent, invoke, type Response, type User } from '../../support/api-events.ts';
import {
  APP_ID,
  clerk,
  commandCounts,
  type Handler,
  loadHandler,
  otherApplicant,
  owner,
  reviewer,
  storedApplication,
  TABLE,
  useHandlerEnvironment,
} from './fixtures.ts';

const ddb = useHandlerEnvironment();
let listApplications: Handler;
let listEvents: Handler;
let publicNotices: Handler;

beforeAll(async () => {
  listApplications = await loadHandler('list-applications');
  listEvents = await loadHandler('list-events');
  publicNotices = await loadHandler('public-notices');
});
beforeEach(() => {
  ddb.reset();
  ddb.on(QueryCommand).resolves({ Items: [] });
});
afterEach(() => {
  // Every list is an index or key query: never a table scan.
  expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
});

function applications(user: User | undefined, query: Record<string, string> = {}) {
  return invoke(
    listApplications,
    apiEvent({ method: 'GET', route: '/applications', query, ...(user ? { user } : {}) }),
  );
}

function queries() {
  return ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
}

function expectProblem(res: Response, status: number) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
}

const paths = (res: Response) => (res.body.issues ?? []).map((i: { path: string }) => i.path);

/** A LastEvaluatedKey of the owner index, as DynamoDB returns it. */
const ownerIndexKey = {
  pk: `APP#${APP_ID}`,
  sk: 'APP',
  gsi1pk: `OWNER#${owner.sub}`,
  gsi1sk: `2025-06-09T01:00:00.000Z#${APP_ID}`,
};

/** A fake owner index: each partition newest first, paged by Limit and ExclusiveStartKey. */
function serveOwnerIndex(partitions: Record<string, Record<string, unknown>[]>) {
  ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    const pk = String(input.ExpressionAttributeValues?.[':pk']);
    const all = [...(partitions[pk] ?? [])].sort((a, b) => String(b.gsi1sk).localeCompare(String(a.gsi1sk)));
    const after = input.ExclusiveStartKey?.gsi1sk;
    const rest = after === undefined ? all : all.filter((i) => String(i.gsi1sk) < String(after));
    const items = rest.slice(0, input.Limit);
    const last = items.at(-1);
    return rest.length > items.length && last
      ? {
          Items: items,
          LastEvaluatedKey: { pk: last.pk, sk: last.sk, gsi1pk: last.gsi1pk, gsi1sk: last.gsi1sk },
        }
      : { Items: items };
  });
}

/** An application item of the owner index partition `pk`, created on day `n` of June 2025. */
function owned(pk: string, n: number) {
  const id = `${APP_ID.slice(0, -2)}${String(n).padStart(2, '0')}`;
  const { item } = storedApplication('DRAFT', id);
  return { ...item, gsi1pk: pk, gsi1sk: `2025-06-${String(n).padStart(2, '0')}T01:00:00.000Z#${id}` };
}

const ownP = `OWNER#${owner.sub}`;
const orgP = `ORG#${owner.orgCode}`;

describe('GET /applications', () => {
  it('queries the owner index (gsi1-owner): the applicant’s own partition and their organisation’s walk-ins, newest first', async () => {
    const stored = storedApplication('DRAFT');
    serveOwnerIndex({ [ownP]: [stored.item] });

    const res = await applications(owner);

    expect(res.statusCode).toBe(200);
    const owners = queries().filter((q) => q.IndexName === 'gsi1-owner');
    expect(owners).toHaveLength(2);
    for (const [i, pk] of [ownP, orgP].entries()) {
      expect(owners[i]).toMatchObject({
        TableName: TABLE,
        IndexName: 'gsi1-owner',
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'gsi1pk' },
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: 20,
      });
    }
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      id: APP_ID,
      state: 'DRAFT',
      allowedActions: expect.any(Array),
    });
    // The store's keys stay inside the store.
    expect(res.body.items[0]).not.toHaveProperty('pk');
    expect(res.body.items[0]).not.toHaveProperty('headHash');
    expect(res.body).not.toHaveProperty('cursor');
  });

  it('keeps an applicant on their own partition even when they filter by state', async () => {
    await applications(owner, { state: 'SUBMITTED' });
    expect(queries()[0]).toMatchObject({
      IndexName: 'gsi1-owner',
      ExpressionAttributeValues: { ':pk': `OWNER#${owner.sub}`, ':f0': 'SUBMITTED' },
    });
  });

  it('queries gsi3-all for an official without filters', async () => {
    await applications(clerk);
    expect(queries()[0]).toMatchObject({
      IndexName: 'gsi3-all',
      ExpressionAttributeNames: { '#pk': 'gsi3pk' },
      ExpressionAttributeValues: { ':pk': 'APP' },
    });
  });

  it('queries gsi2-state for an official with state=', async () => {
    await applications(reviewer, { state: 'SUBMITTED' });
    expect(queries()[0]).toMatchObject({
      IndexName: 'gsi2-state',
      ExpressionAttributeNames: { '#pk': 'gsi2pk' },
      ExpressionAttributeValues: { ':pk': 'STATE#SUBMITTED' },
    });
  });

  it('never scans, whoever asks and however they filter', async () => {
    const asks: [User, Record<string, string>][] = [
      [owner, {}],
      [owner, { category: 'REPORT' }],
      [clerk, {}],
      [clerk, { state: 'ACCEPTED', category: 'REPORT_FORM' }],
      [reviewer, { mine: 'true' }],
      [{ sub: 'auditor-1', name: 'Audit', groups: ['auditor'] }, { limit: '100' }],
    ];
    for (const [user, query] of asks) expect((await applications(user, query)).statusCode).toBe(200);
    // An applicant's list is two queries: their own partition and their organisation's.
    expect(commandCounts(ddb)).toEqual({ QueryCommand: asks.length + 2 });
  });

  it('gives a cursor that decodes back to the LastEvaluatedKey as the next ExclusiveStartKey', async () => {
    ddb.on(QueryCommand).resolvesOnce({ Items: [], LastEvaluatedKey: ownerIndexKey }).resolves({ Items: [] });

    const first = await applications(reviewer, { limit: '1', mine: 'true' });
    expect(typeof first.body.cursor).toBe('string');
    // Opaque: the key is not readable in clear text.
    expect(first.body.cursor).not.toContain(owner.sub);

    const second = await applications(reviewer, { limit: '1', mine: 'true', cursor: first.body.cursor });

    expect(second.statusCode).toBe(200);
    expect(queries()[1]?.ExclusiveStartKey).toEqual(ownerIndexKey);
    expect(queries()[0]?.ExclusiveStartKey).toBeUndefined();
    expect(second.body).toEqual({ items: [] });
  });

  it('refuses a tampered cursor with 400 naming cursor, before any query', async () => {
    ddb.on(QueryCommand).resolvesOnce({ Items: [], LastEvaluatedKey: ownerIndexKey });
    const { cursor } = (await applications(reviewer, { mine: 'true' })).body as { cursor: string };
    const [data = '', mac = ''] = cursor.split('.');
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(data, 'base64url').toString()),
        k: { ...ownerIndexKey, gsi1pk: 'OWNER#applicant-other' },
      }),
    ).toString('base64url');
    const flipped = `${data.slice(0, -1)}${data.endsWith('A') ? 'B' : 'A'}.${mac}`;
    ddb.resetHistory();

    for (const bad of [
      `${forged}.${mac}`,
      flipped,
      `${data}.${mac.slice(1)}`,
      data,
      'garbage',
      `${cursor}.x`,
    ]) {
      const res = await applications(reviewer, { mine: 'true', cursor: bad });
      expectProblem(res, 400);
      expect(paths(res)).toEqual(['cursor']);
    }
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('refuses a cursor issued for another query (state=SUBMITTED reused for state=ACCEPTED) with 400', async () => {
    ddb.on(QueryCommand).resolvesOnce({
      Items: [],
      LastEvaluatedKey: { pk: `APP#${APP_ID}`, sk: 'APP', gsi2pk: 'STATE#SUBMITTED', gsi2sk: 'x' },
    });
    const { cursor } = (await applications(clerk, { state: 'SUBMITTED' })).body as { cursor: string };
    ddb.resetHistory();

    const res = await applications(clerk, { state: 'ACCEPTED', cursor });

    expectProblem(res, 400);
    expect(paths(res)).toEqual(['cursor']);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('pages the merged list newest first, the cursor holding each partition’s place', async () => {
    serveOwnerIndex({
      [ownP]: [owned(ownP, 5), owned(ownP, 2)],
      [orgP]: [owned(orgP, 4), owned(orgP, 3), owned(orgP, 1)],
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await applications(owner, { limit: '2', ...(cursor ? { cursor } : {}) });
      expect(res.statusCode).toBe(200);
      seen.push(...res.body.items.map((i: { id: string }) => i.id.slice(-2)));
      cursor = res.body.cursor;
      if (!cursor) break;
      expect(cursor).not.toContain(owner.orgCode);
    }
    expect(seen).toEqual(['05', '04', '03', '02', '01']);
  });

  it('refuses another applicant’s cursor (it names their partition) with 400', async () => {
    serveOwnerIndex({ [ownP]: [owned(ownP, 2), owned(ownP, 1)] });
    const { cursor } = (await applications(owner, { limit: '1' })).body as { cursor: string };
    expect(typeof cursor).toBe('string');
    ddb.resetHistory();

    const res = await applications(otherApplicant, { cursor });

    expectProblem(res, 400);
    expect(paths(res)).toEqual(['cursor']);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it.each(['0', '101', 'abc', '-1', '1.5', ''])('refuses limit=%j with 400 naming limit', async (limit) => {
    const res = await applications(clerk, { limit });
    expectProblem(res, 400);
    expect(paths(res)).toEqual(['limit']);
    expect(ddb.calls()).toHaveLength(0);
  });

  it.each(['1', '100'])('accepts limit=%s and passes it to the query', async (limit) => {
    const res = await applications(clerk, { limit });
    expect(res.statusCode).toBe(200);
    expect(queries()[0]?.Limit).toBe(Number(limit));
  });

  it('refuses an unknown query parameter with 400 naming it', async () => {
    const res = await applications(clerk, { sort: 'asc' });
    expectProblem(res, 400);
    expect(paths(res)).toEqual(['sort']);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('refuses an unknown state with 400 naming state', async () => {
    const res = await applications(clerk, { state: 'LOST' });
    expectProblem(res, 400);
    expect(paths(res)).toEqual(['state']);
  });

  it('answers 401 without claims', async () => {
    const res = await applications(undefined);
    expectProblem(res, 401);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('GET /applications?queue=mine', () => {
  /** A queue item of `partition` due on `due`: a stored application with the queue index keys. */
  function queued(partition: string, due: string, n: number) {
    const id = `${APP_ID.slice(0, -2)}${String(n).padStart(2, '0')}`;
    const { item } = storedApplication('SUBMITTED', id);
    return { ...item, gsi8pk: partition, gsi8sk: `${due}#${String(item.createdAt)}#${id}` };
  }

  /** A fake queue index: each partition in sort key order, paged by Limit and ExclusiveStartKey. */
  function serveQueue(partitions: Record<string, Record<string, unknown>[]>) {
    ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
      const pk = String(input.ExpressionAttributeValues?.[':pk']);
      const all = [...(partitions[pk] ?? [])].sort((a, b) =>
        String(a.gsi8sk).localeCompare(String(b.gsi8sk)),
      );
      const after = input.ExclusiveStartKey?.gsi8sk;
      const rest = after === undefined ? all : all.filter((i) => String(i.gsi8sk) > String(after));
      const items = rest.slice(0, input.Limit);
      const last = items.at(-1);
      return rest.length > items.length && last
        ? {
            Items: items,
            LastEvaluatedKey: { pk: last.pk, sk: last.sk, gsi8pk: last.gsi8pk, gsi8sk: last.gsi8sk },
          }
        : { Items: items };
    });
  }

  const mineP = `WAITS#user#${reviewer.sub}`;
  const roleP = 'WAITS#role#reviewer';

  it('reads the queue index (gsi8-queue), due date first: the caller’s own partition and their role’s', async () => {
    serveQueue({
      [mineP]: [queued(mineP, '2025-07-01', 1), queued(mineP, '2025-08-01', 3)],
      [roleP]: [queued(roleP, '2025-07-15', 2)],
    });

    const res = await applications(reviewer, { queue: 'mine' });

    expect(res.statusCode).toBe(200);
    // And the page's one access-log entry (an official reads applicants' contacts).
    expect(commandCounts(ddb)).toEqual({ QueryCommand: 2, TransactWriteCommand: 1 });
    const byPartition = Object.fromEntries(queries().map((q) => [q.ExpressionAttributeValues?.[':pk'], q]));
    for (const pk of [mineP, roleP]) {
      expect(byPartition[pk]).toMatchObject({
        TableName: TABLE,
        IndexName: 'gsi8-queue',
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'gsi8pk', '#after': 'waitsAfter' },
        // Beijing date of NOW: a notice that has not ended yet is not the approver's work.
        ExpressionAttributeValues: { ':today': '2025-06-10' },
        ScanIndexForward: true,
        Limit: 20,
      });
      expect(byPartition[pk]?.FilterExpression).toContain('#after < :today');
    }
    expect(res.body.items.map((i: { id: string }) => i.id.slice(-2))).toEqual(['01', '02', '03']);
    expect(res.body.items[0]).toMatchObject({ state: 'SUBMITTED', allowedActions: expect.any(Array) });
    expect(res.body.items[0]).not.toHaveProperty('gsi8pk');
    expect(res.body.items[0]).not.toHaveProperty('gsi8sk');
    expect(res.body).not.toHaveProperty('cursor');
  });

  it('reads the caller’s own partition and their organisation’s for an applicant (what waits on their answer)', async () => {
    await applications(owner, { queue: 'mine' });
    expect(queries().map((q) => q.ExpressionAttributeValues?.[':pk'])).toEqual([
      `WAITS#user#${owner.sub}`,
      `WAITS#org#${owner.orgCode}`,
    ]);
  });

  it('reads one partition per official role the caller holds', async () => {
    const both: User = { sub: 'dual-1', name: 'Dual', groups: ['clerk', 'approver'] };
    await applications(both, { queue: 'mine' });
    expect(queries().map((q) => q.ExpressionAttributeValues?.[':pk'])).toEqual([
      'WAITS#user#dual-1',
      'WAITS#role#clerk',
      'WAITS#role#approver',
    ]);
  });

  it('pages a merged queue with a cursor that holds each partition’s place, in due-date order', async () => {
    serveQueue({
      [mineP]: [
        queued(mineP, '2025-07-01', 1),
        queued(mineP, '2025-07-20', 4),
        queued(mineP, '2025-09-01', 5),
      ],
      [roleP]: [queued(roleP, '2025-07-10', 2), queued(roleP, '2025-07-15', 3)],
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await applications(reviewer, { queue: 'mine', limit: '2', ...(cursor ? { cursor } : {}) });
      expect(res.statusCode).toBe(200);
      seen.push(...res.body.items.map((i: { id: string }) => i.id.slice(-2)));
      cursor = res.body.cursor;
      if (!cursor) break;
      // Opaque: neither the partitions nor the keys read in clear text.
      expect(cursor).not.toContain(reviewer.sub);
    }
    expect(seen).toEqual(['01', '02', '03', '04', '05']);
    // A partition that is done is not read again.
    const last = queries().slice(-1)[0];
    expect(last?.ExpressionAttributeValues?.[':pk']).toBe(mineP);
    expect(last?.ExclusiveStartKey).toMatchObject({
      gsi8pk: mineP,
      gsi8sk: expect.stringMatching(/^2025-07-20#/),
    });
  });

  it('passes state= and category= on as filters of the queue', async () => {
    await applications(clerk, { queue: 'mine', state: 'SUBMITTED', category: 'REPORT' });
    for (const q of queries()) {
      expect(q.ExpressionAttributeValues).toMatchObject({ ':f0': 'SUBMITTED', ':f1': 'REPORT' });
      expect(q.FilterExpression).toContain('#f0 = :f0 AND #f1 = :f1');
    }
  });

  it('refuses mine= with queue=mine, and any other queue, with 400 naming the parameter', async () => {
    const mine = await applications(reviewer, { queue: 'mine', mine: 'true' });
    expectProblem(mine, 400);
    expect(paths(mine)).toEqual(['mine']);
    const other = await applications(reviewer, { queue: 'team' });
    expectProblem(other, 400);
    expect(paths(other)).toEqual(['queue']);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('refuses a tampered cursor, a list cursor and another reviewer’s queue cursor with 400, before any query', async () => {
    serveQueue({ [mineP]: [queued(mineP, '2025-07-01', 1), queued(mineP, '2025-07-02', 2)] });
    const { cursor } = (await applications(reviewer, { queue: 'mine', limit: '1' })).body as {
      cursor: string;
    };
    expect(typeof cursor).toBe('string');
    const [data = '', mac = ''] = cursor.split('.');
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(data, 'base64url').toString()),
        k: { streams: ['done', 'done'] },
      }),
    ).toString('base64url');
    ddb.reset();
    ddb.on(QueryCommand).resolvesOnce({ Items: [], LastEvaluatedKey: ownerIndexKey }).resolves({ Items: [] });
    const listCursor = (await applications(reviewer, { mine: 'true' })).body.cursor as string;
    expect(typeof listCursor).toBe('string');
    ddb.resetHistory();

    const other: User = { sub: 'reviewer-2', name: 'Other', groups: ['reviewer'] };
    for (const [user, bad] of [
      [reviewer, `${forged}.${mac}`],
      [reviewer, `${data.slice(0, -1)}${data.endsWith('A') ? 'B' : 'A'}.${mac}`],
      [reviewer, 'garbage'],
      [reviewer, listCursor],
      [other, cursor],
    ] as const) {
      const res = await applications(user, { queue: 'mine', cursor: bad });
      expectProblem(res, 400);
      expect(paths(res)).toEqual(['cursor']);
    }
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });
});

describe('GET /applications/{id}/events', () => {
  function events(user: User, query: Record<string, string> = {}) {
    return invoke(
      listEvents,
      apiEvent({
        method: 'GET',
        route: '/applications/{id}/events',
        pathParameters: { id: APP_ID },
        query,
        user,
      }),
    );
  }

  it('lists the owner’s trail, oldest first, by key (no index, no scan)', async () => {
    const stored = storedApplication('SUBMITTED');
    ddb.on(GetCommand, { TableName: TABLE, Key: appKey(APP_ID) }).resolves({ Item: stored.item });
    ddb
      .on(QueryCommand)
      .resolves({ Items: stored.events.map((e, i) => ({ ...e, pk: `APP#${APP_ID}`, sk: `EVT#${i}` })) });

    const res = await events(owner);

    expect(res.statusCode).toBe(200);
    // The owner's own trail: nothing of the public's in it to mask, but marked as the applicant's view.
    expect(res.body).toEqual({ items: stored.events, personalData: 'masked' });
    expect(queries()[0]).toMatchObject({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `APP#${APP_ID}`, ':prefix': 'EVT#' },
    });
    expect(queries()[0]?.IndexName).toBeUndefined();
    expect(queries()[0]?.ScanIndexForward).not.toBe(false);
  });

  it('answers 404 to another applicant and does not query the trail', async () => {
    ddb.on(GetCommand).resolves({ Item: storedApplication('SUBMITTED').item });

    const res = await events(otherApplicant);

    expectProblem(res, 404);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });
});

describe('GET /public/notices', () => {
  function notices(query: Record<string, string> = {}) {
    return invoke(publicNotices, apiEvent({ method: 'GET', route: '/public/notices', query }));
  }
  const notice = {
    pk: 'NOTICES',
    sk: `2025-06-10T02:00:00.000Z#${APP_ID}#ACCEPTANCE`,
    kind: 'ACCEPTANCE',
    applicationId: APP_ID,
    publishedAt: '2025-06-10T02:00:00.000Z',
    publishedOn: '2025-06-10',
    category: 'REPORT_FORM',
    projectName: '醴陵市陶瓷产业园废水处理站',
    location: '湖南省醴陵市经济开发区',
    industry: '污水处理',
    orgName: '醴陵市某陶瓷有限公司',
  };

  it('needs no claims and answers {items} (no cursor on the last page), newest first', async () => {
    ddb.on(QueryCommand).resolves({ Items: [notice] });

    const res = await notices();

    expect(res.statusCode).toBe(200);
    const { pk: _pk, sk, ...shown } = notice;
    // With its stable id: its own sort key, base64url.
    expect(res.body).toEqual({
      items: [{ noticeId: Buffer.from(sk, 'utf8').toString('base64url'), ...shown, commentCount: 0 }],
    });
    expect(queries()[0]).toMatchObject({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'NOTICES' },
      ScanIndexForward: false,
    });
  });

  it('answers {items, cursor} when there may be more, and the cursor pages on', async () => {
    const lastKey = { pk: notice.pk, sk: notice.sk };
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [notice], LastEvaluatedKey: lastKey })
      .resolves({ Items: [] });

    const first = await notices({ limit: '1' });
    expect(Object.keys(first.body).sort()).toEqual(['cursor', 'items']);

    const second = await notices({ limit: '1', cursor: first.body.cursor });
    expect(second.statusCode).toBe(200);
    expect(queries()[1]?.ExclusiveStartKey).toEqual(lastKey);
  });

  it('refuses a cursor from another list with 400 naming cursor', async () => {
    ddb.on(QueryCommand).resolvesOnce({ Items: [], LastEvaluatedKey: ownerIndexKey });
    const { cursor } = (await applications(reviewer, { mine: 'true' })).body as { cursor: string };
    expect(typeof cursor).toBe('string');

    const res = await notices({ cursor });

    expectProblem(res, 400);
    expect(paths(res)).toEqual(['cursor']);
  });
});
