import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { idempotencyTable, mainTable } from '../../shared/store/table.ts';

describe('stateful stack', () => {
  const { stateful } = buildApp(new App({ context: { stage: 'test' } }));
  const template = Template.fromStack(stateful);

  it('builds the main table from the shared key and index definition', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'test-eia-main',
      KeySchema: [
        { AttributeName: mainTable.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: mainTable.sortKey.name, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: mainTable.globalSecondaryIndexes.map((index) =>
        Match.objectLike({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
        }),
      ),
    });
  });

  it('keeps data safe: point-in-time recovery, deletion protection, encryption, retained', () => {
    const tables = template.findResources('AWS::DynamoDB::GlobalTable');
    expect(Object.keys(tables)).toHaveLength(2);
    for (const table of Object.values(tables)) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(table.Properties.SSESpecification).toBeDefined();
      for (const replica of table.Properties.Replicas) {
        expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
        expect(replica.DeletionProtectionEnabled).toBe(true);
      }
    }
  });

  it('expires idempotency records by TTL', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'test-eia-idempotency',
      TimeToLiveSpecification: { AttributeName: idempotencyTable.timeToLiveAttribute, Enabled: true },
    });
  });
});
