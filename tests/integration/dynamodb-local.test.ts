import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createLocalClient,
  type DynamoDbLocal,
  type DynamoDbLocalExit,
  startDynamoDbLocal,
} from '../../local/dynamodb.ts';
import { ensureTables } from '../../local/tables.ts';
import { mainTable, tableName, tables } from '../../shared/store/table.ts';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';

function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'ESRCH';
  }
}

describe('DynamoDB Local with the tables of shared/store/table.ts', () => {
  const prefix = 'ddb-test-';
  let dynamo: DynamoDbLocal | undefined;
  let client: DynamoDBClient | undefined;
  const exits: DynamoDbLocalExit[] = [];

  beforeAll(async () => {
    dynamo = await startDynamoDbLocal();
    dynamo.onExit((exit) => exits.push(exit));
    client = createLocalClient(dynamo.endpoint);
    await ensureTables(client, prefix);
  });

  afterAll(async () => {
    client?.destroy();
    await dynamo?.stop();
  });

  const db = () => {
    if (!client) throw new Error('DynamoDB Local did not start');
    return client;
  };

  it.each(tables.map((def) => [def.id, def] as const))(
    'creates %s as the definition says',
    async (_id, def) => {
      const { Table: table } = await db().send(
        new DescribeTableCommand({ TableName: tableName(def, prefix) }),
      );
      expect(table?.TableStatus).toBe('ACTIVE');
      expect(table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      expect(table?.KeySchema).toEqual([
        { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
        ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' }] : []),
      ]);
      const gsis = (table?.GlobalSecondaryIndexes ?? []).map((i) => ({
        name: i.IndexName,
        keys: i.KeySchema,
        projection: i.Projection?.ProjectionType,
        include: [...(i.Projection?.NonKeyAttributes ?? [])].sort(),
      }));
      expect(gsis.sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual(
        def.globalSecondaryIndexes.map((i) => ({
          name: i.indexName,
          keys: [
            { AttributeName: i.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: i.sortKey.name, KeyType: 'RANGE' },
          ],
          projection: i.include ? 'INCLUDE' : 'ALL',
          include: [...(i.include ?? [])].sort(),
        })),
      );
      const types = Object.fromEntries(
        (table?.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]),
      );
      for (const key of [
        def.partitionKey,
        def.sortKey,
        ...def.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
      ]) {
        if (key) expect(types[key.name]).toBe(key.type);
      }
      const ttl = await db().send(new DescribeTimeToLiveCommand({ TableName: tableName(def, prefix) }));
      if (def.timeToLiveAttribute) {
        expect(ttl.TimeToLiveDescription).toMatchObject({
          TimeToLiveStatus: 'ENABLED',
          AttributeName: def.timeToLiveAttribute,
        });
      } else {
        expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
      }
    },
  );

  it('runs again without harm and keeps the data', async () => {
    const main = tableName(mainTable, prefix);
    await db().send(new PutItemCommand({ TableName: main, Item: { pk: { S: 'p' }, sk: { S: 's' } } }));
    await ensureTables(db(), prefix);
    const { Item } = await db().send(
      new GetItemCommand({ TableName: main, Key: { pk: { S: 'p' }, sk: { S: 's' } } }),
    );
    expect(Item).toBeDefined();
  });

  it('adds an index a table from an earlier run lacks, keeping its data, and says which', async () => {
    const older = { ...mainTable, globalSecondaryIndexes: mainTable.globalSecondaryIndexes.slice(0, -1) };
    const missing = mainTable.globalSecondaryIndexes.at(-1)?.indexName;
    await ensureTables(db(), 'older-', [older]);
    const main = tableName(mainTable, 'older-');
    await db().send(new PutItemCommand({ TableName: main, Item: { pk: { S: 'p' }, sk: { S: 's' } } }));
    expect(await ensureTables(db(), 'older-', [mainTable])).toEqual([missing]);
    const { Table: table } = await db().send(new DescribeTableCommand({ TableName: main }));
    expect(table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === missing)?.IndexStatus).toBe('ACTIVE');
    const { Item } = await db().send(
      new GetItemCommand({ TableName: main, Key: { pk: { S: 'p' }, sk: { S: 's' } } }),
    );
    expect(Item).toBeDefined();
    expect(await ensureTables(db(), 'older-', [mainTable])).toEqual([]);
  });

  it('stops by pid: the process is gone, and the exit is reported as expected', async () => {
    const running = dynamo;
    if (!running) throw new Error('DynamoDB Local did not start');
    expect(isGone(running.pid)).toBe(false);
    await running.stop();
    expect(isGone(running.pid)).toBe(true);
    expect(exits).toEqual([expect.objectContaining({ expected: true })]);
    await running.stop(); // again: nothing to do
  });
});

describe('DynamoDB Local with --data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eia-ddb-'));
  const started: DynamoDbLocal[] = [];

  afterAll(async () => {
    await Promise.all(started.map((d) => d.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the tables and items across a restart', async () => {
    const first = await startDynamoDbLocal({ dataDir: dir });
    started.push(first);
    const client = createLocalClient(first.endpoint);
    await ensureTables(client, 'persist-');
    const main = tableName(mainTable, 'persist-');
    await client.send(new PutItemCommand({ TableName: main, Item: { pk: { S: 'kept' }, sk: { S: 'x' } } }));
    client.destroy();
    await first.stop();

    const second = await startDynamoDbLocal({ dataDir: dir });
    started.push(second);
    const again = createLocalClient(second.endpoint);
    try {
      const { Item } = await again.send(
        new GetItemCommand({ TableName: main, Key: { pk: { S: 'kept' }, sk: { S: 'x' } } }),
      );
      expect(Item?.pk?.S).toBe('kept');
    } finally {
      again.destroy();
    }
    await second.stop();
    expect(isGone(second.pid)).toBe(true);
  });

  it('an unexpected exit is reported through onExit', async () => {
    const doomed = await startDynamoDbLocal();
    started.push(doomed);
    const exit = new Promise<DynamoDbLocalExit>((resolve) => doomed.onExit(resolve));
    process.kill(doomed.pid, 'SIGKILL');
    expect(await exit).toMatchObject({ expected: false, signal: 'SIGKILL' });
  });
});

describe('startLocalStack', () => {
  let stack: LocalStack | undefined;

  beforeAll(async () => {
    stack = await startLocalStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const s = () => {
    if (!stack) throw new Error('the stack did not start');
    return stack;
  };

  it('serves the real handlers against its own tables', async () => {
    // The run's shared DynamoDB Local when global-setup.ts is configured.
    const shared: string | undefined = inject('dynamodbEndpoint');
    if (shared) expect(s().dynamodbEndpoint).toBe(shared);
    const workflow = await s().request('GET', '/workflow');
    expect(workflow.status).toBe(200);
    const list = await s().request<{ items: unknown[] }>('GET', '/applications', { as: 'applicant' });
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([]);
    const client = createLocalClient(s().dynamodbEndpoint);
    try {
      const { TableNames } = await client.send(new ListTablesCommand({}));
      expect(TableNames).toEqual(expect.arrayContaining([s().tables.main, s().tables.idempotency]));
    } finally {
      client.destroy();
    }
  });

  it('answers 401 without a token, and moves the clock', async () => {
    expect((await s().request('GET', '/applications')).status).toBe(401);
    await s().setNow('2030-03-02T09:00:00+08:00');
    const clock = await s().request<{ now: string }>('GET', '/local/clock');
    expect(clock.json.now.startsWith('2030-03-02T01:00')).toBe(true);
  });
});
