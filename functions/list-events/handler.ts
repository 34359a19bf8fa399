import * as z from 'zod/mini';
import { maskPublicContacts } from '../../shared/domain/audit-mask.ts';
import { hasConflict } from '../../shared/domain/decide.ts';
import { recordRead } from '../../shared/http/access-log.ts';
import { authed } from '../../shared/http/api.ts';
import { load } from '../../shared/http/command.ts';
import { seesCommenters } from '../../shared/http/comments.ts';
import { pageBody, startKeyOf } from '../../shared/http/paging.ts';
import { CursorParam, LimitParam, pageLimit, parseQuery } from '../../shared/http/query.ts';
import { json } from '../../shared/http/respond.ts';
import { getStore } from '../../shared/runtime/clients.ts';

const Query = z.strictObject({ limit: LimitParam, cursor: CursorParam });

/**
 * GET /applications/{id}/events: the audit trail of one application, oldest first. The names and
 * contacts the public left in its events (comments, hearing requests) are shown as given to
 * officials and the auditor, and masked for everyone else (the applicant, an official of the
 * applicant's organisation): `personalData` says which. A masked event no longer hashes to its
 * `hash`; GET /audit/applications/{id}/verify checks the trail as stored. The trail names the
 * applicant (their steps' actor, the contact person and phone): an official's or the auditor's
 * read of a page is entered in the access log before the answer, and a failed entry fails it.
 */
export const handler = authed(async (req) => {
  const q = parseQuery(Query, req.query);
  const store = getStore();
  // The auditor still reads the trail of a deleted draft, ending in its delete_draft.
  const found = await load(store, req, req.params.id ?? '', undefined, true);
  if ('replayed' in found) return found.replayed;
  const { app } = found.loaded;
  const id = app.id;
  const fingerprint = JSON.stringify(['events', id]);
  const startKey = startKeyOf(q.cursor, fingerprint);
  const page = await store.events(id, pageLimit(q.limit), startKey);
  await recordRead(req, 'GET /applications/{id}/events', [app], q.cursor ? { cursor: 'given' } : undefined);
  const full = seesCommenters(req.caller) && !hasConflict(app, req.caller);
  const items = full ? page.items : page.items.map(maskPublicContacts);
  return json(200, {
    ...pageBody(items, page.lastKey, fingerprint),
    personalData: full ? 'included' : 'masked',
  });
});
