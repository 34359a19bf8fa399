import { editApplication } from '../../shared/domain/decide.ts';
import { authed } from '../../shared/http/api.ts';
import { checkIfMatch, commit, load, rerunOnConcurrentChange } from '../../shared/http/command.ts';
import { json } from '../../shared/http/respond.ts';
import { applicationView, etag } from '../../shared/http/view.ts';
import { getCalendar } from '../../shared/runtime/calendar.ts';
import { getStore } from '../../shared/runtime/clients.ts';
import { configFor } from '../../shared/runtime/workflow-config.ts';

/**
 * PATCH /applications/{id}: the owner edits in DRAFT, SUPPLEMENT_REQUIRED or REVISION_REQUIRED.
 * An edit without If-Match that loses to a concurrent change is applied once more to the new
 * version, as an act is (docs/reliability.md#concurrent-changes).
 */
export const handler = authed((req) => rerunOnConcurrentChange(req, edit));

const edit: Parameters<typeof rerunOnConcurrentChange>[1] = async (req) => {
  const store = getStore();
  const found = await load(store, req, req.params.id ?? '', undefined);
  if ('replayed' in found) return found.replayed;
  const { app, headHash } = found.loaded;
  checkIfMatch(req, app);
  const [calendar, { config, configVersion }] = await Promise.all([getCalendar(), configFor(app)]);
  const step = editApplication(app, req.body, req.caller, {
    now: req.now,
    requestId: req.requestId,
    calendar,
    config,
    configVersion,
  });
  return commit(
    store,
    req,
    step,
    headHash,
    undefined,
    ({ app: next }) =>
      json(200, applicationView(next, req.caller, req.now, calendar, config), { etag: etag(next) }),
    calendar,
    config,
  );
};
