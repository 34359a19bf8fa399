import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_DIGESTS_PER_RUN, writeDigests } from '../../../../functions/sweeper/digests.ts';
import { GENESIS } from '../../../../shared/domain/audit-chain.ts';
import { type Digest, verifyDigests } from '../../../../shared/domain/audit-digest.ts';
import { digestStore } from '../../../../shared/store/digest-store.ts';
import { allPk, bureauEventKey, bureauPk, dayPk, digestPk, indexes } from '../../../../shared/store/keys.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const store = digestStore(doc, 'test-eia-main');
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

/** The table as far as the digests go: day partitions of the day index, the DIGEST partition. */
let days: Map<string, { applicationId: string; seq: number; hash: string }[]>;
let digests: Map<string, Record<string, unknown>>;
let firstCreatedAt: string | undefined;
/** The bureau stream's events (seq, hash, at), in seq order. */
let bureau: { seq: number; hash: string; at: string }[];

beforeEach(() => {
  ddb.reset();
  days = new Map([
    [
      '2026-03-01',
      [
        { applicationId: B, seq: 1, hash: 'b1' },
        { applicationId: A, seq: 1, hash: 'a1' },
        { applicationId: A, seq: 2, hash: 'a2' },
      ],
    ],
    ['2026-03-03', [{ applicationId: A, seq: 3, hash: 'a3' }]],
  ]);
  digests = new Map();
  firstCreatedAt = '2026-03-01T01:00:00.000Z';
  bureau = [];
  ddb.on(QueryCommand).callsFake((input) => {
    const pk = input.ExpressionAttributeValues?.[':pk'];
    if (input.IndexName === indexes.all.indexName && pk === allPk)
      return { Items: firstCreatedAt ? [{ createdAt: firstCreatedAt }] : [] };
    if (input.IndexName === indexes.byDay.indexName) {
      const day = String(pk).slice(dayPk('').length);
      return { Items: days.get(day) ?? [] };
    }
    if (!input.IndexName && pk === bureauPk) {
      // The EVENT# items in key order (seq), either way, a page of Limit from ExclusiveStartKey.
      const items = bureau.map((e) => ({ ...e, ...bureauEventKey(e.seq) }));
      if (input.ScanIndexForward === false) items.reverse();
      const after = input.ExclusiveStartKey?.sk;
      const from = after === undefined ? 0 : items.findIndex((i) => i.sk === after) + 1;
      const page = items.slice(from, from + (input.Limit ?? items.length));
      const last = page.at(-1);
      return {
        Items: page,
        ...(last && from + page.length < items.length
          ? { LastEvaluatedKey: { pk: bureauPk, sk: last.sk } }
          : {}),
      };
    }
    if (!input.IndexName && pk === digestPk) {
      const all = [...digests.values()].sort((x, y) => String(y.sk).localeCompare(String(x.sk)));
      return { Items: all.slice(0, input.Limit ?? all.length) };
    }
    throw new Error(`unexpected query ${JSON.stringify(input)}`);
  });
  ddb.on(TransactWriteCommand).callsFake((input) => {
    const put = input.TransactItems?.[0]?.Put;
    const sk = String(put?.Item?.sk);
    if (digests.has(sk))
      throw new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
      });
    digests.set(sk, put?.Item ?? {});
    return {};
  });
});
afterEach(() => expect(ddb.commandCalls(ScanCommand)).toHaveLength(0));

const stored = (): Digest[] =>
  [...digests.values()]
    .sort((x, y) => String(y.sk).localeCompare(String(x.sk)))
    .map(({ pk: _pk, sk: _sk, applicationIds: _ids, ...d }) => d as unknown as Digest);

describe('the sweeper’s daily digests', () => {
  it('digests every completed UTC day from the first application’s, empty days included, chained', async () => {
    // 2026-03-04 00:30 UTC: 03-01 .. 03-03 are complete.
    const report = await writeDigests(store, new Date('2026-03-04T00:30:00Z'));
    expect(report).toMatchObject({
      written: ['2026-03-01', '2026-03-02', '2026-03-03'],
      through: '2026-03-03',
    });
    const [d3, d2, d1] = stored();
    expect(d1).toMatchObject({
      day: '2026-03-01',
      applications: [
        { applicationId: A, seq: 2, hash: 'a2' },
        { applicationId: B, seq: 1, hash: 'b1' },
      ],
      count: 2,
      prevHash: GENESIS,
    });
    expect(d2).toMatchObject({ day: '2026-03-02', applications: [], count: 0, prevHash: d1?.hash });
    expect(d3).toMatchObject({ day: '2026-03-03', count: 1, prevHash: d2?.hash });
    expect(verifyDigests(stored(), null)).toEqual({ chainOk: true });
    expect(digests.get('2026-03-01')).toMatchObject({ pk: digestPk, applicationIds: [A, B] });
    // Written with attribute_not_exists, one transaction of one Put each.
    const writes = ddb.commandCalls(TransactWriteCommand);
    expect(writes).toHaveLength(3);
    for (const w of writes)
      expect(w.args[0].input.TransactItems?.[0]?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    // Each day read from its own day-index partition, with only the fields a digest needs.
    const dayReads = ddb
      .commandCalls(QueryCommand)
      .filter((c) => c.args[0].input.IndexName === indexes.byDay.indexName);
    expect(dayReads.map((c) => c.args[0].input.ExpressionAttributeValues?.[':pk'])).toEqual([
      dayPk('2026-03-01'),
      dayPk('2026-03-02'),
      dayPk('2026-03-03'),
    ]);
  });

  it('writes each day once: a second run goes on from the newest digest, and a settling day waits', async () => {
    await writeDigests(store, new Date('2026-03-03T00:10:00Z'));
    // 00:10 is within the settling margin: 03-02 is not digested yet.
    expect([...digests.keys()]).toEqual(['2026-03-01']);
    ddb.resetHistory();
    const again = await writeDigests(store, new Date('2026-03-03T00:10:00Z'));
    expect(again.written).toEqual([]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    const later = await writeDigests(store, new Date('2026-03-04T06:00:00Z'));
    expect(later.written).toEqual(['2026-03-02', '2026-03-03']);
    expect(verifyDigests(stored(), null)).toEqual({ chainOk: true });
  });

  it('stops when a concurrent sweep wrote the day first, without overwriting it', async () => {
    const other = { pk: digestPk, sk: '2026-03-01', day: '2026-03-01', hash: 'theirs' };
    // The newest digest read says none exists yet, but the write finds one: the other sweep won.
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': digestPk } }).resolvesOnce({ Items: [] });
    digests.set('2026-03-01', other);
    const report = await writeDigests(store, new Date('2026-03-04T00:30:00Z'));
    expect(report.written).toEqual([]);
    expect(digests.get('2026-03-01')).toBe(other);
  });

  it('catches up at most a month per run, and writes nothing before the first application', async () => {
    const report = await writeDigests(store, new Date('2026-06-01T12:00:00Z'));
    expect(report.written).toHaveLength(MAX_DIGESTS_PER_RUN);
    expect(report.written.at(-1)).toBe('2026-03-31');
    firstCreatedAt = undefined;
    digests.clear();
    expect((await writeDigests(store, new Date('2026-06-01T12:00:00Z'))).written).toEqual([]);
  });

  it('records no bureau head while the bureau stream is empty', async () => {
    const report = await writeDigests(store, new Date('2026-03-04T00:30:00Z'));
    expect(report.written).toHaveLength(3);
    for (const d of stored()) expect(d).not.toHaveProperty('bureau');
  });

  it('records the bureau head as of each day’s end, read back from the newest event once', async () => {
    bureau = [
      { seq: 1, hash: 'h1', at: '2026-03-01T05:00:00.000Z' },
      { seq: 2, hash: 'h2', at: '2026-03-02T23:59:59.999Z' },
      // After 03-03 ended, before the sweep: in no digest yet.
      { seq: 3, hash: 'h3', at: '2026-03-04T00:05:00.000Z' },
    ];
    const report = await writeDigests(store, new Date('2026-03-04T00:30:00Z'));
    const [d3, d2, d1] = stored();
    expect(d1).toMatchObject({ day: '2026-03-01', bureau: { seq: 1, hash: 'h1' } });
    expect(d2).toMatchObject({ day: '2026-03-02', bureau: { seq: 2, hash: 'h2' } });
    expect(d3).toMatchObject({ day: '2026-03-03', bureau: { seq: 2, hash: 'h2' } });
    // The head is part of what each digest's hash covers, and the chain verifies.
    expect(verifyDigests(stored(), null)).toEqual({ chainOk: true });
    const edited = stored().map((d) =>
      d.day === '2026-03-02' ? { ...d, bureau: { seq: 1, hash: 'h1' } } : d,
    );
    expect(verifyDigests(edited, null)).toMatchObject({ chainOk: false, firstBrokenDay: '2026-03-02' });
    // One Query on the BUREAU partition, newest first, projected, never the table.
    const reads = ddb
      .commandCalls(QueryCommand)
      .filter(
        (c) =>
          c.args[0].input.ExpressionAttributeValues?.[':pk'] === bureauPk &&
          c.args[0].input.ScanIndexForward === false,
      );
    expect(reads).toHaveLength(1);
    expect(reads[0]?.args[0].input).toMatchObject({
      ProjectionExpression: '#seq, #hash, #at',
      ConsistentRead: true,
    });
    expect(report.bureauReads).toBe(1);
  });

  it('reads back page after page past a busy morning, and a later run goes on from the newest digest', async () => {
    bureau = [{ seq: 1, hash: 'h1', at: '2026-03-02T08:00:00.000Z' }];
    for (let seq = 2; seq <= 60; seq += 1)
      bureau.push({ seq, hash: `h${seq}`, at: '2026-03-03T09:00:00.000Z' });
    const first = await writeDigests(store, new Date('2026-03-03T01:00:00Z'));
    expect(first.written).toEqual(['2026-03-01', '2026-03-02']);
    expect(stored()[0]).toMatchObject({ day: '2026-03-02', bureau: { seq: 1, hash: 'h1' } });
    expect(stored()[1]).not.toHaveProperty('bureau');
    expect(first.bureauReads).toBe(3);
    const second = await writeDigests(store, new Date('2026-03-04T01:00:00Z'));
    expect(second.written).toEqual(['2026-03-03']);
    expect(stored()[0]).toMatchObject({ day: '2026-03-03', bureau: { seq: 60, hash: 'h60' } });
    expect(second.bureauReads).toBe(1);
    // Older digests without a head and newer ones with it form one chain.
    expect(verifyDigests(stored(), null)).toEqual({ chainOk: true });
  });

  it('starts on the bureau stream’s first day when that is older than the first application', async () => {
    firstCreatedAt = undefined;
    bureau = [{ seq: 1, hash: 'h1', at: '2026-02-27T10:00:00.000Z' }];
    const report = await writeDigests(store, new Date('2026-03-01T00:30:00Z'));
    expect(report.written).toEqual(['2026-02-27', '2026-02-28']);
    expect(stored().map((d) => d.bureau)).toEqual([
      { seq: 1, hash: 'h1' },
      { seq: 1, hash: 'h1' },
    ]);
  });
});
