import { hasConflict } from '../../shared/domain/decide.ts';
import { ForbiddenError } from '../../shared/domain/errors.ts';
import type { HearingRequest } from '../../shared/domain/hearings.ts';
import { authed } from '../../shared/http/api.ts';
import { load } from '../../shared/http/command.ts';
import { seesCommenters } from '../../shared/http/comments.ts';
import { hearingRequestView } from '../../shared/http/hearings.ts';
import { json } from '../../shared/http/respond.ts';
import { getStore } from '../../shared/runtime/clients.ts';
import type { Key } from '../../shared/store/ports.ts';

/** The most hearing requests one application answers with. */
const MAX_REQUESTS = 5000;

/**
 * GET /applications/{id}/hearing-requests: the interested parties' hearing requests, oldest first,
 * with their names, contacts and reasons (the case officer phones those who left no e-mail address):
 * {items}. Officials and the auditor only: 403 for the owner and for an official of the
 * application's organisation; 404 for another applicant, as for every application route.
 */
export const handler = authed(async (req) => {
  const id = req.params.id ?? '';
  const store = getStore();
  const found = await load(store, req, id, undefined);
  if ('replayed' in found) return found.replayed;
  if (!seesCommenters(req.caller)) {
    throw new ForbiddenError('wrong-role', 'hearing requests are for officials and the auditor');
  }
  if (hasConflict(found.loaded.app, req.caller)) {
    throw new ForbiddenError(
      'conflict-of-interest',
      'the hearing requests on an application of your own organisation are for other officials',
    );
  }
  const items: HearingRequest[] = [];
  let startKey: Key | undefined;
  do {
    const page = await store.hearingRequests(id, 500, startKey);
    items.push(...page.items);
    startKey = page.lastKey;
  } while (startKey && items.length < MAX_REQUESTS);
  return json(200, { items: items.map(hearingRequestView) }, { 'cache-control': 'no-store' });
});
