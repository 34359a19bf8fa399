import { open } from '../../shared/http/api.ts';
import {
  documentByNumber,
  isPublicKind,
  noDocument,
  redirectToDocument,
} from '../../shared/http/documents.ts';
import { getObjectStore, getStore } from '../../shared/runtime/clients.ts';

/**
 * GET /public/documents/{number}/file: 303 to a presigned GET (5 minutes) of the PDF of a public
 * kind (an approval, a rejection, a filing receipt), served as stored: documents carry no
 * personal contact data. 404 for every other kind, as for a number never issued.
 */
export const handler = open(async (req) => {
  const number = req.params.number ?? '';
  const { app, ref } = await documentByNumber(getStore(), number);
  if (!isPublicKind(ref)) throw noDocument(`no public document numbered ${number}`);
  return redirectToDocument(getObjectStore(), app.id, ref);
});
