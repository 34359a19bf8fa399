/**
 * The cursor key's rotation (functions/rotate-cursor-key) with Secrets Manager mocked: each of the
 * four steps, each called again (Secrets Manager retries a step), and a version not to rotate to.
 */
import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerRotationEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler, KEY_LENGTH } from '../../../../functions/rotate-cursor-key/handler.ts';
import { lambdaContext } from '../../../support/api-events.ts';

const ARN = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:CursorSecret-AbCdEf';
const OLD = 'v-old';
const NEW = 'v-new';
const NEW_KEY = 'N'.repeat(KEY_LENGTH);

const sm = mockClient(SecretsManagerClient);
const rotate = (step: SecretsManagerRotationEvent['Step'], token = NEW) =>
  handler({ Step: step, SecretId: ARN, ClientRequestToken: token }, lambdaContext);

/** The secret's versions and their stages, as DescribeSecret tells them. */
function stages(versions: Record<string, string[]>, rotationEnabled = true): void {
  sm.on(DescribeSecretCommand, { SecretId: ARN }).resolves({
    ARN,
    RotationEnabled: rotationEnabled,
    VersionIdsToStages: versions,
  });
}
const notFound = () =>
  new ResourceNotFoundException({
    message: "Secrets Manager can't find the specified secret value for VersionId: v-new",
    $metadata: {},
  });
/** The pending version's value: none yet, or this one. */
function pending(value: string | undefined): void {
  const get = sm.on(GetSecretValueCommand, { SecretId: ARN, VersionId: NEW, VersionStage: 'AWSPENDING' });
  if (value === undefined) get.rejects(notFound());
  else get.resolves({ SecretString: value, VersionId: NEW });
}

beforeEach(() => {
  sm.reset();
  sm.on(GetRandomPasswordCommand).resolves({ RandomPassword: NEW_KEY });
  sm.on(PutSecretValueCommand).resolves({ ARN, VersionId: NEW, VersionStages: ['AWSPENDING'] });
  sm.on(UpdateSecretVersionStageCommand).resolves({ ARN });
});

describe('createSecret', () => {
  it('puts a random key of 64 letters and digits as the token’s version, staged AWSPENDING', async () => {
    stages({ [OLD]: ['AWSCURRENT'], [NEW]: ['AWSPENDING'] });
    pending(undefined);
    await rotate('createSecret');
    expect(sm.commandCalls(GetRandomPasswordCommand).map((c) => c.args[0].input)).toEqual([
      { PasswordLength: 64, ExcludePunctuation: true },
    ]);
    expect(sm.commandCalls(PutSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: ARN, ClientRequestToken: NEW, SecretString: NEW_KEY, VersionStages: ['AWSPENDING'] },
    ]);
  });

  it('called again once the pending version exists, leaves it as it is', async () => {
    stages({ [OLD]: ['AWSCURRENT'], [NEW]: ['AWSPENDING'] });
    pending(NEW_KEY);
    await rotate('createSecret');
    expect(sm.commandCalls(GetRandomPasswordCommand)).toHaveLength(0);
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('fails on any other error reading the pending version, writing nothing', async () => {
    stages({ [OLD]: ['AWSCURRENT'], [NEW]: ['AWSPENDING'] });
    sm.on(GetSecretValueCommand).rejects(
      Object.assign(new Error('denied'), { name: 'AccessDeniedException' }),
    );
    await expect(rotate('createSecret')).rejects.toThrow('denied');
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });
});

describe('setSecret', () => {
  it('has nothing to set: no call but the check of the version', async () => {
    stages({ [OLD]: ['AWSCURRENT'], [NEW]: ['AWSPENDING'] });
    await rotate('setSecret');
    await rotate('setSecret');
    expect(sm.calls().map((c) => c.args[0].constructor.name)).toEqual([
      'DescribeSecretCommand',
      'DescribeSecretCommand',
    ]);
  });
});

describe('testSecret', () => {
  it('reads the pending key and checks its length, as often as it is called', async () => {
    stages({ [OLD]: ['AWSCURRENT'], [NEW]: ['AWSPENDING'] });
    pending(NEW_KEY);
    await rotate('testSecret');
    await rotate('testSecret');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('fails for a pending value that is not a key', async () => {
    stages({ [OLD]: ['AWSCURRENT'], [NEW]: ['AWSPENDING'] });
    pending('short');
    await expect(rotate('testSecret')).rejects.toThrow('is not 64 characters long');
  });
});

describe('finishSecret', () => {
  it('moves AWSCURRENT to the new version, from the old one', async () => {
    stages({ [OLD]: ['AWSCURRENT'], [NEW]: ['AWSPENDING'] });
    await rotate('finishSecret');
    expect(sm.commandCalls(UpdateSecretVersionStageCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: ARN, VersionStage: 'AWSCURRENT', MoveToVersionId: NEW, RemoveFromVersionId: OLD },
    ]);
  });

  it('called again once the new version is current, does nothing', async () => {
    stages({ [OLD]: ['AWSPREVIOUS'], [NEW]: ['AWSCURRENT', 'AWSPENDING'] });
    await rotate('finishSecret');
    expect(sm.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(0);
  });
});

describe('any step', () => {
  it('after the rotation finished, a repeated step does nothing at all', async () => {
    stages({ [OLD]: ['AWSPREVIOUS'], [NEW]: ['AWSCURRENT'] });
    for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const)
      await rotate(step);
    expect(sm.calls().map((c) => c.args[0].constructor.name)).toEqual(Array(4).fill('DescribeSecretCommand'));
  });

  it('refuses a secret without rotation, a token it does not know, and a version not pending', async () => {
    stages({ [OLD]: ['AWSCURRENT'], [NEW]: ['AWSPENDING'] }, false);
    await expect(rotate('createSecret')).rejects.toThrow('rotation is not enabled');
    sm.reset();
    stages({ [OLD]: ['AWSCURRENT'] });
    await expect(rotate('createSecret')).rejects.toThrow('has no version v-new');
    sm.reset();
    stages({ [OLD]: ['AWSCURRENT'], [NEW]: [] });
    await expect(rotate('finishSecret')).rejects.toThrow('is not staged AWSPENDING');
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    expect(sm.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(0);
  });
});
