/**
 * GET and PUT /admin/config with DynamoDB mocked: who may, what is read and written, and a lost
 * race after the If-Match check (409 without If-Match, 412 with it). The integration test
 * (tests/integration/config.test.ts) runs them against DynamoDB Local.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../../shared/domain/config.ts';
import { apiEvent, invoke, type User } from '../../../support/api-events.ts';
import { clerk, commandCounts, type Handler, loadHandler, useHandlerEnvironment } from '../fixtures.ts';

const ddb = useHandlerEnvironment();
const admin: User = { sub: 'admin-1', name: '李明', groups: ['admin'] };
let get: Handler;
let put: Handler;

beforeAll(async () => {
  get = await loadHandler('admin-config');
  put = await loadHandler('admin-update-config');
});
beforeEach(() => {
  ddb.reset();
  // Nothing stored: the seed is version 1; the bureau stream is empty.
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(GetCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
});

const putConfig = (body: unknown, headers: Record<string, string> = {}, user = admin) =>
  invoke(put, apiEvent({ method: 'PUT', route: '/admin/config', body, headers, user }));

describe('GET /admin/config', () => {
  it('answers the seed as version 1 with its ETag, read from the versions partition', async () => {
    const res = await invoke(get, apiEvent({ method: 'GET', route: '/admin/config', user: admin }));
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({ configVersion: 1, config: defaultConfig });
    const query = ddb.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query?.ExpressionAttributeValues).toMatchObject({ ':pk': 'BUREAU#config' });
  });

  it('refuses a clerk with 403 before any read', async () => {
    const res = await invoke(get, apiEvent({ method: 'GET', route: '/admin/config', user: clerk }));
    expect(res.statusCode).toBe(403);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('PUT /admin/config', () => {
  it('writes version 2 once, conditioned on its not existing, with its set_config event', async () => {
    const res = await putConfig({ ...defaultConfig, hearingRequestDays: 7 }, { 'if-match': '"1"' });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({
      configVersion: 2,
      event: { action: 'set_config', subject: 'config/2' },
    });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Put).toMatchObject({
      Item: { pk: 'BUREAU#config', sk: 'v0002', body: { hearingRequestDays: 7 } },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('refuses a bad configuration before any read or write: 422 naming the field', async () => {
    const limits = {
      ...defaultConfig.limits,
      REPORT_FORM: { ...defaultConfig.limits.REPORT_FORM, limitDays: 5 },
    };
    const res = await putConfig({ ...defaultConfig, limits });
    expect(res.statusCode, res.raw).toBe(422);
    expect(res.body.issues).toEqual([
      {
        path: 'limits.REPORT_FORM.commitmentDays',
        message: expect.any(String),
        code: 'custom',
        params: expect.objectContaining({ rule: 'commitment-over-limit' }),
      },
    ]);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('refuses a stale If-Match with 412 and a malformed one with 400, writing nothing', async () => {
    expect((await putConfig(defaultConfig, { 'if-match': '"2"' })).statusCode).toBe(412);
    expect((await putConfig(defaultConfig, { 'if-match': 'v1' })).statusCode).toBe(400);
    expect(commandCounts(ddb).TransactWriteCommand ?? 0).toBe(0);
  });

  it('loses a race after its check: 409 without If-Match, 412 with it, written once each', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled [ConditionalCheckFailed, None, None]',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }],
      }),
    );
    const plain = await putConfig(defaultConfig);
    expect(plain.statusCode, plain.raw).toBe(409);
    expect(plain.body.type).toMatch(/\/concurrent-change$/);
    const tagged = await putConfig(defaultConfig, { 'if-match': '"1"' });
    expect(tagged.statusCode, tagged.raw).toBe(412);
    expect(commandCounts(ddb).TransactWriteCommand).toBe(2);
  });
});
