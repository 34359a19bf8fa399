/**
 * Numbered acts (shared/http/numbered.ts) and what the store writes for them
 * (shared/store/application-store.ts commit, DynamoDB mocked): the counter moved on the value read,
 * the number's lookup item, the document's outbox item; a lost number retries the act, then 503.
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { GENESIS } from '../../../../shared/domain/audit-chain.ts';
import { decide } from '../../../../shared/domain/decide.ts';
import { stepChange } from '../../../../shared/domain/step-change.ts';
import {
  decideNumbered,
  jitterMs,
  NumbersBusyError,
  retryOnNumberConflict,
} from '../../../../shared/http/numbered.ts';
import { applicationStore } from '../../../../shared/store/application-store.ts';
import { ConcurrentChangeError, CounterConflictError } from '../../../../shared/store/errors.ts';
import { at, callers, driveTo, workingDay } from '../domain/fixtures.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const store = applicationStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' })), {
  table: 'main',
  idempotencyTable: 'idem',
});
beforeEach(() => ddb.reset());

const noticeEnded = at(workingDay('2026-03-02', 12));
const approveWith =
  (app: ReturnType<typeof driveTo>['app']) => (counters: Record<string, number> | undefined) =>
    decide(
      app,
      'approve',
      callers.approver,
      {},
      { now: noticeEnded, requestId: 'r', ...(counters ? { counters } : {}) },
    );

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('decideNumbered', () => {
  it('reads the counter of the act’s series and year once, and decides on its value', async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: 'COUNTER', sk: 'decision#2026', value: 16 } });
    const t = driveTo('PUBLIC_NOTICE');
    const step = await decideNumbered(store, approveWith(t.app));
    expect(step.app.decisionNumber).toBe('醴环评〔2026〕17号');
    expect(ddb.commandCalls(GetCommand).map((c) => c.args[0].input)).toEqual([
      { TableName: 'main', Key: { pk: 'COUNTER', sk: 'decision#2026' }, ConsistentRead: true },
    ]);
  });

  it('reads nothing for an act that issues no document, nor for a refusal', async () => {
    const t = driveTo('ACCEPTED');
    const step = await decideNumbered(store, () =>
      decide(t.app, 'start_review', callers.reviewer, {}, { now: at('2026-03-04'), requestId: 'r' }),
    );
    expect(step.issued).toBeUndefined();
    await expect(decideNumbered(store, approveWith(t.app))).rejects.toThrow(/not allowed in state/);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('commit of a numbered act', () => {
  async function commitApproval(read: number) {
    ddb.on(GetCommand).resolves(read === 0 ? {} : { Item: { value: read } });
    const t = driveTo('PUBLIC_NOTICE');
    const step = await decideNumbered(store, approveWith(t.app));
    await store.commit(stepChange(step, GENESIS));
    return { step, items: ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [] };
  }

  it('moves the counter on the value read, writes the number’s lookup item once, and the document’s outbox item', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const { step, items } = await commitApproval(16);
    const ref = step.issued?.ref;
    const [counter, lookup, outbox] = items.slice(-3);
    expect(counter?.Put).toMatchObject({
      Item: { pk: 'COUNTER', sk: 'decision#2026', value: 17 },
      ConditionExpression: '#value = :read',
      ExpressionAttributeValues: { ':read': 16 },
    });
    expect(lookup?.Put).toMatchObject({
      Item: {
        pk: `DOCNO#${ref?.number}`,
        sk: 'DOCNO',
        applicationId: step.app.id,
        documentId: ref?.documentId,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(outbox?.Put).toMatchObject({
      Item: {
        pk: 'OUTBOX',
        type: 'document',
        applicationId: step.app.id,
        documentId: ref?.documentId,
        seq: step.event.seq,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('the first number of a year: the counter must not exist yet', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const { items } = await commitApproval(0);
    expect(items.at(-3)?.Put).toMatchObject({
      Item: { sk: 'decision#2026', value: 1 },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('the counter’s condition failed (another act took the number): CounterConflictError, to retry the act', async () => {
    // app, event, notice, notification outbox, counter, lookup, document outbox
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelled('None', 'None', 'None', 'None', 'ConditionalCheckFailed', 'None', 'None'));
    await expect(commitApproval(3)).rejects.toBeInstanceOf(CounterConflictError);
  });

  it('the application’s condition failed: a concurrent change as ever (409/412), not retried', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelled('ConditionalCheckFailed', 'None', 'None', 'None', 'ConditionalCheckFailed'));
    const error = await commitApproval(3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrentChangeError);
    expect(error).not.toBeInstanceOf(CounterConflictError);
    expect((error as ConcurrentChangeError).staleVersion).toBe(true);
  });
});

describe('retryOnNumberConflict', () => {
  it('runs the act again while it loses its number, then answers with it', async () => {
    const act = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new CounterConflictError())
      .mockRejectedValueOnce(new CounterConflictError())
      .mockResolvedValue('done');
    const sleep = vi.fn(async () => {});
    expect(await retryOnNumberConflict(act, { sleep })).toBe('done');
    expect(act).toHaveBeenCalledTimes(3);
    expect(sleep).toHaveBeenCalledTimes(2);
  });

  it('gives up after its attempts: 503 with Retry-After, nothing written', async () => {
    const act = vi.fn(async () => {
      throw new CounterConflictError();
    });
    const error = await retryOnNumberConflict(act, { attempts: 4, sleep: async () => {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NumbersBusyError);
    expect((error as NumbersBusyError).status).toBe(503);
    expect((error as NumbersBusyError).headers).toEqual({ 'retry-after': '1' });
    expect(act).toHaveBeenCalledTimes(4);
  });

  it('does not retry anything else', async () => {
    const act = vi.fn(async () => {
      throw new ConcurrentChangeError('moved', true);
    });
    await expect(retryOnNumberConflict(act, { sleep: async () => {} })).rejects.toBeInstanceOf(
      ConcurrentChangeError,
    );
    expect(act).toHaveBeenCalledTimes(1);
  });

  it('waits a random share of a doubling cap', () => {
    expect(jitterMs(1, () => 0.999)).toBe(49);
    expect(jitterMs(3, () => 0.5)).toBe(100);
    expect(jitterMs(20, () => 0.999)).toBe(799);
    expect(jitterMs(5, () => 0)).toBe(0);
  });
});
