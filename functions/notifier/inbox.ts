import { entryOf } from '../../shared/domain/inbox.ts';
import type { Notification, Recipient } from '../../shared/domain/notifications.ts';
import type { UserDirectory } from '../../shared/runtime/user-directory.ts';
import type { InboxStore } from '../../shared/store/ports.ts';

/**
 * The inbox side of a notification (docs/runtime.md#the-inbox): every signed-in user it
 * names, by their account, a role they hold or their organisation, gets it as an entry in their
 * inbox. The public who asked for a hearing have no account: they are only mailed.
 */
export interface Members {
  /** The ids (`sub`) of the accounts a recipient names: itself, a role's group, an organisation's applicants. */
  usersOf(recipient: Recipient): Promise<string[]>;
}

export interface InboxReport {
  /** Users the notification names. */
  readonly users: number;
  /** Entries added now (a retried delivery adds none). */
  readonly added: number;
}

/**
 * Puts the notification in the inbox of each user it names, once per user however many of its
 * recipients name them. Idempotent: the entry's key is the notification's, so a retry (Lambda's, or
 * the bus's at-least-once delivery) adds nothing and counts nothing twice. A failed write throws,
 * and the whole notification is retried.
 */
export async function deliverToInbox(
  n: Notification,
  members: Members,
  store: InboxStore,
  now: Date,
): Promise<InboxReport> {
  const users = new Set<string>();
  for (const recipient of n.recipients) {
    for (const id of await members.usersOf(recipient)) users.add(id);
  }
  const { deliveredAt: _, ...entry } = entryOf(n, now.toISOString());
  let added = 0;
  for (const userId of [...users].sort()) {
    if (await store.deliver(userId, entry, now)) added += 1;
  }
  return { users: users.size, added };
}

/** How many accounts a page of the directory holds. */
const PAGE = 60;

/**
 * The members of a recipient in a user directory (the local one of `npm start`, or any other
 * that lists its accounts): enabled accounts only; an organisation is its applicants.
 */
export function directoryMembers(directory: Pick<UserDirectory, 'list'>): Members {
  return {
    async usersOf(recipient) {
      if (recipient.kind === 'user') return [recipient.id];
      if (recipient.kind === 'hearingRequesters') return [];
      const ids: string[] = [];
      let next: string | undefined;
      do {
        const page = await directory.list({ limit: PAGE, ...(next === undefined ? {} : { next }) });
        for (const u of page.users) {
          if (!u.enabled) continue;
          const named =
            recipient.kind === 'role'
              ? u.groups.includes(recipient.role)
              : u.groups.includes('applicant') && u.orgCode === recipient.orgCode;
          if (named) ids.push(u.id);
        }
        next = page.next;
      } while (next !== undefined);
      return ids;
    },
  };
}
