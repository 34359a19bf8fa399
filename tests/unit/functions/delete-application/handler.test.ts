import { GetCommand, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashEvent } from '../../../../shared/domain/audit-chain.ts';
import { appKey, idempotencyKey } from '../../../../shared/store/keys.ts';
import { apiEvent, invoke, type Response, type User } from '../../../support/api-events.ts';
import {
  APP_ID,
  clerk,
  commandCounts,
  type Handler,
  IDEMPOTENCY_TABLE,
  loadHandler,
  otherApplicant,
  owner,
  type Stored,
  storedApplication,
  TABLE,
  useHandlerEnvironment,
} from '../fixtures.ts';

const ddb = useHandlerEnvironment();
let handler: Handler;

beforeAll(async () => {
  handler = await loadHandler('delete-application');
});
beforeEach(() => {
  ddb.reset();
});

function storeHolds(stored: Stored) {
  ddb.on(GetCommand, { TableName: TABLE, Key: appKey(stored.app.id) }).resolves({ Item: stored.item });
  ddb.on(TransactWriteCommand).resolves({});
}

function remove({ user = owner, headers = {} }: { user?: User; headers?: Record<string, string> } = {}) {
  return invoke(
    handler,
    apiEvent({
      method: 'DELETE',
      route: '/applications/{id}',
      pathParameters: { id: APP_ID },
      headers,
      user,
    }),
  );
}

function expectProblem(res: Response, status: number, type?: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (type) expect(res.body.type).toMatch(new RegExp(`/${type}$`));
}

describe('DELETE /applications/{id}', () => {
  it('deletes the owner’s draft: 204, one transaction of the item off every index and its delete_draft event', async () => {
    const stored = storedApplication('DRAFT');
    storeHolds(stored);

    const res = await remove({ headers: { 'If-Match': '"1"' } });

    expect(res.statusCode).toBe(204);
    expect(res.body).toBeUndefined();
    expect(commandCounts(ddb)).toEqual({ GetCommand: 1, TransactWriteCommand: 1 });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(2);
    const app = items[0]?.Put?.Item as Record<string, unknown>;
    expect(items[0]?.Put).toMatchObject({
      ConditionExpression: '#version = :expected',
      ExpressionAttributeValues: { ':expected': 1 },
    });
    expect(app).toMatchObject({
      ...appKey(APP_ID),
      state: 'DRAFT',
      version: 2,
      deletedAt: expect.any(String),
    });
    // Off every list: no index attribute is left on the item.
    expect(Object.keys(app).filter((k) => /^gsi\d(pk|sk)$/.test(k))).toEqual([]);
    const { pk: _pk, sk: _sk, hash, ...item } = (items[1]?.Put?.Item ?? {}) as Record<string, unknown>;
    const event = Object.fromEntries(Object.entries(item).filter(([name]) => !/^gsi\d(pk|sk)$/.test(name)));
    expect(event).toMatchObject({
      seq: 2,
      action: 'delete_draft',
      from: 'DRAFT',
      to: 'DRAFT',
      prevHash: stored.headHash,
    });
    expect(hashEvent(event as Parameters<typeof hashEvent>[0])).toBe(hash);
    expect(app.headHash).toBe(hash);
  });

  it('with an Idempotency-Key: read with its record, written with it, and a replay answers the first 204', async () => {
    const stored = storedApplication('DRAFT');
    ddb.on(TransactGetCommand).resolves({ Responses: [{ Item: stored.item }, {}] });
    ddb.on(TransactWriteCommand).resolves({});

    const res = await remove({ headers: { 'Idempotency-Key': 'del-1' } });

    expect(res.statusCode).toBe(204);
    expect(ddb.commandCalls(TransactGetCommand)[0]?.args[0].input.TransactItems).toEqual([
      { Get: { TableName: TABLE, Key: appKey(APP_ID) } },
      { Get: { TableName: IDEMPOTENCY_TABLE, Key: idempotencyKey(`${owner.sub}#del-1`) } },
    ]);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(3);
    const record = items[2]?.Put?.Item as Record<string, unknown>;
    expect(record).toMatchObject({ statusCode: 204, body: '' });

    ddb.reset();
    ddb.on(TransactGetCommand).resolves({ Responses: [{ Item: stored.item }, { Item: record }] });
    const again = await remove({ headers: { 'Idempotency-Key': 'del-1' } });
    expect(again.statusCode).toBe(204);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('refuses a submitted application with 409 not-allowed-in-state, writing nothing', async () => {
    storeHolds(storedApplication('SUBMITTED'));
    expectProblem(await remove(), 409, 'not-allowed-in-state');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 404 to another applicant and 403 to an official, writing nothing', async () => {
    storeHolds(storedApplication('DRAFT'));
    expectProblem(await remove({ user: otherApplicant }), 404, 'not-found');
    expectProblem(await remove({ user: clerk }), 403, 'not-yours');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 412 to a stale If-Match, writing nothing', async () => {
    storeHolds(storedApplication('DRAFT'));
    expectProblem(await remove({ headers: { 'If-Match': '"0"' } }), 412, 'stale-version');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 404 once deleted, to the owner too', async () => {
    const stored = storedApplication('DRAFT');
    const { gsi1pk: _1, gsi2pk: _2, gsi3pk: _3, ...rest } = stored.item;
    storeHolds({ ...stored, item: { ...rest, deletedAt: '2025-06-10T01:00:00.000Z' } });
    expectProblem(await remove(), 404, 'not-found');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
