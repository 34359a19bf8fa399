import type { ScanReason, ScanStatus } from '../../shared/domain/uploads.ts';
import type { UploadStore } from '../../shared/store/ports.ts';

/**
 * GuardDuty Malware Protection for S3 puts one event per scanned object version on the account's
 * default bus; infra/documents-events.ts sends those of the documents bucket's `materials/` here.
 */
export const SCAN_RESULT_SOURCE = 'aws.guardduty';
export const SCAN_RESULT_DETAIL_TYPE = 'GuardDuty Malware Protection Object Scan Result';

/** The part of the event's detail that is read (GuardDuty's schema 1.0). */
export interface ScanResultDetail {
  readonly scanStatus?: string;
  readonly resourceType?: string;
  readonly s3ObjectDetails?: {
    readonly bucketName?: string;
    readonly objectKey?: string;
    readonly versionId?: string;
  };
  readonly scanResultDetails?: {
    readonly scanResultStatus?: string;
    readonly threats?: readonly { readonly name?: string }[] | null;
  };
}

export interface ScanResultEvent {
  readonly time?: string;
  readonly detail?: ScanResultDetail;
}

/**
 * GuardDuty's result as the upload record's `scan`:
 * - NO_THREATS_FOUND → CLEAN; THREATS_FOUND → INFECTED (accept refuses it: materials-not-clean);
 * - UNSUPPORTED (an encrypted or password-protected file, an archive past GuardDuty's limits, an
 *   object over 5 GB), ACCESS_DENIED and FAILED → SKIPPED: the file was not scanned, and says so.
 *   It does not block the application (the applicant cannot make GuardDuty scan it); ACCESS_DENIED
 *   and FAILED are logged as errors for the operators (the plan's role or GuardDuty itself).
 * Anything else GuardDuty may add later is SKIPPED too, never CLEAN.
 */
export function scanOf(resultStatus: string | undefined): ScanStatus {
  if (resultStatus === 'NO_THREATS_FOUND') return 'CLEAN';
  if (resultStatus === 'THREATS_FOUND') return 'INFECTED';
  return 'SKIPPED';
}

/**
 * Why GuardDuty's result left the file unscanned (the record's `scanReason`), or undefined for a
 * verdict (CLEAN, INFECTED). A result GuardDuty may add later, or none at all, counts as `failed`.
 */
export function scanReasonOf(resultStatus: string | undefined): ScanReason | undefined {
  if (scanOf(resultStatus) !== 'SKIPPED') return undefined;
  if (resultStatus === 'UNSUPPORTED') return 'unsupported';
  if (resultStatus === 'ACCESS_DENIED') return 'access-denied';
  return 'failed';
}

const UPLOAD_KEY = /^materials\/([^/]+)\/([^/]+)$/;

/** `materials/<applicationId>/<uploadId>` (shared/domain/uploads.ts uploadObjectKey), or undefined. */
export function uploadOf(key: string | undefined): { applicationId: string; uploadId: string } | undefined {
  const match = key === undefined ? null : UPLOAD_KEY.exec(key);
  if (!match?.[1] || !match[2]) return undefined;
  return { applicationId: match[1], uploadId: match[2] };
}

export type ScanOutcome =
  | {
      readonly outcome: 'recorded';
      readonly applicationId: string;
      readonly uploadId: string;
      readonly scan: ScanStatus;
      readonly scanReason?: ScanReason;
      readonly resultStatus: string;
    }
  | { readonly outcome: 'no-record'; readonly applicationId: string; readonly uploadId: string }
  | { readonly outcome: 'ignored'; readonly reason: string };

/**
 * Sets the upload record's `scan`, `scanReason` (for SKIPPED) and `scannedAt` (the event's time:
 * when GuardDuty finished), on
 * the condition that the record exists. A repeated or late event writes the same result again; an
 * event for an object that is not an upload, or for a record that does not exist, changes nothing
 * (and is not retried). A store failure throws, so Lambda retries the event.
 */
export async function recordScan(
  event: ScanResultEvent,
  uploads: Pick<UploadStore, 'setScan'>,
  options: { bucket?: string | undefined; now?: () => Date } = {},
): Promise<ScanOutcome> {
  const detail = event.detail ?? {};
  const object = detail.s3ObjectDetails ?? {};
  if (options.bucket !== undefined && object.bucketName !== options.bucket) {
    return { outcome: 'ignored', reason: `bucket ${String(object.bucketName)} is not the documents bucket` };
  }
  const upload = uploadOf(object.objectKey);
  if (!upload) return { outcome: 'ignored', reason: `object ${String(object.objectKey)} is not an upload` };
  const resultStatus = detail.scanResultDetails?.scanResultStatus ?? `scan ${String(detail.scanStatus)}`;
  const scan = scanOf(detail.scanResultDetails?.scanResultStatus);
  const scanReason = scanReasonOf(detail.scanResultDetails?.scanResultStatus);
  const at =
    event.time !== undefined && !Number.isNaN(Date.parse(event.time))
      ? new Date(event.time)
      : (options.now ?? (() => new Date()))();
  const found = await uploads.setScan(
    upload.applicationId,
    upload.uploadId,
    scan,
    at.toISOString(),
    scanReason,
  );
  if (!found) return { outcome: 'no-record', ...upload };
  return { outcome: 'recorded', ...upload, scan, ...(scanReason ? { scanReason } : {}), resultStatus };
}
