import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ScanReason, ScanStatus, UploadRecord } from '../domain/uploads.ts';
import { idempotencyPut, keyInFlight } from './application-store.ts';
import { ConcurrentChangeError, send } from './errors.ts';
import { appPk, uploadKey, uploadSkPrefix, withoutKeys } from './keys.ts';
import { queryAll } from './partition.ts';
import type { Commit, UploadStore, UploadStored } from './ports.ts';

/**
 * The condition that an upload record is still as it was read: there, with the same scan status and
 * the same `storedAt` (or none). Every change of a record is a Put of the whole item on this
 * condition (the functions are granted no UpdateItem): a writer that lost to another reads again.
 */
function unchangedSince(record: UploadRecord) {
  return {
    ConditionExpression: `attribute_exists(pk) AND #scan = :readScan AND ${
      record.storedAt === undefined ? 'attribute_not_exists(#storedAt)' : '#storedAt = :readStoredAt'
    }`,
    ExpressionAttributeNames: { '#scan': 'scan', '#storedAt': 'storedAt' },
    ExpressionAttributeValues: {
      ':readScan': record.scan,
      ...(record.storedAt === undefined ? {} : { ':readStoredAt': record.storedAt }),
    },
  };
}

/**
 * The Put that marks an upload record stored, for the TransactWriteItems of the act that checked
 * its bytes (or markStored's own): `record` as read, with the first `storedAt` kept (a later act
 * naming the same version again does not move it), on the condition that it is unchanged since.
 */
export function markStoredPut(table: string, record: UploadRecord, stored: UploadStored) {
  const next: UploadRecord = {
    ...record,
    storedAt: record.storedAt ?? stored.storedAt,
    detectedType: stored.detectedType,
  };
  return {
    Put: {
      TableName: table,
      Item: { ...next, ...uploadKey(record.applicationId, record.uploadId) },
      ...unchangedSince(record),
    },
  };
}

/** Tries of a read-and-put that lost to another writer of the same record. */
const TRIES = 3;

/**
 * The UploadStore port (shared/store/ports.ts) on DynamoDB: one item per upload beside its
 * application (`APP#<id>` / `UPLOAD#<uploadId>`). Every write is a Put inside TransactWriteItems,
 * as every write of the service is.
 */
export function uploadStore(
  doc: DynamoDBDocumentClient,
  names: { table: string; idempotencyTable: string },
): UploadStore {
  const { table, idempotencyTable } = names;

  async function get(applicationId: string, uploadId: string): Promise<UploadRecord | undefined> {
    const out = await send(() =>
      doc.send(
        new GetCommand({ TableName: table, Key: uploadKey(applicationId, uploadId), ConsistentRead: true }),
      ),
    );
    return out.Item ? withoutKeys<UploadRecord>(out.Item) : undefined;
  }

  /**
   * Read the record and put it back changed, on the condition that it is unchanged since; again
   * when another writer changed it in between. False when there is no such record.
   */
  async function change(
    applicationId: string,
    uploadId: string,
    put: (record: UploadRecord) => object,
  ): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const record = await get(applicationId, uploadId);
      if (!record) return false;
      try {
        await send(() => doc.send(new TransactWriteCommand({ TransactItems: [put(record)] })));
        return true;
      } catch (error) {
        if (!(error instanceof ConcurrentChangeError) || attempt >= TRIES) throw error;
      }
    }
  }

  return {
    async create(record: UploadRecord, idempotency?: Commit['idempotency']): Promise<void> {
      const items: object[] = [
        {
          Put: {
            TableName: table,
            Item: { ...record, ...uploadKey(record.applicationId, record.uploadId) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
      const index = idempotency ? items.length : undefined;
      if (idempotency) items.push(idempotencyPut(idempotencyTable, idempotency));
      await send(
        () => keyInFlight(doc.send(new TransactWriteCommand({ TransactItems: items })), index),
        index,
      );
    },

    get,

    async list(applicationId: string): Promise<UploadRecord[]> {
      const { items } = await queryAll(doc, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': appPk(applicationId), ':prefix': uploadSkPrefix },
        ConsistentRead: true,
      });
      return items
        .map((item) => withoutKeys<UploadRecord>(item))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.uploadId.localeCompare(b.uploadId));
    },

    markStored(applicationId: string, uploadId: string, stored: UploadStored): Promise<boolean> {
      return change(applicationId, uploadId, (record) => markStoredPut(table, record, stored));
    },

    setScan(
      applicationId: string,
      uploadId: string,
      scan: ScanStatus,
      scannedAt: string,
      scanReason?: ScanReason,
    ): Promise<boolean> {
      return change(applicationId, uploadId, (record) => {
        // The reason goes with SKIPPED only: a verdict drops an earlier one.
        const { scanReason: _earlier, ...rest } = record;
        const reason = scan === 'SKIPPED' && scanReason ? { scanReason } : {};
        return {
          Put: {
            TableName: table,
            Item: { ...rest, scan, ...reason, scannedAt, ...uploadKey(applicationId, uploadId) },
            ...unchangedSince(record),
          },
        };
      });
    },
  };
}
