import { NotFoundError, RuleError } from '../domain/errors.ts';
import type { Application, Material } from '../domain/types.ts';
import type { UploadRecord } from '../domain/uploads.ts';
import type { ActionName } from '../schemas/actions.ts';
import type { ObjectStore } from '../store/ports.ts';
import type { Result } from './respond.ts';

/**
 * What the materials routes share (docs/documents.md#materials): which version of a material is
 * current, which versions are listed, and the redirect to a file.
 */

/** An official's attachment codes, and the act each belongs to. */
export const attachmentActs = {
  EXPERT_OPINION: 'record_expert_opinion',
  HEARING_RECORD: 'record_hearing_outcome',
} as const satisfies Record<string, ActionName>;
export type AttachmentCode = keyof typeof attachmentActs;
export const isAttachmentCode = (code: string): code is AttachmentCode => Object.hasOwn(attachmentActs, code);

/** A presigned PUT is valid this long. */
export const PUT_EXPIRES_SECONDS = 15 * 60;
/** A presigned GET is valid this long. */
export const GET_EXPIRES_SECONDS = 300;

/**
 * The version of each code the application names now, by code → uploadId: its materials, and for
 * the officials' attachments the latest one recorded (materials without an uploadId have no file).
 */
export function currentUploads(app: Application): Map<string, string> {
  const current = new Map<string, string>();
  const attachments: Material[] = [
    ...(app.expertReview?.attachments ?? []),
    ...(app.hearing?.attachments ?? []),
  ];
  for (const m of [...app.materials, ...attachments]) if (m.uploadId) current.set(m.code, m.uploadId);
  return current;
}

/** A version is listed once its bytes were found stored, or while the application names it. */
export function isListed(record: UploadRecord, current: Map<string, string>): boolean {
  return record.storedAt !== undefined || current.get(record.code) === record.uploadId;
}

/** One version as GET /applications/{id}/materials lists it. */
export function versionView(record: UploadRecord, current: Map<string, string>) {
  return {
    code: record.code,
    uploadId: record.uploadId,
    fileName: record.fileName,
    sha256: record.sha256,
    sizeBytes: record.sizeBytes,
    contentType: record.contentType,
    uploadedAt: record.createdAt,
    uploadedBy: record.createdBy,
    scan: record.scan,
    ...(record.scan === 'SKIPPED' && record.scanReason ? { scanReason: record.scanReason } : {}),
    current: current.get(record.code) === record.uploadId,
    stored: record.storedAt !== undefined,
    ...(record.storedAt ? { storedAt: record.storedAt } : {}),
    ...(record.detectedType ? { detectedType: record.detectedType } : {}),
  };
}

/** No file of that name: the same answer whether the code, the version or the bytes are missing. */
export function noFile(detail: string) {
  return new NotFoundError('not-found', detail);
}

/**
 * 303 to a presigned GET of a version's bytes: a file the scanner found infected is never handed
 * out, and one not yet found stored is looked for first (a 404 rather than a link to nothing).
 * `beforeServing` runs once it is certain the file is served, before its link is made.
 */
export async function redirectToFile(
  objects: ObjectStore,
  record: UploadRecord,
  /** Run once the file is known to be served, before its link is made (the access log). */
  beforeServing?: () => Promise<void>,
): Promise<Result> {
  if (record.scan === 'INFECTED') {
    throw new RuleError(
      'file-infected',
      `${record.fileName} was found infected by the malware scan; it is not served`,
    );
  }
  if (record.storedAt === undefined && !(await objects.head(record.key))) {
    throw noFile(`${record.fileName} (${record.code}) has not been uploaded yet`);
  }
  await beforeServing?.();
  const url = await objects.presignGet({
    key: record.key,
    fileName: record.fileName,
    contentType: record.contentType,
    expiresInSeconds: GET_EXPIRES_SECONDS,
  });
  return { statusCode: 303, headers: { location: url, 'cache-control': 'no-store' }, body: '' };
}
