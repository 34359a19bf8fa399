import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  counterAfterDelivery,
  counterAfterReading,
  counterAfterReadingAll,
  deliveryInstant,
  emptyCounter,
  type InboxCounter,
  type InboxEntry,
  isRead,
  MAX_READ_IDS,
} from '../domain/inbox.ts';
import { ConcurrentChangeError, mapDynamoError } from './errors.ts';
import { inboxCounterKey, inboxEntryKey, inboxEntrySkPrefix, inboxPk, withoutKeys } from './keys.ts';
import type { InboxPage, InboxStore, Key } from './ports.ts';

/** Tries of a write whose counter another writer moved meanwhile (the same user's inbox only). */
const TRIES = 20;

/** The reasons DynamoDB gave for cancelling a transaction, one per item ('None' when it passed). */
function reasonsOf(error: unknown): string[] | undefined {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] } | null;
  if (e?.name !== 'TransactionCanceledException') return undefined;
  return (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

/** A short wait before another try, longer each time, a little random so two writers part. */
const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));

/**
 * The InboxStore port (shared/store/ports.ts) on DynamoDB: a partition per user, `INBOX#<sub>`,
 * with one item per entry and the counter (shared/store/keys.ts). Every write is a Put inside
 * TransactWriteItems (the functions are granted no UpdateItem): the entry on
 * `attribute_not_exists`, the counter on the version it was read at; a writer that lost to another
 * reads again and retries.
 */
export function inboxStore(doc: DynamoDBDocumentClient, table: string): InboxStore {
  async function counterOf(userId: string): Promise<InboxCounter> {
    const out = await doc.send(
      new GetCommand({ TableName: table, Key: inboxCounterKey(userId), ConsistentRead: true }),
    );
    if (!out.Item) return emptyCounter;
    const { unread, version, allReadAt, lastDeliveredAt } = out.Item as Partial<InboxCounter>;
    return {
      unread: typeof unread === 'number' ? unread : 0,
      version: typeof version === 'number' ? version : 0,
      ...(typeof allReadAt === 'string' ? { allReadAt } : {}),
      ...(typeof lastDeliveredAt === 'string' ? { lastDeliveredAt } : {}),
    };
  }

  /** The counter's Put, on the condition that it is still at the version read (or still absent). */
  function counterPut(userId: string, read: InboxCounter, next: InboxCounter) {
    return {
      Put: {
        TableName: table,
        Item: { ...next, ...inboxCounterKey(userId) },
        ConditionExpression:
          read.version === 0 ? 'attribute_not_exists(pk)' : 'attribute_exists(pk) AND #v = :v',
        ...(read.version === 0
          ? {}
          : {
              ExpressionAttributeNames: { '#v': 'version' },
              ExpressionAttributeValues: { ':v': read.version },
            }),
      },
    };
  }

  /**
   * Runs `attempt` until its transaction is written; 'kept' when `kept(reasons)` says a lost
   * condition means there is nothing to do. Other failures come out as the API's errors.
   */
  async function retrying<T>(
    attempt: () => Promise<T>,
    settled: (reasons: string[]) => T | undefined,
  ): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        const reasons = reasonsOf(error);
        const done = reasons && settled(reasons);
        if (done !== undefined) return done;
        const lost =
          reasons?.some((r) => r === 'ConditionalCheckFailed' || r === 'TransactionConflict') ||
          (error as { name?: string } | null)?.name === 'TransactionConflictException';
        if (!lost) throw mapDynamoError(error);
        if (n >= TRIES)
          throw new ConcurrentChangeError(
            'the inbox was changed by another request at the same time; retry',
            false,
          );
        await pause(n);
      }
    }
  }

  return {
    async deliver(userId, entry, now) {
      const { sortKey } = sortKeyOfEntry(entry);
      return retrying(
        async () => {
          const counter = await counterOf(userId);
          const deliveredAt = deliveryInstant(now, counter);
          await doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: table,
                    Item: { ...entry, deliveredAt, ...inboxEntryKey(userId, sortKey) },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
                counterPut(userId, counter, counterAfterDelivery(counter, deliveredAt)),
              ],
            }),
          );
          return true;
        },
        // The entry is there already: delivered before; nothing to add, nothing to count.
        (reasons) => (reasons[0] === 'ConditionalCheckFailed' ? false : undefined),
      );
    },

    async page(userId, limit, startKey?: Key): Promise<InboxPage> {
      try {
        const [out, counter] = await Promise.all([
          doc.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
              ExpressionAttributeValues: { ':pk': inboxPk(userId), ':prefix': inboxEntrySkPrefix },
              ScanIndexForward: false,
              ConsistentRead: true,
              Limit: limit,
              ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            }),
          ),
          counterOf(userId),
        ]);
        const items = (out.Items ?? []).map((item) => {
          const entry = withoutKeys<InboxEntry>(item);
          return { ...entry, read: isRead(entry, counter) };
        });
        return {
          items,
          ...(out.LastEvaluatedKey ? { lastKey: out.LastEvaluatedKey } : {}),
          unreadCount: counter.unread,
        };
      } catch (error) {
        throw mapDynamoError(error);
      }
    },

    async markRead(userId, which, now) {
      if (which === 'all') {
        return retrying(
          async () => {
            const counter = await counterOf(userId);
            const next = counterAfterReadingAll(counter, now);
            await doc.send(new TransactWriteCommand({ TransactItems: [counterPut(userId, counter, next)] }));
            return { marked: counter.unread, unreadCount: 0 };
          },
          () => undefined,
        );
      }
      const sortKeys = [...new Set(which)].slice(0, MAX_READ_IDS);
      return retrying(
        async () => {
          const counter = await counterOf(userId);
          const found = await Promise.all(
            sortKeys.map(async (sortKey) => {
              const out = await doc.send(
                new GetCommand({
                  TableName: table,
                  Key: inboxEntryKey(userId, sortKey),
                  ConsistentRead: true,
                }),
              );
              return out.Item ? { sortKey, entry: withoutKeys<InboxEntry>(out.Item) } : undefined;
            }),
          );
          const unread = found.filter(
            (f): f is { sortKey: string; entry: InboxEntry } => f !== undefined && !isRead(f.entry, counter),
          );
          if (unread.length === 0) return { marked: 0, unreadCount: counter.unread };
          const readAt = now.toISOString();
          const next = counterAfterReading(counter, unread.length);
          await doc.send(
            new TransactWriteCommand({
              TransactItems: [
                counterPut(userId, counter, next),
                ...unread.map(({ sortKey, entry }) => ({
                  Put: {
                    TableName: table,
                    Item: { ...entry, readAt, ...inboxEntryKey(userId, sortKey) },
                    ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#readAt)',
                    ExpressionAttributeNames: { '#readAt': 'readAt' },
                  },
                })),
              ],
            }),
          );
          return { marked: unread.length, unreadCount: next.unread };
        },
        () => undefined,
      );
    },
  };
}

/** An entry's sort key, from its id (the id is its sort key encoded). */
function sortKeyOfEntry(entry: Pick<InboxEntry, 'id'>): { sortKey: string } {
  return { sortKey: Buffer.from(entry.id, 'base64url').toString('utf8') };
}
