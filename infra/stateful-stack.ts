import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { idempotencyTable, mainTable, tableName } from '../shared/store/table.ts';
import { Backups } from './backups.ts';
import { DocumentsBucket } from './documents-bucket.ts';
import type { StageSettings } from './stage-settings.ts';
import { DefinedTable } from './table-construct.ts';

/**
 * What must outlive every deployment: the data — the tables, and the documents bucket with its key
 * (and, in production, their backups). The stateless stack gets them by props.
 */
export class StatefulStack extends Stack {
  readonly table: TableV2;
  readonly idempotencyTable: TableV2;
  readonly documents: DocumentsBucket;
  readonly backups?: Backups;

  constructor(scope: Construct, id: string, props: StackProps & { settings: StageSettings }) {
    super(scope, id, props);
    const prefix = `${props.settings.stage}-`;
    this.table = new DefinedTable(this, 'Main', {
      def: mainTable,
      tableName: tableName(mainTable, prefix),
      stream: true,
    }).table;
    this.idempotencyTable = new DefinedTable(this, 'Idempotency', {
      def: idempotencyTable,
      tableName: tableName(idempotencyTable, prefix),
    }).table;
    this.documents = new DocumentsBucket(this, 'Documents', { settings: props.settings });
    if (props.settings.backups) {
      this.backups = new Backups(this, 'Backups', {
        settings: props.settings,
        table: this.table,
        documents: this.documents.bucket as IBucket,
      });
      // What a restore job names (docs/deploy.md#backups-and-logs).
      new CfnOutput(this, 'BackupVaultName', { value: this.backups.vault.backupVaultName });
      new CfnOutput(this, 'BackupRoleArn', { value: this.backups.role.roleArn });
    }
  }
}
