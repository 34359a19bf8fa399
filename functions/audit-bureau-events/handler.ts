import * as z from 'zod/mini';
import { authed } from '../../shared/http/api.ts';
import { requireAuditor } from '../../shared/http/audit-query.ts';
import { pageBody, startKeyOf } from '../../shared/http/paging.ts';
import { CursorParam, LimitParam, pageLimit, parseQuery } from '../../shared/http/query.ts';
import { json } from '../../shared/http/respond.ts';
import { getBureauStore } from '../../shared/runtime/clients.ts';

const Query = z.strictObject({ limit: LimitParam, cursor: CursorParam });

/**
 * GET /audit/bureau/events: the bureau stream, oldest first, for the auditor: every change an
 * admin made to the calendar, the staff (and later the configuration), as chained events.
 */
export const handler = authed(async (req) => {
  requireAuditor(req.caller);
  const q = parseQuery(Query, req.query);
  const fingerprint = JSON.stringify(['bureau-events']);
  const startKey = startKeyOf(q.cursor, fingerprint);
  const page = await getBureauStore().events(pageLimit(q.limit), startKey);
  return json(200, pageBody(page.items, page.lastKey, fingerprint));
});
