import { authed } from '../../shared/http/api.ts';
import { load } from '../../shared/http/command.ts';
import { currentUploads, isListed, versionView } from '../../shared/http/materials.ts';
import { json } from '../../shared/http/respond.ts';
import { getStore, getUploadStore } from '../../shared/runtime/clients.ts';

/**
 * GET /applications/{id}/materials: every version of every material and attachment, oldest first,
 * for whoever may see the application. A resubmission adds a version and never replaces one.
 */
export const handler = authed(async (req) => {
  const found = await load(getStore(), req, req.params.id ?? '', undefined);
  if ('replayed' in found) return found.replayed;
  const { app } = found.loaded;
  const records = await getUploadStore().list(app.id);
  const current = currentUploads(app);
  return json(200, {
    items: records.filter((r) => isListed(r, current)).map((r) => versionView(r, current)),
  });
});
