import { unansweredOf } from '../../shared/domain/comments.ts';
import { decide } from '../../shared/domain/decide.ts';
import { type AuthedReq, authed } from '../../shared/http/api.ts';
import {
  checkIfMatch,
  commit,
  idempotencyOf,
  load,
  rerunOnConcurrentChange,
} from '../../shared/http/command.ts';
import { checkAct } from '../../shared/http/material-check.ts';
import { decideNumbered, retryOnNumberConflict } from '../../shared/http/numbered.ts';
import { json } from '../../shared/http/respond.ts';
import { applicationView, etag } from '../../shared/http/view.ts';
import { getCalendar } from '../../shared/runtime/calendar.ts';
import { getObjectStore, getStore, getUploadStore } from '../../shared/runtime/clients.ts';
import { configFor } from '../../shared/runtime/workflow-config.ts';

/**
 * POST /applications/{id}/actions/{action}: one step of the workflow; answers {application, event}.
 * An act that issues a numbered document runs again when another act took its number first; an act
 * without If-Match runs once more when another change (an `issue_document`, say) won its commit.
 */
export const handler = authed((req) =>
  rerunOnConcurrentChange(req, (run) => retryOnNumberConflict(() => act(run))),
);

/** Where the materials' checks read: made only when an act has something to check. */
const files = { uploads: getUploadStore, objects: getObjectStore };

async function act(req: AuthedReq) {
  const store = getStore();
  const idem = idempotencyOf(req);
  const found = await load(store, req, req.params.id ?? '', idem);
  if ('replayed' in found) return found.replayed;
  const { app, headHash } = found.loaded;
  checkIfMatch(req, app);
  const action = req.params.action ?? '';
  const [calendar, { config, configVersion }] = await Promise.all([getCalendar(), configFor(app)]);
  const step = await decideNumbered(store, (counters) =>
    decide(app, action, req.caller, req.body === undefined ? {} : req.body, {
      now: req.now,
      requestId: req.requestId,
      calendar,
      config,
      configVersion,
      // propose_decision waits for the acceptance notice's comment period and every comment's answer.
      comments: { unanswered: unansweredOf(app.comments) },
      ...(counters ? { counters } : {}),
    }),
  );
  // Only an act decide allowed reads upload records or storage (docs/documents.md#submission-checks).
  const uploadsStored = await checkAct(
    action,
    app,
    step.app,
    step.event.payload,
    config,
    files,
    step.event.at,
  );
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
    { uploadsStored },
  );
}
