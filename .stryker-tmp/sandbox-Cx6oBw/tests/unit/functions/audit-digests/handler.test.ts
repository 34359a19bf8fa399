// @ts-nocheck
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Digest, sealDigest } from '../../../../shared/domain/audit-digest.ts';
import { digestKey, digestPk } from '../../../../shared/store/keys.ts';
import { apiEvent, invoke, type User } from '../../../support/api-events.ts';
import { clerk, freezeTime, owner, stubEnv } from '../fixtures.ts';

const ddb = mockClient(DynamoDBDocumentClient);
let handler: Parameters<typeof invoke>[0];
const auditor: User = { sub: 'auditor-1', name: 'Sun Li', groups: ['auditor'] };
const A = '00000000-0000-4000-8000-00000000000a';

beforeAll(async () => {
  stubEnv();
  freezeTime();
  ({ handler } = await import('../../../../functions/audit-digests/handler.ts'));
});
afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});
afterEach(() => expect(ddb.commandCalls(ScanCommand)).toHaveLength(0));

/** Five chained days, 2025-06-01 .. 05, as items (oldest first). */
let items: Record<string, unknown>[];
beforeEach(() => {
  ddb.reset();
  let previous: Digest | undefined;
  items = [];
  for (let d = 1; d <= 5; d++) {
    const day = `2025-06-0${d}`;
    previous = sealDigest(
      day,
      d % 2 ? [{ applicationId: A, seq: d, hash: String(d).repeat(64) }] : [],
      previous,
    );
    items.push({
      ...previous,
      ...digestKey(day),
      applicationIds: previous.applications.map((a) => a.applicationId),
    });
  }
  // The DIGEST partition: key condition on sk, newest first, ExclusiveStartKey, Limit.
  ddb.on(QueryCommand).callsFake((input) => {
    expect(input.ExpressionAttributeValues?.[':pk']).toBe(digestPk);
    const v = input.ExpressionAttributeValues ?? {};
    const start = input.ExclusiveStartKey?.sk as string | undefined;
    const matching = [...items].reverse().filter((i) => {
      const sk = String(i.sk);
      return (
        (v[':from'] === undefined || sk >= v[':from']) &&
        (v[':to'] === undefined || sk <= v[':to']) &&
        (v[':day'] === undefined || sk < v[':day']) &&
        (start === undefined || sk < start)
      );
    });
    return { Items: matching.slice(0, input.Limit ?? matching.length) };
  });
});

function get(query: Record<string, string> = {}, user: User | null = auditor) {
  return invoke(
    handler,
    apiEvent({ method: 'GET', route: '/audit/digests', query, ...(user ? { user } : {}) }),
  );
}
type Body = { items: Digest[]; cursor?: string; chainOk: boolean; firstBrokenDay?: string; reason?: string };

describe('GET /audit/digests', () => {
  it('lists the digests newest first, paged with a signed cursor, each page’s chain checked', async () => {
    const first = await get({ limit: '2' });
    expect(first.statusCode).toBe(200);
    const body = first.body as Body;
    expect(body.items.map((d) => d.day)).toEqual(['2025-06-05', '2025-06-04']);
    expect(body.items[0]).not.toHaveProperty('pk');
    expect(body.items[0]).not.toHaveProperty('applicationIds');
    expect(body.chainOk).toBe(true);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      ScanIndexForward: false,
      Limit: 3,
    });

    const days: string[] = [...body.items.map((d) => d.day)];
    let cursor = body.cursor;
    while (cursor) {
      const next = (await get({ limit: '2', cursor })).body as Body;
      expect(next.chainOk).toBe(true);
      days.push(...next.items.map((d) => d.day));
      cursor = next.cursor;
    }
    expect(days).toEqual(['2025-06-05', '2025-06-04', '2025-06-03', '2025-06-02', '2025-06-01']);
  });

  it('filters by day range, checking the oldest against the digest before the range', async () => {
    const res = await get({ from: '2025-06-02', to: '2025-06-03' });
    expect((res.body as Body).items.map((d) => d.day)).toEqual(['2025-06-03', '2025-06-02']);
    expect((res.body as Body).chainOk).toBe(true);
    items[0] = { ...items[0], hash: 'f'.repeat(64) };
    expect((await get({ from: '2025-06-02', to: '2025-06-03' })).body).toMatchObject({
      chainOk: false,
      firstBrokenDay: '2025-06-02',
    });
  });

  it('reports a tampered digest: chainOk false and the first broken day', async () => {
    items[2] = { ...items[2], applications: [], count: 0 };
    expect((await get()).body).toMatchObject({
      chainOk: false,
      firstBrokenDay: '2025-06-03',
      reason: expect.stringMatching(/hash of 2025-06-03/),
    });
  });

  it('refuses cursors edited or from another query, and bad days, with 400', async () => {
    const { cursor } = (await get({ limit: '2' })).body as Body;
    if (!cursor) throw new Error('no cursor');
    expect((await get({ limit: '2', from: '2025-06-01', cursor })).statusCode).toBe(400);
    expect((await get({ cursor: `${cursor.slice(0, -2)}xx` })).statusCode).toBe(400);
    expect((await get({ from: '2025-02-30' })).statusCode).toBe(400);
    expect((await get({ from: '2025-06-03', to: '2025-06-01' })).statusCode).toBe(400);
    expect((await get({ limit: '1000' })).statusCode).toBe(400);
    expect((await get({ day: '2025-06-01' })).statusCode).toBe(400);
  });

  it('answers 401 without a token and 403 to other roles, reading nothing', async () => {
    expect((await get({}, null)).statusCode).toBe(401);
    expect((await get({}, owner)).statusCode).toBe(403);
    expect((await get({}, clerk)).statusCode).toBe(403);
    expect(ddb.calls()).toHaveLength(0);
  });
});
