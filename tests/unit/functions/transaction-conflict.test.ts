/**
 * Transaction conflicts, which only real DynamoDB reports: a transaction touching an item that
 * another transaction is writing at that moment is cancelled with reason TransactionConflict
 * (DynamoDB Local serialises transactions, so tests/integration/concurrency.test.ts and
 * retries.test.ts never meet one). With aws-sdk-client-mock, through the real handlers:
 * - a conflict on the application runs the act once more (no If-Match), and when that loses too
 *   it is a 409 "concurrent-change" problem+json, never a 500, and nothing else is written;
 * - a conflict on the idempotency record means a request with the same key is in flight: 409
 *   "in-flight", or, once that request has written its response, that response again.
 */
import { TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  TransactGetCommand,
  type TransactGetCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { appKey, idempotencyKey } from '../../../shared/store/keys.ts';
import { apiEvent, invoke, type Response, type User } from '../../support/api-events.ts';
import {
  APP_ID,
  clerk,
  commandCounts,
  createBody,
  type Handler,
  IDEMPOTENCY_TABLE,
  loadHandler,
  owner,
  type Stored,
  storedApplication,
  TABLE,
  useHandlerEnvironment,
} from './fixtures.ts';

const ddb = useHandlerEnvironment();
let takeAction: Handler;
let createApplication: Handler;
let updateApplication: Handler;

beforeAll(async () => {
  takeAction = await loadHandler('take-action');
  createApplication = await loadHandler('create-application');
  updateApplication = await loadHandler('update-application');
});
beforeEach(() => {
  ddb.reset();
});

const KEY = 'accept-2f9c';
const scope = (user: User, key: string) => `${user.sub}#${key}`;

function act(action: string, headers: Record<string, string>, body: unknown = {}) {
  return invoke(
    takeAction,
    apiEvent({
      method: 'POST',
      route: '/applications/{id}/actions/{action}',
      pathParameters: { id: APP_ID, action },
      body,
      headers,
      user: clerk,
    }),
  );
}
const accept = (headers: Record<string, string> = {}) => act('accept', headers);

function cancelled(codes: readonly string[]) {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

/** A cancellation of this transaction: `code` on each item that `where` picks, None elsewhere. */
function conflictOn(
  input: TransactWriteCommandInput,
  where: (table: string | undefined, i: number) => boolean,
) {
  return cancelled(
    (input.TransactItems ?? []).map((item, i) =>
      where(item.Put?.TableName, i) ? 'TransactionConflict' : 'None',
    ),
  );
}
const onApplication = (_: string | undefined, i: number) => i === 0;
const onRecord = (table: string | undefined) => table === IDEMPOTENCY_TABLE;
const onBoth = (table: string | undefined, i: number) => i === 0 || table === IDEMPOTENCY_TABLE;

function expectProblem(res: Response, status: number, type: RegExp) {
  expect(res.statusCode, res.raw).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  expect(res.body.type).toMatch(type);
}

/** The application is read by GetItem (no key) or TransactGetItems (with a key, no record yet). */
function storeHolds(stored: Stored) {
  ddb.on(GetCommand, { TableName: TABLE, Key: appKey(stored.app.id) }).resolves({ Item: stored.item });
  ddb.on(TransactGetCommand).resolves({ Responses: [{ Item: stored.item }, {}] });
}

/** What a request wrote as its idempotency record, from the transaction it sent. */
function recordIn(input: TransactWriteCommandInput | undefined) {
  return input?.TransactItems?.find((i) => i.Put?.TableName === IDEMPOTENCY_TABLE)?.Put?.Item;
}

describe('a TransactionConflict on the application (another change in progress)', () => {
  it('answers 409 concurrent-change after a second run lost too, with nothing else written', async () => {
    storeHolds(storedApplication('SUBMITTED'));
    ddb.on(TransactWriteCommand).callsFake((input) => {
      throw conflictOn(input, onApplication);
    });

    const res = await accept();

    expectProblem(res, 409, /\/concurrent-change$/);
    // The application and the acceptance notice's number counter, then both again for the second run.
    expect(commandCounts(ddb)).toEqual({ GetCommand: 4, TransactWriteCommand: 2 });
  });

  it('is a 409, not a 412, when If-Match named the version read: that version may still be current', async () => {
    const stored = storedApplication('SUBMITTED');
    storeHolds(stored);
    ddb.on(TransactWriteCommand).callsFake((input) => {
      throw conflictOn(input, onApplication);
    });

    const res = await accept({ 'if-match': `"${stored.app.version}"` });

    expectProblem(res, 409, /\/concurrent-change$/);
  });

  it('answers 409 for the TransactionConflictException the SDK raises outside a transaction', async () => {
    storeHolds(storedApplication('SUBMITTED'));
    ddb
      .on(TransactWriteCommand)
      .rejects(
        new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata: {} }),
      );

    expectProblem(await accept(), 409, /\/concurrent-change$/);
  });

  it('with an Idempotency-Key whose record is not in conflict: run again, then 409 concurrent-change, no record read', async () => {
    storeHolds(storedApplication('SUBMITTED'));
    ddb.on(TransactWriteCommand).callsFake((input) => {
      throw conflictOn(input, onApplication);
    });

    const res = await accept({ 'idempotency-key': KEY });

    expectProblem(res, 409, /\/concurrent-change$/);
    // And the number's counter (a GetItem), never the record alone; twice (the second run).
    expect(commandCounts(ddb)).toEqual({ TransactGetCommand: 2, GetCommand: 2, TransactWriteCommand: 2 });
  });

  it('PATCH: applied once more, then 409 concurrent-change', async () => {
    const stored = storedApplication('DRAFT');
    storeHolds(stored);
    ddb.on(TransactWriteCommand).callsFake((input) => {
      throw conflictOn(input, onApplication);
    });

    const res = await invoke(
      updateApplication,
      apiEvent({
        method: 'PATCH',
        route: '/applications/{id}',
        pathParameters: { id: APP_ID },
        body: { project: { ...createBody().project, name: '醴陵市陶瓷产业园废水处理站（二期）' } },
        user: owner,
      }),
    );

    expectProblem(res, 409, /\/concurrent-change$/);
    expect(commandCounts(ddb)).toEqual({ GetCommand: 2, TransactWriteCommand: 2 });
  });

  it('a keyed read (TransactGetItems) in conflict on the application: read again, then 409 concurrent-change, nothing written', async () => {
    ddb.on(TransactGetCommand).rejects(cancelled(['TransactionConflict', 'None']));

    const res = await accept({ 'idempotency-key': KEY });

    expectProblem(res, 409, /\/concurrent-change$/);
    expect(commandCounts(ddb)).toEqual({ TransactGetCommand: 2 });
  });
});

describe('a TransactionConflict on the idempotency record (the same key, in flight)', () => {
  it.each([
    ['on the record only', onRecord],
    ['on the application and the record', onBoth],
  ])('%s, its response not written yet: 409 in-flight after one read of the record', async (_, where) => {
    storeHolds(storedApplication('SUBMITTED'));
    ddb.on(TransactWriteCommand).callsFake((input) => {
      throw conflictOn(input, where);
    });
    ddb.on(GetCommand, { TableName: IDEMPOTENCY_TABLE }).resolves({});

    const res = await accept({ 'idempotency-key': KEY });

    expectProblem(res, 409, /\/in-flight$/);
    expect(res.body.detail).toMatch(/Idempotency-Key/);
    // The number's counter, then the record.
    expect(commandCounts(ddb)).toEqual({ TransactGetCommand: 1, TransactWriteCommand: 1, GetCommand: 2 });
    expect(ddb.commandCalls(GetCommand)[1]?.args[0].input).toEqual({
      TableName: IDEMPOTENCY_TABLE,
      Key: idempotencyKey(scope(clerk, KEY)),
      ConsistentRead: true,
    });
  });

  it('a keyed read (TransactGetItems) in conflict on the record: 409 in-flight, nothing written', async () => {
    ddb.on(TransactGetCommand).callsFake((input: TransactGetCommandInput) => {
      throw cancelled(
        (input.TransactItems ?? []).map((i) =>
          i.Get?.TableName === IDEMPOTENCY_TABLE ? 'TransactionConflict' : 'None',
        ),
      );
    });

    const res = await accept({ 'idempotency-key': KEY });

    expectProblem(res, 409, /\/in-flight$/);
    expect(commandCounts(ddb)).toEqual({ TransactGetCommand: 1 });
  });

  it('POST /applications: 409 in-flight', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).callsFake((input) => {
      throw conflictOn(input, onRecord);
    });

    const res = await invoke(
      createApplication,
      apiEvent({
        method: 'POST',
        route: '/applications',
        body: createBody(),
        headers: { 'idempotency-key': 'create-77' },
        user: owner,
      }),
    );

    expectProblem(res, 409, /\/in-flight$/);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('the first request finishes meanwhile: its response, marked replayed; another body: 422', async () => {
    const stored = storedApplication('SUBMITTED');
    const decline = (reason: string) => act('decline', { 'idempotency-key': KEY }, { reason });
    storeHolds(stored);
    // The first request's transaction succeeds; its record is what the second then reads.
    ddb.on(TransactWriteCommand).resolvesOnce({});
    const first = await decline('不属于本局审批权限');
    expect(first.statusCode).toBe(200);
    const record = recordIn(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input);
    expect(record).toBeDefined();

    ddb.reset();
    storeHolds(stored);
    ddb.on(TransactWriteCommand).callsFake((input) => {
      throw conflictOn(input, onBoth);
    });
    ddb.on(GetCommand, { TableName: IDEMPOTENCY_TABLE }).resolves({ Item: record });

    const second = await decline('不属于本局审批权限');
    expect(second.statusCode).toBe(200);
    expect(second.raw).toBe(first.raw);
    expect(second.headers['idempotent-replayed']).toBe('true');

    const otherBody = await decline('项目不在醴陵市');
    expectProblem(otherBody, 422, /\/idempotency-key-reused$/);
    expect(otherBody.body.issues).toEqual([expect.objectContaining({ path: 'header.Idempotency-Key' })]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });
});

describe('a duplicate overlapping the first request, step by step', () => {
  it('gets 409 in-flight while the first is being written, and the first response when retried', async () => {
    const stored = storedApplication('SUBMITTED');
    let written: Record<string, unknown> | undefined;
    let finishFirst: () => void = () => {};
    let writes = 0;

    ddb.on(GetCommand, { TableName: TABLE, Key: appKey(APP_ID) }).resolves({ Item: stored.item });
    ddb.on(GetCommand, { TableName: IDEMPOTENCY_TABLE }).callsFake(() => ({ Item: written }));
    ddb.on(TransactGetCommand).callsFake(() => ({ Responses: [{ Item: stored.item }, { Item: written }] }));
    ddb.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
      writes += 1;
      if (writes === 1) {
        // The first request's transaction: held open until the test lets it finish.
        return new Promise((resolve) => {
          finishFirst = () => {
            written = recordIn(input);
            resolve({});
          };
        });
      }
      // Any other transaction meanwhile finds the first one on the same items.
      throw conflictOn(input, written ? onApplication : onBoth);
    });

    const first = accept({ 'idempotency-key': KEY });
    await vi.waitFor(() => expect(writes).toBe(1));

    const duplicate = await accept({ 'idempotency-key': KEY });
    expectProblem(duplicate, 409, /\/in-flight$/);
    expect(duplicate.headers['retry-after']).toBeUndefined();

    finishFirst();
    const firstRes = await first;
    expect(firstRes.statusCode).toBe(200);
    expect(written).toMatchObject({ statusCode: 200, body: firstRes.raw });

    const retried = await accept({ 'idempotency-key': KEY });
    expect(retried.statusCode).toBe(200);
    expect(retried.raw).toBe(firstRes.raw);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    // Two transactions were attempted (the first, the duplicate's); the retry wrote nothing.
    expect(writes).toBe(2);
  });
});
