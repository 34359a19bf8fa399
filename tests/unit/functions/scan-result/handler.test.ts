import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordScan, scanOf, scanReasonOf, uploadOf } from '../../../../functions/scan-result/scan.ts';
import type { UploadRecord } from '../../../../shared/domain/uploads.ts';
import { uploadKey } from '../../../../shared/store/keys.ts';
import { lambdaContext } from '../../../support/api-events.ts';
import { stubEnv, TABLE } from '../fixtures.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const BUCKET = 'eia-test-documents';
const APP = '00000000-0000-4000-8000-00000000000a';
const UPLOAD = '0f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b';
type Handler = (event: unknown, context: typeof lambdaContext) => Promise<unknown>;
let handler: Handler;

const record: UploadRecord = {
  uploadId: UPLOAD,
  applicationId: APP,
  code: 'EIA_REPORT',
  fileName: '环评报告.pdf',
  sha256: 'a'.repeat(64),
  sizeBytes: 1024,
  contentType: 'application/pdf',
  key: `materials/${APP}/${UPLOAD}`,
  createdAt: '2025-06-10T02:00:00.000Z',
  createdBy: { id: 'u-1', name: 'Zhang Wei' },
  expiresAt: '2025-06-10T02:15:00.000Z',
  scan: 'PENDING',
};

/** GuardDuty's event as it arrives on the default bus (schema 1.0). */
function scanEvent(resultStatus: string, overrides: { key?: string; bucket?: string; time?: string } = {}) {
  return {
    version: '0',
    id: 'af93f050-ee86-3db9-a262-4f8aefc49cec',
    'detail-type': 'GuardDuty Malware Protection Object Scan Result',
    source: 'aws.guardduty',
    account: '123456789012',
    time: overrides.time ?? '2025-06-10T02:03:04Z',
    region: 'cn-north-1',
    resources: ['arn:aws-cn:guardduty:cn-north-1:123456789012:malware-protection-plan/d0c83069652b41501198'],
    detail: {
      schemaVersion: '1.0',
      scanStatus:
        resultStatus === 'FAILED' ? 'FAILED' : resultStatus === 'UNSUPPORTED' ? 'SKIPPED' : 'COMPLETED',
      resourceType: 'S3_OBJECT',
      s3ObjectDetails: {
        bucketName: overrides.bucket ?? BUCKET,
        objectKey: overrides.key ?? `materials/${APP}/${UPLOAD}`,
        eTag: '37ec9b74a382221e088f1810af06121a',
        versionId: 'nhx8mmhMlzi1NA7ePJ4EHXpJQ.rBK.16',
      },
      scanResultDetails: {
        scanResultStatus: resultStatus,
        threats: resultStatus === 'THREATS_FOUND' ? [{ name: 'EICAR-Test-File (not a virus)' }] : null,
      },
    },
  };
}

/** The record as the store holds it: written back whole (Put) or in part (Update). */
let stored: Record<string, unknown> | undefined;
function written(): { scan?: unknown; scanReason?: unknown; scannedAt?: unknown } {
  const calls = ddb.commandCalls(TransactWriteCommand);
  expect(calls).toHaveLength(1);
  const items = calls[0]?.args[0].input.TransactItems ?? [];
  expect(items).toHaveLength(1);
  const [item] = items;
  expect(item?.Put?.TableName ?? item?.Update?.TableName).toBe(TABLE);
  if (item?.Put) {
    expect(item.Put.Item).toMatchObject({
      ...uploadKey(APP, UPLOAD),
      code: 'EIA_REPORT',
      sha256: record.sha256,
    });
    expect(item.Put.ConditionExpression).toBeDefined();
    return item.Put.Item as { scan?: unknown; scanReason?: unknown; scannedAt?: unknown };
  }
  expect(item?.Update?.Key).toEqual(uploadKey(APP, UPLOAD));
  expect(item?.Update?.ConditionExpression).toContain('attribute_exists');
  const values = item?.Update?.ExpressionAttributeValues ?? {};
  return { scan: values[':scan'], scanReason: values[':scanReason'], scannedAt: values[':scannedAt'] };
}

beforeAll(async () => {
  stubEnv();
  vi.stubEnv('DOCUMENTS_BUCKET', BUCKET);
  ({ handler } = (await import('../../../../functions/scan-result/handler.ts')) as unknown as {
    handler: Handler;
  });
});
afterAll(() => vi.unstubAllEnvs());

beforeEach(() => {
  ddb.reset();
  stored = { ...record, ...uploadKey(APP, UPLOAD) };
  ddb.on(GetCommand).callsFake((input) => {
    expect(input.Key).toEqual(uploadKey(APP, UPLOAD));
    return { Item: stored };
  });
  ddb.on(TransactWriteCommand).callsFake(() => {
    if (!stored) {
      throw new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
      });
    }
    return {};
  });
});

describe('scan-result handler', () => {
  it.each([
    ['NO_THREATS_FOUND', 'CLEAN', undefined],
    ['THREATS_FOUND', 'INFECTED', undefined],
    ['UNSUPPORTED', 'SKIPPED', 'unsupported'],
    ['ACCESS_DENIED', 'SKIPPED', 'access-denied'],
    ['FAILED', 'SKIPPED', 'failed'],
  ])('records %s as %s (reason %s), at the time GuardDuty reported it', async (result, scan, scanReason) => {
    const outcome = await handler(scanEvent(result), lambdaContext);
    expect(outcome).toMatchObject({ outcome: 'recorded', applicationId: APP, uploadId: UPLOAD, scan });
    expect((outcome as { scanReason?: string }).scanReason).toBe(scanReason);
    const item = written();
    expect(item).toMatchObject({ scan, scannedAt: '2025-06-10T02:03:04.000Z' });
    expect(item.scanReason).toBe(scanReason);
  });

  it('a verdict after an unscanned result drops the earlier reason', async () => {
    stored = { ...record, ...uploadKey(APP, UPLOAD), scan: 'SKIPPED', scanReason: 'failed' };
    await handler(scanEvent('NO_THREATS_FOUND'), lambdaContext);
    const item = written();
    expect(item.scan).toBe('CLEAN');
    expect(item).not.toHaveProperty('scanReason');
  });

  it('a repeated or late event writes the same result again, and nothing else', async () => {
    stored = { ...record, ...uploadKey(APP, UPLOAD), scan: 'CLEAN', scannedAt: '2025-06-10T02:03:04.000Z' };
    await handler(scanEvent('NO_THREATS_FOUND'), lambdaContext);
    expect(written()).toMatchObject({ scan: 'CLEAN', scannedAt: '2025-06-10T02:03:04.000Z' });
  });

  it('changes nothing, and does not fail, when there is no such upload record', async () => {
    stored = undefined;
    const outcome = await handler(scanEvent('THREATS_FOUND'), lambdaContext);
    expect(outcome).toEqual({ outcome: 'no-record', applicationId: APP, uploadId: UPLOAD });
  });

  it.each([
    ['another bucket', { bucket: 'someone-elses-bucket' }],
    ['an issued document', { key: `documents/${APP}/APPROVAL-7.pdf` }],
    ['a key deeper than an upload', { key: `materials/${APP}/${UPLOAD}/x` }],
    ["GuardDuty's validation object", { key: 'malware-protection-resource-validation-object' }],
  ])('ignores a result for %s without touching the table', async (_, overrides) => {
    const outcome = await handler(scanEvent('THREATS_FOUND', overrides), lambdaContext);
    expect(outcome).toMatchObject({ outcome: 'ignored' });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('fails when the table does, so that Lambda retries the event', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(Object.assign(new Error('internal'), { name: 'InternalServerError', $fault: 'server' }));
    ddb
      .on(GetCommand)
      .rejects(Object.assign(new Error('internal'), { name: 'InternalServerError', $fault: 'server' }));
    await expect(handler(scanEvent('NO_THREATS_FOUND'), lambdaContext)).rejects.toThrow();
  });
});

describe('scan result mapping', () => {
  it('is CLEAN only for NO_THREATS_FOUND; anything unknown is SKIPPED, never CLEAN', () => {
    expect(scanOf('NO_THREATS_FOUND')).toBe('CLEAN');
    expect(scanOf('THREATS_FOUND')).toBe('INFECTED');
    for (const other of ['UNSUPPORTED', 'ACCESS_DENIED', 'FAILED', 'SOMETHING_NEW', undefined]) {
      expect(scanOf(other)).toBe('SKIPPED');
    }
  });

  it('says why a file was not scanned, for every result that is not a verdict', () => {
    expect(scanReasonOf('NO_THREATS_FOUND')).toBeUndefined();
    expect(scanReasonOf('THREATS_FOUND')).toBeUndefined();
    expect(scanReasonOf('UNSUPPORTED')).toBe('unsupported');
    expect(scanReasonOf('ACCESS_DENIED')).toBe('access-denied');
    expect(scanReasonOf('FAILED')).toBe('failed');
    // A result GuardDuty may add later, or none: not scanned, and said so.
    expect(scanReasonOf('SOMETHING_NEW')).toBe('failed');
    expect(scanReasonOf(undefined)).toBe('failed');
  });

  it('maps exactly materials/<applicationId>/<uploadId> to an upload', () => {
    expect(uploadOf(`materials/${APP}/${UPLOAD}`)).toEqual({ applicationId: APP, uploadId: UPLOAD });
    for (const key of [
      undefined,
      '',
      'materials/',
      `materials/${APP}`,
      `materials//${UPLOAD}`,
      `x/materials/${APP}/${UPLOAD}`,
    ]) {
      expect(uploadOf(key)).toBeUndefined();
    }
  });

  it('uses the time of the call when the event carries none', async () => {
    const setScan = vi.fn(async () => true);
    const { time: _, ...event } = scanEvent('NO_THREATS_FOUND');
    await recordScan(event, { setScan }, { now: () => new Date('2025-06-10T03:00:00.000Z') });
    expect(setScan).toHaveBeenCalledWith(APP, UPLOAD, 'CLEAN', '2025-06-10T03:00:00.000Z', undefined);
  });
});
