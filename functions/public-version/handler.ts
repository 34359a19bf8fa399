import { beijingDate } from '../../shared/domain/calendar.ts';
import { open } from '../../shared/http/api.ts';
import { noFile, redirectToFile } from '../../shared/http/materials.ts';
import { getObjectStore, getStore, getUploadStore } from '../../shared/runtime/clients.ts';

/** The one material anyone may download, and only once the acceptance notice is published. */
const PUBLIC_CODE = 'PUBLIC_VERSION';

/**
 * GET /public/notices/{noticeId}/public-version: 303 to the public version (公开版本) of the
 * application a notice is about, for anyone, once its acceptance notice is published and the file
 * is stored (and not held back by the malware scan). 404 for everything else, alike: an unknown
 * notice, an application not accepted, no public version. Never any other material.
 */
export const handler = open(async (req) => {
  const missing = () => noFile('no public version is published for this notice');
  const store = getStore();
  const notice = await store.noticeById(req.params.noticeId ?? '');
  if (!notice) throw missing();
  const app = (await store.get(notice.applicationId))?.app;
  const publishedOn = app?.acceptance?.noticePublishedOn;
  if (!app || !publishedOn || publishedOn > beijingDate(req.now)) throw missing();
  const uploadId = app.materials.find((m) => m.code === PUBLIC_CODE)?.uploadId;
  if (!uploadId) throw missing();
  const record = await getUploadStore().get(app.id, uploadId);
  if (!record || record.code !== PUBLIC_CODE || !record.storedAt) throw missing();
  if (record.scan !== 'CLEAN' && record.scan !== 'SKIPPED') throw missing();
  return redirectToFile(getObjectStore(), record);
});
