import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Application, AuditEvent } from '../domain/types.ts';
import { nextDay, type Plan } from './audit-plan.ts';
import { send } from './errors.ts';
import {
  actionPk,
  actorPk,
  appKey,
  appPk,
  auditLogKey,
  auditLogPk,
  dayPk,
  eventSkPrefix,
  indexes,
  seqOfEventSk,
  withoutKeys,
} from './keys.ts';
import { eventsQuery, newestFirst, putNew, queryAll } from './partition.ts';
import type {
  AccessRecord,
  AuditStore,
  EventsPage,
  Key,
  Page,
  PageOptions,
  Position,
  ReadCost,
  StoredApplication,
  TrailEntry,
} from './ports.ts';

/**
 * A page reads at most this much before answering (with a cursor to go on): bounded time and
 * cost per request even for a filter that matches little of a large partition, or a day walk
 * over many empty days.
 */
export const MAX_CALLS_PER_PAGE = 40;
export const MAX_ITEMS_READ_PER_PAGE = 4_000;
/** With a FilterExpression, read at least this many per call rather than one call per match. */
const MIN_FILTERED_READ = 25;

/** The AuditStore port (shared/store/ports.ts) on DynamoDB: the audit indexes, trails, the access log. */
export function auditStore(doc: DynamoDBDocumentClient, table: string): AuditStore {
  /** The application item as stored (strongly consistent), without its keys. */
  async function readApplication(id: string): Promise<StoredApplication | undefined> {
    const out = await send(() =>
      doc.send(new GetCommand({ TableName: table, Key: appKey(id), ConsistentRead: true })),
    );
    if (!out.Item) return undefined;
    return { app: withoutKeys<Application>(out.Item), headHash: String(out.Item.headHash) };
  }

  /** Every event of an application in stored order (strongly consistent), from `after` on. */
  async function readTrail(id: string, after?: number): Promise<TrailEntry[]> {
    const startKey: Key | undefined =
      after === undefined
        ? undefined
        : { pk: appPk(id), sk: `${eventSkPrefix}${String(after).padStart(10, '0')}` };
    const { items } = await queryAll(doc, eventsQuery(table, id), startKey);
    return items.map((raw) => ({
      position: seqOfEventSk(String(raw.sk)) ?? Number.NaN,
      event: withoutKeys<AuditEvent>(raw),
    }));
  }

  return {
    /**
     * One page of events for `plan`, from `start`. Reads only what the page needs (plus at most
     * MIN_FILTERED_READ when filtering), and positions the cursor just after the last event
     * returned, so a page cut short by `limit` or `fits` loses nothing.
     */
    async page(plan: Plan, opts: PageOptions): Promise<EventsPage> {
      const cost: ReadCost = { calls: 0, itemsRead: 0, readUnits: 0 };
      const events: AuditEvent[] = [];
      const result = (next: Position | undefined): EventsPage =>
        next ? { events, next, cost } : { events, cost };
      if (plan.kind === 'day' && !plan.days) return result(undefined);
      let day = plan.kind === 'day' ? (opts.start?.day ?? plan.days?.first) : undefined;
      let key = opts.start?.key;
      const at = (): Position => ({ ...(day ? { day } : {}), ...(key ? { key } : {}) });
      const query = queryFor(plan, table);
      for (;;) {
        if (cost.calls >= MAX_CALLS_PER_PAGE || cost.itemsRead >= MAX_ITEMS_READ_PER_PAGE)
          return result(at());
        const need = opts.limit - events.length;
        const input = query(day, Math.max(need, query.filtered ? MIN_FILTERED_READ : 1), key);
        const out = await send(() => doc.send(new QueryCommand(input)));
        cost.calls += 1;
        cost.itemsRead += out.ScannedCount ?? 0;
        cost.readUnits += out.ConsumedCapacity?.CapacityUnits ?? 0;
        for (const raw of out.Items ?? []) {
          const event = withoutKeys<AuditEvent>(raw);
          if (events.length >= opts.limit) return result(at());
          // A page holds at least one event: an item is far smaller than any response budget.
          if (!(opts.fits?.(event) ?? true) && events.length > 0) return result(at());
          events.push(event);
          key = query.keyOf(raw);
        }
        if (out.LastEvaluatedKey) {
          key = out.LastEvaluatedKey;
          if (events.length >= opts.limit) return result(at());
          continue;
        }
        const following = day === undefined ? undefined : nextDay(plan, day);
        if (following === undefined) return result(undefined);
        day = following;
        key = undefined;
        if (events.length >= opts.limit) return result(at());
      }
    },

    /**
     * The application and its trail as of one moment. The two reads are not one snapshot: the trail
     * is read first, and when the application has moved on meanwhile (a change committed in
     * between), the newer events are read and the application again, a few times at most.
     */
    async snapshot(id: string): Promise<{ stored?: StoredApplication; trail: TrailEntry[] }> {
      const trail = await readTrail(id);
      let stored = await readApplication(id);
      for (let attempt = 0; attempt < 3 && stored; attempt++) {
        const last = trail.at(-1)?.position ?? 0;
        if (stored.app.version <= last) break;
        const newer = await readTrail(id, last);
        if (newer.length === 0) break;
        trail.push(...newer);
        stored = await readApplication(id);
      }
      return stored ? { stored, trail } : { trail };
    },

    /**
     * The access log, newest first: every read of applicants' personal data by officials and the
     * auditor, every request for it unmasked, every file downloaded: who, when, what.
     */
    accessLog(limit: number, startKey?: Key): Promise<Page<AccessRecord>> {
      return newestFirst<AccessRecord>(doc, table, auditLogPk, limit, startKey);
    },

    /**
     * Written before any personal data is given (an export: before it is read); a failed write
     * refuses the read, export or download (a transaction of one: putNew, on the AUDITLOG
     * partition, the only one the reading functions may write).
     */
    async recordAccess(record: AccessRecord): Promise<void> {
      await putNew(doc, table, { ...record, ...auditLogKey(record.at, record.requestId) });
    },
  };
}

interface PlannedQuery {
  (day: string | undefined, limit: number, startKey: Key | undefined): QueryCommandInput;
  /** Whether a FilterExpression drops some of what the key condition reads. */
  filtered: boolean;
  /** The ExclusiveStartKey that resumes just after `item`. */
  keyOf(item: Record<string, unknown>): Key;
}

/** The Query of a plan: key condition from the plan's partition and time range, the rest as filters. */
function queryFor(plan: Plan, table: string): PlannedQuery {
  const { filter } = plan;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const conditions: string[] = [];
  const filters: string[] = [];
  let indexName: string | undefined;
  let keyNames: string[];

  if (plan.kind === 'application') {
    names['#pk'] = 'pk';
    names['#sk'] = 'sk';
    values[':pk'] = appPk(filter.applicationId ?? '');
    values[':prefix'] = eventSkPrefix;
    conditions.push('#pk = :pk', 'begins_with(#sk, :prefix)');
    keyNames = ['pk', 'sk'];
    // The trail's sort key is seq, not time: the range is a filter over one application's events.
    if (filter.lo !== undefined || filter.hi !== undefined) names['#at'] = 'at';
    if (filter.lo !== undefined) {
      values[':lo'] = filter.lo;
      filters.push('#at >= :lo');
    }
    if (filter.hi !== undefined) {
      values[':hi'] = filter.hi;
      filters.push('#at < :hi');
    }
  } else {
    const index = { actor: indexes.byActor, action: indexes.byAction, day: indexes.byDay }[plan.kind];
    indexName = index.indexName;
    names['#pk'] = index.partitionKey.name;
    if (filter.lo !== undefined || filter.hi !== undefined) names['#sk'] = index.sortKey.name;
    conditions.push('#pk = :pk');
    keyNames = ['pk', 'sk', index.partitionKey.name, index.sortKey.name];
    if (plan.kind === 'actor') values[':pk'] = actorPk(filter.actor ?? '');
    if (plan.kind === 'action') values[':pk'] = actionPk(filter.action ?? '');
    // A sort key `<hi>#…` is above `<hi>`, so BETWEEN lo AND hi is exactly [lo, hi).
    if (filter.lo !== undefined && filter.hi !== undefined) {
      values[':lo'] = filter.lo;
      values[':hi'] = filter.hi;
      conditions.push('#sk BETWEEN :lo AND :hi');
    } else if (filter.lo !== undefined) {
      values[':lo'] = filter.lo;
      conditions.push('#sk >= :lo');
    } else if (filter.hi !== undefined) {
      values[':hi'] = filter.hi;
      conditions.push('#sk < :hi');
    }
  }
  if (filter.applicationId !== undefined && plan.kind !== 'application') {
    names['#app'] = 'applicationId';
    values[':app'] = filter.applicationId;
    filters.push('#app = :app');
  }
  if (filter.actor !== undefined && plan.kind !== 'actor') {
    names['#actor'] = 'actor';
    names['#id'] = 'id';
    values[':actor'] = filter.actor;
    filters.push('#actor.#id = :actor');
  }
  if (filter.action !== undefined && plan.kind !== 'action') {
    names['#action'] = 'action';
    values[':action'] = filter.action;
    filters.push('#action = :action');
  }

  const build = (day: string | undefined, limit: number, startKey: Key | undefined): QueryCommandInput => ({
    TableName: table,
    ...(indexName ? { IndexName: indexName } : {}),
    KeyConditionExpression: conditions.join(' AND '),
    ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: plan.kind === 'day' ? { ...values, ':pk': dayPk(day ?? '') } : values,
    ScanIndexForward: plan.order === 'asc',
    Limit: limit,
    ReturnConsumedCapacity: 'TOTAL',
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  });
  return Object.assign(build, {
    filtered: filters.length > 0,
    keyOf: (item: Record<string, unknown>) => Object.fromEntries(keyNames.map((n) => [n, item[n]])),
  });
}
