import type { AttributeValue, DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import {
  DOCUMENT_DETAIL_TYPE,
  type DocumentOutboxItem,
  isDocumentOutboxItem,
} from '../../shared/domain/document-outbox.ts';
import type { Notification } from '../../shared/domain/notifications.ts';
import { keyAttributes, outboxPk } from '../../shared/store/keys.ts';

/**
 * The outbox publisher's core (issue 5 part 3), written against a port: the table's stream
 * (NEW_IMAGE) → for each INSERT of an OUTBOX item, one domain event. A record whose publish fails
 * is reported as a batch item failure, so Lambda retries from it and no notification is lost
 * (at-least-once: consumers dedupe on applicationId + seq + action).
 *
 * In AWS: functions/publisher/handler.ts with the EventBridge adapter (event-bridge.ts); the stack
 * is infra/notifications.ts. Locally, GET /local/outbox lists the same items.
 */
export interface EventPort {
  publish(detailType: string, detail: Notification): Promise<void>;
}

export const DETAIL_TYPE_PREFIX = 'eia.notification.';

/**
 * The detail-type of an outbox item: `eia.notification.<action>` for a notification, and
 * DOCUMENT_DETAIL_TYPE for a written document to render (the documents function's rule).
 */
export function detailTypeOf(item: Notification | DocumentOutboxItem): string {
  return isDocumentOutboxItem(item) ? DOCUMENT_DETAIL_TYPE : `${DETAIL_TYPE_PREFIX}${item.action}`;
}

/** A stream image (DynamoDB JSON) as plain values: the types the store writes. */
export function fromImage(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.L !== undefined) return value.L.map(fromImage);
  if (value.M !== undefined) return fromMap(value.M);
  if (value.SS !== undefined) return value.SS;
  if (value.NS !== undefined) return value.NS.map(Number);
  throw new Error(`unsupported attribute value: ${Object.keys(value).join(',')}`);
}

function fromMap(map: Record<string, AttributeValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, fromImage(v)]));
}

/** The notification an outbox INSERT carries; undefined for every other record. */
export function outboxNotification(record: DynamoDBRecord): Notification | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image || image.pk?.S !== outboxPk) return undefined;
  const item = fromMap(image);
  for (const k of keyAttributes) delete item[k];
  return item as unknown as Notification;
}

/** Publish in stream order; stop at the first failure and report it and what follows for retry. */
export async function publishOutbox(
  records: readonly DynamoDBRecord[],
  port: EventPort,
  onError: (error: unknown, record: DynamoDBRecord) => void = () => {},
): Promise<DynamoDBBatchResponse> {
  for (const [i, record] of records.entries()) {
    const notification = outboxNotification(record);
    if (!notification) continue;
    try {
      await port.publish(detailTypeOf(notification), notification);
    } catch (error) {
      onError(error, record);
      // Lambda retries from the first failed sequence number (and everything after it in the shard).
      // Without one, failing the whole batch is the only way not to lose the record.
      const failed = records[i]?.dynamodb?.SequenceNumber;
      if (!failed) throw error;
      return { batchItemFailures: [{ itemIdentifier: failed }] };
    }
  }
  return { batchItemFailures: [] };
}
