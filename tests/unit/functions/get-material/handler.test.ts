import { HeadObjectCommand, NotFound } from '@aws-sdk/client-s3';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Application } from '../../../../shared/domain/types.ts';
import { apiEvent, invoke, type User } from '../../../support/api-events.ts';
import { driveTo } from '../../shared/domain/fixtures.ts';
import { type Handler, loadHandler, NOW, TABLE } from '../fixtures.ts';
import { naming, storeHolds, uploadRecord, userOf, useUploadEnvironment } from '../uploads-fixtures.ts';

const { ddb, s3 } = useUploadEnvironment();
let handler: Handler;
beforeAll(async () => {
  handler = await loadHandler('get-material');
});

const base = driveTo('UNDER_REVIEW', 'REPORT', { id: '44444444-2222-4333-8444-555555555555' }).app;
const older = uploadRecord(base, 'EIA_DOCUMENT', { fileName: '报告书 (第一版).pdf' });
const current = uploadRecord(base, 'EIA_DOCUMENT', { fileName: '环境影响报告书.pdf' });
const abandoned = uploadRecord(base, 'EIA_DOCUMENT', { storedAt: undefined });
const infected = uploadRecord(base, 'LAND_USE_OPINION', { scan: 'INFECTED' });
const pending = uploadRecord(base, 'PUBLIC_VERSION', { storedAt: undefined });
const app: Application = naming(base, [current, infected, pending]);
const records = [older, current, abandoned, infected, pending];

function download(user: User, code: string, query: Record<string, string> = {}, target = app) {
  return invoke(
    handler,
    apiEvent({
      method: 'GET',
      route: '/applications/{id}/materials/{code}',
      pathParameters: { id: target.id, code },
      query,
      user,
    }),
  );
}

beforeEach(() => {
  ddb.reset();
  s3.reset();
  ddb.on(TransactWriteCommand).resolves({});
  storeHolds(ddb, app, records);
  s3.on(HeadObjectCommand).rejects(new NotFound({ message: 'no such key', $metadata: {} }));
});

const logged = () =>
  ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems?.[0]?.Put?.Item);

function location(res: { statusCode: number; headers: Record<string, string> }) {
  expect(res.statusCode).toBe(303);
  return new URL(res.headers.location ?? '');
}

describe('GET /applications/{id}/materials/{code}', () => {
  it('sends the owner to the current version for 5 minutes, named in UTF-8, and logs nothing', async () => {
    const res = await download(userOf('owner'), 'EIA_DOCUMENT');
    const url = location(res);
    expect(url.pathname).toBe(`/materials/${app.id}/${current.uploadId}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="_______.pdf"; filename*=UTF-8''${encodeURIComponent('环境影响报告书.pdf')}`,
    );
    expect(url.searchParams.get('response-content-type')).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(logged()).toHaveLength(0);
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(0);
  });

  it('serves an older version by its uploadId', async () => {
    const url = location(await download(userOf('owner'), 'EIA_DOCUMENT', { version: older.uploadId }));
    expect(url.pathname).toBe(`/materials/${app.id}/${older.uploadId}`);
  });

  it("enters an official's or the auditor's download in the access log first", async () => {
    for (const who of ['reviewer', 'auditor'] as const) {
      ddb.resetHistory();
      const res = await download(userOf(who), 'EIA_DOCUMENT', { version: older.uploadId });
      location(res);
      const user = userOf(who);
      expect(logged()).toEqual([
        {
          kind: 'DOCUMENT_DOWNLOAD',
          at: NOW.toISOString(),
          requestId: expect.any(String),
          actor: { id: user.sub, name: user.name, roles: [...user.groups] },
          applicationId: app.id,
          code: 'EIA_DOCUMENT',
          uploadId: older.uploadId,
          fileName: older.fileName,
          pk: 'AUDITLOG',
          sk: expect.stringMatching(new RegExp(`^${NOW.toISOString()}#`)),
        },
      ]);
      expect(
        ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put?.TableName,
      ).toBe(TABLE);
    }
  });

  it('gives no link when the access log cannot be written', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    const res = await download(userOf('clerk'), 'EIA_DOCUMENT');
    expect(res.statusCode).toBe(503);
    expect(res.headers.location).toBeUndefined();
  });

  it('is 404 for another applicant, an unknown code, a version of another code or one never stored', async () => {
    const cases: [User, string, Record<string, string>][] = [
      [userOf('otherApplicant'), 'EIA_DOCUMENT', {}],
      [userOf('owner'), 'BUSINESS_LICENSE', {}],
      [userOf('owner'), 'NO_SUCH_CODE', {}],
      [userOf('owner'), 'PROJECT_APPROVAL', { version: current.uploadId }],
      [userOf('owner'), 'EIA_DOCUMENT', { version: abandoned.uploadId }],
      [userOf('owner'), 'EIA_DOCUMENT', { version: '99999999-2222-4333-8444-555555555555' }],
      [userOf('reviewer'), 'EIA_DOCUMENT', { version: abandoned.uploadId }],
    ];
    for (const [user, code, query] of cases) {
      const res = await download(user, code, query);
      expect(res.statusCode, `${user.sub} ${code} ${JSON.stringify(query)}`).toBe(404);
      expect(res.headers.location).toBeUndefined();
    }
    expect(logged()).toHaveLength(0);
  });

  it('refuses a version that is not an uploadId', async () => {
    const res = await download(userOf('owner'), 'EIA_DOCUMENT', { version: '../x' });
    expect(res.statusCode).toBe(400);
    expect(res.body.issues[0].path).toBe('version');
  });

  it('never serves a file the malware scan found infected, and logs no download of it', async () => {
    const res = await download(userOf('reviewer'), 'LAND_USE_OPINION');
    expect(res.statusCode).toBe(422);
    expect(res.body.type).toMatch(/file-infected$/);
    expect(logged()).toHaveLength(0);
  });

  it('looks for a named version not yet found stored: 404 while missing, 303 once there', async () => {
    const missing = await download(userOf('owner'), 'PUBLIC_VERSION');
    expect(missing.statusCode).toBe(404);
    expect(missing.body.detail).toMatch(/not been uploaded yet/);
    s3.on(HeadObjectCommand).resolves({ ContentLength: pending.sizeBytes });
    const url = location(await download(userOf('owner'), 'PUBLIC_VERSION'));
    expect(url.pathname).toBe(`/materials/${app.id}/${pending.uploadId}`);
    expect(s3.commandCalls(HeadObjectCommand)[0]?.args[0].input).toMatchObject({
      Key: `materials/${app.id}/${pending.uploadId}`,
    });
  });
});
