/**
 * Files behind the materials (docs/documents.md#materials): an upload is announced
 * (POST /applications/{id}/uploads), its bytes go straight to storage through a presigned PUT
 * that pins their SHA-256 and length, and the submission that names it checks that they are there.
 */

/** The file types a material may have, recognised by content (magic bytes), never by name. */
export const fileTypes = ['PDF', 'OFD', 'DOC', 'DOCX', 'XLS', 'XLSX', 'JPEG', 'PNG', 'ZIP'] as const;
export type FileType = (typeof fileTypes)[number];

/** Malware scan of one stored version: GuardDuty in AWS; SKIPPED where nothing scanned it (`scanReason` says why). */
export const scanStatuses = ['PENDING', 'CLEAN', 'INFECTED', 'SKIPPED'] as const;
export type ScanStatus = (typeof scanStatuses)[number];

/**
 * Why a version was not scanned (scan SKIPPED):
 * - `not-offered-in-region`: GuardDuty Malware Protection for S3 is not offered here (profile china);
 * - `turned-off`: the stage runs without it (`-c malwareProtection=false`);
 * - `local`: the local server and tests, where nothing scans;
 * - `unsupported`, `access-denied`, `failed`: GuardDuty's UNSUPPORTED (an encrypted or
 *   password-protected file, an archive past its limits, over 5 GB), ACCESS_DENIED and FAILED.
 * Records written before the reason was kept have none.
 */
export const scanReasons = [
  'not-offered-in-region',
  'turned-off',
  'local',
  'unsupported',
  'access-denied',
  'failed',
] as const;
export type ScanReason = (typeof scanReasons)[number];

/**
 * Whether anything scans new uploads, as the upload writers' env MALWARE_SCAN says: `guardduty`
 * (GuardDuty scans the documents bucket), `off-in-region` (not offered in the region: profile
 * china), `off` (the stage turned it off); absent locally.
 */
export const malwareScanModes = ['guardduty', 'off-in-region', 'off'] as const;
export type MalwareScanMode = (typeof malwareScanModes)[number];

/** A new upload record's scan: PENDING where GuardDuty will scan it, else SKIPPED with the reason. */
export function newUploadScan(mode: MalwareScanMode | undefined): {
  scan: ScanStatus;
  scanReason?: ScanReason;
} {
  switch (mode) {
    case 'guardduty':
      return { scan: 'PENDING' };
    case 'off-in-region':
      return { scan: 'SKIPPED', scanReason: 'not-offered-in-region' };
    case 'off':
      return { scan: 'SKIPPED', scanReason: 'turned-off' };
    default:
      return { scan: 'SKIPPED', scanReason: 'local' };
  }
}

/** One announced upload: item `APP#<id>` / `UPLOAD#<uploadId>` beside the application. */
export interface UploadRecord {
  uploadId: string;
  applicationId: string;
  code: string;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  /** As declared by the uploader (the PUT must send it). */
  contentType: string;
  /** Object key: `materials/<applicationId>/<uploadId>`. */
  key: string;
  createdAt: string;
  createdBy: { id: string; name: string };
  /** The presigned PUT's end. */
  expiresAt: string;
  /** Set when a submission (or an official's act) found the bytes stored with this SHA-256 and size. */
  storedAt?: string;
  /** The type found in the bytes when they were checked. */
  detectedType?: FileType;
  scan: ScanStatus;
  /** Why the version was not scanned; only with scan SKIPPED (older records may have none). */
  scanReason?: ScanReason;
  scannedAt?: string;
}

/** The object key of an upload's bytes. */
export const uploadObjectKey = (applicationId: string, uploadId: string) =>
  `materials/${applicationId}/${uploadId}`;

/** The object key of an issued document's PDF. */
export const documentObjectKey = (applicationId: string, documentId: string) =>
  `documents/${applicationId}/${documentId}.pdf`;
