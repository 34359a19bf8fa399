import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { send } from './errors.ts';
import { appPk, eventSkPrefix, withoutKeys } from './keys.ts';
import type { Key, Page } from './ports.ts';
import type { IndexDef } from './table.ts';

/** The Query of one application's events in stored order (strongly consistent). */
export function eventsQuery(table: string, id: string): QueryCommandInput {
  return {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': appPk(id), ':prefix': eventSkPrefix },
    ConsistentRead: true,
  };
}

/** The Query of one partition of an index; `names` adds attribute names (for a projection). */
export function indexPartition(
  table: string,
  index: IndexDef,
  pk: string,
  names: Record<string, string> = {},
): QueryCommandInput {
  return {
    TableName: table,
    IndexName: index.indexName,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': index.partitionKey.name, ...names },
    ExpressionAttributeValues: { ':pk': pk },
  };
}

/** Every page of a query from `startKey` on: the items as stored (keys kept) and the Query calls made. */
export async function queryAll(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  startKey?: Key,
): Promise<{ items: Record<string, unknown>[]; calls: number }> {
  const items: Record<string, unknown>[] = [];
  let calls = 0;
  let key = startKey;
  do {
    const out = await send(() =>
      doc.send(new QueryCommand({ ...input, ...(key ? { ExclusiveStartKey: key } : {}) })),
    );
    calls += 1;
    items.push(...(out.Items ?? []));
    key = out.LastEvaluatedKey;
  } while (key);
  return { items, calls };
}

/** One page of a partition of the table, newest first (notices, the audit access log). */
export async function newestFirst<T>(
  doc: DynamoDBDocumentClient,
  table: string,
  pk: string,
  limit: number,
  startKey?: Key,
): Promise<Page<T>> {
  const out = await send(() =>
    doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    ),
  );
  const items = (out.Items ?? []).map((item) => withoutKeys<T>(item));
  return out.LastEvaluatedKey ? { items, lastKey: out.LastEvaluatedKey } : { items };
}

/**
 * Puts an item that must not exist yet (ConflictError when it does). A transaction of one, because
 * every write of the service is a TransactWriteItems (the functions' IAM grants PutItem only inside one).
 */
export async function putNew(doc: DynamoDBDocumentClient, table: string, item: Key): Promise<void> {
  await send(() =>
    doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    ),
  );
}
