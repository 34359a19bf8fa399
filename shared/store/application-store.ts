import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactGetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PublicComment } from '../domain/comments.ts';
import type { IssuedDocument } from '../domain/decide.ts';
import type { DocumentOutboxItem } from '../domain/document-outbox.ts';
import { ConflictError } from '../domain/errors.ts';
import { findMatches, findTextOf } from '../domain/find.ts';
import type { HearingRequest } from '../domain/hearings.ts';
import { type NoticeSearch, noticeMatches, publishedBounds } from '../domain/notice-search.ts';
import type { Notification } from '../domain/notifications.ts';
import { counterId } from '../domain/numbers.ts';
import type { IndexedDates } from '../domain/recompute.ts';
import type { Application, AuditEvent, Notice } from '../domain/types.ts';
import {
  counterConflict,
  IdempotencyRaceError,
  ServiceUnavailableError,
  send,
  uploadConflict,
} from './errors.ts';
import {
  appIndexKeys,
  appKey,
  commentKey,
  commentSkPrefix,
  counterKey,
  docNoKey,
  eventItem,
  findPk,
  hearingRequestKey,
  hearingRequestSkPrefix,
  idempotencyKey,
  indexedDatesOf,
  indexes,
  noticeKey,
  noticeKeyOfId,
  noticesPk,
  outboxKey,
  outboxPk,
  statePk,
  sweepPk,
  withoutKeys,
} from './keys.ts';
import { eventsQuery, newestFirst, putNew } from './partition.ts';
import type {
  ApplicationStore,
  Commit,
  DocumentNumberRecord,
  FindQuery,
  IdempotencyRecord,
  Key,
  ListQuery,
  Loaded,
  MergedListQuery,
  MergedPage,
  Page,
  QueuePage,
  QueueQuery,
  StreamPosition,
} from './ports.ts';
import type { IndexDef } from './table.ts';
import { markStoredPut } from './upload-store.ts';

export interface TableNames {
  table: string;
  idempotencyTable: string;
}

/** The most notices one page of a notice search reads, and in how many Queries at most. */
export const SEARCH_READ_BUDGET = 1000;
const SEARCH_MAX_CALLS = 10;
/** How many notices a search reads at a time (at least a page's worth). */
const SEARCH_CHUNK = 100;

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
      const { app, event, notice, notices, outbox, idempotency } = change;
      const expected = event.seq - 1;
      const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
        {
          Put: {
            TableName: table,
            Item: {
              ...app,
              ...appKey(app.id),
              // A deleted draft keeps its item (its trail replays to it) but leaves every index.
              ...(app.deletedAt === undefined ? appIndexKeys(app, change.calendar, change.config) : {}),
              headHash: event.hash,
            },
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
      for (const n of [...(notice ? [notice] : []), ...(notices ?? [])])
        items.push({ Put: { TableName: table, Item: { ...n, ...noticeKey(n) } } });
      for (const [n, notification] of (outbox ?? []).entries()) {
        items.push({
          Put: {
            TableName: table,
            Item: { ...notification, ...outboxKey(notification, n) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      // The upload records the act found stored: the first storedAt stays.
      const uploadsFrom = items.length;
      for (const { record, stored } of change.uploadsStored ?? [])
        items.push(markStoredPut(table, record, stored));
      const uploadsTo = items.length;
      // A written document: its number from the counter, moved on the value read; its number's
      // lookup item, never over another; the outbox item the documents function renders it from.
      let counterIndex: number | undefined;
      if (change.issued) {
        counterIndex = items.length;
        items.push(...documentItems(table, change.issued, event, outbox?.length ?? 0));
      }
      // A public comment, or the case officer's one response to it (on the condition that it has none).
      if (change.comment) {
        items.push({
          Put: {
            TableName: table,
            Item: {
              ...change.comment,
              ...commentKey(change.comment.applicationId, change.comment.commentId),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      if (change.commentAnswered) {
        const c = change.commentAnswered;
        items.push({
          Put: {
            TableName: table,
            Item: { ...c, ...commentKey(c.applicationId, c.commentId) },
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#response)',
            ExpressionAttributeNames: { '#response': 'response' },
          },
        });
      }
      // An interested party's hearing request, like a comment: never over another.
      if (change.hearingRequest) {
        const r = change.hearingRequest;
        items.push({
          Put: {
            TableName: table,
            Item: { ...r, ...hearingRequestKey(r.applicationId, r.hearingRequestId) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      let idempotencyIndex: number | undefined;
      if (idempotency) {
        idempotencyIndex = items.length;
        items.push(idempotencyPut(idempotencyTable, idempotency));
      }
      await send(
        () =>
          keyInFlight(doc.send(new TransactWriteCommand({ TransactItems: items })), idempotencyIndex).catch(
            (error: unknown) => {
              throw uploadConflict(counterConflict(error, counterIndex), uploadsFrom, uploadsTo);
            },
          ),
        idempotencyIndex,
      );
    },

    /** The value of a document number counter (0 when none was taken yet), strongly consistent. */
    async counter(id: string): Promise<number> {
      const out = await send(() =>
        doc.send(new GetCommand({ TableName: table, Key: counterKey(id), ConsistentRead: true })),
      );
      const value = out?.Item?.value;
      return typeof value === 'number' ? value : 0;
    },

    /** What a document number names, or undefined. */
    async documentNumbered(number: string): Promise<DocumentNumberRecord | undefined> {
      const out = await send(() => doc.send(new GetCommand({ TableName: table, Key: docNoKey(number) })));
      return out.Item ? withoutKeys<DocumentNumberRecord>(out.Item) : undefined;
    },

    async remember(idempotency: NonNullable<Commit['idempotency']>): Promise<boolean> {
      try {
        const put = idempotencyPut(idempotencyTable, idempotency);
        await send(() => keyInFlight(doc.send(new TransactWriteCommand({ TransactItems: [put] })), 0), 0);
        return true;
      } catch (error) {
        if (error instanceof IdempotencyRaceError) return false;
        throw error;
      }
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
      if (query.find?.length) {
        // A search within one partition (an owner's): read until the page is full, within a budget.
        const found = findFilter(query.find);
        const input: QueryCommandInput = {
          TableName: table,
          IndexName: index.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { ...names, ...found.names },
          ExpressionAttributeValues: { ...values, ...found.values },
          FilterExpression: [...filters.map((_, i) => `#f${i} = :f${i}`), found.filter].join(' AND '),
          ScanIndexForward: false,
        };
        if (query.startKey) input.ExclusiveStartKey = query.startKey;
        const read = await readMatching(doc, input, query.limit, index);
        return page(read.items, read.lastKey);
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
     * Several partitions of one index merged newest first: an applicant's own applications and
     * their organisation's walk-ins (GET /applications).
     */
    async listMerged(query: MergedListQuery): Promise<MergedPage> {
      const filters = Object.entries(query.filters ?? {});
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      for (const [i, [name, value]] of filters.entries()) {
        names[`#f${i}`] = name;
        values[`:f${i}`] = value;
      }
      const found = query.find?.length ? findFilter(query.find) : undefined;
      const conditions = [...filters.map((_, i) => `#f${i} = :f${i}`), ...(found ? [found.filter] : [])];
      return merged(doc, table, {
        index: indexes[query.index],
        partitions: query.partitions,
        limit: query.limit,
        ascending: false,
        names: { ...names, ...found?.names },
        values: { ...values, ...found?.values },
        ...(conditions.length ? { filter: conditions.join(' AND ') } : {}),
        ...(found ? { budget: FIND_READ_BUDGET } : {}),
        ...(query.positions ? { positions: query.positions } : {}),
      });
    },

    /**
     * What waits on a caller: several partitions of the queue index (their own, their roles',
     * their organisation's), each read in due-date order and merged into one due-date order.
     */
    async waiting(query: QueueQuery): Promise<QueuePage> {
      const filters = Object.entries(query.filters ?? {});
      const names: Record<string, string> = { '#after': 'waitsAfter' };
      const values: Record<string, unknown> = { ':today': query.today };
      for (const [i, [name, value]] of filters.entries()) {
        names[`#f${i}`] = name;
        values[`:f${i}`] = value;
      }
      const found = query.find?.length ? findFilter(query.find) : undefined;
      const filter = [
        '(attribute_not_exists(#after) OR #after < :today)',
        ...filters.map((_, i) => `#f${i} = :f${i}`),
        ...(found ? [found.filter] : []),
      ].join(' AND ');
      return merged(doc, table, {
        index: indexes.queue,
        partitions: query.partitions,
        limit: query.limit,
        ascending: true,
        filter,
        names: { ...names, ...found?.names },
        values: { ...values, ...found?.values },
        ...(found ? { budget: FIND_READ_BUDGET } : {}),
        ...(query.positions ? { positions: query.positions } : {}),
      });
    },

    /**
     * A search of every application: the find index (its items hold only the keys, `findText`,
     * `state` and `category`) newest first, filtered, at most FIND_READ_BUDGET index items per
     * page; then what matched, read from the table by key in one BatchGetItem, strongly consistent
     * (a draft deleted since the index was read, or a case whose state has moved away from
     * `state=`, is left out).
     */
    async find(query: FindQuery): Promise<Page<Application>> {
      const index = indexes.find;
      const filters = Object.entries(query.filters ?? {});
      const found = findFilter(query.terms);
      const names: Record<string, string> = { '#pk': index.partitionKey.name, ...found.names };
      const values: Record<string, unknown> = { ':pk': findPk, ...found.values };
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
        FilterExpression: [...filters.map((_, i) => `#f${i} = :f${i}`), found.filter].join(' AND '),
        ScanIndexForward: false,
      };
      if (query.startKey) input.ExclusiveStartKey = query.startKey;
      const read = await readMatching(doc, input, query.limit, index);
      const apps = await getMany(
        doc,
        table,
        read.items.map((item) => ({ pk: item.pk, sk: item.sk })),
      );
      // The index lags the table: what it said of the words, state and category is checked on the
      // item (a case renamed a moment ago is not found by its old name).
      const items = apps.filter(
        (app) =>
          app.deletedAt === undefined &&
          findMatches(findTextOf(app), query.terms) &&
          filters.every(([name, value]) => (app as unknown as Record<string, unknown>)[name] === value),
      );
      return read.lastKey ? { items, lastKey: read.lastKey } : { items };
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

    async inState(
      state: string,
      limit: number,
      startKey?: Key,
    ): Promise<Page<Loaded & { indexed: IndexedDates }>> {
      const index = indexes.byState;
      const out = await send(() =>
        doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: index.indexName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': index.partitionKey.name },
            ExpressionAttributeValues: { ':pk': statePk(state) },
            Limit: limit,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      const items = (out.Items ?? []).flatMap((item) => {
        const found = loaded(item);
        return found ? [{ ...found, indexed: indexedDatesOf(item) }] : [];
      });
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

    async remindOnce(notification: Notification): Promise<boolean> {
      try {
        await putNew(doc, table, { ...notification, ...outboxKey(notification, 0) });
        return true;
      } catch (error) {
        if (error instanceof ConflictError) return false;
        throw error;
      }
    },

    notices(limit: number, startKey?: Key): Promise<Page<Notice>> {
      return newestFirst<Notice>(doc, table, noticesPk, limit, startKey);
    },

    /**
     * A page of the notices a search asks for, newest first: a Query of the notices partition
     * bounded by the days' publishing instants (the sort key), the other filters applied here, at
     * most SEARCH_READ_BUDGET notices read per page. The page ends at the last notice it holds, so
     * the next one resumes right after it; a page may hold fewer than `limit` (even none) with a
     * `lastKey` when the budget ran out first.
     */
    async searchNotices(search: NoticeSearch, limit: number, startKey?: Key): Promise<Page<Notice>> {
      const { lo, hi } = publishedBounds(search);
      const range =
        lo !== undefined && hi !== undefined
          ? ' AND sk BETWEEN :lo AND :hi'
          : lo !== undefined
            ? ' AND sk >= :lo'
            : hi !== undefined
              ? ' AND sk < :hi'
              : '';
      // With the days alone every notice read is one asked for: read no more than the page.
      const everyOneMatches = search.kind === undefined && search.q === undefined;
      const items: Notice[] = [];
      let read = 0;
      let next = startKey;
      for (let call = 0; call < SEARCH_MAX_CALLS; call++) {
        const need = limit - items.length;
        const out = await send(() =>
          doc.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: `pk = :pk${range}`,
              ExpressionAttributeValues: {
                ':pk': noticesPk,
                ...(lo === undefined ? {} : { ':lo': lo }),
                ...(hi === undefined ? {} : { ':hi': hi }),
              },
              ScanIndexForward: false,
              Limit: everyOneMatches
                ? need
                : Math.min(SEARCH_READ_BUDGET - read, Math.max(SEARCH_CHUNK, need)),
              ...(next ? { ExclusiveStartKey: next } : {}),
            }),
          ),
        );
        const got = out.Items ?? [];
        read += got.length;
        for (const [i, item] of got.entries()) {
          const notice = withoutKeys<Notice>(item);
          if (!noticeMatches(notice, search)) continue;
          items.push(notice);
          if (items.length === limit) {
            const more = i < got.length - 1 || out.LastEvaluatedKey !== undefined;
            return more ? { items, lastKey: { pk: item.pk, sk: item.sk } } : { items };
          }
        }
        next = out.LastEvaluatedKey;
        if (!next) return { items };
        if (read >= SEARCH_READ_BUDGET) break;
      }
      return next ? { items, lastKey: next } : { items };
    },

    /** The notices partition is keyed by publishing instant first: the window's items, filtered. */
    async noticeOf(applicationId: string, kind: Notice['kind'], from: string, to: string) {
      let startKey: Key | undefined;
      do {
        const out = await send(() =>
          doc.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
              FilterExpression: 'applicationId = :id AND #kind = :kind',
              ExpressionAttributeNames: { '#kind': 'kind' },
              ExpressionAttributeValues: {
                ':pk': noticesPk,
                ':from': from,
                ':to': `${to}~`,
                ':id': applicationId,
                ':kind': kind,
              },
              ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            }),
          ),
        );
        const found = out.Items?.[0];
        if (found) return withoutKeys<Notice>(found);
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return undefined;
    },

    async comments(applicationId: string, limit: number, startKey?: Key): Promise<Page<PublicComment>> {
      const first = commentKey(applicationId, '');
      const out = await send(() =>
        doc.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': first.pk, ':prefix': commentSkPrefix },
            ConsistentRead: true,
            Limit: limit,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      return page(out.Items, out.LastEvaluatedKey);
    },

    async hearingRequests(
      applicationId: string,
      limit: number,
      startKey?: Key,
    ): Promise<Page<HearingRequest>> {
      const first = hearingRequestKey(applicationId, '');
      const out = await send(() =>
        doc.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': first.pk, ':prefix': hearingRequestSkPrefix },
            ConsistentRead: true,
            Limit: limit,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      return page(out.Items, out.LastEvaluatedKey);
    },

    async comment(applicationId: string, commentId: string): Promise<PublicComment | undefined> {
      const out = await send(() =>
        doc.send(
          new GetCommand({
            TableName: table,
            Key: commentKey(applicationId, commentId),
            ConsistentRead: true,
          }),
        ),
      );
      return out.Item ? withoutKeys<PublicComment>(out.Item) : undefined;
    },

    async noticeById(noticeId: string, options: { consistent?: boolean } = {}): Promise<Notice | undefined> {
      const key = noticeKeyOfId(noticeId);
      if (!key) return undefined;
      const read = { TableName: table, Key: key, ...(options.consistent ? { ConsistentRead: true } : {}) };
      const out = await send(() => doc.send(new GetCommand(read)));
      return out.Item ? withoutKeys<Notice>(out.Item) : undefined;
    },
  };
}

/** The most index items one page of a search reads, and in how many Queries at most. */
export const FIND_READ_BUDGET = 2000;
const FIND_MAX_CALLS = 10;
/** How many index items a search reads at a time (at least a page's worth). */
const FIND_CHUNK = 500;

/** The filter that asks for every term in `findText`. */
function findFilter(terms: readonly string[]) {
  const names: Record<string, string> = { '#findText': 'findText' };
  const values: Record<string, unknown> = {};
  for (const [i, term] of terms.entries()) values[`:find${i}`] = term;
  const filter = terms.map((_, i) => `contains(#findText, :find${i})`).join(' AND ');
  return { names, values, filter };
}

/**
 * A filtered Query read until it holds `limit` matches, it ends, or FIND_READ_BUDGET items were
 * read. A full page ends at its last item (the next one resumes right after it); a page cut short
 * by the budget ends where the reading stopped, and may hold fewer than `limit`, even none.
 */
async function readMatching(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  limit: number,
  index: IndexDef,
): Promise<{ items: Record<string, unknown>[]; lastKey?: Key }> {
  const items: Record<string, unknown>[] = [];
  let read = 0;
  let next = input.ExclusiveStartKey;
  for (let call = 0; call < FIND_MAX_CALLS && read < FIND_READ_BUDGET; call++) {
    const out = await send(() =>
      doc.send(
        new QueryCommand({
          ...input,
          Limit: Math.min(FIND_READ_BUDGET - read, Math.max(FIND_CHUNK, limit)),
          ...(next ? { ExclusiveStartKey: next } : {}),
        }),
      ),
    );
    const got = out.Items ?? [];
    read += out.ScannedCount ?? got.length;
    for (const [i, item] of got.entries()) {
      items.push(item);
      if (items.length === limit) {
        const more = i < got.length - 1 || out.LastEvaluatedKey !== undefined;
        if (!more) return { items };
        const key: Key = {};
        for (const name of ['pk', 'sk', index.partitionKey.name, index.sortKey.name]) key[name] = item[name];
        return { items, lastKey: key };
      }
    }
    next = out.LastEvaluatedKey;
    if (!next) return { items };
  }
  return next ? { items, lastKey: next } : { items };
}

/** Items by key, in the order asked, in BatchGetItems of at most 100 keys; the missing left out. */
async function getMany(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: { pk: unknown; sk: unknown }[],
): Promise<Application[]> {
  const byKey = new Map<string, Record<string, unknown>>();
  const id = (k: { pk: unknown; sk: unknown }) => `${String(k.pk)}\u0000${String(k.sk)}`;
  for (let from = 0; from < keys.length; from += 100) {
    let pending: Record<string, unknown>[] = keys.slice(from, from + 100);
    // Unprocessed keys (throttling) are asked for again, a few times, a little later each time.
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      // Still throttled: 503 with Retry-After (like the other batch reads), never a 500.
      if (attempt > 5) throw new ServiceUnavailableError('DynamoDB is throttling; retry shortly');
      const ask = pending;
      const out = await send(() =>
        doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: ask, ConsistentRead: true } } })),
      );
      for (const item of out.Responses?.[table] ?? [])
        byKey.set(id(item as { pk: unknown; sk: unknown }), item);
      pending = out.UnprocessedKeys?.[table]?.Keys ?? [];
    }
  }
  return keys.flatMap((k) => {
    const item = byKey.get(id(k));
    return item ? [withoutKeys<Application>(item)] : [];
  });
}

interface MergeInput {
  index: IndexDef;
  partitions: readonly string[];
  positions?: readonly StreamPosition[];
  limit: number;
  /** Sort-key order: ascending (due date first) or descending (newest first). */
  ascending: boolean;
  filter?: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
  /**
   * A search's: the most index items one stream reads for one page. A stream that reaches it
   * stops where it is; the page may then hold fewer than `limit` items (even none) and go on
   * from there.
   */
  budget?: number;
}

/**
 * A k-way merge of several partitions of one index into one sort-key order. Each stream is read
 * ahead until it holds `limit` items or ends, so the merge never takes an item while a better one
 * may still be unread; the page's positions are each stream's last item taken. With a `budget`
 * (a search), a stream may stop before either: it has read up to its last evaluated key, so the
 * merge takes nothing beyond that key, and the stream goes on from it once all it found is taken.
 */
async function merged(doc: DynamoDBDocumentClient, table: string, query: MergeInput): Promise<MergedPage> {
  const { index } = query;
  const skName = index.sortKey.name;
  interface Stream {
    buffer: Record<string, unknown>[];
    next: Key | undefined;
    ended: boolean;
    taken?: Record<string, unknown>;
    start: StreamPosition;
    /** Index items evaluated for this page. */
    read: number;
    /** Stopped at the budget, before it ended or held `limit` items. */
    stopped: boolean;
  }
  const streams: Stream[] = query.partitions.map((_, i) => {
    const start = query.positions?.[i] ?? null;
    return {
      buffer: [],
      next: start && start !== 'done' ? start : undefined,
      ended: start === 'done',
      start,
      read: 0,
      stopped: false,
    };
  });
  const budget = query.budget;

  await Promise.all(
    streams.map(async (stream, i) => {
      while (!stream.ended && stream.buffer.length < query.limit) {
        if (budget !== undefined && stream.read >= budget) {
          stream.stopped = true;
          break;
        }
        const input: QueryCommandInput = {
          TableName: table,
          IndexName: index.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { ...query.names, '#pk': index.partitionKey.name },
          ExpressionAttributeValues: { ...query.values, ':pk': query.partitions[i] },
          ScanIndexForward: query.ascending,
          Limit:
            budget === undefined
              ? query.limit
              : Math.min(budget - stream.read, Math.max(FIND_CHUNK, query.limit)),
        };
        if (query.filter) input.FilterExpression = query.filter;
        if (stream.next) input.ExclusiveStartKey = stream.next;
        const out = await send(() => doc.send(new QueryCommand(input)));
        const got = out.Items ?? [];
        stream.buffer.push(...got);
        stream.read += out.ScannedCount ?? got.length;
        stream.next = out.LastEvaluatedKey;
        if (!out.LastEvaluatedKey) stream.ended = true;
      }
    }),
  );

  const before = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    query.ascending ? String(a[skName]) < String(b[skName]) : String(a[skName]) > String(b[skName]);
  const items: Record<string, unknown>[] = [];
  while (items.length < query.limit) {
    let best: Stream | undefined;
    for (const stream of streams) {
      const head = stream.buffer[0];
      const bestHead = best?.buffer[0];
      if (head && (!bestHead || before(head, bestHead))) best = stream;
    }
    if (!best) break;
    const head = best.buffer[0] as Record<string, unknown>;
    // A stream stopped at its budget with nothing left in hand may still hold, beyond the key it
    // stopped at, an item that comes before this one: nothing beyond that key is taken yet.
    const unread = streams.some(
      (s) => s.stopped && s.buffer.length === 0 && s.next !== undefined && !before(head, s.next),
    );
    if (unread) break;
    const item = best.buffer.shift() as Record<string, unknown>;
    best.taken = item;
    items.push(item);
  }

  const positions = streams.map((stream): StreamPosition => {
    if (stream.ended && stream.buffer.length === 0) return 'done';
    // Stopped at its budget and everything it found taken: on from where the reading stopped.
    if (stream.stopped && stream.buffer.length === 0 && stream.next) return stream.next;
    if (stream.taken) {
      // The index's start key: the table key and the index key of the last item taken.
      const key: Key = {};
      for (const name of ['pk', 'sk', index.partitionKey.name, skName]) key[name] = stream.taken[name];
      return key;
    }
    return stream.start;
  });
  const result: MergedPage = { items: items.map((i) => withoutKeys<Application>(i)) };
  if (positions.some((p) => p !== 'done')) result.positions = positions;
  return result;
}

/**
 * DynamoDB cancels a transaction with TransactionConflict on an item that another transaction is
 * writing at that moment. On the idempotency record (at `index`) that can only be a request with
 * the same key, still in flight: an IdempotencyRaceError, so that the caller answers with its
 * response once written, or a 409 "in flight", rather than a "concurrent change" to reload for.
 * DynamoDB Local serialises transactions and never reports this.
 */
export async function keyInFlight<T>(sent: Promise<T>, index: number | undefined): Promise<T> {
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

/** The counter, the number's lookup item and the outbox item of a document an act issues. */
function documentItems(table: string, issued: IssuedDocument, event: AuditEvent, n: number) {
  const { ref, read } = issued;
  const counter = counterId(issued.series, issued.year);
  const lookup: DocumentNumberRecord = {
    number: ref.number,
    applicationId: event.applicationId,
    documentId: ref.documentId,
    kind: ref.kind,
  };
  const item: DocumentOutboxItem = {
    type: 'document',
    applicationId: event.applicationId,
    documentId: ref.documentId,
    seq: event.seq,
    at: event.at,
  };
  return [
    {
      Put: {
        TableName: table,
        Item: { ...counterKey(counter), value: read + 1, updatedAt: event.at },
        ...(read === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: '#value = :read',
              ExpressionAttributeNames: { '#value': 'value' },
              ExpressionAttributeValues: { ':read': read },
            }),
      },
    },
    {
      Put: {
        TableName: table,
        Item: { ...lookup, ...docNoKey(ref.number) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: table,
        Item: { ...item, ...outboxKey(item, n) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/** The idempotency record's Put, for `commit`'s transaction or `remember`'s own. */
export function idempotencyPut(idempotencyTable: string, idempotency: NonNullable<Commit['idempotency']>) {
  return {
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
  };
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
