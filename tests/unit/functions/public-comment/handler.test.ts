/**
 * POST /public/notices/{noticeId}/comments with an Idempotency-Key (a random value the form makes
 * once): written with the comment in its one transaction, scoped to the notice; a retry with the
 * same key and body gets the first 202 again and writes nothing; the same key with another body is
 * 422; a lost race for the key answers the winner's 202 (or 409 while it is being written); without
 * a key nothing of the idempotency table is touched.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactGetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Notice } from '../../../../shared/domain/types.ts';
import { appKey, noticeIdOf, noticeKey } from '../../../../shared/store/keys.ts';
import { apiEvent, invoke, type Response } from '../../../support/api-events.ts';
import {
  APP_ID,
  commandCounts,
  type Handler,
  IDEMPOTENCY_TABLE,
  loadHandler,
  storedApplication,
  TABLE,
  useHandlerEnvironment,
} from '../fixtures.ts';

const ddb = useHandlerEnvironment();
let handler: Handler;

beforeAll(async () => {
  handler = await loadHandler('public-comment');
});

const stored = storedApplication('SUBMITTED');
/** The acceptance notice, published the day before NOW (10 June 2025), taking comments until 06-20. */
const notice: Notice = {
  kind: 'ACCEPTANCE',
  applicationId: APP_ID,
  publishedAt: '2025-06-09T02:00:00.000Z',
  publishedOn: '2025-06-09',
  endsOn: '2025-06-20',
  category: stored.app.category,
  projectName: stored.app.project.name,
  location: stored.app.project.location,
  industry: stored.app.project.industry,
  orgName: stored.app.applicant.orgName,
};
const noticeId = noticeIdOf(notice);
const scope = (key: string) => `IDEM#public#${noticeId}#${key}`;

/** The notice, the application (alone or with no idempotency record), the counter, the write. */
function storeAsItIs() {
  ddb.on(UpdateCommand).resolves({});
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { TableName: TABLE, Key: noticeKey(notice) }).resolves({
    Item: { ...notice, ...noticeKey(notice) },
  });
  ddb.on(GetCommand, { TableName: TABLE, Key: appKey(APP_ID) }).resolves({ Item: stored.item });
  ddb.on(TransactGetCommand).resolves({ Responses: [{ Item: stored.item }, {}] });
  ddb.on(TransactWriteCommand).resolves({});
}

beforeEach(() => {
  ddb.reset();
  storeAsItIs();
});

function comment(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return invoke(
    handler,
    apiEvent({
      method: 'POST',
      route: '/public/notices/{noticeId}/comments',
      pathParameters: { noticeId },
      body,
      headers,
    }),
  );
}

const writes = () => ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems ?? []);
const idempotencyPuts = () =>
  writes()
    .flat()
    .filter((i) => i.Put?.TableName === IDEMPOTENCY_TABLE);

/** The record the first request wrote, for the retry to find. */
async function firstWith(key: string, body: unknown) {
  const first = await comment(body, { 'Idempotency-Key': key });
  expect(first.statusCode, first.raw).toBe(202);
  const record = idempotencyPuts()[0]?.Put?.Item;
  expect(record).toBeDefined();
  return { first, record: record as Record<string, unknown> };
}

describe('POST /public/notices/{noticeId}/comments with an Idempotency-Key', () => {
  it('writes the key scoped to the notice with the comment, its event and the notice, in one transaction', async () => {
    const { first, record } = await firstWith('form-7f3a', { text: '担心粉尘影响', name: '王五' });

    expect(writes()).toHaveLength(1);
    const items = writes()[0] ?? [];
    expect(items.map((i) => i.Put?.TableName)).toEqual([TABLE, TABLE, TABLE, TABLE, IDEMPOTENCY_TABLE]);
    expect(items[1]?.Put?.Item).toMatchObject({ action: 'receive_comment', applicationId: APP_ID });
    expect(record).toMatchObject({
      pk: scope('form-7f3a'),
      statusCode: 202,
      body: first.raw,
      requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // The application was read with the key's record, in one transactional read.
    expect(ddb.commandCalls(TransactGetCommand)[0]?.args[0].input.TransactItems?.[1]?.Get).toEqual({
      TableName: IDEMPOTENCY_TABLE,
      Key: { pk: scope('form-7f3a') },
    });
  });

  it('replays the first 202 for a retry with the same key and body, counted but writing nothing', async () => {
    const body = { text: '担心粉尘影响', name: '王五' };
    const { first, record } = await firstWith('form-retry', body);

    ddb.reset();
    ddb.on(UpdateCommand).resolves({});
    ddb.on(GetCommand, { TableName: IDEMPOTENCY_TABLE }).resolves({ Item: record });
    const again = await comment(body, { 'Idempotency-Key': 'form-retry' });

    expect(again.statusCode).toBe(202);
    expect(again.raw).toBe(first.raw);
    expect(again.body.commentId).toBe(first.body.commentId);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // The address's counter first, then the record: the notice is not even read.
    expect(commandCounts(ddb)).toEqual({ UpdateCommand: 1, GetCommand: 1 });
  });

  it('refuses the same key with another body: 422 idempotency-key-reused, nothing written', async () => {
    const { record } = await firstWith('form-reused', { text: '第一条意见' });

    ddb.reset();
    ddb.on(UpdateCommand).resolves({});
    ddb.on(GetCommand, { TableName: IDEMPOTENCY_TABLE }).resolves({ Item: record });
    const other = await comment({ text: '另一条意见' }, { 'Idempotency-Key': 'form-reused' });

    expect(other.statusCode).toBe(422);
    expect(other.body.type).toMatch(/\/idempotency-key-reused$/);
    expect(other.body.issues?.map((i: { path: string }) => i.path)).toEqual(['header.Idempotency-Key']);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers the winner’s 202 when a request with the same key won the write meanwhile', async () => {
    const body = { text: '同时发出的意见' };
    const { first, record } = await firstWith('form-race', body);

    ddb.reset();
    storeAsItIs();
    // The record is not there when read first; the transaction then fails its condition.
    ddb.on(GetCommand, { TableName: IDEMPOTENCY_TABLE }).resolvesOnce({}).resolves({ Item: record });
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: [
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed' },
        ],
      }),
    );
    const loser = await comment(body, { 'Idempotency-Key': 'form-race' });

    expect(loser.statusCode).toBe(202);
    expect(loser.raw).toBe(first.raw);
    expect(loser.headers['idempotent-replayed']).toBe('true');
  });

  it('answers 409 in-flight while the request with the same key is still being written', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: [
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'TransactionConflict' },
        ],
      }),
    );
    const res = await comment({ text: '意见' }, { 'Idempotency-Key': 'form-busy' });

    expect(res.statusCode).toBe(409);
    expect(res.body.type).toMatch(/\/in-flight$/);
  });

  it('stores two comments for two keys (two forms), each with its own record', async () => {
    await comment({ text: '意见' }, { 'Idempotency-Key': 'form-a' });
    await comment({ text: '意见' }, { 'Idempotency-Key': 'form-b' });
    expect(idempotencyPuts().map((i) => i.Put?.Item?.pk)).toEqual([scope('form-a'), scope('form-b')]);
  });

  it.each([
    ['a space', 'form 1'],
    ['129 characters', 'k'.repeat(129)],
    ['an empty value', ''],
  ])('refuses a key with %s: 400 naming the header, nothing written', async (_, key) => {
    const res = await comment({ text: '意见' }, { 'Idempotency-Key': key });
    expect(res.statusCode).toBe(400);
    expect(res.body.issues?.map((i: { path: string }) => i.path)).toEqual(['header.Idempotency-Key']);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe('POST /public/notices/{noticeId}/comments without an Idempotency-Key', () => {
  it('stores the comment as before and touches nothing of the idempotency table', async () => {
    const res = await comment({ text: '没有键的意见' });

    expect(res.statusCode, res.raw).toBe(202);
    expect(writes()).toHaveLength(1);
    expect(idempotencyPuts()).toEqual([]);
    expect(ddb.commandCalls(TransactGetCommand)).toHaveLength(0);
    expect(ddb.commandCalls(GetCommand).map((c) => c.args[0].input.TableName)).not.toContain(
      IDEMPOTENCY_TABLE,
    );
  });

  it('stores a retry again: each request without a key is a new comment', async () => {
    await comment({ text: '重复的意见' });
    await comment({ text: '重复的意见' });
    const ids = writes().map(
      (items) => items.find((i) => i.Put?.Item?.text !== undefined)?.Put?.Item?.commentId,
    );
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });
});
