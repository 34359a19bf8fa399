import { Duration, RemovalPolicy, TimeZone, Validations } from 'aws-cdk-lib';
import {
  BackupPlan,
  BackupPlanRule,
  BackupResource,
  type BackupSelection,
  BackupVault,
} from 'aws-cdk-lib/aws-backup';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { StageSettings } from './stage-settings.ts';

/**
 * How long each kind of recovery point is kept by default; a stage may keep its daily ones shorter
 * (`-c backupDailyDays`, settings.backupDailyDays).
 */
export const BACKUP_RETENTION = { dailyDays: 35, monthlyDays: 365 } as const;

/**
 * The vault lock's bounds: no recovery point may be kept less than the daily rule's days (35 by
 * default; settings.backupDailyDays) or more than 400 (the monthly rule's year plus slack for a late
 * job). AWS Backup refuses any job whose retention falls outside them.
 */
export const VAULT_LOCK = {
  minDays: BACKUP_RETENTION.dailyDays,
  maxDays: 400,
  changeableForDays: 3,
} as const;

/** The AWS managed policies S3 backups and restores take besides the generic ones BackupSelection adds. */
const S3_BACKUP_POLICIES = [
  'AWSBackupServiceRolePolicyForS3Backup',
  'AWSBackupServiceRolePolicyForS3Restore',
];

/**
 * AWS Backup of the records, beside the tables' point-in-time recovery and the bucket's versions
 * and Object Lock: a copy outside the resources themselves, in a vault of its own, that a mistake
 * (a deleted table, a wrong restore, a dropped stack) does not take with it.
 *
 * - The main table and the documents bucket (versioned, as S3 backups need), daily kept 35 days
 *   (`-c backupDailyDays`: 7 to 35) and on the 1st of each month kept a year, in a vault encrypted
 *   with a key of its own.
 * - Not the idempotency table: it holds only replay keys that expire within a day (TTL); a copy a
 *   day old protects nothing, and point-in-time recovery already covers it.
 * - The vault is locked. In production the lock is in compliance mode: for 3 days after the
 *   deployment it can still be changed or removed (a grace period to fix a mistake in the numbers),
 *   then nobody, not even the account's root user or AWS, can remove it, shorten a recovery point's
 *   retention or delete one before it expires. Elsewhere (`-c backups=true`) governance mode: the
 *   same bounds, but an administrator may remove the lock, so a test stage can be torn down.
 */
export class Backups extends Construct {
  readonly vault: BackupVault;
  readonly key: Key;
  readonly plan: BackupPlan;
  readonly selection: BackupSelection;
  readonly role: Role;

  constructor(
    scope: Construct,
    id: string,
    props: { settings: StageSettings; table: TableV2; documents: IBucket },
  ) {
    super(scope, id);
    const { settings } = props;
    // The lock's minimum is the shortest rule's retention: a longer minimum would refuse every daily job.
    const dailyDays = settings.backupDailyDays;

    this.key = new Key(this, 'Key', {
      description: `eia ${settings.stage}: backup vault (recovery points of the table and the documents)`,
      enableKeyRotation: true,
      // The recovery points are encrypted under it: the key outlives the vault.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vault = new BackupVault(this, 'Vault', {
      backupVaultName: `eia-${settings.stage}-records`,
      encryptionKey: this.key,
      // CloudFormation deletes a vault only once it is empty; in production it is never deleted.
      removalPolicy: settings.production ? RemovalPolicy.RETAIN : settings.removalPolicy,
      lockConfiguration: {
        minRetention: Duration.days(dailyDays),
        maxRetention: Duration.days(VAULT_LOCK.maxDays),
        // Set: compliance mode, immutable once the 3 days are over. Unset: governance mode.
        ...(settings.production ? { changeableFor: Duration.days(VAULT_LOCK.changeableForDays) } : {}),
      },
    });

    // The bureau's working day is in China Standard Time: the jobs run at night there.
    const rule = (ruleName: string, schedule: Schedule, days: number) =>
      new BackupPlanRule({
        ruleName,
        backupVault: this.vault,
        scheduleExpression: schedule,
        scheduleExpressionTimezone: TimeZone.ASIA_SHANGHAI,
        startWindow: Duration.hours(1),
        completionWindow: Duration.hours(8),
        deleteAfter: Duration.days(days),
      });
    this.plan = new BackupPlan(this, 'Plan', {
      backupPlanName: `eia-${settings.stage}-records`,
      backupVault: this.vault,
      backupPlanRules: [
        rule('daily', Schedule.cron({ hour: '2', minute: '0' }), dailyDays),
        rule('monthly', Schedule.cron({ day: '1', hour: '4', minute: '0' }), BACKUP_RETENTION.monthlyDays),
      ],
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('backup.amazonaws.com'),
      description: `eia ${settings.stage}: AWS Backup backs up and restores the main table and the documents bucket`,
      managedPolicies: S3_BACKUP_POLICIES.map((name) => ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    this.selection = this.plan.addSelection('Records', {
      backupSelectionName: `eia-${settings.stage}-records`,
      role: this.role,
      // Adds AWSBackupServiceRolePolicyForBackup and …ForRestores to the role.
      allowRestores: true,
      resources: [
        BackupResource.fromDynamoDbTable(props.table),
        BackupResource.fromArn(props.documents.bucketArn),
      ],
    });

    const why =
      "AWS Backup's own service-role policies, as AWS Backup documents them for DynamoDB and S3 backups and restores; the role is assumed only by backup.amazonaws.com, and the plan's selection limits the jobs to the main table and the documents bucket.";
    for (const policy of [
      'service-role/AWSBackupServiceRolePolicyForBackup',
      'service-role/AWSBackupServiceRolePolicyForRestores',
      ...S3_BACKUP_POLICIES,
    ]) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`,
        reason: why,
      });
    }
  }
}
