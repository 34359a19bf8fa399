/**
 * PUT /admin/calendar/{year} losing a race to another admin after its If-Match check (DynamoDB
 * mocked): the year's version condition fails in the transaction. As on the application routes,
 * that is 409 without If-Match, and 412 when If-Match named the version read.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiEvent, invoke, type User } from '../../../support/api-events.ts';
import { commandCounts, type Handler, loadHandler, useHandlerEnvironment } from '../fixtures.ts';

const ddb = useHandlerEnvironment();
const admin: User = { sub: 'admin-1', name: '李明', groups: ['admin'] };
let handler: Handler;

beforeAll(async () => {
  handler = await loadHandler('admin-calendar-year');
});
beforeEach(() => {
  ddb.reset();
  // 2026 never entered, the bureau stream empty: the request reads version 0.
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(GetCommand).resolves({});
  // Another admin's entry of 2026 was committed first: the record's condition (item 0) fails.
  ddb.on(TransactWriteCommand).rejects(
    new TransactionCanceledException({
      message: 'Transaction cancelled [ConditionalCheckFailed, None, None]',
      $metadata: { httpStatusCode: 400 },
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }],
    }),
  );
});

const put = (headers: Record<string, string> = {}) =>
  invoke(
    handler,
    apiEvent({
      method: 'PUT',
      route: '/admin/calendar/{year}',
      pathParameters: { year: '2026' },
      body: { holidays: ['2026-01-01'], workdays: [] },
      headers,
      user: admin,
    }),
  );

describe('PUT /admin/calendar/{year}: a lost race', () => {
  it('without If-Match is 409 concurrent-change, written once, not retried', async () => {
    const res = await put();
    expect(res.statusCode, res.raw).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toMatch(/\/concurrent-change$/);
    expect(res.body.detail).toContain('2026');
    expect(commandCounts(ddb).TransactWriteCommand).toBe(1);
  });

  it('with If-Match "*" is 409 too: it accepts any version', async () => {
    expect((await put({ 'if-match': '*' })).statusCode).toBe(409);
  });

  it('with the If-Match it read is 412 stale-version: the tag is stale now', async () => {
    const res = await put({ 'if-match': '"0"' });
    expect(res.statusCode, res.raw).toBe(412);
    expect(res.body.type).toMatch(/\/stale-version$/);
  });
});
