// @ts-nocheck
import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandInput, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Category } from '../../../../shared/domain/types.ts';
import { ServiceUnavailableError } from '../../../../shared/store/errors.ts';
import { appKey } from '../../../../shared/store/keys.ts';
import type { ReadCost } from '../../../../shared/store/ports.ts';
import { BATCH_SIZE, MAX_BATCH_ATTEMPTS, statsStore } from '../../../../shared/store/stats-store.ts';

const TABLE = 'test-eia-main';
const ddb = mockClient(DynamoDBDocumentClient);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' }));
const store = statsStore(doc, TABLE);

const idOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const cycle: Category[] = ['REPORT', 'REPORT_FORM', 'REGISTRATION'];

/** The stored applications' categories: every third id is missing, one holds a value that is no category. */
let stored: Map<string, unknown>;
/** How many keys of each call DynamoDB leaves unprocessed (from the end of the batch); 0 when absent. */
let unprocessed: number[];

const zero = (): ReadCost => ({ calls: 0, itemsRead: 0, readUnits: 0 });
const calls = () => ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.[TABLE]);
const keysAsked = () => calls().flatMap((r) => (r?.Keys ?? []).map((k) => String(k.pk)));

beforeEach(() => {
  ddb.reset();
  unprocessed = [];
  stored = new Map();
  for (let n = 0; n < 260; n++) if (n % 3 !== 2) stored.set(idOf(n), cycle[n % cycle.length]);
  stored.set(idOf(1), 'NOT_A_CATEGORY');
  let call = 0;
  ddb.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => {
    const keys = input.RequestItems?.[TABLE]?.Keys ?? [];
    const left = unprocessed[call++] ?? 0;
    const served = keys.slice(0, keys.length - left);
    const items = served.flatMap((key) => {
      const category = stored.get(String(key.pk).replace(/^APP#/, ''));
      return category === undefined ? [] : [{ pk: key.pk, category }];
    });
    return {
      Responses: { [TABLE]: items },
      ...(left > 0 ? { UnprocessedKeys: { [TABLE]: { Keys: keys.slice(keys.length - left) } } } : {}),
      ConsumedCapacity: [{ TableName: TABLE, CapacityUnits: 0.5 * served.length }],
    };
  });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** What one GetItem per application answered before: the category when there is a valid one. */
function expected(ids: Iterable<string>): Map<string, Category> {
  const map = new Map<string, Category>();
  for (const id of ids) {
    const category = stored.get(id);
    if (cycle.includes(category as Category)) map.set(id, category as Category);
  }
  return map;
}

describe('statsStore.categoriesOf', () => {
  it('asks for each application once, at most 100 keys a BatchGetItem', async () => {
    const ids = Array.from({ length: 250 }, (_, n) => idOf(n));
    const cost = zero();
    const found = await store.categoriesOf([...ids, ...ids.slice(0, 40)], cost);

    expect(
      calls()
        .map((r) => r?.Keys?.length)
        .sort((a, b) => (b ?? 0) - (a ?? 0)),
    ).toEqual([100, 100, 50]);
    for (const r of calls()) expect(r?.Keys?.length).toBeLessThanOrEqual(BATCH_SIZE);
    expect(keysAsked().sort()).toEqual(ids.map((id) => appKey(id).pk).sort());
    expect(calls()[0]?.ProjectionExpression).toBe('#pk, #category');
    expect(found).toEqual(expected(ids));
    expect(cost).toEqual({ calls: 3, itemsRead: ids.filter((id) => stored.has(id)).length, readUnits: 125 });
  });

  it('reads nothing for no applications', async () => {
    expect(await store.categoriesOf([], zero())).toEqual(new Map());
    expect(calls()).toHaveLength(0);
  });

  it('asks again for the keys DynamoDB left unprocessed, and only for those', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const ids = Array.from({ length: 60 }, (_, n) => idOf(n));
    unprocessed = [25, 10];
    const cost = zero();
    const found = await store.categoriesOf(ids, cost);

    const asked = calls().map((r) => (r?.Keys ?? []).map((k) => String(k.pk)));
    const all = ids.map((id) => appKey(id).pk);
    expect(asked).toEqual([all, all.slice(35), all.slice(50)]);
    expect(found).toEqual(expected(ids));
    expect(cost.calls).toBe(3);
    expect(cost.readUnits).toBe(30);
  });

  it('waits before asking again, longer each time (full-jitter backoff)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    unprocessed = [5, 5];
    const done = store.categoriesOf(
      Array.from({ length: 10 }, (_, n) => idOf(n)),
      zero(),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(calls()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(45);
    expect(calls()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(calls()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(90);
    expect(calls()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(20);
    expect(calls()).toHaveLength(3);
    expect((await done).size).toBeGreaterThan(0);
  });

  it(`answers 503 when keys are still unprocessed after ${MAX_BATCH_ATTEMPTS} calls`, async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    unprocessed = Array(MAX_BATCH_ATTEMPTS + 1).fill(1);
    const failed = store.categoriesOf([idOf(0), idOf(1)], zero());
    await expect(failed).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(calls()).toHaveLength(MAX_BATCH_ATTEMPTS);
  });

  it("maps DynamoDB's failures like every other read (send()): throttled → 503", async () => {
    ddb
      .on(BatchGetCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    await expect(store.categoriesOf([idOf(0)], zero())).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});
