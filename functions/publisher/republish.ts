import type { ApplicationStore } from '../../shared/store/ports.ts';
import { detailTypeOf, type EventPort } from './publish.ts';

export interface RepublishReport {
  readonly published: number;
  /** The last step time published, to resume from after a failure. */
  readonly lastAt?: string;
}

/**
 * Puts the outbox's notifications between two instants on the bus again, oldest first, exactly as
 * the publisher does. The recovery path when the publisher gave up on records (the
 * publish-failures alarm): the outbox keeps every notification, so nothing needs the stream.
 * Consumers dedupe on applicationId + seq + action, so a generous window does no harm.
 */
export async function republish(
  store: Pick<ApplicationStore, 'outboxBetween'>,
  port: EventPort | undefined,
  window: { from: string; to: string },
  onEach: (detailType: string, at: string) => void = () => {},
): Promise<RepublishReport> {
  let published = 0;
  let lastAt: string | undefined;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await store.outboxBetween(window.from, window.to, 100, startKey);
    for (const notification of page.items) {
      const detailType = detailTypeOf(notification);
      await port?.publish(detailType, notification);
      onEach(detailType, notification.at);
      published += 1;
      lastAt = notification.at;
    }
    startKey = page.lastKey;
  } while (startKey);
  return { published, ...(lastAt ? { lastAt } : {}) };
}
