import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { type BureauEvent, type BureauHead, emptyHead, type StoredBureauEvent } from '../domain/bureau.ts';
import { ConcurrentChangeError, send } from './errors.ts';
import {
  bureauEventKey,
  bureauEventSkPrefix,
  bureauHeadKey,
  bureauPk,
  bureauRecordKey,
  bureauRecordPk,
  seqOfBureauEventSk,
} from './keys.ts';
import type { BureauCommit, BureauKind, BureauRecord, BureauStore, Key, Page } from './ports.ts';

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/**
 * The two Puts that append `event` to the bureau stream: the head moved on the condition that it
 * still names the seq before, then the event, which must not exist. A change kept elsewhere in the
 * table (the staff directory's accounts) adds them to its own transaction.
 */
export function bureauEventItems(table: string, event: BureauEvent): TransactItems {
  return [
    {
      Put: {
        TableName: table,
        Item: { ...bureauHeadKey, seq: event.seq, hash: event.hash, at: event.at },
        ...(event.seq === 1
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'seq = :prev',
              ExpressionAttributeValues: { ':prev': event.seq - 1 },
            }),
      },
    },
    {
      Put: {
        TableName: table,
        Item: { ...event, ...bureauEventKey(event.seq) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/** The BureauStore port (shared/store/ports.ts) on DynamoDB: the BUREAU partitions of the main table. */
export function bureauStore(doc: DynamoDBDocumentClient, table: string): BureauStore {
  /** Every item of a partition (optionally under a sort-key prefix), in key order. */
  async function all(pk: string, prefix?: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Key | undefined;
    do {
      const out = await send(() =>
        doc.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':prefix': prefix } : {}) },
            ConsistentRead: true,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  const recordItem = (record: BureauRecord) => ({ ...record, ...bureauRecordKey(record.kind, record.id) });
  const asRecord = (item: Record<string, unknown>): BureauRecord => {
    const { pk: _pk, sk: _sk, ...rest } = item;
    return rest as unknown as BureauRecord;
  };

  async function head(): Promise<BureauHead> {
    const out = await send(() =>
      doc.send(new GetCommand({ TableName: table, Key: bureauHeadKey, ConsistentRead: true })),
    );
    return out.Item ? { seq: Number(out.Item.seq), hash: String(out.Item.hash) } : emptyHead;
  }

  return {
    head,

    async current(kind: BureauKind): Promise<BureauRecord[]> {
      return (await all(bureauRecordPk(kind))).map(asRecord);
    },

    /**
     * The record first (so a failed version condition is `staleVersion`), then the head moved on
     * the condition that it still names the seq before, then the event, which must not exist.
     */
    async commit(change: BureauCommit): Promise<void> {
      const { event, record } = change;
      const items: TransactItems = [];
      if (record) {
        items.push({
          Put: {
            TableName: table,
            Item: recordItem(record),
            ...(record.version === 1
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#version = :expected',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':expected': record.version - 1 },
                }),
          },
        });
      }
      items.push(...bureauEventItems(table, event));
      try {
        await send(() => doc.send(new TransactWriteCommand({ TransactItems: items })));
      } catch (error) {
        // Without a record the first item is the head: losing it is a race for the seq, not staleness.
        if (error instanceof ConcurrentChangeError && !record)
          throw new ConcurrentChangeError(error.message, false);
        throw error;
      }
    },

    async events(limit: number, startKey?: Key): Promise<Page<BureauEvent>> {
      const out = await send(() =>
        doc.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': bureauPk, ':prefix': bureauEventSkPrefix },
            ConsistentRead: true,
            Limit: limit,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      const items = (out.Items ?? []).map((item) => {
        const { pk: _pk, sk: _sk, ...event } = item;
        return event as unknown as BureauEvent;
      });
      return out.LastEvaluatedKey ? { items, lastKey: out.LastEvaluatedKey } : { items };
    },

    /**
     * The head first, then the events up to it: an event committed after the head was read (which
     * moves the head in its transaction) is not a stream going past its head. Events past it that a
     * second read of the head does not cover were never committed: kept, for verify to report.
     */
    async trail(): Promise<{ head: BureauHead; trail: StoredBureauEvent[] }> {
      const current = await head();
      const trail = (await all(bureauPk, bureauEventSkPrefix)).map((item) => {
        const { pk: _pk, sk, ...event } = item;
        return { position: seqOfBureauEventSk(String(sk)) ?? 0, event: event as unknown as BureauEvent };
      });
      const past = trail.filter((e) => e.position > current.seq);
      if (past.length === 0) return { head: current, trail };
      const later = await head();
      if (past.some((e) => e.position > later.seq)) return { head: current, trail };
      return { head: current, trail: trail.filter((e) => e.position <= current.seq) };
    },

    async record(kind: BureauKind, id: string): Promise<BureauRecord | undefined> {
      const out = await send(() =>
        doc.send(new GetCommand({ TableName: table, Key: bureauRecordKey(kind, id), ConsistentRead: true })),
      );
      return out.Item ? asRecord(out.Item) : undefined;
    },

    async settle(record: BureauRecord): Promise<boolean> {
      const { pending: _pending, ...settled } = record;
      try {
        await send(() =>
          doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: table,
                    Item: recordItem(settled),
                    ConditionExpression: '#version = :version',
                    ExpressionAttributeNames: { '#version': 'version' },
                    ExpressionAttributeValues: { ':version': record.version },
                  },
                },
              ],
            }),
          ),
        );
        return true;
      } catch (error) {
        if (error instanceof ConcurrentChangeError) return false;
        throw error;
      }
    },
  };
}
