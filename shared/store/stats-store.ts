import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AuditEvent, type Category, categories } from '../domain/types.ts';
import type { Plan } from './audit-plan.ts';
import { auditStore } from './audit-store.ts';
import { ServiceUnavailableError, send } from './errors.ts';
import { appKey, appPk } from './keys.ts';
import type { AuditStore, Key, Position, ReadCost, StatsStore } from './ports.ts';

/** Events per page when reading a period to the end (each Query still stops at 1 MB). */
const PAGE = 1_000;
/** BatchGetItem takes at most 100 keys a call. */
export const BATCH_SIZE = 100;
/** Batches in flight at once when looking up the categories of a period's applications. */
const BATCH_CONCURRENCY = 4;
/**
 * Calls per batch while DynamoDB keeps leaving keys unprocessed (it does when reads are throttled),
 * with full-jitter backoff between them (50 ms × 2^n, at most 1.55 s in all): then a 503.
 */
export const MAX_BATCH_ATTEMPTS = 6;
const BACKOFF_BASE_MS = 50;

/**
 * The StatsStore port (shared/store/ports.ts) on DynamoDB. The events of one action in a time range
 * come from the action index (gsi5-action, sort key `<at>#…`), read to the end: cost grows with the
 * events of the period, never with the table. Events do not carry the category: it is read off each
 * application of the period once, 100 to a BatchGetItem of one attribute.
 */
export function statsStore(
  doc: DynamoDBDocumentClient,
  table: string,
  audit: AuditStore = auditStore(doc, table),
): StatsStore {
  /** One batch of keys, its unprocessed keys asked again until none is left. */
  async function readBatch(keys: Key[], cost: ReadCost): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let pending = keys;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_BATCH_ATTEMPTS)
        throw new ServiceUnavailableError('DynamoDB is throttling; retry shortly');
      if (attempt > 0) await backoff(attempt);
      const out = await send(() =>
        doc.send(
          new BatchGetCommand({
            RequestItems: {
              [table]: {
                Keys: pending,
                // The key comes back to say which application an item is (a batch answers in any order).
                ProjectionExpression: '#pk, #category',
                ExpressionAttributeNames: { '#pk': 'pk', '#category': 'category' },
              },
            },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
      const found = out.Responses?.[table] ?? [];
      cost.calls += 1;
      cost.itemsRead += found.length;
      for (const c of out.ConsumedCapacity ?? []) cost.readUnits += c.CapacityUnits ?? 0;
      items.push(...found);
      pending = out.UnprocessedKeys?.[table]?.Keys ?? [];
    }
    return items;
  }

  return {
    async eventsOf(action: string, lo: string, hi: string, cost: ReadCost): Promise<AuditEvent[]> {
      const plan: Plan = { kind: 'action', filter: { action, lo, hi }, order: 'asc' };
      const events: AuditEvent[] = [];
      let start: Position | undefined;
      do {
        const page = await audit.page(plan, { limit: PAGE, ...(start ? { start } : {}) });
        events.push(...page.events);
        cost.calls += page.cost.calls;
        cost.itemsRead += page.cost.itemsRead;
        cost.readUnits += page.cost.readUnits;
        start = page.next;
      } while (start);
      return events;
    },

    async categoriesOf(ids: Iterable<string>, cost: ReadCost): Promise<Map<string, Category>> {
      const found = new Map<string, Category>();
      const unique = [...new Set(ids)];
      const idOf = new Map(unique.map((id) => [appPk(id), id]));
      const batches: Key[][] = [];
      for (let i = 0; i < unique.length; i += BATCH_SIZE)
        batches.push(unique.slice(i, i + BATCH_SIZE).map(appKey));
      let next = 0;
      const worker = async () => {
        for (let batch = batches[next++]; batch !== undefined; batch = batches[next++]) {
          for (const item of await readBatch(batch, cost)) {
            const id = idOf.get(String(item.pk));
            if (id !== undefined && (categories as readonly unknown[]).includes(item.category))
              found.set(id, item.category as Category);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, batches.length) }, worker));
      return found;
    },
  };
}

/** Full jitter: a random wait up to 50 ms × 2^attempt, so retries of parallel batches spread out. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * BACKOFF_BASE_MS * 2 ** (attempt - 1);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
