/**
 * The bureau stream's head in the daily digests, against DynamoDB Local: calendar years entered on
 * two days, swept past, each day's digest records the stream's head as of its end; then the newest
 * event is deleted and the head rewound directly in the table, leaving a sound but shorter chain,
 * which verify reports against the digest.
 */
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../../local/dynamodb.ts';
import type { Digest } from '../../shared/domain/audit-digest.ts';
import type { BureauEvent } from '../../shared/domain/bureau.ts';
import { bureauEventKey, bureauHeadKey } from '../../shared/store/keys.ts';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';

interface Verdict {
  ok: boolean;
  events: number;
  firstBrokenSeq?: number;
  reason?: string;
  digest?: { day: string; seq: number; hash: string };
}

let stack: LocalStack;
let doc: DynamoDBDocumentClient;
beforeAll(async () => {
  stack = await startLocalStack();
  doc = DynamoDBDocumentClient.from(createLocalClient(stack.dynamodbEndpoint));
});
afterAll(async () => {
  doc?.destroy();
  await stack?.stop();
});

async function enter(year: number, holidays: string[]) {
  const res = await stack.request('PUT', `/admin/calendar/${year}`, {
    as: 'admin',
    body: { holidays, workdays: [] },
  });
  expect(res.status, res.text).toBe(200);
}
const bureauEvents = async () =>
  (await stack.request<{ items: BureauEvent[] }>('GET', '/audit/bureau/events?limit=100', { as: 'auditor' }))
    .json.items;
const verify = async () => {
  const res = await stack.request<Verdict>('GET', '/audit/bureau/verify', { as: 'auditor' });
  expect(res.status, res.text).toBe(200);
  return res.json;
};

describe('the bureau stream in the daily digests', () => {
  it('records the head as of each day’s end, and verify checks the stream against it', async () => {
    // Day 1 (UTC 2026-05-11): 2026's calendar; day 2: 2027's. No application at all.
    await stack.setNow('2026-05-11T02:00:00Z');
    await enter(2026, ['2026-10-01', '2026-10-02']);
    await stack.setNow('2026-05-12T03:00:00Z');
    await enter(2027, ['2027-01-01']);
    const [first, second] = await bureauEvents();
    expect(second?.seq).toBe(2);

    await stack.setNow('2026-05-13T01:00:00Z');
    const swept = await stack.request<{ digests?: { written: string[] } }>('POST', '/local/sweep');
    expect(swept.status, swept.text).toBe(200);
    expect(swept.json.digests).toMatchObject({ written: ['2026-05-11', '2026-05-12'] });

    const listed = await stack.request<{ items: Digest[]; chainOk: boolean }>('GET', '/audit/digests', {
      as: 'auditor',
    });
    expect(listed.json.chainOk).toBe(true);
    expect(listed.json.items.map((d) => [d.day, d.bureau])).toEqual([
      ['2026-05-12', { seq: 2, hash: second?.hash }],
      ['2026-05-11', { seq: 1, hash: first?.hash }],
    ]);
    expect(await verify()).toMatchObject({ ok: true, events: 2, digest: { day: '2026-05-12', seq: 2 } });
  });

  it('reports the newest event deleted together with the head rewound, naming the seq', async () => {
    const [first] = await bureauEvents();
    await doc.send(new DeleteCommand({ TableName: stack.tables.main, Key: bureauEventKey(2) }));
    await doc.send(
      new PutCommand({
        TableName: stack.tables.main,
        Item: { ...bureauHeadKey, seq: 1, hash: first?.hash, at: first?.at },
      }),
    );
    const verdict = await verify();
    expect(verdict).toMatchObject({
      ok: false,
      events: 1,
      firstBrokenSeq: 2,
      digest: { day: '2026-05-12', seq: 2 },
    });
    expect(verdict.reason).toMatch(
      /digest of 2026-05-12 recorded the stream up to seq 2, but it ends at seq 1/,
    );
  });
});
