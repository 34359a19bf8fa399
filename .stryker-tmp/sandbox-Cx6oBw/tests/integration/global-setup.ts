// @ts-nocheck
import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb.ts';

/**
 * One DynamoDB Local (in memory) for the whole integration run. A JVM takes 2–4 s and a few
 * hundred MB to start; on a 2-core machine one per test file would cost more than the tests
 * themselves. Files stay apart by table prefix (startLocalStack picks a new one each time).
 * Runs only when integration tests are selected, so unit-only runs start no Java.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared DynamoDB Local; absent when this setup is not configured. */
    dynamodbEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamo: DynamoDbLocal = await startDynamoDbLocal();
  dynamo.onExit((exit) => {
    if (!exit.expected)
      process.stderr.write(
        `Shared DynamoDB Local died (code ${exit.code}, signal ${exit.signal}):\n${exit.output}\n`,
      );
  });
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
