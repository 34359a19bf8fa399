import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { type KeyDef, type TableDef, tableName, tables } from '../shared/store/table.ts';

/**
 * Creates every table of shared/store/table.ts that is missing, waits until it is ACTIVE and
 * turns TTL on. Safe to run on every start, and against tables made by an earlier run (--data)
 * or by another instance with the same prefix. A table from an earlier run that lacks an index
 * added since gets it (as CloudFormation adds one in AWS); the names of the indexes added are
 * returned, so that the caller can fill them (e.g. the find index's backfill).
 */
export async function ensureTables(
  client: DynamoDBClient,
  prefix: string,
  defs: readonly TableDef[] = tables,
): Promise<string[]> {
  return (await Promise.all(defs.map((def) => ensureTable(client, def, prefix)))).flat();
}

export function createTableInput(def: TableDef, prefix: string): CreateTableCommandInput {
  const attributes = new Map<string, KeyDef>();
  for (const key of [
    def.partitionKey,
    def.sortKey,
    ...def.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ]) {
    if (key) attributes.set(key.name, key);
  }
  return {
    TableName: tableName(def, prefix),
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes.values()].map((k) => ({
      AttributeName: k.name,
      AttributeType: k.type,
    })),
    KeySchema: keySchema(def.partitionKey, def.sortKey),
    ...(def.globalSecondaryIndexes.length > 0 && {
      GlobalSecondaryIndexes: def.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: index.include
          ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.include] }
          : { ProjectionType: 'ALL' },
      })),
    }),
  };
}

function keySchema(partitionKey: KeyDef, sortKey: KeyDef | undefined): KeySchemaElement[] {
  return [
    { AttributeName: partitionKey.name, KeyType: 'HASH' },
    ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : []),
  ];
}

async function ensureTable(client: DynamoDBClient, def: TableDef, prefix: string): Promise<string[]> {
  const name = tableName(def, prefix);
  const existing = await describe(client, name);
  const added: string[] = [];
  if (existing) {
    assertMatches(existing, def, name);
    for (const index of missingIndexes(existing, def)) {
      await addIndex(client, def, prefix, index);
      added.push(index);
    }
  } else {
    try {
      await client.send(new CreateTableCommand(createTableInput(def, prefix)));
    } catch (error) {
      // Another process created it between our describe and create: fine.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  await waitUntilTableExists({ client, maxWaitTime: 120, minDelay: 1, maxDelay: 5 }, { TableName: name });
  if (def.timeToLiveAttribute) await enableTtl(client, name, def.timeToLiveAttribute);
  return added;
}

function missingIndexes(table: TableDescription, def: TableDef): string[] {
  const present = new Set((table.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  return def.globalSecondaryIndexes.map((i) => i.indexName).filter((n) => !present.has(n));
}

/** One index at a time (DynamoDB's rule), waiting until it is ACTIVE. */
async function addIndex(
  client: DynamoDBClient,
  def: TableDef,
  prefix: string,
  indexName: string,
): Promise<void> {
  const input = createTableInput(def, prefix);
  const index = input.GlobalSecondaryIndexes?.find((i) => i.IndexName === indexName);
  if (!index) throw new Error(`no index ${indexName} in shared/store/table.ts`);
  const keyNames = new Set(index.KeySchema?.map((k) => k.AttributeName));
  await client.send(
    new UpdateTableCommand({
      TableName: input.TableName,
      AttributeDefinitions: input.AttributeDefinitions?.filter((a) => keyNames.has(a.AttributeName)),
      GlobalSecondaryIndexUpdates: [{ Create: index }],
    }),
  );
  for (let waited = 0; waited < 120_000; waited += 500) {
    const status = (await describe(client, input.TableName ?? ''))?.GlobalSecondaryIndexes?.find(
      (i) => i.IndexName === indexName,
    )?.IndexStatus;
    if (status === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`index ${indexName} of ${input.TableName} did not become ACTIVE within 2 minutes`);
}

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** A table left by an older definition (e.g. in a --data folder) would fail in confusing ways later. */
function assertMatches(table: TableDescription, def: TableDef, name: string): void {
  const wanted = createTableInput(def, '');
  const problems: string[] = [];
  if (signature(table.KeySchema) !== signature(wanted.KeySchema)) problems.push('its key schema differs');
  const indexes = new Map(
    (table.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, signature(i.KeySchema)]),
  );
  for (const index of wanted.GlobalSecondaryIndexes ?? []) {
    const found = indexes.get(index.IndexName);
    // A missing index is added (ensureTable); one with other keys cannot be changed in place.
    if (found !== undefined && found !== signature(index.KeySchema))
      problems.push(`index ${index.IndexName} has other keys`);
  }
  if (problems.length > 0) {
    throw new Error(
      `Table ${name} exists but does not match shared/store/table.ts: ${problems.join('; ')}. ` +
        'Delete the table (or the --data folder) and start again.',
    );
  }
}

function signature(schema: readonly KeySchemaElement[] | undefined): string {
  return (schema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');
}

async function enableTtl(client: DynamoDBClient, name: string, attribute: string): Promise<void> {
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
  const status = current.TimeToLiveDescription?.TimeToLiveStatus;
  const onAttribute = current.TimeToLiveDescription?.AttributeName;
  if ((status === 'ENABLED' || status === 'ENABLING') && onAttribute === attribute) return;
  if (status === 'ENABLED' || status === 'ENABLING') {
    throw new Error(
      `Table ${name} has TTL on ${onAttribute ?? '?'}, but shared/store/table.ts says ${attribute}.`,
    );
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { Enabled: true, AttributeName: attribute },
    }),
  );
}
