import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { stageSettings } from '../../infra/stage-settings.ts';
import { StatefulStack } from '../../infra/stateful-stack.ts';
import { logicalId } from './synth.ts';

/**
 * AWS Backup of the records: production (and `-c backups=true`) only. The stateful stack alone, as
 * infra/build-app.ts builds it, synthesized with cdk-nag: an unacknowledged finding throws here.
 */
function statefulStack(context: Record<string, unknown>) {
  const outdir = mkdtempSync(join(tmpdir(), 'eia-cdk-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const app = new App({ context: { stage: 'test', ...context }, outdir });
  // As infra/build-app.ts sets it for every synth.
  app.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
  const settings = stageSettings(app.node);
  const stack = new StatefulStack(app, `Eia-${settings.stage}-Stateful`, { settings });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  return { stateful: stack, template: Template.fromStack(stack) };
}

const prod = statefulStack({ stage: 'prod' });
const dev = statefulStack({});
const { template } = prod;

type Resource = { Type: string; Properties: Record<string, unknown> };
const only = (type: string): Resource => {
  const found = Object.values(template.findResources(type)) as Resource[];
  expect(found, type).toHaveLength(1);
  return found[0] as Resource;
};

describe('backups in production', () => {
  it('keeps them in a locked vault with a rotated key of its own, kept when the stack goes', () => {
    const vaults = Object.values(template.findResources('AWS::Backup::BackupVault'));
    expect(vaults).toHaveLength(1);
    const resource = vaults[0] as Resource & { DeletionPolicy?: string };
    expect(resource?.DeletionPolicy).toBe('Retain');
    expect(resource?.Properties).toMatchObject({
      BackupVaultName: 'eia-prod-records',
      // Compliance mode: the lock can change for 3 days, then never; 35 days to 400 days.
      LockConfiguration: { MinRetentionDays: 35, MaxRetentionDays: 400, ChangeableForDays: 3 },
    });
    const keyId = logicalId(prod.stateful, prod.stateful.backups?.key as never);
    expect(resource?.Properties.EncryptionKeyArn).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true, Description: Match.stringLikeRegexp('backup vault') },
      DeletionPolicy: 'Retain',
    });
  });

  it('backs up daily, kept 35 days, and monthly, kept a year, in China Standard Time', () => {
    const plan = only('AWS::Backup::BackupPlan').Properties.BackupPlan as {
      BackupPlanRule: Record<string, unknown>[];
    };
    const rules = Object.fromEntries(plan.BackupPlanRule.map((r) => [r.RuleName, r]));
    expect(Object.keys(rules).sort()).toEqual(['daily', 'monthly']);
    expect(rules.daily).toMatchObject({
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Lifecycle: { DeleteAfterDays: 35 },
    });
    expect(rules.monthly).toMatchObject({
      ScheduleExpression: 'cron(0 4 1 * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Lifecycle: { DeleteAfterDays: 365 },
    });
    // Both inside the lock's bounds, and neither moved to cold storage (S3 backups have none).
    for (const rule of plan.BackupPlanRule) {
      const days = (rule.Lifecycle as { DeleteAfterDays: number }).DeleteAfterDays;
      expect(days).toBeGreaterThanOrEqual(35);
      expect(days).toBeLessThanOrEqual(400);
      expect(rule.Lifecycle).not.toHaveProperty('MoveToColdStorageAfterDays');
    }
  });

  it('selects the main table and the documents bucket, not the idempotency table', () => {
    const selection = only('AWS::Backup::BackupSelection').Properties.BackupSelection as {
      Resources: unknown[];
      IamRoleArn: unknown;
    };
    const { stateful } = prod;
    const table = logicalId(stateful, stateful.table);
    const bucket = logicalId(stateful, stateful.documents.bucket);
    expect(selection.Resources).toHaveLength(2);
    expect(selection.Resources).toEqual(
      expect.arrayContaining([{ 'Fn::GetAtt': [table, 'Arn'] }, { 'Fn::GetAtt': [bucket, 'Arn'] }]),
    );
    const idempotency = logicalId(stateful, stateful.idempotencyTable);
    expect(JSON.stringify(selection.Resources)).not.toContain(idempotency);
    // The bucket can be backed up: versioned (Object Lock keeps it so).
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockEnabled: true,
    });
  });

  it('gives AWS Backup a role with the backup and restore policies for DynamoDB and S3', () => {
    const selection = only('AWS::Backup::BackupSelection').Properties.BackupSelection as {
      IamRoleArn: { 'Fn::GetAtt': [string, string] };
    };
    const [roleId] = selection.IamRoleArn['Fn::GetAtt'];
    const role = template.findResources('AWS::IAM::Role')[roleId] as Resource;
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain('backup.amazonaws.com');
    const policies = JSON.stringify(role.Properties.ManagedPolicyArns);
    for (const name of [
      'service-role/AWSBackupServiceRolePolicyForBackup',
      'service-role/AWSBackupServiceRolePolicyForRestores',
      'AWSBackupServiceRolePolicyForS3Backup',
      'AWSBackupServiceRolePolicyForS3Restore',
    ]) {
      expect(policies).toContain(`:iam::aws:policy/${name}"`);
    }
  });
});

describe('backups elsewhere', () => {
  it('has none in a development stage', () => {
    for (const type of [
      'AWS::Backup::BackupVault',
      'AWS::Backup::BackupPlan',
      'AWS::Backup::BackupSelection',
    ]) {
      expect(Object.keys(dev.template.findResources(type)), type).toHaveLength(0);
    }
    expect(dev.stateful.backups).toBeUndefined();
  });

  it('are on in production and, with -c backups=true, in any stage, with a lock an administrator can lift', () => {
    const settings = (context: Record<string, unknown>) => stageSettings(new App({ context }).node);
    expect(settings({}).backups).toBe(false);
    expect(settings({ stage: 'prod' }).backups).toBe(true);
    expect(settings({ backups: 'true' }).backups).toBe(true);
    expect(settings({ backups: true }).backups).toBe(true);
    expect(settings({ stage: 'prod', backups: false }).backups).toBe(false);
    expect(() => settings({ backups: 'yes' })).toThrow(/backups must be true or false/);
  });
});

describe('backups in a test stage (-c backups=true)', () => {
  const { template: test } = statefulStack({ backups: true });
  it('locks the vault in governance mode (no grace period), so the stage can be torn down', () => {
    const [vault] = Object.values(test.findResources('AWS::Backup::BackupVault')) as Resource[];
    expect(vault?.Properties.LockConfiguration).toEqual({ MinRetentionDays: 35, MaxRetentionDays: 400 });
    test.resourceCountIs('AWS::Backup::BackupPlan', 1);
  });
});
