/**
 * The find index's backfill (shared/store/find-backfill.ts, scripts/backfill-find.ts) against
 * DynamoDB Local: applications whose items lack the find attributes (written before the index
 * existed) are not found; after the backfill they are, the application itself unchanged (its trail
 * still verifies); a deleted draft stays out; a second run indexes nothing.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb.ts';
import { backfillFind } from '../../shared/store/find-backfill.ts';
import { appKey } from '../../shared/store/keys.ts';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';
import { beijing, draftBody } from './helpers/scenario.ts';

let stack: LocalStack;
let doc: DynamoDBDocumentClient;
const made: string[] = [];
let deleted = '';

beforeAll(async () => {
  stack = await startLocalStack();
  await stack.setNow(beijing('2026-03-02', '09:00'));
  doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.dynamodbEndpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    }),
  );
  for (const name of ['旧数据回填窑炉甲', '旧数据回填窑炉乙', '旧数据回填作废稿']) {
    const res = await stack.request<{ id: string }>('POST', '/applications', {
      as: 'applicant',
      body: draftBody('REPORT_FORM', name),
    });
    expect(res.status, res.text).toBe(201);
    made.push(res.json.id);
  }
  deleted = made.pop() ?? '';
  expect((await stack.request('DELETE', `/applications/${deleted}`, { as: 'applicant' })).status).toBe(204);
  // As an item written before the find index existed.
  for (const id of made) {
    await doc.send(
      new UpdateCommand({
        TableName: stack.tables.main,
        Key: appKey(id),
        UpdateExpression: 'REMOVE gsi9pk, gsi9sk, findText',
      }),
    );
  }
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const found = async (q: string) => {
  const res = await stack.request<{ items: { id: string }[] }>(
    'GET',
    `/applications?q=${encodeURIComponent(q)}`,
    {
      as: 'auditor',
    },
  );
  expect(res.status, res.text).toBe(200);
  return res.json.items.map((a) => a.id);
};

describe('the find backfill', () => {
  it('indexes the items written before the index, leaves the application and its trail as they were', async () => {
    expect(await found('旧数据回填')).toEqual([]);
    const before = await doc.send(
      new GetCommand({ TableName: stack.tables.main, Key: appKey(made[0] ?? '') }),
    );

    const dry = await backfillFind(doc, stack.tables.main, { dryRun: true });
    expect(dry.indexed).toBe(2);
    expect(await found('旧数据回填')).toEqual([]);

    const report = await backfillFind(doc, stack.tables.main);
    expect(report).toMatchObject({ indexed: 2, overtaken: 0 });
    expect(report.read).toBeGreaterThanOrEqual(2);
    expect(await found('旧数据回填')).toEqual([...made].reverse());
    expect(await found('回填窑炉甲')).toEqual([made[0]]);

    const after = await doc.send(
      new GetCommand({ TableName: stack.tables.main, Key: appKey(made[0] ?? '') }),
    );
    const { gsi9pk: _pk, gsi9sk: _sk, findText: _text, ...rest } = after.Item ?? {};
    expect(rest).toEqual(before.Item);
    const verify = await stack.request<{ ok: boolean }>('GET', `/audit/applications/${made[0]}/verify`, {
      as: 'auditor',
    });
    expect(verify.json.ok).toBe(true);
  });

  it('leaves a deleted draft out, and a second run indexes nothing', async () => {
    expect(await found('作废稿')).toEqual([]);
    const again = await backfillFind(doc, stack.tables.main);
    expect(again.indexed).toBe(0);
    const item = await doc.send(new GetCommand({ TableName: stack.tables.main, Key: appKey(deleted) }));
    expect(item.Item?.gsi9pk).toBeUndefined();
  });
});
