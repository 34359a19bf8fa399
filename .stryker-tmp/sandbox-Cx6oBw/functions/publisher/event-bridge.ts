// @ts-nocheck
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Notification } from '../../shared/domain/notifications.ts';
import type { EventPort } from './publish.ts';

/** The `source` of every domain event the service puts on its bus; rules match on it. */
export const EVENT_SOURCE = 'eia.approval';

/** PutEvents answers 200 even when it drops an entry: the entry's error code says so. */
export class PublishRefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`EventBridge refused the event: ${code}: ${message}`);
    this.name = 'PublishRefusedError';
  }
}

/**
 * `EventPort` on an EventBridge bus: one PutEvents per notification, in stream order. A refused
 * entry throws, so the stream record is retried rather than lost.
 */
export function eventBridgePort(client: EventBridgeClient, busName: string): EventPort {
  return {
    async publish(detailType: string, detail: Notification): Promise<void> {
      const res = await client.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: busName,
              Source: EVENT_SOURCE,
              DetailType: detailType,
              // Delivery is at least once: consumers dedupe on applicationId + seq + action.
              Time: new Date(detail.at),
              Detail: JSON.stringify(detail),
            },
          ],
        }),
      );
      const entry = res.Entries?.[0];
      if ((res.FailedEntryCount ?? 0) > 0 || !entry?.EventId) {
        throw new PublishRefusedError(entry?.ErrorCode ?? 'Unknown', entry?.ErrorMessage ?? 'no event id');
      }
    },
  };
}
