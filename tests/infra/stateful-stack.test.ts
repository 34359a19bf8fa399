import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { type IndexDef, idempotencyTable, mainTable } from '../../shared/store/table.ts';
import { synthesize } from './synth.ts';

describe('stateful stack', () => {
  const { templates } = synthesize();
  const template = templates.stateful;

  it('builds the main table from the shared key and index definition', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'test-eia-main',
      KeySchema: [
        { AttributeName: mainTable.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: mainTable.sortKey.name, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: mainTable.globalSecondaryIndexes.map((index: IndexDef) =>
        Match.objectLike({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: index.include
            ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.include] }
            : { ProjectionType: 'ALL' },
        }),
      ),
    });
  });

  it('streams new images of the main table (the outbox), and only of the main table', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'test-eia-main',
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    });
    const [idem] = Object.values(
      template.findResources('AWS::DynamoDB::GlobalTable', {
        Properties: { TableName: 'test-eia-idempotency' },
      }),
    );
    expect(idem?.Properties.StreamSpecification).toBeUndefined();
  });

  it('builds the idempotency table from the shared definition, without indexes', () => {
    const [table, ...others] = Object.values(
      template.findResources('AWS::DynamoDB::GlobalTable', {
        Properties: { TableName: 'test-eia-idempotency' },
      }),
    );
    expect(others).toEqual([]);
    expect(table?.Properties.KeySchema).toEqual([
      { AttributeName: idempotencyTable.partitionKey.name, KeyType: 'HASH' },
    ]);
    expect(table?.Properties.GlobalSecondaryIndexes).toBeUndefined();
  });

  it('keeps data safe: point-in-time recovery, deletion protection, encryption, retained', () => {
    const tables = template.findResources('AWS::DynamoDB::GlobalTable');
    expect(Object.keys(tables)).toHaveLength(2);
    for (const table of Object.values(tables)) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
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
