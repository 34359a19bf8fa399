/**
 * The inbox locally (docs/runtime.md#the-inbox): in AWS the notifier puts each notification
 * in the inboxes of the users it names when the bus brings it; here the server does it itself,
 * after a write request that succeeded and after each sweep, before either answers, for the
 * notifications the outbox received meanwhile, with the local user directory as the members of
 * roles and organisations. Off until `enableLocalInbox` (`npm start` turns it on).
 */
import { isDocumentOutboxItem } from '../shared/domain/document-outbox.ts';
import type { Notification } from '../shared/domain/notifications.ts';

let enabled = false;
/** One run at a time, in order. */
let queue: Promise<unknown> = Promise.resolve();

export function enableLocalInbox(): void {
  enabled = true;
}

export function disableLocalInbox(): void {
  enabled = false;
}

/**
 * Delivers to the inboxes the notifications whose outbox items were written between two instants
 * (ISO, by the handlers' clock, inclusive); how many entries were added. Queued behind any run
 * still going. A notification delivered before adds nothing (the store's entries are idempotent).
 */
export function deliverInboxBetween(from: string, to: string): Promise<number> {
  if (!enabled) return Promise.resolve(0);
  const run = queue.then(async () => {
    const [
      { deliverToInbox, directoryMembers },
      { getInboxStore, getStore },
      { installedUserDirectory },
      { now },
    ] = await Promise.all([
      import('../functions/notifier/inbox.ts'),
      import('../shared/runtime/clients.ts'),
      import('../shared/runtime/user-directory.ts'),
      import('../shared/runtime/now.ts'),
    ]);
    const directory = installedUserDirectory();
    if (!directory) return 0;
    const members = directoryMembers(directory);
    let added = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await getStore().outboxBetween(from, to, 100, startKey);
      for (const item of page.items as unknown[]) {
        if (isDocumentOutboxItem(item as Notification)) continue;
        const report = await deliverToInbox(item as Notification, members, getInboxStore(), now());
        added += report.added;
      }
      startKey = page.lastKey;
    } while (startKey);
    return added;
  });
  queue = run.catch(() => undefined);
  return run;
}

/** Every run queued so far, finished (tests wait on it). */
export function localInboxIdle(): Promise<void> {
  return queue.then(() => undefined);
}
