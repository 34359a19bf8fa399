import { type DynamoDBDocumentClient, GetCommand, type GetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { type AuditEvent, type Category, categories } from '../domain/types.ts';
import type { Plan } from './audit-plan.ts';
import { type AuditStore, auditStore, type Position, type ReadCost } from './audit-store.ts';
import { mapDynamoError } from './errors.ts';
import { appKey } from './keys.ts';

/** GetItems in flight at once when looking up the categories of a period's applications. */
const LOOKUP_CONCURRENCY = 16;
/** Events per page when reading a period to the end (each Query still stops at 1 MB). */
const PAGE = 1_000;

/**
 * The reads of GET /stats. The events of one action in a time range come from the action index
 * (gsi5-action, sort key `<at>#…`), read to the end: cost grows with the events of the period,
 * never with the table. Events do not carry the category: it is read off each application of the
 * period once (a GetItem of one attribute).
 */
export function statsStore(
  doc: DynamoDBDocumentClient,
  table: string,
  audit: AuditStore = auditStore(doc, table),
) {
  return {
    /** Every event of `action` with lo <= at < hi (ISO instants in UTC), oldest first. */
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

    /** The current category of each application (absent: not found). */
    async categoriesOf(ids: Iterable<string>, cost: ReadCost): Promise<Map<string, Category>> {
      const found = new Map<string, Category>();
      const queue = [...new Set(ids)];
      const worker = async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          const key = id;
          let out: GetCommandOutput;
          try {
            out = await doc.send(
              new GetCommand({
                TableName: table,
                Key: appKey(key),
                ProjectionExpression: '#category',
                ExpressionAttributeNames: { '#category': 'category' },
                ReturnConsumedCapacity: 'TOTAL',
              }),
            );
          } catch (error) {
            throw mapDynamoError(error);
          }
          cost.calls += 1;
          cost.itemsRead += out.Item ? 1 : 0;
          cost.readUnits += out.ConsumedCapacity?.CapacityUnits ?? 0;
          const category = out.Item?.category;
          if ((categories as readonly unknown[]).includes(category)) found.set(key, category as Category);
        }
      };
      await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, queue.length) }, worker));
      return found;
    },
  };
}

export type StatsStore = ReturnType<typeof statsStore>;
