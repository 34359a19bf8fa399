import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { BureauMark, Digest, DigestEntry } from '../domain/audit-digest.ts';
import { ConflictError } from '../domain/errors.ts';
import { send } from './errors.ts';
import { allPk, bureauEventSkPrefix, bureauPk, dayPk, digestKey, digestPk, indexes } from './keys.ts';
import { indexPartition, putNew, queryAll } from './partition.ts';
import type { DigestMention, DigestPage, DigestQuery, DigestStore, Key } from './ports.ts';

/** Bureau events read back per Query when looking for a day's head: a day's sweep reads one page. */
const BUREAU_TAIL_PAGE = 25;

/** Everything of a digest item but its keys and the id list kept for the verify filter. */
function digestOf(item: Record<string, unknown>): Digest {
  const { pk: _pk, sk: _sk, applicationIds: _ids, ...digest } = item;
  return digest as unknown as Digest;
}

/**
 * The DigestStore port (shared/store/ports.ts) on DynamoDB: the day index read for a day's head
 * hashes (the sweeper), digests written once each (a one-item transaction conditioned on not
 * existing) in the DIGEST partition, read back by day.
 */
export function digestStore(doc: DynamoDBDocumentClient, table: string): DigestStore {
  return {
    /** The newest digest written, if any (strongly consistent: the chain goes on from it). */
    async latest(): Promise<Digest | undefined> {
      const out = await send(() =>
        doc.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': digestPk },
            ScanIndexForward: false,
            Limit: 1,
            ConsistentRead: true,
          }),
        ),
      );
      const item = out.Items?.[0];
      return item ? digestOf(item) : undefined;
    },

    /**
     * The UTC day of the oldest application's creation (its first event), or of the bureau
     * stream's first event when that is older: where digests begin. Two one-item Queries.
     */
    async firstActivityDay(): Promise<string | undefined> {
      const [oldest, firstBureau] = await Promise.all([
        send(() =>
          doc.send(
            new QueryCommand({
              ...indexPartition(table, indexes.all, allPk),
              ScanIndexForward: true,
              Limit: 1,
            }),
          ),
        ),
        send(() =>
          doc.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
              ExpressionAttributeNames: { '#at': 'at' },
              ExpressionAttributeValues: { ':pk': bureauPk, ':prefix': bureauEventSkPrefix },
              ProjectionExpression: '#at',
              ScanIndexForward: true,
              Limit: 1,
            }),
          ),
        ),
      ]);
      const days = [oldest.Items?.[0]?.createdAt, firstBureau.Items?.[0]?.at]
        .filter((at): at is string => typeof at === 'string' && !Number.isNaN(Date.parse(at)))
        .map((at) => new Date(at).toISOString().slice(0, 10))
        .sort();
      return days[0];
    },

    /** Every event of a UTC day (applicationId, seq, hash only), from the day index, page by page. */
    async eventsOfDay(day: string): Promise<{ events: DigestEntry[]; calls: number }> {
      const { items, calls } = await queryAll(doc, {
        ...indexPartition(table, indexes.byDay, dayPk(day), {
          '#app': 'applicationId',
          '#seq': 'seq',
          '#hash': 'hash',
        }),
        ProjectionExpression: '#app, #seq, #hash',
      });
      const events = items.map((raw) => ({
        applicationId: String(raw.applicationId),
        seq: Number(raw.seq),
        hash: String(raw.hash),
      }));
      return { events, calls };
    },

    /** Writes a digest unless that day has one already; false when another sweep wrote it first. */
    async put(digest: Digest): Promise<boolean> {
      try {
        await putNew(doc, table, {
          ...digest,
          ...digestKey(digest.day),
          applicationIds: digest.applications.map((a) => a.applicationId),
        });
        return true;
      } catch (error) {
        if (error instanceof ConflictError) return false;
        throw error;
      }
    },

    /**
     * Digests newest first, days within [from, to] (either optional), from `startKey`. Reads one
     * more than `limit` so that the oldest digest of the page can be checked against the one before.
     */
    async page(opts: DigestQuery): Promise<DigestPage> {
      const values: Record<string, unknown> = { ':pk': digestPk };
      let condition = 'pk = :pk';
      if (opts.from !== undefined && opts.to !== undefined) {
        values[':from'] = opts.from;
        values[':to'] = opts.to;
        condition += ' AND sk BETWEEN :from AND :to';
      } else if (opts.from !== undefined) {
        values[':from'] = opts.from;
        condition += ' AND sk >= :from';
      } else if (opts.to !== undefined) {
        values[':to'] = opts.to;
        condition += ' AND sk <= :to';
      }
      const page = await send(() =>
        doc.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: condition,
            ExpressionAttributeValues: values,
            ScanIndexForward: false,
            Limit: opts.limit + 1,
            ...(opts.startKey ? { ExclusiveStartKey: opts.startKey } : {}),
          }),
        ),
      );
      const items = (page.Items ?? []).map(digestOf);
      const digests = items.slice(0, opts.limit);
      const oldest = digests.at(-1);
      // Limit is one more than the page: an item beyond it is the only sign of more.
      const more = items.length > opts.limit;
      let older: Digest | null = items[opts.limit] ?? null;
      if (oldest && items.length <= opts.limit && opts.from !== undefined) {
        // The page ends at `from`: the digest before it lies outside the range; read it for the link.
        const before = await send(() =>
          doc.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'pk = :pk AND sk < :day',
              ExpressionAttributeValues: { ':pk': digestPk, ':day': oldest.day },
              ScanIndexForward: false,
              Limit: 1,
            }),
          ),
        );
        const item = before.Items?.[0];
        older = item ? digestOf(item) : null;
      }
      return {
        digests,
        older,
        ...(more && oldest ? { lastKey: digestKey(oldest.day) } : {}),
      };
    },

    /**
     * The bureau stream read back from its newest event, a page at a time (its sort keys are the
     * seq, zero-padded), down to the first event of `day` or earlier: a sweep after a quiet day
     * reads one page. Only seq, hash and at are projected.
     */
    async bureauTail(day: string): Promise<{ events: BureauMark[]; calls: number }> {
      const events: BureauMark[] = [];
      let calls = 0;
      let startKey: Key | undefined;
      do {
        const out = await send(() =>
          doc.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
              ExpressionAttributeNames: { '#seq': 'seq', '#hash': 'hash', '#at': 'at' },
              ExpressionAttributeValues: { ':pk': bureauPk, ':prefix': bureauEventSkPrefix },
              ProjectionExpression: '#seq, #hash, #at',
              ScanIndexForward: false,
              ConsistentRead: true,
              Limit: BUREAU_TAIL_PAGE,
              ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            }),
          ),
        );
        calls += 1;
        for (const raw of out.Items ?? []) {
          const mark = { seq: Number(raw.seq), hash: String(raw.hash), at: String(raw.at) };
          events.push(mark);
          if (mark.at.slice(0, 10) <= day) return { events, calls };
        }
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return { events, calls };
    },

    /**
     * The newest digest with a `bureau` head: newest first with a filter, so normally the first
     * item read; only digests written before heads were recorded are read past.
     */
    async latestWithBureau(): Promise<Digest | undefined> {
      let startKey: Key | undefined;
      do {
        const out = await send(() =>
          doc.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'pk = :pk',
              FilterExpression: 'attribute_exists(#bureau)',
              ExpressionAttributeNames: { '#bureau': 'bureau' },
              ExpressionAttributeValues: { ':pk': digestPk },
              ScanIndexForward: false,
              ConsistentRead: true,
              Limit: 31,
              ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            }),
          ),
        );
        const item = out.Items?.[0];
        if (item) return digestOf(item);
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return undefined;
    },

    /**
     * What every digest recorded for one application. A Query of the whole DIGEST partition with a
     * filter: its cost grows with the number of days digested (one item a day), not with the table.
     */
    async mentionsOf(applicationId: string): Promise<DigestMention[]> {
      const { items } = await queryAll(doc, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'contains(applicationIds, :id)',
        ExpressionAttributeValues: { ':pk': digestPk, ':id': applicationId },
        ConsistentRead: true,
      });
      const mentions: DigestMention[] = [];
      for (const raw of items) {
        const digest = digestOf(raw);
        for (const entry of digest.applications ?? [])
          if (entry.applicationId === applicationId) mentions.push({ ...entry, day: digest.day });
      }
      return mentions;
    },
  };
}
