import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MalwareScanMode, ScanReason, ScanStatus } from '../../../../shared/domain/uploads.ts';
import { apiEvent, invoke } from '../../../support/api-events.ts';
import { driveTo } from '../../shared/domain/fixtures.ts';
import { type Handler, loadHandler } from '../fixtures.ts';
import { sha, storeHolds, userOf, useUploadEnvironment } from '../uploads-fixtures.ts';

/**
 * The upload record create-upload writes under one MALWARE_SCAN (config.ts reads the environment
 * once, so each value is a test file of its own): its `scan`, and with SKIPPED the reason why.
 */
export function describeScanMode(
  mode: MalwareScanMode,
  expected: { scan: ScanStatus; scanReason: ScanReason | undefined },
): void {
  const { ddb } = useUploadEnvironment({ MALWARE_SCAN: mode });
  let handler: Handler;
  beforeAll(async () => {
    handler = await loadHandler('create-upload');
  });

  describe(`POST /applications/{id}/uploads with MALWARE_SCAN=${mode}`, () => {
    it(`writes the record with scan ${expected.scan}${expected.scanReason ? ` and scanReason ${expected.scanReason}` : ', no reason'}`, async () => {
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
      expect(put?.Item).toMatchObject({ code: 'PUBLIC_VERSION', scan: expected.scan });
      expect(put?.Item?.scanReason).toBe(expected.scanReason);
    });
  });
}
