// @ts-nocheck
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactGetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Notification } from '../domain/notifications.ts';
import type { Application, AuditEvent, Notice } from '../domain/types.ts';
import { IdempotencyRaceError, send } from './errors.ts';
import {
  appIndexKeys,
  appKey,
  eventItem,
  idempotencyKey,
  indexes,
  noticeKey,
  noticesPk,
  outboxKey,
  outboxPk,
  sweepPk,
  withoutKeys,
} from './keys.ts';
import { eventsQuery, newestFirst } from './partition.ts';
import type {
  ApplicationStore,
  Commit,
  IdempotencyRecord,
  Key,
  ListQuery,
  Loaded,
  Page,
  QueuePage,
  QueueQuery,
  StreamPosition,
} from './ports.ts';

export interface TableNames {
  table: string;
  idempotencyTable: string;
}

/** The ApplicationStore port (shared/store/ports.ts) on DynamoDB: the main and the idempotency table. */
export function applicationStore(doc: DynamoDBDocumentClient, names: TableNames): ApplicationStore {
  const { table, idempotencyTable } = names;

  function loaded(item: Record<string, unknown> | undefined): Loaded | undefined {
    if (!item) return undefined;
    return { app: withoutKeys<Application>(item), headHash: String(item.headHash) };
  }

  return {
    /** One strongly consistent read. */
    async get(id: string): Promise<Loaded | undefined> {
      const out = await send(() =>
        doc.send(new GetCommand({ TableName: table, Key: appKey(id), ConsistentRead: true })),
      );
      return loaded(out.Item);
    },

    /** The record, unless it has expired (TTL deletion may lag by days). */
    async getIdempotency(scope: string, now: Date): Promise<IdempotencyRecord | undefined> {
      const out = await send(() =>
        doc.send(
          new GetCommand({ TableName: idempotencyTable, Key: idempotencyKey(scope), ConsistentRead: true }),
        ),
      );
      return live(out.Item, now);
    },

    /** The application and an idempotency record in one round trip. */
    async getWithIdempotency(
      id: string,
      scope: string,
      now: Date,
    ): Promise<{ loaded?: Loaded; record?: IdempotencyRecord }> {
      const out = await send(() =>
        keyInFlight(
          doc.send(
            new TransactGetCommand({
              TransactItems: [
                { Get: { TableName: table, Key: appKey(id) } },
                { Get: { TableName: idempotencyTable, Key: idempotencyKey(scope) } },
              ],
            }),
          ),
          1,
        ),
      );
      const [appItem, idemItem] = out.Responses ?? [];
      const app = loaded(appItem?.Item);
      const result: { loaded?: Loaded; record?: IdempotencyRecord } = {};
      if (app) result.loaded = app;
      const record = live(idemItem?.Item, now);
      if (record) result.record = record;
      return result;
    },

    /**
     * One state change as one transaction: the application (conditioned on the version it was
     * read at), its event (conditioned on not existing, so seq stays gap-free and unique), any
     * public notice, its outbox notifications, and the idempotency record (conditioned on not
     * existing).
     */
    async commit(change: Commit): Promise<void> {
      const { app, event, notice, outbox, idempotency } = change;
      const expected = event.seq - 1;
      const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
        {
          Put: {
            TableName: table,
            Item: { ...app, ...appKey(app.id), ...appIndexKeys(app), headHash: event.hash },
            ...(expected === 0
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#version = :expected',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':expected': expected },
                }),
          },
        },
        {
          Put: {
            TableName: table,
            // With its audit index attributes, so the event is queryable from the moment it exists.
            Item: eventItem(event),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
      if (notice) items.push({ Put: { TableName: table, Item: { ...notice, ...noticeKey(notice) } } });
      for (const [n, notification] of (outbox ?? []).entries()) {
        items.push({
          Put: {
            TableName: table,
            Item: { ...notification, ...outboxKey(notification, n) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      let idempotencyIndex: number | undefined;
      if (idempotency) {
        idempotencyIndex = items.length;
        items.push({
          Put: {
            TableName: idempotencyTable,
            Item: {
              ...idempotency.record,
              ...idempotencyKey(idempotency.scope),
              // From the later of the request's time and the wall clock: the same in AWS, but a
              // local clock moved into the past (POST /local/clock) must not have DynamoDB Local's
              // TTL, which runs on the wall clock, delete the record while its replay window is open.
              expiresAt:
                Math.floor(Math.max(Date.parse(idempotency.record.createdAt), Date.now()) / 1000) +
                idempotency.ttlSeconds,
            },
            // An expired record that TTL has not yet deleted may be taken over.
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: {
              ':now': Math.floor(Date.parse(idempotency.record.createdAt) / 1000),
            },
          },
        });
      }
      await send(
        () => keyInFlight(doc.send(new TransactWriteCommand({ TransactItems: items })), idempotencyIndex),
        idempotencyIndex,
      );
    },

    async list(query: ListQuery): Promise<Page<Application>> {
      const index = indexes[query.index];
      const filters = Object.entries(query.filters ?? {});
      const names: Record<string, string> = { '#pk': index.partitionKey.name };
      const values: Record<string, unknown> = { ':pk': query.partition };
      for (const [i, [name, value]] of filters.entries()) {
        names[`#f${i}`] = name;
        values[`:f${i}`] = value;
      }
      const input: QueryCommandInput = {
        TableName: table,
        IndexName: index.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: query.limit,
      };
      if (query.startKey) input.ExclusiveStartKey = query.startKey;
      if (filters.length) {
        input.FilterExpression = filters.map((_, i) => `#f${i} = :f${i}`).join(' AND ');
      }
      const out = await send(() => doc.send(new QueryCommand(input)));
      return page(out.Items, out.LastEvaluatedKey);
    },

    /**
     * What waits on a caller: several partitions of the queue index (their own, their roles'),
     * each read in due-date order, merged into one due-date order (a k-way merge). Each stream is
     * read ahead until it holds `limit` items or ends, so the merge never takes an item while a
     * smaller one may still be unread; the page's positions are each stream's last item taken.
     */
    async waiting(query: QueueQuery): Promise<QueuePage> {
      const index = indexes.queue;
      const skName = index.sortKey.name;
      const filters = Object.entries(query.filters ?? {});
      const names: Record<string, string> = { '#pk': index.partitionKey.name, '#after': 'waitsAfter' };
      const baseValues: Record<string, unknown> = { ':today': query.today };
      for (const [i, [name, value]] of filters.entries()) {
        names[`#f${i}`] = name;
        baseValues[`:f${i}`] = value;
      }
      const filter = [
        '(attribute_not_exists(#after) OR #after < :today)',
        ...filters.map((_, i) => `#f${i} = :f${i}`),
      ].join(' AND ');

      interface Stream {
        buffer: Record<string, unknown>[];
        next: Key | undefined;
        ended: boolean;
        taken?: Record<string, unknown>;
        start: StreamPosition;
      }
      const streams: Stream[] = query.partitions.map((_, i) => {
        const start = query.positions?.[i] ?? null;
        return {
          buffer: [],
          next: start && start !== 'done' ? start : undefined,
          ended: start === 'done',
          start,
        };
      });

      await Promise.all(
        streams.map(async (stream, i) => {
          while (!stream.ended && stream.buffer.length < query.limit) {
            const input: QueryCommandInput = {
              TableName: table,
              IndexName: index.indexName,
              KeyConditionExpression: '#pk = :pk',
              FilterExpression: filter,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: { ...baseValues, ':pk': query.partitions[i] },
              ScanIndexForward: true,
              Limit: query.limit,
            };
            if (stream.next) input.ExclusiveStartKey = stream.next;
            const out = await send(() => doc.send(new QueryCommand(input)));
            stream.buffer.push(...(out.Items ?? []));
            stream.next = out.LastEvaluatedKey;
            if (!out.LastEvaluatedKey) stream.ended = true;
          }
        }),
      );

      const items: Record<string, unknown>[] = [];
      while (items.length < query.limit) {
        let best: Stream | undefined;
        for (const stream of streams) {
          const head = stream.buffer[0];
          if (head && (!best || String(head[skName]) < String(best.buffer[0]?.[skName]))) best = stream;
        }
        if (!best) break;
        const item = best.buffer.shift() as Record<string, unknown>;
        best.taken = item;
        items.push(item);
      }

      const positions = streams.map((stream): StreamPosition => {
        if (stream.ended && stream.buffer.length === 0) return 'done';
        if (stream.taken) {
          // The index's start key: the table key and the index key of the last item taken.
          const key: Key = {};
          for (const name of ['pk', 'sk', index.partitionKey.name, skName]) key[name] = stream.taken[name];
          return key;
        }
        return stream.start;
      });
      const result: QueuePage = { items: items.map((i) => withoutKeys<Application>(i)) };
      if (positions.some((p) => p !== 'done')) result.positions = positions;
      return result;
    },

    /** Applications whose next check day has come: the sweeper's work, read from its sparse index. */
    async dueForSweep(today: string, limit: number, startKey?: Key): Promise<Page<Loaded>> {
      const index = indexes.sweep;
      const out = await send(() =>
        doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: index.indexName,
            KeyConditionExpression: '#pk = :pk AND #sk < :until',
            ExpressionAttributeNames: { '#pk': index.partitionKey.name, '#sk': index.sortKey.name },
            // Every day up to and including today: "<date>#<id>" sorts before "<today>#~".
            ExpressionAttributeValues: { ':pk': sweepPk, ':until': `${today}#~` },
            Limit: limit,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      const items = (out.Items ?? []).flatMap((item) => loaded(item) ?? []);
      return out.LastEvaluatedKey ? { items, lastKey: out.LastEvaluatedKey } : { items };
    },

    async events(id: string, limit: number, startKey?: Key): Promise<Page<AuditEvent>> {
      const out = await send(() =>
        doc.send(
          new QueryCommand({
            ...eventsQuery(table, id),
            Limit: limit,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      return page(out.Items, out.LastEvaluatedKey);
    },

    /**
     * The outbox between two instants (ISO, inclusive), oldest first: for republishing what the
     * publisher gave up on (scripts/republish-outbox.ts). Items are keyed by their step's time.
     */
    async outboxBetween(
      from: string,
      to: string,
      limit: number,
      startKey?: Key,
    ): Promise<Page<Notification>> {
      const out = await send(() =>
        doc.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            // `to` + U+FFFF: every key of that instant, whatever application and seq follow it.
            ExpressionAttributeValues: { ':pk': outboxPk, ':from': from, ':to': `${to}\uffff` },
            ScanIndexForward: true,
            ConsistentRead: true,
            Limit: limit,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      return page(out.Items, out.LastEvaluatedKey);
    },

    /** The outbox, newest first. */
    async outbox(limit: number, startKey?: Key): Promise<Page<Notification>> {
      const out = await send(() =>
        doc.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': outboxPk },
            ScanIndexForward: false,
            ConsistentRead: true,
            Limit: limit,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      return page(out.Items, out.LastEvaluatedKey);
    },

    notices(limit: number, startKey?: Key): Promise<Page<Notice>> {
      return newestFirst<Notice>(doc, table, noticesPk, limit, startKey);
    },
  };
}

/**
 * DynamoDB cancels a transaction with TransactionConflict on an item that another transaction is
 * writing at that moment. On the idempotency record (at `index`) that can only be a request with
 * the same key, still in flight: an IdempotencyRaceError, so that the caller answers with its
 * response once written, or a 409 "in flight", rather than a "concurrent change" to reload for.
 * DynamoDB Local serialises transactions and never reports this.
 */
async function keyInFlight<T>(sent: Promise<T>, index: number | undefined): Promise<T> {
  try {
    return await sent;
  } catch (error) {
    const e = (error as { name?: unknown; CancellationReasons?: { Code?: string }[] } | null) ?? {};
    if (
      index !== undefined &&
      e.name === 'TransactionCanceledException' &&
      e.CancellationReasons?.[index]?.Code === 'TransactionConflict'
    )
      throw new IdempotencyRaceError('a request with this idempotency key is being written');
    throw error;
  }
}

function live(item: Record<string, unknown> | undefined, now: Date): IdempotencyRecord | undefined {
  if (!item) return undefined;
  const expiresAt = Number(item.expiresAt);
  return Number.isFinite(expiresAt) && expiresAt * 1000 < now.getTime()
    ? undefined
    : withoutKeys<IdempotencyRecord>(item);
}

function page<T>(items: Record<string, unknown>[] | undefined, lastKey: Key | undefined): Page<T> {
  const result: Page<T> = { items: (items ?? []).map((i) => withoutKeys<T>(i)) };
  if (lastKey) result.lastKey = lastKey;
  return result;
}
