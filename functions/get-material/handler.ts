import * as z from 'zod/mini';
import { isOwner } from '../../shared/domain/decide.ts';
import { authed } from '../../shared/http/api.ts';
import { load } from '../../shared/http/command.ts';
import { currentUploads, isListed, noFile, redirectToFile } from '../../shared/http/materials.ts';
import { parseQuery } from '../../shared/http/query.ts';
import { getAuditStore, getObjectStore, getStore, getUploadStore } from '../../shared/runtime/clients.ts';
import { UUID } from '../../shared/schemas/common.ts';

const Query = z.strictObject({
  version: z.optional(
    z.string().check(z.regex(UUID, 'must be an uploadId of GET /applications/{id}/materials')),
  ),
});

/**
 * GET /applications/{id}/materials/{code}?version=: 303 to a presigned GET (5 minutes) of the
 * current version, or of the one named. Whoever may see the application may download its files;
 * an official's or the auditor's download is entered in the access log first, and a failed entry
 * refuses the download.
 */
export const handler = authed(async (req) => {
  const found = await load(getStore(), req, req.params.id ?? '', undefined);
  if ('replayed' in found) return found.replayed;
  const { app } = found.loaded;
  const code = req.params.code ?? '';
  const q = parseQuery(Query, req.query);
  const current = currentUploads(app);
  const uploadId = q.version ?? current.get(code);
  if (!uploadId) throw noFile(`the application names no file for ${code}`);
  const record = await getUploadStore().get(app.id, uploadId);
  if (!record || record.code !== code || !isListed(record, current)) {
    throw noFile(`no version ${uploadId} of ${code}`);
  }
  const log = isOwner(app, req.caller)
    ? undefined
    : () =>
        getAuditStore().recordAccess({
          kind: 'DOCUMENT_DOWNLOAD',
          at: req.now.toISOString(),
          requestId: req.requestId,
          actor: { id: req.caller.id, name: req.caller.name, roles: [...req.caller.roles] },
          applicationId: app.id,
          code,
          uploadId,
          fileName: record.fileName,
        });
  return redirectToFile(getObjectStore(), record, log);
});
