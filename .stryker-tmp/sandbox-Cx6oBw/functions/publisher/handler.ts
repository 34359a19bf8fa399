// @ts-nocheck
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logContext, logger } from '../../shared/runtime/logger.ts';
import { eventBridgePort } from './event-bridge.ts';
import { type EventPort, publishOutbox } from './publish.ts';

/**
 * The outbox publisher: the main table's stream, filtered by the event source mapping to INSERTs
 * in the OUTBOX partition, onto the service's EventBridge bus. Records that fail are reported
 * (ReportBatchItemFailures), so Lambda retries from the first of them; none is skipped.
 */
let port: EventPort | undefined;

/** The client is made once per execution environment, at the first event (nothing at import). */
function eventPort(): EventPort {
  if (!port) {
    const busName = process.env.EVENT_BUS_NAME;
    if (!busName) throw new Error('Missing or invalid environment: EVENT_BUS_NAME');
    port = eventBridgePort(new EventBridgeClient({}), busName);
  }
  return port;
}

export const handler = middy(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const result = await publishOutbox(event.Records, eventPort(), (error, record) =>
    logger.warn('publish failed', {
      error: { name: (error as Error)?.name, message: (error as Error)?.message },
      sequenceNumber: record.dynamodb?.SequenceNumber,
    }),
  );
  if (result.batchItemFailures.length > 0) {
    logger.warn('publish failed; the stream retries from the first failed record', {
      records: event.Records.length,
      failedFrom: result.batchItemFailures[0]?.itemIdentifier,
    });
  }
  return result;
}).use(logContext());
