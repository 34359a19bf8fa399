// @ts-nocheck
import * as z from 'zod/mini';
import { authed } from '../../shared/http/api.ts';
import { load } from '../../shared/http/command.ts';
import { pageBody, startKeyOf } from '../../shared/http/paging.ts';
import { CursorParam, LimitParam, pageLimit, parseQuery } from '../../shared/http/query.ts';
import { json } from '../../shared/http/respond.ts';
import { getStore } from '../../shared/runtime/clients.ts';

const Query = z.strictObject({ limit: LimitParam, cursor: CursorParam });

/** GET /applications/{id}/events: the audit trail of one application, oldest first. */
export const handler = authed(async (req) => {
  const q = parseQuery(Query, req.query);
  const store = getStore();
  const found = await load(store, req, req.params.id ?? '', undefined);
  if ('replayed' in found) return found.replayed;
  const id = found.loaded.app.id;
  const fingerprint = JSON.stringify(['events', id]);
  const startKey = startKeyOf(q.cursor, fingerprint);
  const page = await store.events(id, pageLimit(q.limit), startKey);
  return json(200, pageBody(page.items, page.lastKey, fingerprint));
});
