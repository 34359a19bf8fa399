import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_UPLOADS_PER_APPLICATION } from '../../../../functions/create-upload/handler.ts';
import type { UploadRecord } from '../../../../shared/domain/uploads.ts';
import { uploadKey } from '../../../../shared/store/keys.ts';
import { apiEvent, invoke } from '../../../support/api-events.ts';
import { driveTo } from '../../shared/domain/fixtures.ts';
import { type Handler, loadHandler } from '../fixtures.ts';
import { sha, storeHolds, uploadRecord, userOf, useUploadEnvironment } from '../uploads-fixtures.ts';

// An applicant cannot make the service keep any number of upload records for one application,
// and what is kept is the content type in the one spelling that is signed and served.
const { ddb } = useUploadEnvironment();
let handler: Handler;
beforeAll(async () => {
  handler = await loadHandler('create-upload');
});

const draft = driveTo('DRAFT', 'REPORT', { id: '33333333-2222-4333-8444-555555555555' }).app;

const post = (over: Record<string, unknown> = {}) =>
  invoke(
    handler,
    apiEvent({
      method: 'POST',
      route: '/applications/{id}/uploads',
      pathParameters: { id: draft.id },
      body: {
        code: 'EIA_DOCUMENT',
        fileName: 'report.pdf',
        sha256: sha('c'),
        sizeBytes: 10,
        contentType: 'application/pdf',
        ...over,
      },
      user: userOf('owner'),
    }),
  );

const records = (n: number) =>
  Array.from({ length: n }, () => uploadRecord(draft, 'EIA_DOCUMENT', { storedAt: undefined }));

/** The application, and its upload records as a Query of its partition answers them. */
function holds(list: UploadRecord[]) {
  storeHolds(ddb, draft, list);
  ddb.on(QueryCommand).resolves({
    Items: list.map((r) => ({ ...r, ...uploadKey(r.applicationId, r.uploadId) })),
  });
}

beforeEach(() => {
  ddb.reset();
  ddb.on(TransactWriteCommand).resolves({});
});

describe('POST /applications/{id}/uploads limits', () => {
  it(`takes the ${MAX_UPLOADS_PER_APPLICATION}th upload of an application`, async () => {
    holds(records(MAX_UPLOADS_PER_APPLICATION - 1));
    const res = await post();
    expect(res.statusCode, JSON.stringify(res.body)).toBe(201);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('refuses one more with 422 too-many-uploads, and writes nothing', async () => {
    holds(records(MAX_UPLOADS_PER_APPLICATION));
    const res = await post();
    expect(res.statusCode).toBe(422);
    expect(res.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: expect.stringMatching(/\/too-many-uploads$/),
      detail: expect.stringContaining(String(MAX_UPLOADS_PER_APPLICATION)),
    });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('keeps, signs and answers the content type in lower case without surrounding blanks', async () => {
    holds([]);
    const res = await post({ contentType: ' Application/PDF\n' });
    expect(res.statusCode, JSON.stringify(res.body)).toBe(201);
    expect(res.body.material.contentType).toBe('application/pdf');
    expect(res.body.headers['content-type']).toBe('application/pdf');
    const put = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
    expect(put?.Item).toMatchObject({ contentType: 'application/pdf' });
  });
});
