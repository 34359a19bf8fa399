import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, invoke } from '../../../support/api-events.ts';
import { driveTo } from '../../shared/domain/fixtures.ts';
import { type Handler, loadHandler } from '../fixtures.ts';
import { sha, storeHolds, userOf, useUploadEnvironment } from '../uploads-fixtures.ts';

// Where GuardDuty scans the bucket (MALWARE_SCAN=guardduty), a new upload waits for its verdict.
const { ddb } = useUploadEnvironment({ MALWARE_SCAN: 'guardduty' });
let handler: Handler;
beforeAll(async () => {
  handler = await loadHandler('create-upload');
});

describe('POST /applications/{id}/uploads with GuardDuty scanning', () => {
  it('writes the record with scan PENDING', async () => {
    const draft = driveTo('DRAFT', 'REPORT', { id: '22222222-2222-4333-8444-555555555555' }).app;
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    storeHolds(ddb, draft);
    const res = await invoke(
      handler,
      apiEvent({
        method: 'POST',
        route: '/applications/{id}/uploads',
        pathParameters: { id: draft.id },
        body: {
          code: 'PUBLIC_VERSION',
          fileName: 'public.pdf',
          sha256: sha('b'),
          sizeBytes: 10,
          contentType: 'application/pdf',
        },
        user: userOf('owner'),
      }),
    );
    expect(res.statusCode).toBe(201);
    const put = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
    expect(put?.Item).toMatchObject({ code: 'PUBLIC_VERSION', scan: 'PENDING' });
  });
});
