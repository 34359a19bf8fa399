import { Stack, type StackProps } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { idempotencyTable, mainTable, tableName } from '../shared/store/table.ts';
import { DocumentsBucket } from './documents-bucket.ts';
import type { StageSettings } from './stage-settings.ts';
import { DefinedTable } from './table-construct.ts';

/**
 * What must outlive every deployment: the data — the tables, and the documents bucket with its key.
 * The stateless stack gets them by props.
 */
export class StatefulStack extends Stack {
  readonly table: TableV2;
  readonly idempotencyTable: TableV2;
  readonly documents: DocumentsBucket;

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
  }
}
