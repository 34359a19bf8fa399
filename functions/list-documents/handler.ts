import { authed } from '../../shared/http/api.ts';
import { load } from '../../shared/http/command.ts';
import { documentView } from '../../shared/http/documents.ts';
import { json } from '../../shared/http/respond.ts';
import { getStore } from '../../shared/runtime/clients.ts';

/**
 * GET /applications/{id}/documents: the written documents issued on the application, oldest
 * first: {documentId, kind, number, issuedOn, sha256, sizeBytes, storedAt}, or `pending: true`
 * while the PDF is being made. Whoever may see the application.
 */
export const handler = authed(async (req) => {
  const found = await load(getStore(), req, req.params.id ?? '', undefined);
  if ('replayed' in found) return found.replayed;
  const { app } = found.loaded;
  return json(200, { items: (app.documents ?? []).map(documentView) }, { 'cache-control': 'no-store' });
});
