import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { KeyDef, TableDef } from '../shared/store/table.ts';

const attr = (k: KeyDef) => ({
  name: k.name,
  type: k.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/** A DynamoDB table built from the shared definition: on demand, PITR, encrypted, protected, retained. */
export class DefinedTable extends Construct {
  readonly table: TableV2;

  constructor(
    scope: Construct,
    id: string,
    /** `stream`: a DynamoDB stream of new images (the outbox's publisher reads OUTBOX inserts from it). */
    props: { def: TableDef; tableName: string; stream?: boolean },
  ) {
    super(scope, id);
    const { def } = props;
    this.table = new TableV2(this, 'Table', {
      tableName: props.tableName,
      partitionKey: attr(def.partitionKey),
      ...(def.sortKey ? { sortKey: attr(def.sortKey) } : {}),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryptionV2.awsManagedKey(),
      removalPolicy: RemovalPolicy.RETAIN,
      ...(props.stream ? { dynamoStream: StreamViewType.NEW_IMAGE } : {}),
      ...(def.timeToLiveAttribute ? { timeToLiveAttribute: def.timeToLiveAttribute } : {}),
      globalSecondaryIndexes: def.globalSecondaryIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: attr(index.partitionKey),
        sortKey: attr(index.sortKey),
        ...(index.include
          ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.include] }
          : {}),
      })),
    });
  }
}
