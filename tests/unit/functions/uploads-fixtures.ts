import { S3Client } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, vi } from 'vitest';
import type { Application, Material } from '../../../shared/domain/types.ts';
import type { UploadRecord } from '../../../shared/domain/uploads.ts';
import { appIndexKeys, appKey, uploadKey } from '../../../shared/store/keys.ts';
import type { User } from '../../support/api-events.ts';
import { callers } from '../shared/domain/fixtures.ts';
import { NOW, useHandlerEnvironment } from './fixtures.ts';

/**
 * What the upload and materials handler tests share: the mocked DynamoDB and S3 clients, the
 * bucket's environment, the people of the domain fixtures as tokens, and stored upload records.
 */
export const BUCKET = 'test-eia-documents';

export function useUploadEnvironment(extraEnv: Record<string, string> = {}) {
  const s3 = mockClient(S3Client);
  // Before the common hooks' beforeAll, which loads nothing; the handlers load after both.
  beforeAll(() => {
    vi.stubEnv('DOCUMENTS_BUCKET', BUCKET);
    // Presigning needs credentials, never a network call.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAUNITTEST');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'unit-test-secret');
    for (const [k, v] of Object.entries(extraEnv)) vi.stubEnv(k, v);
  });
  const ddb = useHandlerEnvironment();
  return { ddb, s3 };
}

export const userOf = (key: keyof typeof callers): User => {
  const c = callers[key];
  return { sub: c.id, name: c.name, groups: [...c.roles], ...(c.orgCode ? { orgCode: c.orgCode } : {}) };
};

/** The application item as the store keeps it. */
export function appItem(app: Application): Record<string, unknown> {
  return { ...app, ...appKey(app.id), ...appIndexKeys(app), headHash: 'h'.repeat(64) };
}

export const sha = (c: string) => c.repeat(64);

let n = 0;
/** An upload record of `app` for `code`; stored unless told otherwise. */
export function uploadRecord(
  app: Application,
  code: string,
  over: { [K in keyof UploadRecord]?: UploadRecord[K] | undefined } = {},
): UploadRecord {
  n += 1;
  const uploadId = over.uploadId ?? `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    uploadId,
    applicationId: app.id,
    code,
    fileName: `${code.toLowerCase()}-${n}.pdf`,
    sha256: sha(String(n % 10)),
    sizeBytes: 1000 + n,
    contentType: 'application/pdf',
    key: `materials/${app.id}/${uploadId}`,
    createdAt: new Date(NOW.getTime() - (100 - n) * 60_000).toISOString(),
    createdBy: { id: callers.owner.id, name: callers.owner.name },
    expiresAt: new Date(NOW.getTime() + 15 * 60_000).toISOString(),
    storedAt: NOW.toISOString(),
    detectedType: 'PDF',
    scan: 'SKIPPED',
    ...over,
  } as UploadRecord;
}

/** A record without some of its fields (as one not yet stored). */
export function without(record: UploadRecord, ...fields: (keyof UploadRecord)[]): UploadRecord {
  const copy: Partial<UploadRecord> = { ...record };
  for (const f of fields) delete copy[f];
  return copy as UploadRecord;
}

/** The Material an application names for a record. */
export function materialOf(record: UploadRecord): Material {
  return {
    code: record.code,
    fileName: record.fileName,
    sha256: record.sha256,
    sizeBytes: record.sizeBytes,
    uploadId: record.uploadId,
    contentType: record.contentType,
  };
}

/** The application with `records` as its current materials (replacing any of the same code). */
export function naming(app: Application, records: UploadRecord[]): Application {
  const codes = new Set(records.map((r) => r.code));
  return {
    ...app,
    materials: [...app.materials.filter((m) => !codes.has(m.code)), ...records.map(materialOf)],
  };
}

/** GetItem answers: the application, and the given upload records by key. */
export function storeHolds(
  ddb: ReturnType<typeof useUploadEnvironment>['ddb'],
  app: Application | undefined,
  records: UploadRecord[] = [],
) {
  ddb.on(GetCommand).resolves({});
  if (app) ddb.on(GetCommand, { Key: appKey(app.id) }).resolves({ Item: appItem(app) });
  for (const r of records) {
    ddb.on(GetCommand, { Key: uploadKey(r.applicationId, r.uploadId) }).resolves({
      Item: { ...r, ...uploadKey(r.applicationId, r.uploadId) },
    });
  }
}
