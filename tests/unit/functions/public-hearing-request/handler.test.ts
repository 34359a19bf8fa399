/**
 * POST /public/notices/{noticeId}/hearing-requests with an Idempotency-Key (a random value the form
 * makes once): written with the request and its event in one transaction, scoped to the notice; a
 * retry with the same key and body gets the first 202 again and writes nothing (the case moved to
 * HEARING once); the same key with another body is 422; a lost race for the key answers the
 * winner's 202; without a key nothing of the idempotency table is touched.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Notice } from '../../../../shared/domain/types.ts';
import { appIndexKeys, appKey, noticeIdOf, noticeKey } from '../../../../shared/store/keys.ts';
import { apiEvent, invoke, type Response } from '../../../support/api-events.ts';
import { at, driveTo } from '../../shared/domain/fixtures.ts';
import {
  commandCounts,
  type Handler,
  IDEMPOTENCY_TABLE,
  loadHandler,
  primeCalendar,
  TABLE,
  useHandlerEnvironment,
} from '../fixtures.ts';

const ddb = useHandlerEnvironment();
let handler: Handler;

/** Proposed on 03-06: the hearing window runs through 03-13; the requests come on 03-09. */
const { app } = driveTo('PUBLIC_NOTICE');
const item = { ...app, ...appKey(app.id), ...appIndexKeys(app), headHash: 'a'.repeat(64) };
const proposal = app.proposal;
if (!proposal) throw new Error('no proposal');
const notice: Notice = {
  kind: 'PROPOSED_DECISION',
  applicationId: app.id,
  publishedAt: proposal.proposedAt,
  publishedOn: proposal.noticeStartsOn,
  endsOn: proposal.noticeEndsOn,
  category: app.category,
  projectName: app.project.name,
  location: app.project.location,
  industry: app.project.industry,
  orgName: app.applicant.orgName,
};
const noticeId = noticeIdOf(notice);
const scope = (key: string) => `IDEM#public#${noticeId}#${key}`;

beforeAll(async () => {
  vi.setSystemTime(at('2026-03-09'));
  await primeCalendar();
  handler = await loadHandler('public-hearing-request');
});

function storeAsItIs() {
  ddb.on(UpdateCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { TableName: TABLE, Key: noticeKey(notice) }).resolves({
    Item: { ...notice, ...noticeKey(notice) },
  });
  ddb.on(GetCommand, { TableName: TABLE, Key: appKey(app.id) }).resolves({ Item: item });
  ddb.on(TransactGetCommand).resolves({ Responses: [{ Item: item }, {}] });
  ddb.on(TransactWriteCommand).resolves({});
}

beforeEach(() => {
  ddb.reset();
  storeAsItIs();
});

const body = { name: '利害关系人', contact: 'party@example.com', reason: '对噪声结论有异议' };

function request(payload: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return invoke(
    handler,
    apiEvent({
      method: 'POST',
      route: '/public/notices/{noticeId}/hearing-requests',
      pathParameters: { noticeId },
      body: payload,
      headers,
    }),
  );
}

const writes = () => ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems ?? []);
const idempotencyPuts = () =>
  writes()
    .flat()
    .filter((i) => i.Put?.TableName === IDEMPOTENCY_TABLE);

async function firstWith(key: string, payload: unknown) {
  const first = await request(payload, { 'Idempotency-Key': key });
  expect(first.statusCode, first.raw).toBe(202);
  const record = idempotencyPuts()[0]?.Put?.Item;
  expect(record).toBeDefined();
  return { first, record: record as Record<string, unknown> };
}

describe('POST /public/notices/{noticeId}/hearing-requests with an Idempotency-Key', () => {
  it('writes the key scoped to the notice in the same transaction as the request and request_hearing', async () => {
    const { first, record } = await firstWith('form-h1', body);

    expect(writes()).toHaveLength(1);
    const items = writes()[0] ?? [];
    expect(items[1]?.Put?.Item).toMatchObject({ action: 'request_hearing', to: 'HEARING' });
    expect(items.some((i) => i.Put?.Item?.hearingRequestId === first.body.hearingRequestId)).toBe(true);
    expect(items.at(-1)?.Put?.TableName).toBe(IDEMPOTENCY_TABLE);
    expect(record).toMatchObject({ pk: scope('form-h1'), statusCode: 202, body: first.raw });
  });

  it('replays the first 202 for a retry with the same key and body, counted but writing nothing', async () => {
    const { first, record } = await firstWith('form-h-retry', body);

    ddb.reset();
    ddb.on(UpdateCommand).resolves({});
    ddb.on(GetCommand, { TableName: IDEMPOTENCY_TABLE }).resolves({ Item: record });
    const again = await request(body, { 'Idempotency-Key': 'form-h-retry' });

    expect(again.statusCode).toBe(202);
    expect(again.raw).toBe(first.raw);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(commandCounts(ddb)).toEqual({ UpdateCommand: 1, GetCommand: 1 });
  });

  it('refuses the same key with another body: 422 idempotency-key-reused, nothing written', async () => {
    const { record } = await firstWith('form-h-reused', body);

    ddb.reset();
    ddb.on(UpdateCommand).resolves({});
    ddb.on(GetCommand, { TableName: IDEMPOTENCY_TABLE }).resolves({ Item: record });
    const other = await request({ ...body, reason: '另一个理由' }, { 'Idempotency-Key': 'form-h-reused' });

    expect(other.statusCode).toBe(422);
    expect(other.body.type).toMatch(/\/idempotency-key-reused$/);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers the winner’s 202 when a request with the same key won the write meanwhile', async () => {
    const { first, record } = await firstWith('form-h-race', body);
    const n = (writes()[0] ?? []).length;

    ddb.reset();
    storeAsItIs();
    ddb.on(GetCommand, { TableName: IDEMPOTENCY_TABLE }).resolvesOnce({}).resolves({ Item: record });
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: [
          ...Array.from({ length: n - 1 }, () => ({ Code: 'None' })),
          { Code: 'ConditionalCheckFailed' },
        ],
      }),
    );
    const loser = await request(body, { 'Idempotency-Key': 'form-h-race' });

    expect(loser.statusCode).toBe(202);
    expect(loser.raw).toBe(first.raw);
    expect(loser.headers['idempotent-replayed']).toBe('true');
  });
});

describe('POST /public/notices/{noticeId}/hearing-requests without an Idempotency-Key', () => {
  it('stores the request as before and touches nothing of the idempotency table', async () => {
    const res = await request(body);

    expect(res.statusCode, res.raw).toBe(202);
    expect(writes()).toHaveLength(1);
    expect(idempotencyPuts()).toEqual([]);
    expect(ddb.commandCalls(TransactGetCommand)).toHaveLength(0);
    expect(ddb.commandCalls(GetCommand).map((c) => c.args[0].input.TableName)).not.toContain(
      IDEMPOTENCY_TABLE,
    );
  });
});
