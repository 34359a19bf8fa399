import type { IsoDate } from './calendar.ts';
import type { Bilingual, Notification } from './notifications.ts';

/**
 * The inbox (docs/runtime.md#the-inbox): every notification that names a signed-in user, by
 * their account, by a role they hold or by their organisation, kept for them as one entry, newest
 * first, with a count of the entries they have not read. Pure: no AWS here.
 */

/** One notification as kept in one user's inbox. */
export interface InboxEntry {
  /** The entry's id in the API: the notification's place (time, application, seq, action). */
  id: string;
  /** The case it is about; absent for a notice about no case (the admins' calendar reminder). */
  applicationId?: string;
  seq: number;
  action: string;
  /** When the notification was made (its event's instant). */
  at: string;
  /** When it reached this inbox: entries delivered after the last "mark all read" stay unread. */
  deliveredAt: string;
  subject: Bilingual;
  body: Bilingual;
  deadline?: IsoDate;
  provisional?: true;
  /** When its reader opened it or marked it read; absent while unread (or read by `allReadAt`). */
  readAt?: string;
}

/**
 * The inbox's counter, written in the same transaction as every change of an entry's read state:
 * `unread` is the number of entries not read; `version` moves on every write (the condition of the
 * next one); `allReadAt` is when its owner last marked everything read (entries delivered up to it
 * are read); `lastDeliveredAt` is the latest delivery, so that "everything" includes it whatever
 * the clocks of the writers.
 */
export interface InboxCounter {
  unread: number;
  version: number;
  allReadAt?: string;
  lastDeliveredAt?: string;
}

export const emptyCounter: InboxCounter = { unread: 0, version: 0 };

/** At most so many ids in one "mark these read". */
export const MAX_READ_IDS = 50;

/** The sort key of a notification's entry: newest first when read backwards; one per notification. */
export function entrySortKey(n: Pick<Notification, 'at' | 'applicationId' | 'seq' | 'action'>): string {
  return `${n.at}#${n.applicationId}#${String(n.seq).padStart(10, '0')}#${n.action}`;
}

/** The API's id of an entry: its sort key, base64url-encoded so that it is one token. */
export function entryIdOf(sortKey: string): string {
  return Buffer.from(sortKey, 'utf8').toString('base64url');
}

/** The sort key an id names; undefined when it cannot be one (never two spellings of one id). */
export function sortKeyOfId(id: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,300}$/.test(id)) return undefined;
  const sortKey = Buffer.from(id, 'base64url').toString('utf8');
  if (Buffer.from(sortKey, 'utf8').toString('base64url') !== id) return undefined;
  return sortKey.split('#').length === 4 ? sortKey : undefined;
}

/** Whether the calendar reminder (or another notice about no case) rather than a case's notification. */
const aboutNoCase = (n: Pick<Notification, 'action'>) => n.action === 'calendar_reminder';

/** The entry a notification makes in an inbox, delivered at `deliveredAt`. */
export function entryOf(n: Notification, deliveredAt: string): InboxEntry {
  return {
    id: entryIdOf(entrySortKey(n)),
    ...(aboutNoCase(n) ? {} : { applicationId: n.applicationId }),
    seq: n.seq,
    action: n.action,
    at: n.at,
    deliveredAt,
    subject: n.subject,
    body: n.body,
    ...(n.deadline ? { deadline: n.deadline } : {}),
    ...(n.provisional ? { provisional: true as const } : {}),
  };
}

/** Read: opened or marked read itself, or delivered before its owner last marked everything read. */
export function isRead(entry: Pick<InboxEntry, 'readAt' | 'deliveredAt'>, counter: InboxCounter): boolean {
  return (
    entry.readAt !== undefined || (counter.allReadAt !== undefined && entry.deliveredAt <= counter.allReadAt)
  );
}

/** The later of two ISO instants (either may be absent). */
export function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a >= b ? a : b;
}

/**
 * When a new entry counts as delivered: now, but never at or before the last "mark all read"
 * (a writer whose clock lags must not deliver an entry that is read already).
 */
export function deliveryInstant(now: Date, counter: InboxCounter): string {
  const at = now.toISOString();
  if (counter.allReadAt === undefined || at > counter.allReadAt) return at;
  return new Date(new Date(counter.allReadAt).getTime() + 1).toISOString();
}

/** The counter after a new entry: one more unread. */
export function counterAfterDelivery(counter: InboxCounter, deliveredAt: string): InboxCounter {
  return {
    ...counter,
    unread: counter.unread + 1,
    version: counter.version + 1,
    lastDeliveredAt: later(counter.lastDeliveredAt, deliveredAt) ?? deliveredAt,
  };
}

/** The counter after `marked` entries were read one by one. */
export function counterAfterReading(counter: InboxCounter, marked: number): InboxCounter {
  return { ...counter, unread: Math.max(0, counter.unread - marked), version: counter.version + 1 };
}

/** The counter after everything was marked read at `now`. */
export function counterAfterReadingAll(counter: InboxCounter, now: Date): InboxCounter {
  return {
    ...counter,
    unread: 0,
    version: counter.version + 1,
    allReadAt: later(now.toISOString(), counter.lastDeliveredAt) ?? now.toISOString(),
  };
}
