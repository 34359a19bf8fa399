import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Application } from '../domain/types.ts';
import { send } from './errors.ts';
import { allPk, appKey, findIndexKeys, indexes, withoutKeys } from './keys.ts';
import type { Key } from './ports.ts';

export interface BackfillReport {
  /** Application items read (every one in the list of all). */
  read: number;
  /** Items given their find index attributes (or, with `dryRun`, that would be). */
  indexed: number;
  /** Items a commit wrote between the read and the update: they carry the attributes already. */
  overtaken: number;
}

/**
 * Puts every application written before the find index existed into it (docs/http-api.md#finding-applications):
 * reads the list of all applications (`gsi3-all`, a Query, never a Scan) and gives each item
 * without `gsi9pk` its find attributes, on the condition that it is still the version read and
 * still lacks them (a commit in between writes them itself). The application itself is not
 * changed: only index attributes, which no trail holds. A deleted draft is in no list and stays out.
 * Safe to run again: an item indexed already is left alone.
 */
export async function backfillFind(
  doc: DynamoDBDocumentClient,
  table: string,
  opts: { dryRun?: boolean; log?: (line: string) => void } = {},
): Promise<BackfillReport> {
  const report: BackfillReport = { read: 0, indexed: 0, overtaken: 0 };
  const index = indexes.all;
  let startKey: Key | undefined;
  do {
    const out = await send(() =>
      doc.send(
        new QueryCommand({
          TableName: table,
          IndexName: index.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': index.partitionKey.name },
          ExpressionAttributeValues: { ':pk': allPk },
          Limit: 100,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      ),
    );
    for (const item of out.Items ?? []) {
      report.read++;
      if (item.gsi9pk !== undefined) continue;
      const app = withoutKeys<Application>(item);
      if (app.deletedAt !== undefined) continue;
      const keys = findIndexKeys(app);
      opts.log?.(`${opts.dryRun ? 'would index' : 'indexing'} ${app.id}`);
      if (opts.dryRun) {
        report.indexed++;
        continue;
      }
      try {
        await doc.send(
          new UpdateCommand({
            TableName: table,
            Key: appKey(app.id),
            UpdateExpression: 'SET gsi9pk = :pk, gsi9sk = :sk, findText = :text',
            ConditionExpression: '#version = :version AND attribute_not_exists(gsi9pk)',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: {
              ':pk': keys.gsi9pk,
              ':sk': keys.gsi9sk,
              ':text': keys.findText,
              ':version': app.version,
            },
          }),
        );
        report.indexed++;
      } catch (error) {
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
        report.overtaken++;
      }
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return report;
}
