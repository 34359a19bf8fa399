import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { beijingDate } from '../../../../shared/domain/calendar.ts';
import { type NoticeSearch, noticeKinds, noticeMatches } from '../../../../shared/domain/notice-search.ts';
import type { Notice } from '../../../../shared/domain/types.ts';
import { applicationStore, SEARCH_READ_BUDGET } from '../../../../shared/store/application-store.ts';
import { noticeKey } from '../../../../shared/store/keys.ts';
import type { Key } from '../../../../shared/store/ports.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const store = applicationStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' })), {
  table: 'main',
  idempotencyTable: 'idem',
});

type Item = Notice & { pk: string; sk: string };

/**
 * The notices partition as DynamoDB's Query reads it: the key condition's bounds on sk, newest
 * first, the start key, Limit, and a 1 MB page stand-in (`perCall`).
 */
function fakeTable(items: Item[], perCall = Number.POSITIVE_INFINITY) {
  const reads: number[] = [];
  ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    const v = input.ExpressionAttributeValues ?? {};
    const cond = input.KeyConditionExpression ?? '';
    let found = items
      .filter((i) => i.pk === v[':pk'])
      .filter((i) => !cond.includes(':lo') || i.sk >= String(v[':lo']))
      .filter(
        (i) =>
          !cond.includes(':hi') || i.sk < String(v[':hi']) || (cond.includes('BETWEEN') && i.sk === v[':hi']),
      )
      .sort((a, b) => (a.sk < b.sk ? 1 : -1));
    const start = input.ExclusiveStartKey as Key | undefined;
    if (start) found = found.filter((i) => i.sk < String(start.sk));
    const limit = Math.min(input.Limit ?? found.length, perCall);
    const page = found.slice(0, limit);
    reads.push(page.length);
    const last = page.at(-1);
    return {
      Items: page.map((i) => structuredClone(i)),
      ...(found.length > limit && last ? { LastEvaluatedKey: { pk: last.pk, sk: last.sk } } : {}),
    };
  });
  return reads;
}

const projects = ['醴陵 Liling 窑炉改造', '株洲电镀园区', '华联瓷业扩建', 'Ceramic Park'];
const orgs = ['醴陵市华联瓷业有限公司', 'LILING PORCELAIN Co.', '株洲某公司'];

function notice(i: number, at: Date, kind: Notice['kind']): Item {
  const n: Notice = {
    kind,
    applicationId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    publishedAt: at.toISOString(),
    publishedOn: beijingDate(at),
    category: 'REPORT',
    projectName: projects[i % projects.length] ?? '',
    location: i % 2 ? '醴陵市经济开发区' : '株洲市',
    industry: '陶瓷',
    orgName: orgs[i % orgs.length] ?? '',
    ...(i % 3 ? { number: `醴环审〔2026〕${i}号` } : {}),
  };
  return { ...n, ...noticeKey(n) };
}

const notices = fc
  .array(
    fc.tuple(
      fc.date({
        min: new Date('2026-03-01T00:00:00Z'),
        max: new Date('2026-03-20T00:00:00Z'),
        noInvalidDate: true,
      }),
      fc.constantFrom(...noticeKinds),
    ),
    { maxLength: 60 },
  )
  .map((rows) => rows.map(([at, kind], i) => notice(i, at, kind)));
const searches: fc.Arbitrary<NoticeSearch> = fc.record(
  {
    kind: fc.constantFrom(...noticeKinds),
    q: fc.constantFrom('醴陵', 'liling', 'LILING', '株洲', '7号', 'ceramic', 'nothing'),
    from: fc.constantFrom('2026-03-01', '2026-03-05', '2026-03-10'),
    to: fc.constantFrom('2026-03-10', '2026-03-15', '2026-03-20'),
  },
  { requiredKeys: [] },
);

async function everyPage(search: NoticeSearch, limit: number) {
  const all: Notice[] = [];
  let startKey: Key | undefined;
  let pages = 0;
  do {
    const page = await store.searchNotices(search, limit, startKey);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    all.push(...page.items);
    startKey = page.lastKey;
    pages++;
    expect(pages).toBeLessThan(200);
  } while (startKey);
  return all;
}

beforeEach(() => ddb.reset());

describe('searchNotices', () => {
  it('pages through exactly the notices asked for, newest first, none twice, none left out', async () => {
    await fc.assert(
      fc.asyncProperty(
        notices,
        searches,
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom(Number.POSITIVE_INFINITY, 3),
        async (items, search, limit, perCall) => {
          ddb.reset();
          fakeTable(items, perCall);
          const expected = items
            .filter((i) => noticeMatches(i, search))
            .sort((a, b) => (a.sk < b.sk ? 1 : -1))
            .map((i) => i.applicationId);
          const got = (await everyPage(search, limit)).map((n) => n.applicationId);
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('queries the notices partition bounded by the days, never a Scan', async () => {
    fakeTable([]);
    await store.searchNotices({ from: '2026-03-10', to: '2026-03-11', kind: 'FILING' }, 20);
    await store.searchNotices({ to: '2026-03-11' }, 20);
    await store.searchNotices({ q: 'x' }, 20);
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(calls[0]).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: {
        ':pk': 'NOTICES',
        ':lo': '2026-03-09T16:00:00.000Z',
        ':hi': '2026-03-11T16:00:00.000Z',
      },
      ScanIndexForward: false,
    });
    expect(calls[1]).toMatchObject({ KeyConditionExpression: 'pk = :pk AND sk < :hi' });
    expect(calls[2]).toMatchObject({ KeyConditionExpression: 'pk = :pk' });
  });

  it('reads no more than the page when only the days filter', async () => {
    const items = Array.from({ length: 50 }, (_, i) =>
      notice(i, new Date(Date.UTC(2026, 2, 10, 0, i)), 'FILING'),
    );
    const reads = fakeTable(items);
    const page = await store.searchNotices({ from: '2026-03-10' }, 5);
    expect(page.items).toHaveLength(5);
    expect(reads).toEqual([5]);
  });

  it(`reads at most ${SEARCH_READ_BUDGET} notices for a page, and then gives a cursor to read on`, async () => {
    const items = Array.from({ length: 2500 }, (_, i) =>
      notice(i, new Date(Date.UTC(2026, 2, 1) + i * 60_000), 'FILING'),
    );
    const reads = fakeTable(items);
    const first = await store.searchNotices({ kind: 'DECISION' }, 20);
    expect(first.items).toEqual([]);
    expect(first.lastKey).toBeDefined();
    expect(reads.reduce((a, b) => a + b, 0)).toBe(SEARCH_READ_BUDGET);
    // The last page ends the search.
    await store.searchNotices({ kind: 'DECISION' }, 20, first.lastKey);
    const last = await store.searchNotices({ kind: 'DECISION' }, 20, {
      pk: 'NOTICES',
      sk: items[400]?.sk ?? '',
    });
    expect(last).toEqual({ items: [] });
  });
});
