import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { getUploadStore } from '../../shared/runtime/clients.ts';
import { logContext, logger } from '../../shared/runtime/logger.ts';
import { recordScan, type ScanOutcome, type ScanResultDetail } from './scan.ts';

/**
 * The malware scan's result, read back into the upload record (docs/documents.md#malware-scan):
 * a rule on the default bus sends GuardDuty's "Object Scan Result" events for `materials/` of the
 * documents bucket here. A store failure fails the invocation: Lambda retries it, then the event
 * lands in the scan-failures queue, which raises an alarm.
 */
async function onScanResult(event: EventBridgeEvent<string, ScanResultDetail>): Promise<ScanOutcome> {
  const result = await recordScan(event, getUploadStore(), { bucket: process.env.DOCUMENTS_BUCKET });
  const { detail } = event;
  if (result.outcome === 'recorded') {
    const unscanned = ['ACCESS_DENIED', 'FAILED'].includes(result.resultStatus);
    const log = unscanned ? logger.error.bind(logger) : logger.info.bind(logger);
    log(
      unscanned ? 'GuardDuty could not scan the file: check the malware protection plan' : 'scan recorded',
      {
        applicationId: result.applicationId,
        uploadId: result.uploadId,
        scan: result.scan,
        scanReason: result.scanReason,
        resultStatus: result.resultStatus,
        versionId: detail?.s3ObjectDetails?.versionId,
        // Threat names only, to find the file again in GuardDuty; never the file's name or content.
        threats: (detail?.scanResultDetails?.threats ?? []).map((t) => t.name),
      },
    );
  } else if (result.outcome === 'no-record') {
    logger.warn('scan result for an object without an upload record: nothing to update', {
      applicationId: result.applicationId,
      uploadId: result.uploadId,
    });
  } else {
    logger.warn('scan result ignored', { reason: result.reason });
  }
  return result;
}

export const handler = middy(onScanResult).use(logContext());
