import { ThrottlingException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '../../../../shared/domain/types.ts';
import { MAX_CALLS_PER_PAGE } from '../../../../shared/store/audit-store.ts';
import { eventItem } from '../../../../shared/store/keys.ts';
import { apiEvent, type Event, lambdaContext, type User } from '../../../support/api-events.ts';
import { trail } from '../../../support/trail-fixture.ts';
import { APP_ID, clerk, freezeTime, owner, reviewer, stubEnv, TABLE } from '../fixtures.ts';

const ddb = mockClient(DynamoDBDocumentClient);
type Handler = (event: Event, context: typeof lambdaContext) => Promise<unknown>;
let handler: Handler;

const auditor: User = { sub: 'auditor-1', name: 'Sun Li', groups: ['auditor'] };
const approver: User = { sub: 'approver-1', name: 'Zhou Min', groups: ['approver'] };

beforeAll(async () => {
  stubEnv();
  freezeTime();
  ({ handler } = (await import('../../../../functions/audit-events/handler.ts')) as { handler: Handler });
});
afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});
beforeEach(() => {
  ddb.reset();
  ddb.on(QueryCommand).resolves({ Items: [], ScannedCount: 0 });
  ddb.on(TransactWriteCommand).resolves({});
});
afterEach(() => {
  // Every audit query is a key or index query: never a table scan.
  expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
  // DynamoDB refuses a name or value that no expression uses.
  for (const q of queries()) {
    const expressions = `${q.KeyConditionExpression} ${q.FilterExpression ?? ''}`;
    const used = (token: string) => new RegExp(`${token}(?![\\w])`).test(expressions);
    for (const token of [
      ...Object.keys(q.ExpressionAttributeNames ?? {}),
      ...Object.keys(q.ExpressionAttributeValues ?? {}),
    ])
      expect(used(token), `${token} unused in ${expressions}`).toBe(true);
  }
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

async function get(
  query: Record<string, string>,
  user: User | null = auditor,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const event = apiEvent({
    method: 'GET',
    route: '/audit/events',
    query,
    headers,
    ...(user ? { user } : {}),
  });
  const result = (await handler(event, lambdaContext)) as {
    statusCode: number;
    headers: Record<string, string>;
    body: string;
  };
  let json: unknown;
  try {
    json = JSON.parse(result.body);
  } catch {
    json = undefined;
  }
  return { status: result.statusCode, headers: result.headers, text: result.body, json };
}

const queries = (): QueryCommandInput[] => ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
const issuePaths = (a: Answer) => (a.json?.issues ?? []).map((i: { path: string }) => i.path);

describe('GET /audit/events: who may ask', () => {
  it('answers 401 without a token', async () => {
    expect((await get({ from: '2025-06-01' }, null)).status).toBe(401);
  });

  it.each([
    ['applicant', owner],
    ['clerk', clerk],
    ['reviewer', reviewer],
    ['approver', approver],
  ])('refuses the %s with 403 and reads nothing', async (_role, user) => {
    const res = await get({ from: '2025-06-01' }, user);
    expect(res.status).toBe(403);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('GET /audit/events: the index chosen for each filter', () => {
  it('reads one application’s trail from the table itself, other filters after the key', async () => {
    const res = await get({ applicationId: APP_ID, actor: 'clerk-1', from: '2025-06-01' });
    expect(res.status, res.text).toBe(200);
    const [q] = queries();
    expect(q?.IndexName).toBeUndefined();
    expect(q?.TableName).toBe(TABLE);
    expect(q?.KeyConditionExpression).toBe('#pk = :pk AND begins_with(#sk, :prefix)');
    expect(q?.ExpressionAttributeValues).toMatchObject({
      ':pk': `APP#${APP_ID}`,
      ':prefix': 'EVT#',
      ':actor': 'clerk-1',
    });
    expect(q?.FilterExpression).toBe('#at >= :lo AND #actor.#id = :actor');
  });

  it('reads by actor on gsi4-actor with the time range in the key condition (Beijing days)', async () => {
    await get({ actor: 'clerk-1', action: 'accept', from: '2025-06-01', to: '2025-06-10' });
    const [q] = queries();
    expect(q).toMatchObject({
      IndexName: 'gsi4-actor',
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
      FilterExpression: '#action = :action',
      ScanIndexForward: false,
      ReturnConsumedCapacity: 'TOTAL',
    });
    expect(q?.ExpressionAttributeValues).toMatchObject({
      ':pk': 'ACTOR#clerk-1',
      ':lo': '2025-05-31T16:00:00.000Z',
      ':hi': '2025-06-10T16:00:00.000Z',
    });
  });

  it('reads by action on gsi5-action, oldest first when asked', async () => {
    await get({ action: 'accept', to: '2025-06-10T09:30:00+08:00', order: 'asc' });
    expect(queries()[0]).toMatchObject({
      IndexName: 'gsi5-action',
      KeyConditionExpression: '#pk = :pk AND #sk < :hi',
      ExpressionAttributeValues: { ':pk': 'ACTION#accept', ':hi': '2025-06-10T01:30:00.001Z' },
      ScanIndexForward: true,
    });
    expect(queries()[0]?.FilterExpression).toBeUndefined();
  });

  it('walks the day partitions of gsi6-day for a time range alone, newest day first', async () => {
    const res = await get({ from: '2025-06-09', to: '2025-06-10' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ items: [], personalData: 'masked' });
    expect(queries().map((q) => [q.IndexName, q.ExpressionAttributeValues?.[':pk']])).toEqual([
      ['gsi6-day', 'EVT#2025-06-10'],
      ['gsi6-day', 'EVT#2025-06-09'],
      ['gsi6-day', 'EVT#2025-06-08'],
    ]);
  });

  it('refuses a query with nothing to key on, naming from', async () => {
    const res = await get({});
    expect(res.status).toBe(400);
    expect(issuePaths(res)).toEqual(['from']);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('GET /audit/events: bad input', () => {
  it.each([
    [{ from: '2025-06-01', limit: '0' }, 'limit'],
    [{ from: '2025-06-01', limit: '201' }, 'limit'],
    [{ from: '2025-06-01', limit: '1001', format: 'csv' }, 'limit'],
    [{ from: '2025-02-30' }, 'from'],
    [{ from: '2025-06-01T25:00:00Z' }, 'from'],
    [{ from: '2025-06-01T10:00:00' }, 'from'],
    [{ from: '2025-06-10', to: '2025-06-01' }, 'from'],
    [{ applicationId: 'not-a-uuid' }, 'applicationId'],
    [{ action: 'DROP TABLE' }, 'action'],
    [{ from: '2025-06-01', format: 'xlsx' }, 'format'],
    [{ from: '2025-06-01', order: 'random' }, 'order'],
    [{ from: '2025-06-01', includePersonalData: 'yes' }, 'includePersonalData'],
    [{ from: '2025-06-01', sort: 'at' }, 'sort'],
  ])('refuses %j with 400 naming %s', async (query, path) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(issuePaths(res)).toEqual([path]);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('takes up to 200 in a JSON page (50 by default) and up to 1000 in an export page', async () => {
    await get({ action: 'accept' });
    await get({ action: 'accept', limit: '200' });
    await get({ action: 'accept', limit: '1000', format: 'csv' });
    expect(queries().map((q) => q.Limit)).toEqual([50, 200, 1000]);
  });
});

describe('GET /audit/events: cursors', () => {
  const t = trail(6);
  const items = t.items;

  it('gives a cursor after a full page and resumes exactly after its last event', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: items.slice(0, 3), ScannedCount: 3, LastEvaluatedKey: { any: 'key' } })
      .resolves({ Items: [], ScannedCount: 0 });
    const first = await get({ action: 'edit', limit: '3' });
    expect(first.json.items.map((e: AuditEvent) => e.seq)).toEqual([1, 2, 3]);
    expect(first.json.cursor).toEqual(expect.any(String));

    await get({ action: 'edit', limit: '3', cursor: first.json.cursor });
    expect(queries()[1]?.ExclusiveStartKey).toEqual({ any: 'key' });
  });

  it('refuses a cursor from another query with 400 naming cursor', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: items.slice(0, 3), ScannedCount: 3, LastEvaluatedKey: { any: 'key' } })
      .resolves({ Items: [], ScannedCount: 0 });
    const first = await get({ action: 'edit', limit: '3' });
    ddb.resetHistory();
    for (const other of [
      { action: 'accept', cursor: first.json.cursor },
      { action: 'edit', order: 'asc', cursor: first.json.cursor },
      { action: 'edit', from: '2025-06-01', cursor: first.json.cursor },
    ]) {
      const res = await get(other);
      expect(res.status).toBe(400);
      expect(issuePaths(res)).toEqual(['cursor']);
    }
    expect(ddb.calls()).toHaveLength(0);
  });

  it('refuses a cursor edited by hand with 400 naming cursor', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: items.slice(0, 3), ScannedCount: 3, LastEvaluatedKey: { pk: 'APP#x' } })
      .resolves({ Items: [], ScannedCount: 0 });
    const first = await get({ action: 'edit', limit: '3' });
    const [data, mac] = String(first.json.cursor).split('.');
    const decoded = JSON.parse(Buffer.from(String(data), 'base64url').toString('utf8'));
    decoded.k.key.pk = 'APP#someone-else';
    const forged = `${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${mac}`;
    const flipped = `${String(first.json.cursor).slice(0, -2)}${String(first.json.cursor).endsWith('A') ? 'BB' : 'AA'}`;
    for (const cursor of [forged, flipped, 'garbage', `${first.json.cursor}.x`]) {
      const res = await get({ action: 'edit', limit: '3', cursor });
      expect(res.status).toBe(400);
      expect(issuePaths(res)).toEqual(['cursor']);
    }
  });

  it('walks a day partition page by page, resuming just after the last event returned', async () => {
    // A fake day index: one partition per day, in time order, honouring Limit and ExclusiveStartKey.
    ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
      const day = String(input.ExpressionAttributeValues?.[':pk']).slice(4);
      const onDay = items.filter((i) => String(i.at).startsWith(day));
      const after = onDay.findIndex((i) => i.sk === input.ExclusiveStartKey?.sk) + 1;
      const page = onDay.slice(after, after + (input.Limit ?? onDay.length));
      const more = after + page.length < onDay.length;
      const last = page.at(-1);
      return {
        Items: page,
        ScannedCount: page.length,
        ...(more && last
          ? { LastEvaluatedKey: { pk: last.pk, sk: last.sk, gsi6pk: last.gsi6pk, gsi6sk: last.gsi6sk } }
          : {}),
      };
    });
    const seqs: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query = { from: '2025-06-09T00:00:00Z', to: '2025-06-09T23:59:59Z', order: 'asc', limit: '4' };
      const res = await get({ ...query, ...(cursor ? { cursor } : {}) });
      expect(res.status, res.text).toBe(200);
      seqs.push(...res.json.items.map((e: AuditEvent) => e.seq));
      cursor = res.json.cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(pages).toBe(3);
    expect(queries()[1]?.ExclusiveStartKey).toEqual({
      pk: `APP#${APP_ID}`,
      sk: 'EVT#0000000004',
      gsi6pk: 'EVT#2025-06-09',
      gsi6sk: `2025-06-09T04:00:00.000Z#${APP_ID}#0000000004`,
    });
  });
});

describe('GET /audit/events: personal data', () => {
  const t = trail(1);

  it('masks contact names and phones by default, and says so', async () => {
    ddb.on(QueryCommand).resolves({ Items: t.items, ScannedCount: t.items.length });
    const res = await get({ applicationId: APP_ID });
    expect(res.json.personalData).toBe('masked');
    expect(res.text).not.toContain('13800138000');
    expect(res.text).toContain('138****8000');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it.each(['json', 'ndjson', 'csv'])(
    'masks the applicant’s own name as the actor of their steps too (%s): no real name anywhere',
    async (format) => {
      ddb.on(QueryCommand).resolves({ Items: t.items, ScannedCount: t.items.length });
      const res = await get({ applicationId: APP_ID, format }, auditor, { 'accept-language': 'zh-CN' });
      expect(res.status, res.text).toBe(200);
      // The applicant who created and submitted it (owner: Li Ming), the contact person (李明).
      for (const real of [owner.name, '李明', '13800138000']) expect(res.text).not.toContain(real);
      expect(res.text).toContain('L******');
      expect(res.text).toContain('李*');
      // The clerk acts in office: their name stays.
      expect(res.text).toContain(clerk.name);
      expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    },
  );

  it('includes them on request, after recording who asked, when and for what', async () => {
    ddb.on(QueryCommand).resolves({ Items: t.items, ScannedCount: t.items.length });
    const res = await get({ applicationId: APP_ID, includePersonalData: 'true', format: 'ndjson' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('13800138000');
    const calls = ddb.calls().map((c) => (c.args[0] as object).constructor.name);
    expect(calls).toEqual(['TransactWriteCommand', 'QueryCommand']);
    const put = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(put).toHaveLength(1);
    expect(put?.[0]?.Put).toMatchObject({
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: {
        pk: 'AUDITLOG',
        sk: expect.stringMatching(/^2025-06-10T02:00:00.000Z#req-\d+$/),
        kind: 'PERSONAL_DATA_EXPORT',
        actor: { id: auditor.sub, name: auditor.name, role: 'auditor' },
        filter: { applicationId: APP_ID },
        format: 'ndjson',
        continued: false,
      },
    });
  });

  it('refuses the export when the access cannot be recorded', async () => {
    ddb.on(TransactWriteCommand).rejects(new ThrottlingException({ message: 'slow down', $metadata: {} }));
    const res = await get({ applicationId: APP_ID, includePersonalData: 'true' });
    expect(res.status).toBe(503);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });
});

describe('GET /audit/events: exports', () => {
  const t = trail(1);

  it('streams NDJSON: a header line with the filter and export time, then one event per line', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: t.items, ScannedCount: t.items.length, LastEvaluatedKey: { next: 1 } })
      .resolves({ Items: [], ScannedCount: 0, LastEvaluatedKey: { next: 2 } });
    const res = await get({ applicationId: APP_ID, format: 'ndjson', order: 'asc' });
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="audit-events-20250610T020000Z\.ndjson"$/,
    );
    const lines = res.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({
      export: 'eia-audit-events',
      exportedAt: '2025-06-10T02:00:00.000Z',
      filter: { applicationId: APP_ID },
      order: 'asc',
      personalData: 'masked',
      nextCursor: res.headers['x-next-cursor'],
    });
    expect(lines.slice(1).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    // Reading stops at the per-page budget of calls even when DynamoDB keeps saying "more".
    expect(queries()).toHaveLength(MAX_CALLS_PER_PAGE);
    expect(res.headers['x-next-cursor']).toEqual(expect.any(String));
  });

  it('writes CSV: a byte order mark, a header line, English column names, and spreadsheet-safe cells', async () => {
    const [create, edit] = t.items;
    if (!create || !edit) throw new Error('short trail');
    const hostile = {
      ...edit,
      // An official's name (an applicant's is masked): the cell as given, made harmless.
      actor: { id: 'x', role: 'reviewer', name: '=HYPERLINK("http://evil","click")' },
    };
    ddb.on(QueryCommand).resolves({ Items: [create, hostile], ScannedCount: 2 });
    const res = await get({ applicationId: APP_ID, format: 'csv', actor: '@evil' });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-language']).toBe('en');
    expect(res.headers['x-next-cursor']).toBeUndefined();
    expect([...Buffer.from(res.text, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = res.text.slice(1).split('\r\n');
    expect(rows[0]).toMatch(
      /^"# eia-audit-events exportedAt=2025-06-10T02:00:00.000Z filter=\{""actor"":""@evil"",""applicationId"":""[^"]+""\} order=desc personalData=masked"$/,
    );
    expect(rows[1]).toBe(
      'Time (Beijing time),Application ID,Seq,Action,Actor,Role,From state,To state,Action code,Actor ID,Request ID,Previous hash,Hash,Payload (JSON),Changes (JSON)',
    );
    expect(rows[3]).toContain(`"'=HYPERLINK(""http://evil"",""click"")"`);
    expect(rows).toHaveLength(5);
  });

  it('writes the CSV in Chinese, with Beijing times, for a caller who reads Chinese first', async () => {
    const [create] = t.items;
    if (!create) throw new Error('short trail');
    ddb
      .on(QueryCommand)
      .resolves({ Items: [{ ...create, at: '2025-06-08T16:30:00.000Z' }], ScannedCount: 1 });
    const res = await get({ applicationId: APP_ID, format: 'csv' }, auditor, {
      'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8',
    });
    expect(res.headers['content-language']).toBe('zh-CN');
    expect(res.headers.vary).toBe('Accept-Language');
    const rows = res.text.slice(1).split('\r\n');
    expect(
      rows[1]?.startsWith('时间（北京时间）,申请编号,序号,操作,操作人,角色,原状态,新状态,操作代码,'),
    ).toBe(true);
    expect(rows[2]?.startsWith(`2025-06-09 00:30:00,${APP_ID},1,创建草稿,`)).toBe(true);
    expect(rows[2]).toContain(',申请人,,草稿,create,');
    // An English-first caller gets English, even with Chinese further down the list.
    const en = await get({ applicationId: APP_ID, format: 'csv' }, auditor, {
      'accept-language': 'en,zh;q=0.9',
    });
    expect(en.text.slice(1).split('\r\n')[2]).toContain(',Draft created,');
  });

  it('ends a page before it outgrows a Lambda response, and resumes after its last event', async () => {
    const big = t.items.map((item, i) => ({ ...item, seq: i + 1, payload: { note: '醴'.repeat(400_000) } }));
    const many = Array.from({ length: 12 }, (_, i) => ({
      ...big[0],
      sk: `EVT#${String(i + 1).padStart(10, '0')}`,
      seq: i + 1,
    }));
    ddb.on(QueryCommand).resolves({ Items: many, ScannedCount: many.length });
    const res = await get({ applicationId: APP_ID, format: 'csv', limit: '1000' });
    expect(Buffer.byteLength(JSON.stringify(res))).toBeLessThan(6 * 1024 * 1024);
    const rows = res.text.split('\r\n').filter(Boolean);
    const included = rows.length - 2;
    expect(included).toBeGreaterThan(0);
    expect(included).toBeLessThan(12);

    await get({
      applicationId: APP_ID,
      format: 'csv',
      limit: '1000',
      cursor: String(res.headers['x-next-cursor']),
    });
    expect(queries()[1]?.ExclusiveStartKey).toEqual({
      pk: `APP#${APP_ID}`,
      sk: `EVT#${String(included).padStart(10, '0')}`,
    });
  });
});

describe('event items', () => {
  it('carry sparse index keys by actor, action and UTC day, sorted by time', () => {
    const [create] = trail(0).events;
    if (!create) throw new Error('no event');
    expect(eventItem(create)).toMatchObject({
      pk: `APP#${APP_ID}`,
      sk: 'EVT#0000000001',
      gsi4pk: `ACTOR#${owner.sub}`,
      gsi5pk: 'ACTION#create',
      gsi6pk: 'EVT#2025-06-09',
      gsi4sk: `2025-06-09T01:00:00.000Z#${APP_ID}#0000000001`,
    });
  });
});
