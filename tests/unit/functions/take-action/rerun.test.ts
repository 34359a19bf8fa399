/**
 * An act whose commit lost to a concurrent change runs once more when the request named no
 * version (shared/http/command.ts rerunOnConcurrentChange). The typical winner is the documents
 * function's `issue_document` event, committed by `system` right after a document-issuing act:
 * the person's act is decided again on the new version and written once; with If-Match it stays
 * 412; losing a second time is 409. An edit (PATCH) is run again the same way.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chain } from '../../../../shared/domain/audit-chain.ts';
import { systemStep } from '../../../../shared/domain/decide.ts';
import { appIndexKeys, appKey } from '../../../../shared/store/keys.ts';
import { apiEvent, invoke } from '../../../support/api-events.ts';
import {
  APP_ID,
  clerk,
  commandCounts,
  type Handler,
  IDEMPOTENCY_TABLE,
  loadHandler,
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
});

function accept(headers: Record<string, string> = {}) {
  return invoke(
    handler,
    apiEvent({
      method: 'POST',
      route: '/applications/{id}/actions/{action}',
      pathParameters: { id: APP_ID, action: 'accept' },
      body: {},
      headers,
      user: clerk,
    }),
  );
}

/** The application one version on: the documents function recorded a stored document (`system`). */
function afterIssueDocument(before: Stored): Stored {
  const ref = {
    documentId: 'FILING_RECEIPT-2',
    kind: 'FILING_RECEIPT' as const,
    number: 'R-1',
    issuedOn: '2025-06-09',
    seq: 2,
  };
  const documents = [
    { ...ref, sha256: 'a'.repeat(64), sizeBytes: 1234, storedAt: '2025-06-10T01:59:59.000Z' },
  ];
  const step = systemStep(
    before.app,
    'issue_document',
    { documents },
    { now: new Date('2025-06-10T01:59:59.000Z'), requestId: 'doc-1' },
    { documentId: ref.documentId, number: ref.number, sha256: documents[0]?.sha256, sizeBytes: 1234 },
    'Documents 系统',
  );
  const event = chain(step.event, before.headHash);
  const app = step.app;
  return {
    app,
    events: [...before.events, event],
    headHash: event.hash,
    item: { ...app, ...appKey(app.id), ...appIndexKeys(app), headHash: event.hash },
  };
}

const lostOnVersion = () =>
  new TransactionCanceledException({
    message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
    $metadata: {},
    CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }],
  });

const writes = () => ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems ?? []);

describe('an act that lost its commit to a concurrent issue_document', () => {
  it('runs again on the new version and succeeds with one write, chained after the system event', async () => {
    const before = storedApplication('SUBMITTED');
    const after = afterIssueDocument(before);
    expect(after.app.version).toBe(before.app.version + 1);
    ddb
      .on(GetCommand, { TableName: TABLE, Key: appKey(APP_ID) })
      .resolvesOnce({ Item: before.item })
      .resolves({ Item: after.item });
    ddb.on(TransactWriteCommand).rejectsOnce(lostOnVersion()).resolves({});

    const res = await accept();

    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.application).toMatchObject({ state: 'ACCEPTED', version: after.app.version + 1 });
    expect(res.body.application.documents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ documentId: 'FILING_RECEIPT-2', sha256: 'a'.repeat(64) }),
      ]),
    );
    expect(res.headers.etag).toBe(`"${after.app.version + 1}"`);
    // Loaded twice, attempted twice; only the second transaction was accepted by the store.
    expect(commandCounts(ddb)).toEqual({ GetCommand: 4, TransactWriteCommand: 2 });
    const [lost, won] = writes();
    expect(lost?.[0]?.Put?.ExpressionAttributeValues).toEqual({ ':expected': before.app.version });
    expect(won?.[0]?.Put?.ExpressionAttributeValues).toEqual({ ':expected': after.app.version });
    expect(won?.[1]?.Put?.Item).toMatchObject({
      seq: after.app.version + 1,
      action: 'accept',
      prevHash: after.headHash,
    });
  });

  it('with If-Match naming the version read: 412 stale-version, not run again', async () => {
    const before = storedApplication('SUBMITTED');
    ddb
      .on(GetCommand, { TableName: TABLE, Key: appKey(APP_ID) })
      .resolvesOnce({ Item: before.item })
      .resolves({ Item: afterIssueDocument(before).item });
    ddb.on(TransactWriteCommand).rejectsOnce(lostOnVersion()).resolves({});

    const res = await accept({ 'if-match': `"${before.app.version}"` });

    expect(res.statusCode, res.raw).toBe(412);
    expect(res.body.type).toMatch(/\/stale-version$/);
    expect(writes()).toHaveLength(1);
  });

  it('with If-Match: * it runs again like a request without one', async () => {
    const before = storedApplication('SUBMITTED');
    ddb
      .on(GetCommand, { TableName: TABLE, Key: appKey(APP_ID) })
      .resolvesOnce({ Item: before.item })
      .resolves({ Item: afterIssueDocument(before).item });
    ddb.on(TransactWriteCommand).rejectsOnce(lostOnVersion()).resolves({});

    const res = await accept({ 'if-match': '*' });

    expect(res.statusCode, res.raw).toBe(200);
    expect(writes()).toHaveLength(2);
  });

  it('losing the second run too: 409 concurrent-change, nothing more tried', async () => {
    const before = storedApplication('SUBMITTED');
    ddb
      .on(GetCommand, { TableName: TABLE, Key: appKey(APP_ID) })
      .resolvesOnce({ Item: before.item })
      .resolves({ Item: afterIssueDocument(before).item });
    ddb.on(TransactWriteCommand).rejects(lostOnVersion());

    const res = await accept();

    expect(res.statusCode, res.raw).toBe(409);
    expect(res.body.type).toMatch(/\/concurrent-change$/);
    expect(writes()).toHaveLength(2);
  });

  it('when the winner was another accept, the second run answers what a later request gets: 409 not-allowed-in-state', async () => {
    const before = storedApplication('SUBMITTED');
    ddb
      .on(GetCommand, { TableName: TABLE, Key: appKey(APP_ID) })
      .resolvesOnce({ Item: before.item })
      .resolves({ Item: { ...before.item, state: 'ACCEPTED', version: before.app.version + 1 } });
    ddb.on(TransactWriteCommand).rejectsOnce(lostOnVersion()).resolves({});

    const res = await accept();

    expect(res.statusCode, res.raw).toBe(409);
    expect(res.body.type).toMatch(/\/not-allowed-in-state$/);
    expect(writes()).toHaveLength(1);
  });

  it('with an Idempotency-Key: when the same key won meanwhile, the second run answers its response and writes nothing', async () => {
    const before = storedApplication('SUBMITTED');
    const firstResponse = {
      requestHash: 'to be taken from the lost attempt',
      statusCode: 200,
      headers: { 'content-type': 'application/json', etag: '"3"' },
      body: JSON.stringify({ application: { id: APP_ID, version: 3 } }),
      createdAt: '2025-06-10T02:00:00.000Z',
    };
    let record: Record<string, unknown> | undefined;
    ddb
      .on(TransactGetCommand)
      .callsFake(async () =>
        record
          ? { Responses: [{ Item: before.item }, { Item: record }] }
          : { Responses: [{ Item: before.item }, {}] },
      );
    ddb.on(TransactWriteCommand).callsFakeOnce(async (input) => {
      // The lost attempt carried the same request hash the winner (same key, same body) wrote.
      const put = input.TransactItems.find(
        (i: { Put?: { TableName?: string } }) => i.Put?.TableName === IDEMPOTENCY_TABLE,
      )?.Put?.Item;
      record = { ...put, ...firstResponse, requestHash: put.requestHash };
      throw lostOnVersion();
    });

    const res = await accept({ 'idempotency-key': 'accept-once' });

    expect(res.statusCode, res.raw).toBe(200);
    expect(res.headers['idempotent-replayed']).toBe('true');
    expect(res.body).toEqual(JSON.parse(firstResponse.body));
    expect(writes()).toHaveLength(1);
  });
});

describe('an edit (PATCH) that lost its commit to a concurrent change', () => {
  let patchHandler: Handler;
  beforeAll(async () => {
    patchHandler = await loadHandler('update-application');
  });

  function patch(body: unknown, headers: Record<string, string> = {}) {
    return invoke(
      patchHandler,
      apiEvent({
        method: 'PATCH',
        route: '/applications/{id}',
        pathParameters: { id: APP_ID },
        body,
        headers,
        user: owner,
      }),
    );
  }

  /** The draft one version on: someone else changed the investment meanwhile. */
  function edited(before: Stored): Stored['item'] {
    const project = { ...before.app.project, investmentCny: 12_345_678 };
    return { ...before.item, project, version: before.app.version + 1, headHash: 'f'.repeat(64) };
  }

  /** A draft whose first commit loses to that edit: read as it was, then as edited. */
  function losesOnceToAnEdit(): Stored {
    const before = storedApplication('DRAFT');
    ddb
      .on(GetCommand, { TableName: TABLE, Key: appKey(APP_ID) })
      .resolvesOnce({ Item: before.item })
      .resolves({ Item: edited(before) });
    ddb.on(TransactWriteCommand).rejectsOnce(lostOnVersion()).resolves({});
    return before;
  }

  it('without If-Match: applied again to the new version, keeping the other change', async () => {
    const before = losesOnceToAnEdit();

    const res = await patch({ project: { name: '改名后的项目' } });

    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({
      version: before.app.version + 2,
      project: { name: '改名后的项目', investmentCny: 12_345_678 },
    });
    const [lost, won] = writes();
    expect(lost?.[0]?.Put?.ExpressionAttributeValues).toEqual({ ':expected': before.app.version });
    expect(won?.[0]?.Put?.ExpressionAttributeValues).toEqual({ ':expected': before.app.version + 1 });
    expect(won?.[1]?.Put?.Item).toMatchObject({ action: 'edit', prevHash: 'f'.repeat(64) });
  });

  it('with If-Match naming the version read: 412, not applied again', async () => {
    const before = losesOnceToAnEdit();

    const res = await patch({ project: { name: '改名后的项目' } }, { 'if-match': `"${before.app.version}"` });

    expect(res.statusCode, res.raw).toBe(412);
    expect(writes()).toHaveLength(1);
  });
});
