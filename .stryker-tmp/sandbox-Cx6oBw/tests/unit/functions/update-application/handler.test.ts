// @ts-nocheck
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashEvent } from '../../../../shared/domain/audit-chain.ts';
import { appKey } from '../../../../shared/store/keys.ts';
import { apiEvent, invoke, type Response, type User } from '../../../support/api-events.ts';
import {
  APP_ID,
  clerk,
  commandCounts,
  type Handler,
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
  handler = await loadHandler('update-application');
});
beforeEach(() => {
  ddb.reset();
});

function storeHolds(stored: Stored) {
  ddb.on(GetCommand, { TableName: TABLE, Key: appKey(stored.app.id) }).resolves({ Item: stored.item });
  ddb.on(TransactWriteCommand).resolves({});
}

function patch(
  body: unknown,
  { user = owner, headers = {} }: { user?: User; headers?: Record<string, string> } = {},
) {
  return invoke(
    handler,
    apiEvent({
      method: 'PATCH',
      route: '/applications/{id}',
      pathParameters: { id: APP_ID },
      body,
      headers,
      user,
    }),
  );
}

function expectProblem(res: Response, status: number) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
}

describe('PATCH /applications/{id}', () => {
  it('lets the owner edit a DRAFT: 200, ETag "2", one read and one transaction chained to the head', async () => {
    const stored = storedApplication('DRAFT');
    storeHolds(stored);

    const res = await patch(
      { project: { name: '醴陵市陶瓷产业园废水处理站（二期）' } },
      { headers: { 'If-Match': '"1"' } },
    );

    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({
      state: 'DRAFT',
      version: 2,
      project: { ...stored.app.project, name: '醴陵市陶瓷产业园废水处理站（二期）' },
    });
    expect(commandCounts(ddb)).toEqual({ GetCommand: 1, TransactWriteCommand: 1 });

    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(2);
    expect(items[0]?.Put).toMatchObject({
      ConditionExpression: '#version = :expected',
      ExpressionAttributeValues: { ':expected': 1 },
      Item: { version: 2 },
    });
    const { pk: _pk, sk: _sk, hash, ...item } = (items[1]?.Put?.Item ?? {}) as Record<string, unknown>;
    // The audit index attributes are keys, not part of the hashed event.
    const event = Object.fromEntries(Object.entries(item).filter(([name]) => !/^gsi\d(pk|sk)$/.test(name)));
    expect(event).toMatchObject({
      seq: 2,
      action: 'edit',
      from: 'DRAFT',
      to: 'DRAFT',
      prevHash: stored.headHash,
    });
    expect(hashEvent(event as Parameters<typeof hashEvent>[0])).toBe(hash);
  });

  it('refuses an edit in SUBMITTED with 409, writing nothing', async () => {
    storeHolds(storedApplication('SUBMITTED'));

    const res = await patch({ project: { name: 'too late' } });

    expectProblem(res, 409);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 404 to another applicant, writing nothing', async () => {
    storeHolds(storedApplication('DRAFT'));

    const res = await patch({ project: { name: 'mine now' } }, { user: otherApplicant });

    expectProblem(res, 404);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 403 to an official, who can see but not edit it', async () => {
    storeHolds(storedApplication('DRAFT'));

    const res = await patch({ project: { name: 'edited by the window' } }, { user: clerk });

    expectProblem(res, 403);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 412 to a stale If-Match, writing nothing', async () => {
    storeHolds(storedApplication('DRAFT'));

    const res = await patch({ project: { name: 'stale' } }, { headers: { 'If-Match': '"0"' } });

    expectProblem(res, 412);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('refuses an unknown nested field with 400 naming it, writing nothing', async () => {
    storeHolds(storedApplication('DRAFT'));

    const res = await patch({ project: { color: 'blue' } });

    expectProblem(res, 400);
    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'project.color' })]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
