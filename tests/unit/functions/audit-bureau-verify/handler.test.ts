/**
 * GET /audit/bureau/verify against the daily digests (DynamoDB mocked): the newest events deleted
 * together with a rewound head leave a sound chain, which only the digest's recorded head shows.
 */
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Digest, sealDigest } from '../../../../shared/domain/audit-digest.ts';
import { type BureauEvent, chainBureauEvent, emptyHead } from '../../../../shared/domain/bureau.ts';
import {
  bureauEventKey,
  bureauHeadKey,
  bureauPk,
  digestKey,
  digestPk,
} from '../../../../shared/store/keys.ts';
import { apiEvent, invoke, type User } from '../../../support/api-events.ts';
import { freezeTime, stubEnv } from '../fixtures.ts';

const ddb = mockClient(DynamoDBDocumentClient);
let handler: Parameters<typeof invoke>[0];
const auditor: User = { sub: 'auditor-1', name: 'Sun Li', groups: ['auditor'] };

beforeAll(async () => {
  stubEnv();
  freezeTime();
  ({ handler } = await import('../../../../functions/audit-bureau-verify/handler.ts'));
});
afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});
beforeEach(() => ddb.reset());
afterEach(() => expect(ddb.commandCalls(ScanCommand)).toHaveLength(0));

/** Four calendar entries, one a day from 2025-06-01, chained. */
const events: BureauEvent[] = [];
for (const [i, year] of [2025, 2026, 2027, 2026].entries())
  events.push(
    chainBureauEvent(
      {
        action: 'set_calendar_year',
        actor: { id: 'demo-admin', role: 'admin', name: '李明' },
        at: `2025-06-0${i + 1}T02:00:00.000Z`,
        subject: `calendar/${year}`,
        payload: { year, holidays: [`${year}-01-01`], workdays: [] },
        changes: { before: null, after: { holidays: [`${year}-01-01`], workdays: [] } },
        requestId: `req-${i}`,
      },
      events.at(-1) ?? emptyHead,
    ),
  );
const headOf = (e: BureauEvent | undefined) => (e ? { seq: e.seq, hash: e.hash } : undefined);

/** The stream holds the first `n` events with the head on the last of them; the DIGEST partition `digests` (oldest first). */
function table(n: number, digests: Digest[]) {
  const kept = events.slice(0, n);
  const last = kept.at(-1);
  ddb
    .on(GetCommand, { Key: bureauHeadKey })
    .resolves(last ? { Item: { ...bureauHeadKey, seq: last.seq, hash: last.hash, at: last.at } } : {});
  ddb.on(QueryCommand).callsFake((input) => {
    const pk = input.ExpressionAttributeValues?.[':pk'];
    if (pk === bureauPk) return { Items: kept.map((e) => ({ ...e, ...bureauEventKey(e.seq) })) };
    if (pk === digestPk) {
      // Newest first, the filter applied by "DynamoDB".
      const items = [...digests].reverse().map((d) => ({ ...d, ...digestKey(d.day), applicationIds: [] }));
      return { Items: input.FilterExpression ? items.filter((i) => i.bureau) : items };
    }
    throw new Error(`unexpected query ${JSON.stringify(input)}`);
  });
}

/** Digests of 2025-06-01 .. -03 as the sweeper wrote them: the head after 1, 2 and 3 events. */
function digestsThrough(days: number, withHead = true): Digest[] {
  const out: Digest[] = [];
  for (let i = 0; i < days; i += 1)
    out.push(sealDigest(`2025-06-0${i + 1}`, [], out.at(-1), withHead ? headOf(events[i]) : undefined));
  return out;
}

const verify = async () =>
  (await invoke(handler, apiEvent({ method: 'GET', route: '/audit/bureau/verify', user: auditor }))) as {
    statusCode: number;
    body: Record<string, unknown>;
  };

describe('GET /audit/bureau/verify against the daily digests', () => {
  it('confirms a stream that holds what the newest digest recorded (and has grown since)', async () => {
    table(4, digestsThrough(3));
    const res = await verify();
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      stream: 'bureau',
      ok: true,
      events: 4,
      headHash: events[3]?.hash,
      digest: { day: '2025-06-03', seq: 3, hash: events[2]?.hash },
    });
    // The digests read newest first from their own partition, filtered to those with a head.
    const digestRead = ddb
      .commandCalls(QueryCommand)
      .find((c) => c.args[0].input.ExpressionAttributeValues?.[':pk'] === digestPk);
    expect(digestRead?.args[0].input).toMatchObject({ ScanIndexForward: false, ConsistentRead: true });
  });

  it('reports the newest events deleted with the head rewound: a sound chain, shorter than recorded', async () => {
    table(1, digestsThrough(3));
    const res = await verify();
    expect(res.body).toMatchObject({
      ok: false,
      events: 1,
      firstBrokenSeq: 2,
      headHash: events[0]?.hash,
      digest: { day: '2025-06-03', seq: 3 },
    });
    expect(String(res.body.reason)).toMatch(
      /digest of 2025-06-03 recorded the stream up to seq 3, but it ends at seq 1/,
    );
  });

  it('reports a stream rewritten from a seq on, hashes recomputed, at the recorded seq', async () => {
    const digests = digestsThrough(3);
    const forged = { ...digests[2], bureau: { seq: 3, hash: 'f'.repeat(64) } } as Digest;
    table(3, [...digests.slice(0, 2), forged]);
    const res = await verify();
    expect(res.body).toMatchObject({ ok: false, firstBrokenSeq: 3 });
    expect(String(res.body.reason)).toMatch(
      /hash of seq 3 is not the one recorded in the digest of 2025-06-03/,
    );
  });

  it('is not fooled by older digests without a head, and checks nothing more without any', async () => {
    table(1, digestsThrough(3, false));
    const res = await verify();
    expect(res.body).toMatchObject({ ok: true, events: 1 });
    expect(res.body).not.toHaveProperty('digest');
    // A digest with a head before newer ones without: the one with the head is still used.
    const mixed = digestsThrough(1);
    mixed.push(sealDigest('2025-06-02', [], mixed[0]));
    ddb.reset();
    table(0, mixed);
    expect((await verify()).body).toMatchObject({
      ok: false,
      events: 0,
      firstBrokenSeq: 1,
      digest: { day: '2025-06-01', seq: 1 },
    });
  });

  it('reports a broken chain first, at its own seq', async () => {
    table(3, digestsThrough(3));
    const tampered = events.slice(0, 3).map((e) => ({ ...e, ...bureauEventKey(e.seq) }));
    tampered[1] = { ...tampered[1], subject: 'calendar/2099' } as (typeof tampered)[number];
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': bureauPk } }).resolves({ Items: tampered });
    const res = await verify();
    expect(res.body).toMatchObject({ ok: false, firstBrokenSeq: 2 });
    expect(String(res.body.reason)).toMatch(/hash of seq 2/);
  });
});
