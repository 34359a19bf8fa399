import { recordRead } from '../../shared/http/access-log.ts';
import { authed } from '../../shared/http/api.ts';
import { load } from '../../shared/http/command.ts';
import { json } from '../../shared/http/respond.ts';
import { applicationView, etag } from '../../shared/http/view.ts';
import { getCalendar } from '../../shared/runtime/calendar.ts';
import { getStore } from '../../shared/runtime/clients.ts';
import { configFor } from '../../shared/runtime/workflow-config.ts';

/**
 * GET /applications/{id}: with its ETag and the actions the caller may take now. It names the
 * applicant's contact person and phone: an official's or the auditor's read is entered in the
 * access log before the answer, and a failed entry fails the read.
 */
export const handler = authed(async (req) => {
  const found = await load(getStore(), req, req.params.id ?? '', undefined);
  if ('replayed' in found) return found.replayed;
  const { app } = found.loaded;
  const [calendar, { config }] = await Promise.all([getCalendar(), configFor(app)]);
  await recordRead(req, 'GET /applications/{id}', [app]);
  return json(200, applicationView(app, req.caller, req.now, calendar, config), { etag: etag(app) });
});
