import { randomUUID } from 'node:crypto';
import { createApplication } from '../../shared/domain/decide.ts';
import { authed } from '../../shared/http/api.ts';
import { commit, idempotencyOf, priorResponse } from '../../shared/http/command.ts';
import { json } from '../../shared/http/respond.ts';
import { applicationView, etag } from '../../shared/http/view.ts';
import { getStore } from '../../shared/runtime/clients.ts';
import { currentConfig } from '../../shared/runtime/workflow-config.ts';

/** POST /applications: an applicant creates a draft. */
export const handler = authed(async (req) => {
  const store = getStore();
  const idem = idempotencyOf(req);
  const prior = await priorResponse(store, idem, req.now);
  if (prior) return prior;
  // A draft follows the current configuration; it is pinned when submitted.
  const { config, configVersion } = await currentConfig();
  const step = createApplication(req.body, req.caller, {
    now: req.now,
    requestId: req.requestId,
    id: randomUUID(),
    config,
    configVersion,
  });
  return commit(
    store,
    req,
    step,
    undefined,
    idem,
    ({ app }) =>
      json(201, applicationView(app, req.caller, req.now, undefined, config), {
        location: `/applications/${app.id}`,
        etag: etag(app),
      }),
    undefined,
    config,
  );
});
