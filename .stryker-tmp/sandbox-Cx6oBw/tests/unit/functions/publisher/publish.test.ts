/** The outbox publisher's core against a fake port: only OUTBOX inserts, none lost on a failure. */
// @ts-nocheck


import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  EVENT_SOURCE,
  eventBridgePort,
  PublishRefusedError,
} from '../../../../functions/publisher/event-bridge.ts';
import { type EventPort, publishOutbox } from '../../../../functions/publisher/publish.ts';
import type { Notification } from '../../../../shared/domain/notifications.ts';
import { outboxKey } from '../../../../shared/store/keys.ts';

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
    const errors: [string, string | undefined][] = [];
    const onError = (error: unknown, r: DynamoDBRecord) =>
      errors.push([(error as Error).message, r.dynamodb?.SequenceNumber]);
    expect(await publishOutbox(records, first.p, onError)).toEqual({
      batchItemFailures: [{ itemIdentifier: 's2' }],
    });
    expect(errors).toEqual([['throttled', 's2']]);
    expect(first.sent.map(([, n]) => n.seq)).toEqual([1]);
    // Lambda retries from the failed record on.
    const retry = port();
    expect(await publishOutbox(records.slice(1), retry.p)).toEqual({ batchItemFailures: [] });
    expect([...first.sent, ...retry.sent].map(([, n]) => n.seq)).toEqual([1, 2, 3]);
  });

  it('fails the whole batch when the failed record has no sequence number to retry from', async () => {
    const { dynamodb: _omit, ...bare } = outboxRecord(1);
    const noSeq: DynamoDBRecord = { ...bare, dynamodb: { NewImage: outboxRecord(1).dynamodb?.NewImage } };
    await expect(publishOutbox([noSeq], port(1).p)).rejects.toThrow('throttled');
  });
});

describe('EventBridge port', () => {
  const eventBridge = mockClient(EventBridgeClient);
  beforeEach(() => eventBridge.reset());
  const publisher = () => eventBridgePort(new EventBridgeClient({ region: 'cn-north-1' }), 'eia-test');

  it('puts one entry on the bus: source, detail type, the step time, and the notification as detail', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    await publisher().publish('eia.notification.accept', notification(1));
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(1);
    const [entry] = calls[0]?.args[0].input.Entries ?? [];
    expect(entry).toMatchObject({
      EventBusName: 'eia-test',
      Source: EVENT_SOURCE,
      DetailType: 'eia.notification.accept',
      Time: new Date(notification(1).at),
    });
    expect(JSON.parse(entry?.Detail ?? '')).toEqual(notification(1));
  });

  it('throws when EventBridge drops the entry (PutEvents answers 200 with a failed entry)', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }],
    });
    await expect(publisher().publish('eia.notification.accept', notification(1))).rejects.toThrow(
      PublishRefusedError,
    );
  });

  it('a refused entry becomes a batch item failure, so the stream retries it', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] })
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    const res = await publishOutbox([outboxRecord(1), outboxRecord(2), outboxRecord(3)], publisher());
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 's2' }] });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
  });
});
