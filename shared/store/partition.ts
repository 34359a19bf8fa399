import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { send } from './errors.ts';
import { withoutKeys } from './keys.ts';

export type Key = Record<string, unknown>;
export interface Page<T> {
  items: T[];
  lastKey?: Key;
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
