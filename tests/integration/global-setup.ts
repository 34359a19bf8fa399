import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb.ts';
import { type LocalS3, startLocalS3 } from '../../local/s3/store.ts';

/**
 * One DynamoDB Local (in memory) and one local S3 store (s3rver behind its verifying layer, files
 * in a temporary folder) for the whole integration run. A JVM takes 2–4 s and a few hundred MB to
 * start; on a 2-core machine one per test file would cost more than the tests themselves. Files
 * stay apart by table prefix and by bucket (startLocalStack makes new ones each time). Runs only
 * when integration tests are selected, so unit-only runs start no Java.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared DynamoDB Local; absent when this setup is not configured. */
    dynamodbEndpoint: string;
    /** The shared local S3 store (its verifying layer); absent when this setup is not configured. */
    s3Endpoint: string;
    /** The origin the shared local S3 store's CORS rule allows (the console's, in tests). */
    s3ConsoleOrigin: string;
  }
}

/** The console's origin as the integration tests' local store knows it. */
export const TEST_CONSOLE_ORIGIN = 'http://console.test';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [dynamoStarted, s3Started] = await Promise.allSettled([
    startDynamoDbLocal(),
    startLocalS3({ origins: [TEST_CONSOLE_ORIGIN] }),
  ]);
  if (dynamoStarted.status === 'rejected' || s3Started.status === 'rejected') {
    if (dynamoStarted.status === 'fulfilled') await dynamoStarted.value.stop();
    if (s3Started.status === 'fulfilled') await s3Started.value.stop();
    throw dynamoStarted.status === 'rejected'
      ? dynamoStarted.reason
      : (s3Started as PromiseRejectedResult).reason;
  }
  const dynamo: DynamoDbLocal = dynamoStarted.value;
  const s3: LocalS3 = s3Started.value;
  dynamo.onExit((exit) => {
    if (!exit.expected)
      process.stderr.write(
        `Shared DynamoDB Local died (code ${exit.code}, signal ${exit.signal}):\n${exit.output}\n`,
      );
  });
  s3.onExit((exit) => {
    if (!exit.expected)
      process.stderr.write(
        `Shared local S3 store died (code ${exit.code}, signal ${exit.signal}):\n${exit.output}\n`,
      );
  });
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  project.provide('s3Endpoint', s3.endpoint);
  project.provide('s3ConsoleOrigin', TEST_CONSOLE_ORIGIN);
  return async () => {
    await Promise.all([dynamo.stop(), s3.stop()]);
  };
}
