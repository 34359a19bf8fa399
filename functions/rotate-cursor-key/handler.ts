import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import type { SecretsManagerRotationEvent } from 'aws-lambda';
import { logContext, logger } from '../../shared/runtime/logger.ts';

/**
 * Rotates the cursor key (shared/runtime/secrets.ts), called by Secrets Manager every 30 days
 * (infra/stateless-stack.ts), once per step with the same ClientRequestToken; a step may be called
 * again and then does nothing twice:
 *
 * - createSecret: a new random key (64 letters and digits) as the version named by the token,
 *   staged AWSPENDING; nothing when that version exists already.
 * - setSecret: nothing: no other system holds the key, the functions read it themselves.
 * - testSecret: the pending version can be read and is a key (64 characters).
 * - finishSecret: AWSCURRENT moves to the new version; Secrets Manager moves AWSPREVIOUS to the old
 *   one, whose cursors the functions still take until the next rotation.
 */
export const KEY_LENGTH = 64;

let client: SecretsManagerClient | undefined;
const secrets = () => {
  client ??= new SecretsManagerClient({});
  return client;
};

/** The secret's versions and their stages, after checking that this token is one to rotate to. */
async function versionsFor(secretId: string, token: string): Promise<Record<string, string[]>> {
  const secret = await secrets().send(new DescribeSecretCommand({ SecretId: secretId }));
  if (!secret.RotationEnabled) throw new Error(`rotation is not enabled on ${secretId}`);
  const versions = secret.VersionIdsToStages ?? {};
  if (!versions[token]) throw new Error(`${secretId} has no version ${token} to rotate to`);
  return versions;
}

async function createSecret(secretId: string, token: string): Promise<void> {
  try {
    await secrets().send(
      new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }),
    );
    logger.info('rotation: the pending key exists already', { secretId, token });
    return;
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name !== 'ResourceNotFoundException') throw error;
  }
  const { RandomPassword } = await secrets().send(
    new GetRandomPasswordCommand({ PasswordLength: KEY_LENGTH, ExcludePunctuation: true }),
  );
  if (!RandomPassword) throw new Error('GetRandomPassword returned no password');
  await secrets().send(
    new PutSecretValueCommand({
      SecretId: secretId,
      ClientRequestToken: token,
      SecretString: RandomPassword,
      VersionStages: ['AWSPENDING'],
    }),
  );
  logger.info('rotation: new key created as AWSPENDING', { secretId, token });
}

async function testSecret(secretId: string, token: string): Promise<void> {
  const { SecretString } = await secrets().send(
    new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }),
  );
  if (SecretString?.length !== KEY_LENGTH) {
    throw new Error(`the pending key of ${secretId} is not ${KEY_LENGTH} characters long`);
  }
}

async function finishSecret(secretId: string, token: string, versions: Record<string, string[]>) {
  const current = Object.entries(versions).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
  if (current === token) {
    logger.info('rotation: the new key is current already', { secretId, token });
    return;
  }
  await secrets().send(
    new UpdateSecretVersionStageCommand({
      SecretId: secretId,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: token,
      ...(current ? { RemoveFromVersionId: current } : {}),
    }),
  );
  logger.info('rotation: the new key is current', { secretId, token, previous: current });
}

export const handler = middy(async (event: SecretsManagerRotationEvent): Promise<void> => {
  const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
  const versions = await versionsFor(secretId, token);
  const stages = versions[token] ?? [];
  // A step repeated after the rotation finished (Secrets Manager retries) has nothing left to do.
  if (stages.includes('AWSCURRENT')) {
    logger.info('rotation: the version is current already', { secretId, token, step });
    return;
  }
  if (!stages.includes('AWSPENDING')) {
    throw new Error(`version ${token} of ${secretId} is not staged AWSPENDING`);
  }
  switch (step) {
    case 'createSecret':
      return createSecret(secretId, token);
    case 'setSecret':
      return;
    case 'testSecret':
      return testSecret(secretId, token);
    case 'finishSecret':
      return finishSecret(secretId, token, versions);
    default:
      throw new Error(`unknown rotation step ${String(step)}`);
  }
}).use(logContext());
