/** The outbox publisher's core against a fake port: only OUTBOX inserts, none lost on a failure. */
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type EventPort, publishOutbox } from '../../functions/publisher/publish.ts';
import type { Notification } from '../../shared/domain/notifications.ts';
import { outboxKey } from '../../shared/store/keys.ts';

const notification = (seq: number): Notification => ({
  applicationId: 'a-1',
  seq,
  action: 'accept',
  at: `2026-03-0${seq}T02:00:00.000Z`,
  recipients: [
    { kind: 'user', id: 'owner-1' },
    { kind: 'role', role: 'reviewer' },
  ],
  subject: { zh: '已受理', en: 'Accepted' },
  body: { zh: '请审查', en: 'Please review' },
  deadline: '2026-04-01',
});

function toImage(value: unknown): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (Array.isArray(value)) return { L: value.map(toImage) };
  return { M: Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, toImage(v)])) };
}

const record = (
  eventName: 'INSERT' | 'MODIFY',
  item: Record<string, unknown>,
  seqNo: string,
): DynamoDBRecord => ({
  eventName,
  dynamodb: { SequenceNumber: seqNo, NewImage: (toImage(item) as { M: Record<string, AttributeValue> }).M },
});

const outboxRecord = (seq: number) =>
  record('INSERT', { ...notification(seq), ...outboxKey(notification(seq), 0) }, `s${seq}`);

function port(failOn?: number) {
  const sent: [string, Notification][] = [];
  const p: EventPort = {
    async publish(type, detail) {
      if (detail.seq === failOn) throw new Error('throttled');
      sent.push([type, detail]);
    },
  };
  return { p, sent };
}

describe('publishOutbox', () => {
  it('publishes OUTBOX inserts only, as they were built', async () => {
    const { p, sent } = port();
    const res = await publishOutbox(
      [
        record('INSERT', { pk: 'APP#a-1', sk: 'APP', state: 'ACCEPTED' }, 's0'),
        outboxRecord(1),
        record('MODIFY', { ...notification(2), ...outboxKey(notification(2), 0) }, 's2'),
      ],
      p,
    );
    expect(res).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual([['eia.notification.accept', notification(1)]]);
  });

  it('reports the first failure for retry, and the retry delivers it', async () => {
    const records = [outboxRecord(1), outboxRecord(2), outboxRecord(3)];
    const first = port(2);
    expect(await publishOutbox(records, first.p)).toEqual({ batchItemFailures: [{ itemIdentifier: 's2' }] });
    expect(first.sent.map(([, n]) => n.seq)).toEqual([1]);
    // Lambda retries from the failed record on.
    const retry = port();
    expect(await publishOutbox(records.slice(1), retry.p)).toEqual({ batchItemFailures: [] });
    expect([...first.sent, ...retry.sent].map(([, n]) => n.seq)).toEqual([1, 2, 3]);
  });
});
