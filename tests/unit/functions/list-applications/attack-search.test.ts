/**
 * GET /applications?q= under attack, against a mocked DynamoDB: a search that finds nothing for
 * long reads a bounded number of index items in a work queue and an applicant's own list too (not
 * only in the find index), and its cursor moves on; what the find index says is checked again on
 * the item read (an index lags its table); whatever q holds, the answer is 200 or 400 naming q.
 */
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIND_READ_BUDGET } from '../../../../shared/store/application-store.ts';
import { apiEvent, invoke, type User } from '../../../support/api-events.ts';
import {
  APP_ID,
  clerk,
  type Handler,
  loadHandler,
  owner,
  storedApplication,
  TABLE,
  useHandlerEnvironment,
} from '../fixtures.ts';

const ddb = useHandlerEnvironment();
let listApplications: Handler;

beforeAll(async () => {
  listApplications = await loadHandler('list-applications');
});
beforeEach(() => {
  ddb.reset();
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
});

const search = (user: User, query: Record<string, string>) =>
  invoke(listApplications, apiEvent({ method: 'GET', route: '/applications', query, user }));
const queries = () => ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);

/**
 * Every partition holds endless items none of which matches: each Query says it evaluated its
 * Limit and that there is more. Refuses to answer past `calls` Queries (an unbounded read).
 */
function endlessMisses(calls = 400) {
  let n = 0;
  ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    n += 1;
    if (n > calls) throw new Error('read without end');
    const pk = String(input.ExpressionAttributeValues?.[':pk']);
    const index = String(input.IndexName).split('-')[0];
    const at = String(100000 - n).padStart(6, '0');
    return {
      Items: [],
      ScannedCount: input.Limit,
      LastEvaluatedKey: { pk: `APP#${at}`, sk: 'APP', [`${index}pk`]: pk, [`${index}sk`]: `2025-${at}` },
    };
  });
}

describe('a search that finds nothing for long reads a bounded number of items', () => {
  it.each([
    ['a work queue (queue=mine)', clerk, { queue: 'mine' }],
    ['an applicant’s own and organisation’s list', owner, {}],
  ] as const)('in %s, and gives a cursor that goes on from where it stopped', async (_, who, extra) => {
    endlessMisses();
    const res = await search(who, { q: '不存在', ...extra });
    expect(res.statusCode, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items).toEqual([]);
    expect(typeof res.body.cursor).toBe('string');
    const byPartition = new Map<string, number>();
    for (const q of queries()) {
      const pk = String(q.ExpressionAttributeValues?.[':pk']);
      byPartition.set(pk, (byPartition.get(pk) ?? 0) + (q.Limit ?? 0));
    }
    for (const read of byPartition.values()) expect(read).toBeLessThanOrEqual(FIND_READ_BUDGET);
    // The next page starts where this one stopped reading, not where it began.
    const firstCalls = queries().length;
    const next = await search(who, { q: '不存在', ...extra, cursor: res.body.cursor });
    expect(next.statusCode, JSON.stringify(next.body)).toBe(200);
    for (const q of queries().slice(firstCalls, firstCalls + byPartition.size))
      expect(q.ExclusiveStartKey, JSON.stringify(q)).toBeDefined();
  });
});

describe('a merge that stopped reading one partition takes nothing that may come after it', () => {
  it('an older walk-in waits until the own partition is read past it, then comes, once', async () => {
    const { item } = storedApplication('DRAFT', APP_ID);
    const walkIn = { ...item, gsi1sk: `2025-01-01T00:00:00.000Z#${APP_ID}` };
    // The own partition: four reads of 500 that find nothing, down to May; then its end.
    ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
      const pk = String(input.ExpressionAttributeValues?.[':pk']);
      if (pk.startsWith('ORG#')) return { Items: [walkIn], ScannedCount: 1 };
      const done = Number(String(input.ExclusiveStartKey?.gsi1sk ?? '2025-05-00').slice(-1));
      if (done >= 4) return { Items: [], ScannedCount: 0 };
      return {
        Items: [],
        ScannedCount: input.Limit,
        LastEvaluatedKey: { pk: 'APP#x', sk: 'APP', gsi1pk: pk, gsi1sk: `2025-05-0${done + 1}` },
      };
    });
    const first = await search(owner, { q: '陶瓷' });
    expect(first.statusCode, JSON.stringify(first.body)).toBe(200);
    expect(first.body.items).toEqual([]);
    expect(typeof first.body.cursor).toBe('string');
    const second = await search(owner, { q: '陶瓷', cursor: first.body.cursor });
    expect(second.statusCode, JSON.stringify(second.body)).toBe(200);
    expect(second.body.items.map((a: { id: string }) => a.id)).toEqual([APP_ID]);
    expect(second.body).not.toHaveProperty('cursor');
  });
});

describe('what the find index says is checked again on the item', () => {
  it('reads the found items strongly consistent and leaves out one whose state moved on', async () => {
    const { item } = storedApplication('SUBMITTED', APP_ID);
    // The index still says SUBMITTED; the item was accepted meanwhile.
    const indexed = {
      pk: item.pk,
      sk: item.sk,
      gsi9pk: 'FIND',
      gsi9sk: `2025-06-01#${APP_ID}`,
      findText: `陶瓷|${APP_ID}`,
      state: 'SUBMITTED',
      category: item.category,
    };
    ddb.on(QueryCommand).resolves({ Items: [indexed], ScannedCount: 1 });
    ddb.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => {
      expect(input.RequestItems?.[TABLE]?.ConsistentRead).toBe(true);
      return { Responses: { [TABLE]: [{ ...item, state: 'ACCEPTED' }] } };
    });
    const res = await search(clerk, { q: '陶瓷', state: 'SUBMITTED' });
    expect(res.statusCode).toBe(200);
    expect(res.body.items).toEqual([]);
    // Without state= it is found, as it is now.
    const all = await search(clerk, { q: '陶瓷' });
    expect(all.body.items.map((a: { state: string }) => a.state)).toEqual(['ACCEPTED']);
  });
});

describe('what the find index says of the words is checked again, and a throttled read is a 503', () => {
  const indexedAs = (item: Record<string, unknown>, findText: string) => ({
    pk: item.pk,
    sk: item.sk,
    gsi9pk: 'FIND',
    gsi9sk: `2025-06-01#${APP_ID}`,
    findText,
    state: item.state,
    category: item.category,
  });

  it('leaves out a case the index still finds by a name it no longer has', async () => {
    const { item } = storedApplication('SUBMITTED', APP_ID);
    // The index still holds an old project name; the item was renamed meanwhile.
    ddb.on(QueryCommand).resolves({ Items: [indexedAs(item, `旧名称化工厂|${APP_ID}`)], ScannedCount: 1 });
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [item] } });
    const res = await search(clerk, { q: '旧名称化工厂' });
    expect(res.statusCode).toBe(200);
    expect(res.body.items).toEqual([]);
  });

  it('answers 503 with Retry-After when DynamoDB leaves the found keys unprocessed', async () => {
    const { item } = storedApplication('SUBMITTED', APP_ID);
    ddb.on(QueryCommand).resolves({ Items: [indexedAs(item, `陶瓷|${APP_ID}`)], ScannedCount: 1 });
    ddb.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => ({
      Responses: { [TABLE]: [] },
      UnprocessedKeys: { [TABLE]: { Keys: input.RequestItems?.[TABLE]?.Keys ?? [] } },
    }));
    const res = await search(clerk, { q: '陶瓷' });
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['retry-after']).toBeDefined();
  }, 20_000);
});

describe('whatever q holds: 200, or 400 naming q, never a 500', () => {
  const cases: [string, string][] = [
    ['NUL', 'a\u0000b'],
    ['DEL', 'a\u007fb'],
    ['C1 control (NEL)', 'a\u0085b'],
    ['a lone surrogate', 'a\ud800b'],
    ['only a zero-width space', '\u200b'],
    ['only a byte-order mark', '\ufeff'],
    ['a right-to-left override', '\u202e陶瓷'],
    ['a noncharacter', '\uffff'],
    ['regex-ish', '.*(陶[瓷]+)?$\\'],
    ['expression-ish', ':find0) OR contains(#findText, :x'],
    ['percent and quotes', '%" \' `'],
    ['an expanding ligature', '\ufdfa'],
    ['many expanding ligatures', '\ufdfa'.repeat(100)],
    ['a long word of expanding squares', '\u3300'.repeat(100)],
    ['100 characters', '陶'.repeat(100)],
    ['10,000 characters', '陶'.repeat(10_000)],
    ['100 emoji (200 UTF-16 units)', '😀'.repeat(100)],
    ['combining marks only', '\u0301\u0301'],
    ['Turkish dotted I', 'İ'],
    ['ideographic spaces', '\u3000陶\u3000瓷\u3000'],
    ['six words after NFKC', '\ufdfa \ufdfb'],
  ];
  it.each(cases)('%s', async (_, q) => {
    const res = await search(clerk, { q });
    expect([200, 400], JSON.stringify(res.body)).toContain(res.statusCode);
    if (res.statusCode === 400) {
      expect(res.body.issues.map((i: { path: string }) => i.path)).toContain('q');
      expect(JSON.stringify(res.body)).not.toContain(q.slice(0, 20) || '\u0000');
    }
  });
});
