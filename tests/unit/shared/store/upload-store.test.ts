import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { UploadRecord } from '../../../../shared/domain/uploads.ts';
import { uploadKey } from '../../../../shared/store/keys.ts';
import { markStoredPut, uploadStore } from '../../../../shared/store/upload-store.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const store = uploadStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' })), {
  table: 'main',
  idempotencyTable: 'idem',
});

const record: UploadRecord = {
  uploadId: '00000000-0000-4000-8000-000000000001',
  applicationId: '11111111-2222-4333-8444-555555555555',
  code: 'EIA_DOCUMENT',
  fileName: 'eia.pdf',
  sha256: 'a'.repeat(64),
  sizeBytes: 10,
  contentType: 'application/pdf',
  key: 'materials/11111111-2222-4333-8444-555555555555/00000000-0000-4000-8000-000000000001',
  createdAt: '2025-06-10T01:00:00.000Z',
  createdBy: { id: 'u', name: 'U' },
  expiresAt: '2025-06-10T01:15:00.000Z',
  scan: 'PENDING',
};
const key = uploadKey(record.applicationId, record.uploadId);
const conflict = () =>
  Object.assign(new Error('cancelled'), {
    name: 'TransactionCanceledException',
    CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
  });

beforeEach(() => ddb.reset());

describe('markStoredPut', () => {
  it('puts the record back stored, on the condition that it is as read', () => {
    const put = markStoredPut('main', record, {
      storedAt: '2025-06-11T00:00:00.000Z',
      detectedType: 'PDF',
    }).Put;
    expect(put.Item).toEqual({
      ...record,
      ...key,
      storedAt: '2025-06-11T00:00:00.000Z',
      detectedType: 'PDF',
    });
    expect(put.ConditionExpression).toBe(
      'attribute_exists(pk) AND #scan = :readScan AND attribute_not_exists(#storedAt)',
    );
    expect(put.ExpressionAttributeValues).toEqual({ ':readScan': 'PENDING' });
  });

  it('keeps the first storedAt of a version found stored before', () => {
    const stored = { ...record, storedAt: '2025-06-10T02:00:00.000Z' };
    const put = markStoredPut('main', stored, {
      storedAt: '2025-07-01T00:00:00.000Z',
      detectedType: 'PDF',
    }).Put;
    expect(put.Item.storedAt).toBe('2025-06-10T02:00:00.000Z');
    expect(put.ConditionExpression).toContain('#storedAt = :readStoredAt');
    expect(put.ExpressionAttributeValues).toEqual({
      ':readScan': 'PENDING',
      ':readStoredAt': stored.storedAt,
    });
  });
});

describe('setScan', () => {
  it('reads the record and puts it back with the verdict', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...record, ...key } });
    ddb.on(TransactWriteCommand).resolves({});
    expect(
      await store.setScan(record.applicationId, record.uploadId, 'CLEAN', '2025-06-10T03:00:00.000Z'),
    ).toBe(true);
    const put = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
    expect(put?.Item).toMatchObject({
      scan: 'CLEAN',
      scannedAt: '2025-06-10T03:00:00.000Z',
      pk: key.pk,
      sk: key.sk,
    });
    expect(put?.ExpressionAttributeValues).toEqual({ ':readScan': 'PENDING' });
  });

  it('keeps the reason with SKIPPED, and drops an earlier one with a verdict', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...record, ...key } });
    ddb.on(TransactWriteCommand).resolves({});
    await store.setScan(
      record.applicationId,
      record.uploadId,
      'SKIPPED',
      '2025-06-10T03:00:00.000Z',
      'unsupported',
    );
    const skipped = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
    expect(skipped?.Item).toMatchObject({ scan: 'SKIPPED', scanReason: 'unsupported' });

    ddb.reset();
    ddb.on(GetCommand).resolves({ Item: { ...record, ...key, scan: 'SKIPPED', scanReason: 'failed' } });
    ddb.on(TransactWriteCommand).resolves({});
    await store.setScan(record.applicationId, record.uploadId, 'CLEAN', '2025-06-10T04:00:00.000Z', 'failed');
    const clean = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
    expect(clean?.Item).toMatchObject({ scan: 'CLEAN', scannedAt: '2025-06-10T04:00:00.000Z' });
    expect(clean?.Item).not.toHaveProperty('scanReason');
    expect(clean?.ExpressionAttributeValues).toEqual({ ':readScan': 'SKIPPED' });
  });

  it('reads again when another writer changed the record in between', async () => {
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: { ...record, ...key } })
      .resolves({ Item: { ...record, ...key, storedAt: '2025-06-10T02:00:00.000Z' } });
    ddb.on(TransactWriteCommand).rejectsOnce(conflict()).resolves({});
    expect(
      await store.setScan(record.applicationId, record.uploadId, 'INFECTED', '2025-06-10T03:00:00.000Z'),
    ).toBe(true);
    const last = ddb.commandCalls(TransactWriteCommand)[1]?.args[0].input.TransactItems?.[0]?.Put;
    expect(last?.Item).toMatchObject({ scan: 'INFECTED', storedAt: '2025-06-10T02:00:00.000Z' });
  });

  it('is false for a record that is not there, and gives up after three lost races', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await store.setScan(record.applicationId, record.uploadId, 'CLEAN', 'x')).toBe(false);
    ddb.on(GetCommand).resolves({ Item: { ...record, ...key } });
    ddb.on(TransactWriteCommand).rejects(conflict());
    await expect(
      store.markStored(record.applicationId, record.uploadId, { storedAt: 'x', detectedType: 'PDF' }),
    ).rejects.toThrow();
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });
});

describe('create', () => {
  it('puts a new record and the idempotency record in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await store.create(record, {
      scope: 'u#k',
      ttlSeconds: 60,
      record: { requestHash: 'h', statusCode: 201, headers: {}, body: '{}', createdAt: record.createdAt },
    });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((i) => [i.Put?.TableName, i.Put?.ConditionExpression?.split(' ')[0]])).toEqual([
      ['main', 'attribute_not_exists(pk)'],
      ['idem', 'attribute_not_exists(pk)'],
    ]);
  });
});
