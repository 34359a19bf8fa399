// @ts-nocheck
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { idempotencyTable, mainTable, tableName } from '../shared/store/table.ts';
import { DefinedTable } from './table-construct.ts';

/** What must outlive every deployment: the data. The stateless stack gets the tables by props. */
export class StatefulStack extends Stack {
  readonly table: TableV2;
  readonly idempotencyTable: TableV2;

  constructor(scope: Construct, id: string, props: StackProps & { stage: string }) {
    super(scope, id, props);
    const prefix = `${props.stage}-`;
    this.table = new DefinedTable(this, 'Main', {
      def: mainTable,
      tableName: tableName(mainTable, prefix),
      stream: true,
    }).table;
    this.idempotencyTable = new DefinedTable(this, 'Idempotency', {
      def: idempotencyTable,
      tableName: tableName(idempotencyTable, prefix),
    }).table;
  }
}
