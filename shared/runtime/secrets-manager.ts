import {
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { env } from './config.ts';
import { type KeyRing, readKeyRingWith } from './secrets.ts';

/**
 * The cursor key read from Secrets Manager (shared/runtime/secrets.ts has the cache and the
 * middleware). The key's users import cursorKeyRing from here, so that only their functions
 * bundle the Secrets Manager client; importing this module is what lets cursorKeys() read the
 * secret.
 */
export { cursorKeyRing, verifyingKeys } from './secrets.ts';

let client: SecretsManagerClient | undefined;

function secretsClient(): SecretsManagerClient {
  client ??= new SecretsManagerClient({
    region: env().AWS_REGION,
    // As the DynamoDB client (shared/runtime/clients.ts): fail fast inside the function's timeout.
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 1_500, throwOnRequestTimeout: true },
  });
  return client;
}

const MIN_KEY_LENGTH = 16;

function keyOf(output: GetSecretValueCommandOutput, stage: string): string {
  const value = output.SecretString;
  if (typeof value !== 'string' || value.length < MIN_KEY_LENGTH) {
    throw new Error(
      `the cursor key's ${stage} version is not a string of at least ${MIN_KEY_LENGTH} characters`,
    );
  }
  return value;
}

/** AWSCURRENT and, when there is one (not before the first rotation), AWSPREVIOUS. */
export async function readKeyRing(arn: string): Promise<KeyRing> {
  const sm = secretsClient();
  const [current, previous] = await Promise.all([
    sm.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSCURRENT' })),
    sm
      .send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPREVIOUS' }))
      .catch((error: unknown) => {
        if ((error as { name?: unknown } | null)?.name === 'ResourceNotFoundException') return undefined;
        throw error;
      }),
  ]);
  const ring: { current: string; previous?: string } = { current: keyOf(current, 'AWSCURRENT') };
  if (previous) ring.previous = keyOf(previous, 'AWSPREVIOUS');
  return ring;
}

readKeyRingWith(readKeyRing);
