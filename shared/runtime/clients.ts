import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { applicationStore } from '../store/application-store.ts';
import { env } from './config.ts';

/** Created once per cold start and reused by every invocation. */
let store: ReturnType<typeof applicationStore> | undefined;

export function getStore() {
  if (!store) {
    const { TABLE_NAME, IDEMPOTENCY_TABLE_NAME, DYNAMODB_ENDPOINT, AWS_REGION } = env();
    const client = new DynamoDBClient({
      region: AWS_REGION,
      ...(DYNAMODB_ENDPOINT ? { endpoint: DYNAMODB_ENDPOINT } : {}),
    });
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    store = applicationStore(doc, { table: TABLE_NAME, idempotencyTable: IDEMPOTENCY_TABLE_NAME });
  }
  return store;
}
