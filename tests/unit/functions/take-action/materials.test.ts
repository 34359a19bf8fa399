import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { pdfBytes, sha256Of, zipBytes } from '../../../../local/sample-files.ts';
import { chain, GENESIS } from '../../../../shared/domain/audit-chain.ts';
import { createApplication, decide } from '../../../../shared/domain/decide.ts';
import type { Material } from '../../../../shared/domain/types.ts';
import { type UploadRecord, uploadObjectKey } from '../../../../shared/domain/uploads.ts';
import { appIndexKeys, appKey, uploadKey } from '../../../../shared/store/keys.ts';
import { apiEvent, invoke } from '../../../support/api-events.ts';
import {
  APP_ID,
  callerOf,
  clerk,
  commandCounts,
  createBody,
  type Handler,
  loadHandler,
  owner,
  TABLE,
  useHandlerEnvironment,
} from '../fixtures.ts';

/**
 * take-action's checks of the files a submission names (shared/http/material-check.ts), with
 * DynamoDB and S3 both mocked at the SDK: what is read, what is refused, and that the act's one
 * transaction marks the upload records stored.
 */
const ddb = useHandlerEnvironment();
const s3 = mockClient(S3Client);
const BUCKET = 'test-documents';
let handler: Handler;

beforeAll(async () => {
  vi.stubEnv('DOCUMENTS_BUCKET', BUCKET);
  handler = await loadHandler('take-action');
});
beforeEach(() => {
  ddb.reset();
  s3.reset();
});

const uid = (n: number) => `5a1c0de0-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface File {
  material: Material;
  record: UploadRecord;
  bytes: Uint8Array;
}

/** Every material of the fixture's body as a file: a small PDF each, its upload record. */
function files(): File[] {
  return createBody().materials.map((m, i) => {
    const bytes = pdfBytes(`${m.code} ${i}`);
    const material: Material = {
      code: m.code,
      fileName: m.fileName,
      sha256: sha256Of(bytes),
      sizeBytes: bytes.length,
      uploadId: uid(i + 1),
      contentType: 'application/pdf',
    };
    const record: UploadRecord = {
      uploadId: uid(i + 1),
      applicationId: APP_ID,
      code: m.code,
      fileName: m.fileName,
      sha256: material.sha256,
      sizeBytes: material.sizeBytes,
      contentType: 'application/pdf',
      key: uploadObjectKey(APP_ID, uid(i + 1)),
      createdAt: '2025-06-09T01:30:00.000Z',
      createdBy: { id: owner.sub, name: owner.name },
      expiresAt: '2025-06-09T01:45:00.000Z',
      scan: 'SKIPPED',
    };
    return { material, record, bytes };
  });
}

/** The owner's draft naming `list` (or, with `submitted`, after its submission), as stored. */
function stored(list: File[], submitted = false) {
  const caller = callerOf(owner);
  const created = createApplication({ ...createBody(), materials: list.map((f) => f.material) }, caller, {
    now: new Date('2025-06-09T01:00:00.000Z'),
    requestId: 'seed-1',
    id: APP_ID,
  });
  let app = created.app;
  let head = chain(created.event, GENESIS).hash;
  if (submitted) {
    const step = decide(
      app,
      'submit',
      caller,
      {},
      { now: new Date('2025-06-09T03:00:00.000Z'), requestId: 's' },
    );
    app = step.app;
    head = chain(step.event, head).hash;
  }
  return { ...app, ...appKey(app.id), ...appIndexKeys(app), headHash: head };
}

/** The table holds the application and the upload records; S3 holds `objects` (key → bytes). */
function holds(item: Record<string, unknown>, records: UploadRecord[], objects: Map<string, Uint8Array>) {
  ddb.on(GetCommand, { TableName: TABLE, Key: appKey(APP_ID) }).resolves({ Item: item });
  ddb.on(QueryCommand).resolves({
    Items: records.map((r) => ({ ...r, ...uploadKey(r.applicationId, r.uploadId) })),
  });
  ddb.on(TransactWriteCommand).resolves({});
  s3.on(HeadObjectCommand).callsFake((input: { Key: string }) => {
    const bytes = objects.get(input.Key);
    if (!bytes)
      throw Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });
    return {
      ContentLength: bytes.length,
      ChecksumSHA256: Buffer.from(sha256Of(bytes), 'hex').toString('base64'),
    };
  });
  s3.on(GetObjectCommand).callsFake((input: { Key: string; Range?: string }) => {
    const bytes = objects.get(input.Key);
    if (!bytes)
      throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    const end = Number(/bytes=0-(\d+)/.exec(input.Range ?? '')?.[1] ?? bytes.length - 1);
    const part = bytes.subarray(0, end + 1);
    return { Body: { transformToByteArray: async () => part } };
  });
}

const all = (list: File[]) => new Map(list.map((f) => [f.record.key, f.bytes]));

function act(action: string, user = owner) {
  return invoke(
    handler,
    apiEvent({
      method: 'POST',
      route: '/applications/{id}/actions/{action}',
      pathParameters: { id: APP_ID, action },
      body: {},
      user,
    }),
  );
}

describe('submit with files', () => {
  it('looks at each file once (HEAD with storage checksum, the first 4100 bytes) and marks every record stored in the act’s one transaction', async () => {
    const list = files();
    holds(
      stored(list),
      list.map((f) => f.record),
      all(list),
    );
    const res = await act('submit');

    expect(res.statusCode, JSON.stringify(res.body)).toBe(200);
    expect(commandCounts(ddb)).toMatchObject({ GetCommand: 1, QueryCommand: 1, TransactWriteCommand: 1 });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      TableName: TABLE,
      ExpressionAttributeValues: { ':pk': appKey(APP_ID).pk, ':prefix': 'UPLOAD#' },
      ConsistentRead: true,
    });
    const heads = s3.commandCalls(HeadObjectCommand).map((c) => c.args[0].input);
    expect(heads).toHaveLength(list.length);
    expect(heads[0]).toMatchObject({ Bucket: BUCKET, ChecksumMode: 'ENABLED' });
    const gets = s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input);
    expect(gets.map((g) => g.Range)).toEqual(list.map(() => 'bytes=0-4099'));

    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    const marks = items.filter((i) => String(i.Put?.Item?.sk ?? '').startsWith('UPLOAD#'));
    expect(marks).toHaveLength(list.length);
    const at = (res.body as { event: { at: string } }).event.at;
    for (const f of list) {
      expect(marks).toContainEqual({
        Put: expect.objectContaining({
          TableName: TABLE,
          Item: expect.objectContaining({
            ...uploadKey(APP_ID, f.record.uploadId),
            storedAt: at,
            detectedType: 'PDF',
          }),
          ConditionExpression: expect.stringContaining('attribute_exists(pk)'),
        }),
      });
    }
    // The application and its event are in that same transaction.
    expect(items[0]?.Put?.Item).toMatchObject({ ...appKey(APP_ID), state: 'SUBMITTED' });
  });

  it('refuses 422 material-not-uploaded, naming the code, and writes nothing when a file was never put', async () => {
    const list = files();
    const objects = all(list);
    objects.delete(list[1]?.record.key ?? '');
    holds(
      stored(list),
      list.map((f) => f.record),
      objects,
    );
    const res = await act('submit');

    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: expect.stringMatching(/\/material-not-uploaded$/),
      detail: expect.stringContaining(list[1]?.material.code ?? '?'),
      issues: [{ path: 'application.materials.1', message: expect.stringContaining('never stored') }],
    });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('refuses 422 material-type-mismatch for a ZIP named .pdf, naming the code and the file name', async () => {
    const list = files();
    const zip = zipBytes('an archive');
    const eia = list[1] as File;
    eia.bytes = zip;
    eia.material = { ...eia.material, sha256: sha256Of(zip), sizeBytes: zip.length };
    eia.record = { ...eia.record, sha256: sha256Of(zip), sizeBytes: zip.length };
    holds(
      stored(list),
      list.map((f) => f.record),
      all(list),
    );
    const res = await act('submit');

    expect(res.statusCode).toBe(422);
    expect(res.body).toMatchObject({
      type: expect.stringMatching(/\/material-type-mismatch$/),
      issues: [
        {
          path: 'application.materials.1',
          message: `${eia.material.code}: ${eia.material.fileName} is named as a PDF document but its content is a ZIP archive`,
        },
      ],
    });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('refuses materials from before files (no uploadId) without any storage read', async () => {
    holds({ ...stored([]), materials: createBody().materials }, [], new Map());
    const res = await act('submit');
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatchObject({ type: expect.stringMatching(/\/material-not-uploaded$/) });
    expect(s3.calls()).toHaveLength(0);
  });

  it('runs again when an upload record changed between the check and the write (its scan result came in)', async () => {
    const list = files();
    holds(
      stored(list),
      list.map((f) => f.record),
      all(list),
    );
    // The first transaction fails on an upload record's condition (the application's passed).
    const reasons = ['None', 'None', 'ConditionalCheckFailed', 'None', 'None', 'None', 'None', 'None'];
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: {},
          CancellationReasons: reasons.map((Code) => ({ Code })),
        }),
      )
      .resolves({});
    const res = await act('submit');

    expect(res.statusCode, JSON.stringify(res.body)).toBe(200);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
    // The records were read again for the second attempt.
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);
  });

  it("answers 409 when the application itself changed meanwhile and again on the one second run (not the records' retries)", async () => {
    const list = files();
    holds(
      stored(list),
      list.map((f) => f.record),
      all(list),
    );
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, ...list.map(() => ({ Code: 'None' }))],
      }),
    );
    const res = await act('submit');
    expect(res.statusCode).toBe(409);
    expect(res.body.type).toMatch(/\/concurrent-change$/);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });
});

describe('accept', () => {
  it('refuses 422 materials-not-clean while a current file is still being scanned, reading no storage', async () => {
    const list = files();
    const records = list.map((f, i) => (i === 2 ? { ...f.record, scan: 'PENDING' as const } : f.record));
    holds(stored(list, true), records, all(list));
    const res = await act('accept', clerk);

    expect(res.statusCode).toBe(422);
    expect(res.body).toMatchObject({
      type: expect.stringMatching(/\/materials-not-clean$/),
      issues: [{ path: 'materials.2', message: expect.stringContaining(list[2]?.material.code ?? '?') }],
    });
    // One Query for the upload records besides the act's own reads; nothing written, no storage read.
    expect(commandCounts(ddb)).toMatchObject({ QueryCommand: 1 });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });

  it('accepts once every scan is over, adding one Query to the transition', async () => {
    const list = files();
    holds(
      stored(list, true),
      list.map((f) => ({ ...f.record, scan: 'CLEAN' as const })),
      all(list),
    );
    const res = await act('accept', clerk);
    expect(res.statusCode, JSON.stringify(res.body)).toBe(200);
    expect(commandCounts(ddb)).toMatchObject({ QueryCommand: 1, TransactWriteCommand: 1 });
    expect(s3.calls()).toHaveLength(0);
  });
});
