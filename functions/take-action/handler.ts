import { decide } from '../../shared/domain/decide.ts';
import { authed } from '../../shared/http/api.ts';
import { checkIfMatch, commit, idempotencyOf, load } from '../../shared/http/command.ts';
import { json } from '../../shared/http/respond.ts';
import { applicationView, etag } from '../../shared/http/view.ts';
import { getCalendar } from '../../shared/runtime/calendar.ts';
import { getStore } from '../../shared/runtime/clients.ts';
import { configFor } from '../../shared/runtime/workflow-config.ts';

/** POST /applications/{id}/actions/{action}: one step of the workflow; answers {application, event}. */
export const handler = authed(async (req) => {
  const store = getStore();
  const idem = idempotencyOf(req);
  const found = await load(store, req, req.params.id ?? '', idem);
  if ('replayed' in found) return found.replayed;
  const { app, headHash } = found.loaded;
  checkIfMatch(req, app);
  const [calendar, { config, configVersion }] = await Promise.all([getCalendar(), configFor(app)]);
  const step = decide(app, req.params.action ?? '', req.caller, req.body === undefined ? {} : req.body, {
    now: req.now,
    requestId: req.requestId,
    calendar,
    config,
    configVersion,
  });
  // A submission pins the version it was decided on: the next rules are that version's.
  const nextConfig = step.app.configVersion === configVersion ? config : (await configFor(step.app)).config;
  return commit(
    store,
    req,
    step,
    headHash,
    idem,
    ({ app: next, event }) =>
      json(
        200,
        { application: applicationView(next, req.caller, req.now, calendar, nextConfig), event },
        { etag: etag(next) },
      ),
    calendar,
    nextConfig,
  );
});
