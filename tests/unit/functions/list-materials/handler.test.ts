import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Application } from '../../../../shared/domain/types.ts';
import { uploadKey } from '../../../../shared/store/keys.ts';
import { apiEvent, invoke, type User } from '../../../support/api-events.ts';
import { driveTo } from '../../shared/domain/fixtures.ts';
import { type Handler, loadHandler } from '../fixtures.ts';
import { naming, storeHolds, uploadRecord, userOf, useUploadEnvironment } from '../uploads-fixtures.ts';

const { ddb } = useUploadEnvironment();
let handler: Handler;
beforeAll(async () => {
  handler = await loadHandler('list-materials');
});

const base = driveTo('UNDER_REVIEW', 'REPORT', { id: '33333333-2222-4333-8444-555555555555' }).app;
const first = uploadRecord(base, 'EIA_DOCUMENT', {
  fileName: '报告书-第一版.pdf',
  scanReason: 'not-offered-in-region',
});
const second = uploadRecord(base, 'EIA_DOCUMENT', { fileName: '报告书-第二版.pdf' });
const abandoned = uploadRecord(base, 'EIA_DOCUMENT', { storedAt: undefined, detectedType: undefined });
const publicVersion = uploadRecord(base, 'PUBLIC_VERSION', { scan: 'CLEAN' });
const app: Application = naming(base, [second, publicVersion]);

function list(user: User, target: Application = app) {
  return invoke(
    handler,
    apiEvent({
      method: 'GET',
      route: '/applications/{id}/materials',
      pathParameters: { id: target.id },
      user,
    }),
  );
}

beforeEach(() => {
  ddb.reset();
  storeHolds(ddb, app);
  ddb.on(QueryCommand).resolves({
    Items: [first, second, abandoned, publicVersion].map((r) => ({ ...r, ...uploadKey(app.id, r.uploadId) })),
  });
});

describe('GET /applications/{id}/materials', () => {
  it('lists every stored version, marking the current ones, and not an upload never stored', async () => {
    const res = await list(userOf('owner'));
    expect(res.statusCode).toBe(200);
    const items = res.body.items as { uploadId: string; current: boolean; code: string }[];
    expect(items.map((i) => [i.uploadId, i.code, i.current])).toEqual([
      [first.uploadId, 'EIA_DOCUMENT', false],
      [second.uploadId, 'EIA_DOCUMENT', true],
      [publicVersion.uploadId, 'PUBLIC_VERSION', true],
    ]);
    expect(res.body.items[1]).toEqual({
      code: 'EIA_DOCUMENT',
      uploadId: second.uploadId,
      fileName: '报告书-第二版.pdf',
      sha256: second.sha256,
      sizeBytes: second.sizeBytes,
      contentType: 'application/pdf',
      uploadedAt: second.createdAt,
      uploadedBy: second.createdBy,
      scan: 'SKIPPED',
      current: true,
      stored: true,
      storedAt: second.storedAt,
      detectedType: 'PDF',
    });
    expect(res.body.items[2].scan).toBe('CLEAN');
  });

  it('says why a version was not scanned; a version recorded without a reason has none', async () => {
    const res = await list(userOf('reviewer'));
    const [one, two] = res.body.items as { scan: string; scanReason?: string }[];
    expect(one).toMatchObject({ scan: 'SKIPPED', scanReason: 'not-offered-in-region' });
    // `second` was recorded before reasons were kept: it still lists, SKIPPED, without one.
    expect(two?.scan).toBe('SKIPPED');
    expect(two).not.toHaveProperty('scanReason');
  });

  it('gives a reason only with SKIPPED', async () => {
    const stale = uploadRecord(base, 'PUBLIC_VERSION', { scan: 'CLEAN', scanReason: 'failed' });
    const named = naming(base, [second, stale]);
    storeHolds(ddb, named);
    ddb.on(QueryCommand).resolves({ Items: [{ ...stale, ...uploadKey(app.id, stale.uploadId) }] });
    const res = await list(userOf('reviewer'), named);
    expect(res.body.items[0]).toMatchObject({ scan: 'CLEAN' });
    expect(res.body.items[0]).not.toHaveProperty('scanReason');
    const query = ddb.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query).toMatchObject({
      ExpressionAttributeValues: { ':pk': `APP#${app.id}`, ':prefix': 'UPLOAD#' },
      ConsistentRead: true,
    });
  });

  it('lists a version the application names before it is found stored, as not stored', async () => {
    const named = naming(app, [abandoned]);
    storeHolds(ddb, named);
    const res = await list(userOf('owner'), named);
    const listed = res.body.items.find((i: { uploadId: string }) => i.uploadId === abandoned.uploadId);
    expect(listed).toMatchObject({ current: true, stored: false });
    expect(listed.storedAt).toBeUndefined();
  });

  it('is open to officials and the auditor, and 404 to another applicant', async () => {
    for (const who of ['clerk', 'reviewer', 'approver', 'auditor'] as const) {
      expect((await list(userOf(who))).statusCode, who).toBe(200);
    }
    const other = await list(userOf('otherApplicant'));
    expect(other.statusCode).toBe(404);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(4);
  });
});
