/**
 * Files behind the materials (docs/documents.md#materials): an upload is announced
 * (POST /applications/{id}/uploads), its bytes go straight to storage through a presigned PUT
 * that pins their SHA-256 and length, and the submission that names it checks that they are there.
 */

/** The file types a material may have, recognised by content (magic bytes), never by name. */
export const fileTypes = ['PDF', 'OFD', 'DOC', 'DOCX', 'XLS', 'XLSX', 'JPEG', 'PNG', 'ZIP'] as const;
export type FileType = (typeof fileTypes)[number];

/** Malware scan of one stored version: GuardDuty in AWS; SKIPPED where there is no scanner (locally). */
export const scanStatuses = ['PENDING', 'CLEAN', 'INFECTED', 'SKIPPED'] as const;
export type ScanStatus = (typeof scanStatuses)[number];

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
  scannedAt?: string;
}

/** The object key of an upload's bytes. */
export const uploadObjectKey = (applicationId: string, uploadId: string) =>
  `materials/${applicationId}/${uploadId}`;

/** The object key of an issued document's PDF. */
export const documentObjectKey = (applicationId: string, documentId: string) =>
  `documents/${applicationId}/${documentId}.pdf`;
