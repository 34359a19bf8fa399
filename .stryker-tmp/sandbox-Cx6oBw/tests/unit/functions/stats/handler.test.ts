// @ts-nocheck
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent, Category, State } from '../../../../shared/domain/types.ts';
import { eventItem } from '../../../../shared/store/keys.ts';
import { apiEvent, type Event, lambdaContext, type User } from '../../../support/api-events.ts';
import { clerk, loadHandler, owner, reviewer, TABLE, useHandlerEnvironment } from '../fixtures.ts';

const ddb = useHandlerEnvironment();
type Handler = (event: Event, context: typeof lambdaContext) => Promise<unknown>;
let handler: Handler;

const approver: User = { sub: 'approver-1', name: 'Zhou Min', groups: ['approver'] };
const auditor: User = { sub: 'auditor-1', name: 'Sun Li', groups: ['auditor'] };

beforeAll(async () => {
  handler = await loadHandler<Handler>('stats');
});

let seq = 0;
function stored(applicationId: string, action: string, at: string, to: State, changes = {}) {
  seq += 1;
  const event: AuditEvent = {
    applicationId,
    seq,
    action,
    actor: { id: 'x', role: 'clerk', name: 'x' },
    at,
    from: null,
    to,
    payload: {},
    changes,
    requestId: `r${seq}`,
    prevHash: '0',
    hash: '1',
  };
  return eventItem(event);
}

/** What the action index holds, per action; each action answers in pages of `pageSize`. */
let byAction: Record<string, Record<string, unknown>[]> = {};
let pageSize = 100;
const categories: Record<string, Category> = { A: 'REPORT_FORM', B: 'REPORT' };

beforeEach(() => {
  ddb.reset();
  pageSize = 100;
  byAction = {
    // June 2025, Beijing: A submitted and accepted, B approved (accepted in May).
    submit: [
      stored('A', 'submit', '2025-06-02T01:00:00.000Z', 'SUBMITTED'),
      stored('R', 'submit', '2025-06-03T01:00:00.000Z', 'FILED'),
    ],
    accept: [
      stored('A', 'accept', '2025-06-03T01:00:00.000Z', 'ACCEPTED', {
        acceptance: { acceptedOn: '2025-06-03', deemed: false },
      }),
    ],
    approve: [
      // Accepted Thursday 05-29; decided Friday 06-06: 05-30, 06-03 (06-02 Dragon Boat), 04, 05, 06 = 5.
      stored('B', 'approve', '2025-06-06T07:00:00.000Z', 'APPROVED', {
        clockState: {
          startedOn: '2025-05-29',
          limitDays: 60,
          dayType: 'WORKING',
          commitmentDays: 15,
          pauses: [],
          stoppedOn: '2025-06-06',
        },
      }),
    ],
    reject: [],
  };
  ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    const action = String(input.ExpressionAttributeValues?.[':pk']).replace(/^ACTION#/, '');
    const all = byAction[action] ?? [];
    const after = input.ExclusiveStartKey
      ? all.findIndex((i) => i.sk === input.ExclusiveStartKey?.sk) + 1
      : 0;
    const items = all.slice(after, after + Math.min(pageSize, input.Limit ?? pageSize));
    const more = after + items.length < all.length;
    return {
      Items: items,
      ScannedCount: items.length,
      ConsumedCapacity: { CapacityUnits: 0.5 },
      ...(more ? { LastEvaluatedKey: { pk: items.at(-1)?.pk, sk: items.at(-1)?.sk } } : {}),
    };
  });
  ddb.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => {
    const keys = input.RequestItems?.[TABLE]?.Keys ?? [];
    const found = keys.flatMap((key) => {
      const category = categories[String(key.pk).replace(/^APP#/, '')];
      return category ? [{ pk: key.pk, category }] : [];
    });
    return {
      Responses: { [TABLE]: found },
      ConsumedCapacity: [{ TableName: TABLE, CapacityUnits: 0.5 * keys.length }],
    };
  });
});
afterEach(() => {
  expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  json: any;
}
async function get(query: Record<string, string>, user: User | null = clerk): Promise<Answer> {
  const event = apiEvent({ method: 'GET', route: '/stats', query, ...(user ? { user } : {}) });
  const result = (await handler(event, lambdaContext)) as {
    statusCode: number;
    headers: Record<string, string>;
    body: string;
  };
  return { status: result.statusCode, headers: result.headers, json: JSON.parse(result.body) };
}
const queries = (): QueryCommandInput[] => ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
const batches = () => ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.[TABLE]);
const issuePaths = (a: Answer) => (a.json?.issues ?? []).map((i: { path: string }) => i.path);
const june = { from: '2025-06-01', to: '2025-06-30' };

describe('GET /stats: who may ask', () => {
  it.each([
    ['clerk', clerk],
    ['reviewer', reviewer],
    ['approver', approver],
    ['auditor', auditor],
  ])('answers the %s', async (_role, user) => {
    expect((await get(june, user)).status).toBe(200);
  });

  it('refuses an applicant with 403 and reads nothing', async () => {
    const res = await get(june, owner);
    expect(res.status).toBe(403);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers 401 without a token', async () => {
    expect((await get(june, null)).status).toBe(401);
  });
});

describe('GET /stats: the period', () => {
  it.each([
    [{ to: '2025-06-30' }, 'from'],
    [{ from: '2025-06-01' }, 'to'],
    [{ from: '2025-6-1', to: '2025-06-30' }, 'from'],
    [{ from: '2025-06-01', to: '2025-02-30' }, 'to'],
    [{ from: '2025-06-01T00:00:00Z', to: '2025-06-30' }, 'from'],
    [{ from: '2025-07-01', to: '2025-06-30' }, 'from'],
    [{ from: '2025-01-01', to: '2026-01-02' }, 'to'],
    [{ ...{ from: '2025-06-01', to: '2025-06-30' }, category: 'REPORT' }, 'category'],
  ])('refuses %j with 400 naming %s, and reads nothing', async (query, path) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(issuePaths(res)).toContain(path);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('takes a whole leap year (366 days)', async () => {
    expect((await get({ from: '2028-01-01', to: '2028-12-31' })).status).toBe(200);
  });
});

describe('GET /stats: reads', () => {
  it('queries the action index once per action over the Beijing days in UTC, never the table', async () => {
    const res = await get(june);
    expect(res.status).toBe(200);
    const qs = queries();
    expect(qs.map((q) => q.ExpressionAttributeValues?.[':pk'])).toEqual([
      'ACTION#submit',
      'ACTION#accept',
      'ACTION#approve',
      'ACTION#reject',
    ]);
    for (const q of qs) {
      expect(q.TableName).toBe(TABLE);
      expect(q.IndexName).toBe('gsi5-action');
      expect(q.KeyConditionExpression).toContain('BETWEEN :lo AND :hi');
      expect(q.FilterExpression).toBeUndefined();
      // 06-01 00:00 and 07-01 00:00 in Beijing.
      expect(q.ExpressionAttributeValues?.[':lo']).toBe('2025-05-31T16:00:00.000Z');
      expect(q.ExpressionAttributeValues?.[':hi']).toBe('2025-06-30T16:00:00.000Z');
    }
  });

  it('reads each application of the period once for its category; a filing needs no read', async () => {
    await get(june);
    const read = batches();
    expect(read).toHaveLength(1);
    expect(read[0]?.Keys?.sort((a, b) => String(a.pk).localeCompare(String(b.pk)))).toEqual([
      { pk: 'APP#A', sk: 'APP' },
      { pk: 'APP#B', sk: 'APP' },
    ]);
    expect(read[0]?.ProjectionExpression).toBe('#pk, #category');
  });

  it('follows every page to the end', async () => {
    pageSize = 1;
    byAction.submit = ['1', '2', '3', '4', '5'].map((d) =>
      stored('A', 'submit', `2025-06-0${d}T01:00:00.000Z`, 'SUBMITTED'),
    );
    const res = await get(june);
    expect(res.json.total.received).toBe(5);
    expect(queries().filter((q) => q.ExpressionAttributeValues?.[':pk'] === 'ACTION#submit')).toHaveLength(5);
    // 5 submits, 1 accept, 1 approval, and applications A and B.
    expect(res.headers['x-items-read']).toBe(String(5 + 1 + 1 + 2));
  });

  it('answers the figures per category and in total', async () => {
    const res = await get(june);
    expect(res.json).toMatchObject({
      from: '2025-06-01',
      to: '2025-06-30',
      uncategorised: 0,
      total: { received: 2, filed: 1, accepted: 1, decided: 1, approved: 1, onTime: 1, late: 0 },
      byCategory: {
        REPORT_FORM: { received: 1, accepted: 1, decided: 0, medianWorkingDays: null },
        REPORT: { received: 0, decided: 1, onTime: 1, onTimeCommitment: 1, medianWorkingDays: 5 },
        REGISTRATION: { received: 1, filed: 1 },
      },
    });
  });
});
