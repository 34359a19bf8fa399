import { deleteDraft } from '../../shared/domain/decide.ts';
import { authed } from '../../shared/http/api.ts';
import {
  checkIfMatch,
  commit,
  idempotencyOf,
  load,
  rerunOnConcurrentChange,
} from '../../shared/http/command.ts';
import type { Result } from '../../shared/http/respond.ts';
import { getCalendar } from '../../shared/runtime/calendar.ts';
import { getStore } from '../../shared/runtime/clients.ts';
import { configFor } from '../../shared/runtime/workflow-config.ts';

/** 204: nothing to say; the draft is gone. */
const noContent = (): Result => ({ statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' });

/**
 * DELETE /applications/{id}: the owner deletes a draft never submitted (or, for a walk-in, the
 * window clerk who took it in). One transaction writes the `delete_draft` event and takes the item
 * off every list; afterwards the application is 404 to everyone, and the auditor still reads its
 * trail (docs/http-api.md#deleting-a-draft). If-Match and Idempotency-Key as for other writes.
 */
export const handler = authed((req) => rerunOnConcurrentChange(req, remove));

const remove: Parameters<typeof rerunOnConcurrentChange>[1] = async (req) => {
  const store = getStore();
  const idem = idempotencyOf(req);
  const found = await load(store, req, req.params.id ?? '', idem);
  if ('replayed' in found) return found.replayed;
  const { app, headHash } = found.loaded;
  checkIfMatch(req, app);
  const [calendar, { config, configVersion }] = await Promise.all([getCalendar(), configFor(app)]);
  const step = deleteDraft(app, req.caller, {
    now: req.now,
    requestId: req.requestId,
    calendar,
    config,
    configVersion,
  });
  return commit(store, req, step, headHash, idem, noContent, calendar, config);
};
