/**
 * GET /public/notices searched (q, kind, from, to) against DynamoDB Local: notices put straight
 * into the notices partition, as the workflow publishes them, then found by the public.
 */
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../../local/dynamodb.ts';
import { beijingDate } from '../../shared/domain/calendar.ts';
import type { Notice } from '../../shared/domain/types.ts';
import { noticeKey } from '../../shared/store/keys.ts';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';

type Page = { items: (Notice & { noticeId: string })[]; cursor?: string };
type Problem = { type?: string; issues?: { path: string; message: string }[] };

let stack: LocalStack;
let doc: DynamoDBDocumentClient;

/** Fourteen notices, one a Beijing day from 2026-03-01 (published 10:00 Beijing time). */
const seeded: Notice[] = Array.from({ length: 14 }, (_, i) => {
  const day = String(i + 1).padStart(2, '0');
  const publishedAt = new Date(`2026-03-${day}T10:00:00+08:00`).toISOString();
  const kinds: Notice['kind'][] = ['ACCEPTANCE', 'PROPOSED_DECISION', 'DECISION', 'FILING'];
  return {
    kind: kinds[i % 4] ?? 'ACCEPTANCE',
    applicationId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    publishedAt,
    publishedOn: beijingDate(publishedAt),
    category: 'REPORT',
    projectName: i === 5 ? '醴陵市陶瓷产业园窑炉煤改气项目' : `株洲第${i + 1}号储能电站`,
    location: i === 9 ? '湖南省醴陵市经济开发区' : '湖南省株洲市',
    industry: '电力',
    orgName: i === 7 ? 'Liling Porcelain Co., Ltd.' : '株洲某能源有限公司',
    ...(i % 4 >= 2 ? { number: `醴环审〔2026〕${i + 1}号` } : {}),
  };
});

beforeAll(async () => {
  stack = await startLocalStack();
  doc = DynamoDBDocumentClient.from(createLocalClient(stack.dynamodbEndpoint));
  for (const n of seeded) {
    await doc.send(new PutCommand({ TableName: stack.tables.main, Item: { ...n, ...noticeKey(n) } }));
  }
});
afterAll(async () => {
  doc?.destroy();
  await stack?.stop();
});

const search = (query: Record<string, string>) =>
  stack.request<Page>('GET', `/public/notices?${new URLSearchParams(query)}`);

/** Every page of a search, following the cursors; the ids in the order given. */
async function all(query: Record<string, string>): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await search({ ...query, ...(cursor ? { cursor } : {}) });
    expect(res.status, res.text).toBe(200);
    expect(res.json.items.length).toBeLessThanOrEqual(Number(query.limit ?? 20));
    ids.push(...res.json.items.map((n) => n.applicationId));
    cursor = res.json.cursor;
    pages++;
    expect(pages).toBeLessThan(30);
  } while (cursor);
  return { ids, pages };
}

const idOf = (i: number) => seeded[i]?.applicationId;
const newestFirst = (list: Notice[]) =>
  [...list].sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : -1)).map((n) => n.applicationId);

describe('GET /public/notices search', () => {
  it('finds a notice by a fragment of the project name', async () => {
    const { ids } = await all({ q: '窑炉煤改' });
    expect(ids).toEqual([idOf(5)]);
  });

  it('finds a notice by the organisation, whatever the case of its Latin letters', async () => {
    for (const q of ['liling porcelain', 'LILING', 'Porcelain Co', 'ｌｉｌｉｎｇ'])
      expect((await all({ q })).ids, q).toEqual([idOf(7)]);
  });

  it('finds a notice by its number, and by its location', async () => {
    expect((await all({ q: '〔2026〕11号' })).ids).toEqual([idOf(10)]);
    // 醴陵 is in one project's name, one location and every number.
    const liling = seeded.filter(
      (n) => n.projectName.includes('醴陵') || n.location.includes('醴陵') || n.number?.includes('醴陵'),
    );
    expect((await all({ q: '醴陵' })).ids).toEqual(newestFirst(liling));
    expect(liling.map((n) => n.applicationId)).toContain(idOf(9));
  });

  it('takes the kind, alone and with q', async () => {
    const decisions = seeded.filter((n) => n.kind === 'DECISION');
    expect((await all({ kind: 'DECISION' })).ids).toEqual(newestFirst(decisions));
    expect((await all({ kind: 'DECISION', q: '〔2026〕' })).ids).toEqual(newestFirst(decisions));
    expect((await all({ kind: 'ACCEPTANCE', q: '〔2026〕' })).ids).toEqual([]);
  });

  it('takes a range of days (both ends included) across pages, following the cursor', async () => {
    const inRange = seeded.filter((n) => n.publishedOn >= '2026-03-03' && n.publishedOn <= '2026-03-09');
    expect(inRange).toHaveLength(7);
    const { ids, pages } = await all({ from: '2026-03-03', to: '2026-03-09', limit: '2' });
    expect(ids).toEqual(newestFirst(inRange));
    expect(pages).toBe(4);
    // One day, and the days with kind across pages too.
    expect((await all({ from: '2026-03-06', to: '2026-03-06' })).ids).toEqual([idOf(5)]);
    const filings = seeded.filter((n) => n.kind === 'FILING' && n.publishedOn >= '2026-03-02');
    expect((await all({ kind: 'FILING', from: '2026-03-02', limit: '1' })).ids).toEqual(newestFirst(filings));
  });

  it('refuses a cursor carried to another q, kind or range, naming cursor', async () => {
    const first = await search({ q: '株洲', limit: '2' });
    expect(first.status, first.text).toBe(200);
    const cursor = first.json.cursor ?? '';
    expect(cursor).not.toBe('');
    const same = await search({ q: '株洲', limit: '2', cursor });
    expect(same.status, same.text).toBe(200);
    for (const other of [
      { q: '株洲市', limit: '2' },
      { q: '醴陵', limit: '2' },
      { limit: '2' },
      { q: '株洲', kind: 'FILING', limit: '2' },
      { q: '株洲', from: '2026-03-01', limit: '2' },
    ]) {
      const res = await stack.request<Problem>(
        'GET',
        `/public/notices?${new URLSearchParams({ ...other, cursor })}`,
      );
      expect(res.status, JSON.stringify(other)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json.issues?.map((i) => i.path)).toEqual(['cursor']);
    }
  });

  it('refuses a bad query with 400 problem+json naming the parameter', async () => {
    for (const [query, name] of [
      ['q=', 'q'],
      [`q=${'x'.repeat(101)}`, 'q'],
      ['q=a%00b', 'q'],
      ['kind=NOTICE', 'kind'],
      ['from=2026-02-30', 'from'],
      ['to=2026-3-1', 'to'],
      ['from=2026-03-10&to=2026-03-09', 'from'],
    ] as const) {
      const res = await stack.request<Problem>('GET', `/public/notices?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers['content-type'], query).toContain('application/problem+json');
      expect(
        res.json.issues?.map((i) => i.path),
        query,
      ).toEqual([name]);
    }
  });
});
