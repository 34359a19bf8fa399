import { authed } from '../../shared/http/api.ts';
import { load } from '../../shared/http/command.ts';
import {
  documentPending,
  logsDownload,
  noDocument,
  redirectToDocument,
} from '../../shared/http/documents.ts';
import { getAuditStore, getObjectStore, getStore } from '../../shared/runtime/clients.ts';

/**
 * GET /applications/{id}/documents/{documentId}: 303 to a presigned GET (5 minutes) of the PDF.
 * Whoever may see the application (the owner, officials, the auditor); 404 for anyone else and
 * for a document the application does not have; 503 with Retry-After while it is being made. An
 * official's or the auditor's download is entered in the access log first; a failed entry
 * refuses the download.
 */
export const handler = authed(async (req) => {
  const found = await load(getStore(), req, req.params.id ?? '', undefined);
  if ('replayed' in found) return found.replayed;
  const { app } = found.loaded;
  const documentId = req.params.documentId ?? '';
  const ref = app.documents?.find((d) => d.documentId === documentId);
  if (!ref) throw noDocument(`the application has no document ${documentId}`);
  if (!ref.sha256) throw documentPending(ref);
  if (logsDownload(app, req.caller)) {
    await getAuditStore().recordAccess({
      kind: 'DOCUMENT_DOWNLOAD',
      at: req.now.toISOString(),
      requestId: req.requestId,
      actor: { id: req.caller.id, name: req.caller.name, roles: [...req.caller.roles] },
      applicationId: app.id,
      documentId,
      fileName: `${ref.number}.pdf`,
    });
  }
  return redirectToDocument(getObjectStore(), app.id, ref);
});
