import { verifyTrail } from '../domain/audit-verify.ts';
import { isOwner } from '../domain/decide.ts';
import { type DocumentRef, publicKinds } from '../domain/documents.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { Application, Caller } from '../domain/types.ts';
import { documentObjectKey } from '../domain/uploads.ts';
import { ServiceUnavailableError } from '../store/errors.ts';
import type { ApplicationStore, AuditStore, ObjectStore } from '../store/ports.ts';
import type { Result } from './respond.ts';

/**
 * The written documents over HTTP (docs/documents.md#written-documents): the list of a case, the
 * download of one (its parties), and the public verification of a number.
 */

/** A presigned GET of a PDF is valid this long. */
export const DOCUMENT_GET_SECONDS = 300;
/** A document listed but not yet stored is normally stored within seconds: ask again after this. */
export const PENDING_RETRY_SECONDS = 3;

/** One document as GET /applications/{id}/documents lists it; `pending` until its PDF is stored. */
export function documentView(ref: DocumentRef) {
  return {
    documentId: ref.documentId,
    kind: ref.kind,
    number: ref.number,
    issuedOn: ref.issuedOn,
    ...(ref.sha256
      ? { sha256: ref.sha256, sizeBytes: ref.sizeBytes, storedAt: ref.storedAt }
      : { pending: true }),
  };
}

/** The PDF's name in Content-Disposition: the number, e.g. `醴环评〔2026〕17号.pdf`. */
export const documentFileName = (ref: DocumentRef) => `${ref.number}.pdf`;

export function noDocument(detail: string) {
  return new NotFoundError('not-found', detail);
}

/** 503 with Retry-After: the document is issued (listed) but its PDF is still being made. */
export function documentPending(ref: DocumentRef) {
  return new ServiceUnavailableError(
    `${ref.number} is being prepared; its PDF is stored within seconds, retry shortly`,
    PENDING_RETRY_SECONDS,
  );
}

/** The caller needs an access-log entry for a download: an official or the auditor, not the owner. */
export const logsDownload = (app: Application, caller: Caller) => !isOwner(app, caller);

/** 303 to a presigned GET of a stored document's PDF. */
export async function redirectToDocument(
  objects: Pick<ObjectStore, 'presignGet'>,
  applicationId: string,
  ref: DocumentRef,
): Promise<Result> {
  const url = await objects.presignGet({
    key: documentObjectKey(applicationId, ref.documentId),
    fileName: documentFileName(ref),
    contentType: 'application/pdf',
    // Shown in the browser's PDF viewer (a paper to read, with its name kept for saving).
    inline: true,
    expiresInSeconds: DOCUMENT_GET_SECONDS,
  });
  return { statusCode: 303, headers: { location: url, 'cache-control': 'no-store' }, body: '' };
}

/** No document number is longer: `醴环评〔2026〕17号` with the longest prefix and any count. */
export const MAX_NUMBER_LENGTH = 40;

/** A stored document found by its number, with its application; 404 for any other number. */
export async function documentByNumber(
  store: Pick<ApplicationStore, 'documentNumbered' | 'get'>,
  number: string,
): Promise<{ app: Application; ref: DocumentRef }> {
  const unknown = () =>
    noDocument(`no document numbered ${number.slice(0, MAX_NUMBER_LENGTH)} has been issued`);
  // Longer than any number issued (a 12-character prefix, the year, the count) is none: not looked up.
  const record =
    number && number.length <= MAX_NUMBER_LENGTH ? await store.documentNumbered(number) : undefined;
  if (!record) throw unknown();
  const loaded = await store.get(record.applicationId);
  const ref = loaded?.app.documents?.find((d) => d.documentId === record.documentId);
  // Issued but not yet stored: not yet something anyone can verify.
  if (!loaded || !ref?.sha256) throw unknown();
  return { app: loaded.app, ref };
}

export const isPublicKind = (ref: DocumentRef) => publicKinds.includes(ref.kind);

/** Whether the application's trail is intact: the chain, and the stored application as its replay. */
export async function chainVerified(audit: Pick<AuditStore, 'snapshot'>, applicationId: string) {
  const { stored, trail } = await audit.snapshot(applicationId);
  return verifyTrail({ applicationId, trail, ...(stored ? { stored } : {}) }).ok;
}
