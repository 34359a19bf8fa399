import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { hashEvent } from '../../../../shared/domain/audit-chain.ts';
import type { AuditEvent } from '../../../../shared/domain/types.ts';
import { logger } from '../../../../shared/runtime/logger.ts';
import {
  appKey,
  counterKey,
  eventIndexKeys,
  eventKey,
  idempotencyKey,
} from '../../../../shared/store/keys.ts';
import { apiEvent, invoke, type Response, type User } from '../../../support/api-events.ts';
import {
  APP_ID,
  clerk,
  commandCounts,
  type Handler,
  IDEMPOTENCY_TABLE,
  loadHandler,
  otherApplicant,
  owner,
  type Stored,
  storedApplication,
  TABLE,
  useHandlerEnvironment,
} from '../fixtures.ts';

const ddb = useHandlerEnvironment();
let handler: Handler;

beforeAll(async () => {
  handler = await loadHandler('take-action');
});
beforeEach(() => {
  ddb.reset();
  vi.restoreAllMocks();
});

interface ActionRequest {
  user?: User;
  id?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

function act(action: string, { user = clerk, id = APP_ID, body = {}, headers = {} }: ActionRequest = {}) {
  return invoke(
    handler,
    apiEvent({
      method: 'POST',
      route: '/applications/{id}/actions/{action}',
      pathParameters: { id, action },
      body,
      headers,
      user,
    }),
  );
}

/** The application item is found by one strongly consistent GetItem; writes succeed. */
function storeHolds(stored: Stored) {
  ddb.on(GetCommand, { TableName: TABLE, Key: appKey(stored.app.id) }).resolves({ Item: stored.item });
  ddb.on(TransactWriteCommand).resolves({});
}

/** The application and, if given, an idempotency record, read in one TransactGetItems. */
function storeHoldsWithIdempotency(stored: Stored, record?: Record<string, unknown>) {
  ddb.on(TransactGetCommand).resolves({ Responses: [{ Item: stored.item }, record ? { Item: record } : {}] });
  ddb.on(TransactWriteCommand).resolves({});
}

function writes() {
  return ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems ?? []);
}

function expectProblem(res: Response, status: number) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
}

function cancelled(...codes: string[]) {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

describe('a transition: the clerk accepts a SUBMITTED application', () => {
  it('makes two reads (the application, then its acceptance notice number counter) and one TransactWriteItems, and no other DynamoDB call', async () => {
    storeHolds(storedApplication('SUBMITTED'));
    const res = await act('accept');

    expect(res.statusCode).toBe(200);
    expect(commandCounts(ddb)).toEqual({ GetCommand: 2, TransactWriteCommand: 1 });
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
      TableName: TABLE,
      ConsistentRead: true,
    });
    expect(ddb.commandCalls(GetCommand)[1]?.args[0].input).toMatchObject({
      TableName: TABLE,
      Key: counterKey('acceptance#2025'),
      ConsistentRead: true,
    });
    console.info('DB calls per numbered act: 2 reads + 1 TransactWriteItems');
  });

  it('conditions the application Put on the version it read, and moves its state-index key', async () => {
    const stored = storedApplication('SUBMITTED');
    storeHolds(stored);
    await act('accept');

    const [items] = writes();
    const appPut = items?.[0]?.Put;
    expect(appPut).toMatchObject({
      TableName: TABLE,
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': stored.app.version },
      Item: {
        ...appKey(APP_ID),
        state: 'ACCEPTED',
        version: stored.app.version + 1,
        gsi2pk: 'STATE#ACCEPTED',
      },
    });
  });

  it('appends event seq = version + 1, conditioned on not existing, chained to the stored headHash', async () => {
    const stored = storedApplication('SUBMITTED');
    storeHolds(stored);
    const res = await act('accept');

    const [items] = writes();
    const eventPut = items?.[1]?.Put;
    expect(eventPut?.TableName).toBe(TABLE);
    expect(eventPut?.ConditionExpression).toBe('attribute_not_exists(pk)');
    const { pk, sk, gsi4pk, gsi4sk, gsi5pk, gsi5sk, gsi6pk, gsi6sk, ...event } = (eventPut?.Item ??
      {}) as AuditEvent & Record<'pk' | 'sk' | `gsi${4 | 5 | 6}${'pk' | 'sk'}`, string>;
    expect({ pk, sk }).toEqual(eventKey(APP_ID, stored.app.version + 1));
    // The audit indexes (by actor, action, day) are written in the same transaction.
    expect({ gsi4pk, gsi4sk, gsi5pk, gsi5sk, gsi6pk, gsi6sk }).toEqual(eventIndexKeys(event));
    expect(event).toMatchObject({
      applicationId: APP_ID,
      seq: stored.app.version + 1,
      action: 'accept',
      actor: { id: clerk.sub, role: 'clerk', name: clerk.name },
      from: 'SUBMITTED',
      to: 'ACCEPTED',
      prevHash: stored.headHash,
    });
    const { hash, ...unsigned } = event;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEvent(unsigned)).toBe(hash);
    // The application item carries the new head, for the next event to chain to.
    expect(items?.[0]?.Put?.Item?.headHash).toBe(hash);
    expect(res.body.event).toEqual(event);
  });

  it('publishes the ACCEPTANCE notice in the same transaction', async () => {
    storeHolds(storedApplication('SUBMITTED'));
    const res = await act('accept');

    const [items] = writes();
    // app, event, notice, outbox, the number's counter, its lookup item, the document's outbox item
    expect(items).toHaveLength(7);
    expect(items?.[2]?.Put).toMatchObject({
      TableName: TABLE,
      Item: {
        pk: 'NOTICES',
        kind: 'ACCEPTANCE',
        applicationId: APP_ID,
        number: res.body.application.caseNumber,
        publishedAt: '2025-06-10T02:00:00.000Z',
      },
    });
  });

  it('writes the acceptance notification to the outbox in the same transaction', async () => {
    const stored = storedApplication('SUBMITTED');
    storeHolds(stored);
    const res = await act('accept');

    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    const [items] = writes();
    const seq = stored.app.version + 1;
    expect(items?.[3]?.Put).toEqual({
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: expect.objectContaining({
        pk: 'OUTBOX',
        sk: `2025-06-10T02:00:00.000Z#${APP_ID}#${String(seq).padStart(10, '0')}#0`,
        applicationId: APP_ID,
        seq,
        action: 'accept',
        at: '2025-06-10T02:00:00.000Z',
        recipients: [
          { kind: 'user', id: stored.app.ownerId },
          { kind: 'role', role: 'reviewer' },
        ],
        deadline: res.body.application.clock.dueDate,
      }),
    });
    const item = items?.[3]?.Put?.Item as { subject: { zh: string; en: string } };
    expect(item.subject.zh).toContain(res.body.application.caseNumber);
    expect(item.subject.en).toContain(res.body.application.caseNumber);
  });

  it('answers 200 {application, event} with the new ETag', async () => {
    const stored = storedApplication('SUBMITTED');
    storeHolds(stored);
    const res = await act('accept');

    expect(res.headers.etag).toBe(`"${stored.app.version + 1}"`);
    expect(res.body.application).toMatchObject({ id: APP_ID, state: 'ACCEPTED', version: 3 });
    expect(res.body.application.caseNumber).toMatch(/^LLHS-2025-/);
    expect(res.body.event).toMatchObject({ seq: 3, action: 'accept' });
  });

  it('reads "[applicant clerk]"-style group claims as two roles', async () => {
    storeHolds(storedApplication('SUBMITTED'));
    const res = await act('accept', {
      user: { sub: 'clerk-2', name: 'Two Hats', groups: ['reviewer', 'clerk'] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body.event.actor).toEqual({ id: 'clerk-2', role: 'clerk', name: 'Two Hats' });
  });
});

describe('with an Idempotency-Key', () => {
  const key = { 'Idempotency-Key': 'accept-7f3a' };

  /** The idempotency record the first request wrote, as the Put carried it. */
  async function firstResponse(body: unknown = {}) {
    const stored = storedApplication('SUBMITTED');
    storeHoldsWithIdempotency(stored);
    const res = await act('accept', { headers: key, body });
    const record = writes()[0]?.find((i) => i.Put?.TableName === IDEMPOTENCY_TABLE)?.Put?.Item;
    ddb.reset();
    return { stored, res, record };
  }

  it('reads application and record in one TransactGetItems, and writes the record in the same transaction', async () => {
    const stored = storedApplication('SUBMITTED');
    storeHoldsWithIdempotency(stored);
    const res = await act('accept', { headers: key });

    expect(res.statusCode).toBe(200);
    // And the number's counter.
    expect(commandCounts(ddb)).toEqual({ TransactGetCommand: 1, GetCommand: 1, TransactWriteCommand: 1 });
    expect(ddb.commandCalls(TransactGetCommand)[0]?.args[0].input.TransactItems).toEqual([
      { Get: { TableName: TABLE, Key: appKey(APP_ID) } },
      { Get: { TableName: IDEMPOTENCY_TABLE, Key: idempotencyKey(`${clerk.sub}#accept-7f3a`) } },
    ]);
    const [items] = writes();
    // app, event, notice, outbox, the number's counter, lookup and outbox items, idempotency
    expect(items).toHaveLength(8);
    expect(items?.[3]?.Put?.Item?.pk).toBe('OUTBOX');
    expect(items?.[7]?.Put).toMatchObject({
      TableName: IDEMPOTENCY_TABLE,
      // New, or expired but not yet deleted by TTL.
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': Math.floor(Date.parse('2025-06-10T02:00:00.000Z') / 1000) },
      Item: {
        ...idempotencyKey(`${clerk.sub}#accept-7f3a`),
        requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        statusCode: 200,
        body: res.raw,
        expiresAt: Math.floor(Date.parse('2025-06-10T02:00:00.000Z') / 1000) + 24 * 60 * 60,
      },
    });
    console.info(
      'DB calls per numbered act with Idempotency-Key: 1 TransactGetItems + 1 GetItem + 1 TransactWriteItems',
    );
  });

  it('returns the stored response as it was, marked idempotent-replayed, and writes nothing', async () => {
    const { stored, res: first, record } = await firstResponse();
    expect(record).toBeDefined();
    storeHoldsWithIdempotency(stored, record);

    const again = await act('accept', { headers: key });

    expect(again.statusCode).toBe(first.statusCode);
    expect(again.raw).toBe(first.raw);
    expect(again.headers).toEqual({ ...first.headers, 'idempotent-replayed': 'true' });
    expect(commandCounts(ddb)).toEqual({ TransactGetCommand: 1 });
  });

  it('refuses the same key with a different body: 422 problem+json, nothing written', async () => {
    const { stored, record } = await firstResponse();
    storeHoldsWithIdempotency(stored, record);

    const res = await act('accept', { headers: key, body: { note: 'second try' } });

    expectProblem(res, 422);
    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'header.Idempotency-Key' })]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers with the winner’s response when a concurrent request with the same key committed first', async () => {
    const { stored, res: first, record } = await firstResponse();
    // Both read before either wrote: neither saw a record.
    ddb.on(TransactGetCommand).resolves({ Responses: [{ Item: stored.item }, {}] });
    // The loser's transaction fails on the idempotency item only (its position: after app, event,
    // notice, outbox, and the number's counter, lookup and outbox items).
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelled('None', 'None', 'None', 'None', 'None', 'None', 'None', 'ConditionalCheckFailed'));
    ddb.on(GetCommand, { TableName: IDEMPOTENCY_TABLE }).resolves({ Item: record });

    const res = await act('accept', { headers: key });

    expect(res.statusCode).toBe(200);
    expect(res.raw).toBe(first.raw);
    expect(res.headers['idempotent-replayed']).toBe('true');
    // The number's counter, then the record.
    expect(commandCounts(ddb)).toEqual({ TransactGetCommand: 1, TransactWriteCommand: 1, GetCommand: 2 });
    expect(ddb.commandCalls(GetCommand)[1]?.args[0].input).toEqual({
      TableName: IDEMPOTENCY_TABLE,
      Key: idempotencyKey(`${clerk.sub}#accept-7f3a`),
      ConsistentRead: true,
    });
  });

  it('does not replay a record past its expiry that TTL has not deleted yet, and takes it over', async () => {
    const { stored, record } = await firstResponse();
    storeHoldsWithIdempotency(stored, {
      ...record,
      expiresAt: Math.floor(Date.parse('2025-06-10T01:00:00Z') / 1000),
    });

    const res = await act('accept', { headers: key });

    expect(res.statusCode).toBe(200);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('treats no body and {} as the same request', async () => {
    const { stored, record } = await firstResponse();
    storeHoldsWithIdempotency(stored, record);

    const res = await invoke(
      handler,
      apiEvent({
        method: 'POST',
        route: '/applications/{id}/actions/{action}',
        pathParameters: { id: APP_ID, action: 'accept' },
        headers: key,
        user: clerk,
      }),
    );

    expect(res.statusCode).toBe(200);
    expect(res.headers['idempotent-replayed']).toBe('true');
  });

  it('refuses a malformed key with 400 before any read', async () => {
    const res = await act('accept', { headers: { 'Idempotency-Key': 'has spaces in it' } });
    expectProblem(res, 400);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('when DynamoDB refuses or fails', () => {
  it('answers 409 problem+json when the version condition fails (a concurrent change won)', async () => {
    storeHolds(storedApplication('SUBMITTED'));
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None', 'None'));

    const res = await act('accept');

    expectProblem(res, 409);
    expect(res.body.type).toMatch(/concurrent-change$/);
  });

  it('answers 409 also when the key is sent and the app condition (not the key) failed', async () => {
    storeHoldsWithIdempotency(storedApplication('SUBMITTED'));
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None', 'None', 'None'));

    const res = await act('accept', { headers: { 'Idempotency-Key': 'k-409' } });

    expectProblem(res, 409);
    // No read of the idempotency record (the one GetItem is the number's counter).
    expect(
      ddb.commandCalls(GetCommand).filter((c) => c.args[0].input.TableName === IDEMPOTENCY_TABLE),
    ).toHaveLength(0);
  });

  it('answers 503 with retry-after when the transaction is cancelled by throttling', async () => {
    storeHolds(storedApplication('SUBMITTED'));
    ddb.on(TransactWriteCommand).rejects(cancelled('ThrottlingError', 'None', 'None'));

    const res = await act('accept');

    expectProblem(res, 503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it.each([
    ['ProvisionedThroughputExceededException', ProvisionedThroughputExceededException],
    ['ThrottlingException', ThrottlingException],
    ['InternalServerError', InternalServerError],
  ])('answers 503 with Retry-After when the read fails with %s, and writes nothing', async (_, Failure) => {
    ddb.on(GetCommand).rejects(new Failure({ message: 'from DynamoDB', $metadata: {} }));

    const res = await act('accept');

    expectProblem(res, 503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers a bare 500 problem+json that does not leak the error of an unexpected failure', async () => {
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => {});
    ddb.on(GetCommand).rejects(new Error('connect ECONNREFUSED 10.0.0.7:8000 secret=hunter2'));

    const res = await act('accept');

    expectProblem(res, 500);
    expect(res.raw).not.toMatch(/ECONNREFUSED|hunter2|10\.0\.0\.7/);
    expect(logged).toHaveBeenCalledWith(
      'unhandled error',
      expect.objectContaining({ error: expect.any(Error) }),
    );
  });
});

describe('refusals, none of which writes', () => {
  it('412 when If-Match names a stale version', async () => {
    const stored = storedApplication('SUBMITTED');
    storeHolds(stored);

    const res = await act('accept', { headers: { 'If-Match': `"${stored.app.version - 1}"` } });

    expectProblem(res, 412);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('accepts an If-Match that names the current version (so the 412 above is about staleness)', async () => {
    const stored = storedApplication('SUBMITTED');
    storeHolds(stored);

    const res = await act('accept', { headers: { 'If-Match': `"${stored.app.version}"` } });

    expect(res.statusCode).toBe(200);
  });

  it('422 when the application would outgrow what one DynamoDB item (and its idempotency record) can hold', async () => {
    const stored = storedApplication('SUBMITTED');
    const huge = {
      ...stored,
      item: { ...stored.item, preview: { question: '问'.repeat(45_000), requestedAt: 'x' } },
    };
    storeHolds(huge);

    const res = await act('accept');

    expectProblem(res, 422);
    expect(res.body.type).toContain('too-large');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('412 for a weak tag of the current version, which never matches (RFC 9110)', async () => {
    const stored = storedApplication('SUBMITTED');
    storeHolds(stored);

    const res = await act('accept', { headers: { 'If-Match': `W/"${stored.app.version}"` } });

    expectProblem(res, 412);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('passes a list of tags that names the current version', async () => {
    const stored = storedApplication('SUBMITTED');
    storeHolds(stored);

    const res = await act('accept', { headers: { 'If-Match': `"1", "${stored.app.version}"` } });

    expect(res.statusCode).toBe(200);
  });

  it('400 for a malformed If-Match', async () => {
    storeHolds(storedApplication('SUBMITTED'));

    const res = await act('accept', { headers: { 'If-Match': 'version two' } });

    expectProblem(res, 400);
    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'header.If-Match' })]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it.each(['teleport', 'constructor', '__proto__', 'hasOwnProperty'])(
    '404 for the unknown action %j',
    async (action) => {
      storeHolds(storedApplication('SUBMITTED'));

      const res = await act(action);

      expectProblem(res, 404);
      expect(res.body.type).toMatch(/unknown-action$/);
      expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    },
  );

  it('403 for the wrong role (the owner may not accept their own application)', async () => {
    storeHolds(storedApplication('SUBMITTED'));

    const res = await act('accept', { user: owner });

    expectProblem(res, 403);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('409 for an action not allowed in the current state (accept on a DRAFT)', async () => {
    storeHolds(storedApplication('DRAFT'));

    const res = await act('accept');

    expectProblem(res, 409);
    expect(res.body.type).toMatch(/not-allowed-in-state$/);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('400 for a payload with an unknown field, naming it in issues[].path', async () => {
    storeHolds(storedApplication('SUBMITTED'));

    const res = await act('accept', { body: { priority: 'high' } });

    expectProblem(res, 400);
    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'priority' })]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('400 for a JSON null body, which is not a payload object (an absent body is {})', async () => {
    storeHolds(storedApplication('SUBMITTED'));

    const res = await act('accept', { body: 'null' });

    expectProblem(res, 400);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('accepts an action without any body as the empty payload', async () => {
    storeHolds(storedApplication('SUBMITTED'));

    const res = await invoke(
      handler,
      apiEvent({
        method: 'POST',
        route: '/applications/{id}/actions/{action}',
        pathParameters: { id: APP_ID, action: 'accept' },
        user: clerk,
      }),
    );

    expect(res.statusCode).toBe(200);
  });

  it('400 naming a nested unknown field of a payload', async () => {
    storeHolds(storedApplication('SUBMITTED'));

    const res = await act('request_supplement', {
      body: { items: [{ code: 'EIA_DOCUMENT', reason: 'unsigned', colour: 'red' }] },
    });

    expectProblem(res, 400);
    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'items.0.colour' })]);
  });

  it('404, not 403, for another applicant’s application: indistinguishable from one that does not exist', async () => {
    storeHolds(storedApplication('SUBMITTED'));
    const notYours = await act('withdraw', { user: otherApplicant });

    ddb.reset();
    ddb.on(GetCommand).resolves({});
    const missing = await act('withdraw', { user: otherApplicant });

    expectProblem(notYours, 404);
    expect(notYours.raw).toBe(missing.raw);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it.each(['not-a-uuid', '0B6F3C1E-6A2D-4F7B-9C3E-2D5A8E4F1A90x', '../APP'])(
    '404 for the id %j, without any DynamoDB call',
    async (id) => {
      const res = await act('accept', { id });
      expectProblem(res, 404);
      expect(ddb.calls()).toHaveLength(0);
    },
  );

  it('401 with WWW-Authenticate when there are no claims, without any DynamoDB call', async () => {
    const res = await invoke(
      handler,
      apiEvent({
        method: 'POST',
        route: '/applications/{id}/actions/{action}',
        pathParameters: { id: APP_ID, action: 'accept' },
        body: {},
      }),
    );
    expectProblem(res, 401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(ddb.calls()).toHaveLength(0);
  });

  it('401 when the token carries none of the known groups', async () => {
    const res = await act('accept', { user: { sub: 'x', name: 'X', groups: ['admins'] } });
    expectProblem(res, 401);
    expect(ddb.calls()).toHaveLength(0);
  });
});
