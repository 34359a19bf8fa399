// @ts-nocheck
import * as z from 'zod/mini';
import { authed } from '../../shared/http/api.ts';
import { requireAuditor } from '../../shared/http/audit-query.ts';
import { pageBody, startKeyOf } from '../../shared/http/paging.ts';
import { CursorParam, LimitParam, pageLimit, parseQuery } from '../../shared/http/query.ts';
import { json } from '../../shared/http/respond.ts';
import { getAuditStore } from '../../shared/runtime/clients.ts';

const Query = z.strictObject({ limit: LimitParam, cursor: CursorParam });

/**
 * GET /audit/access-log: every request for unmasked personal data (who, when, which filter),
 * newest first, for the auditor. Each was recorded before the data was read.
 */
export const handler = authed(async (req) => {
  requireAuditor(req.caller);
  const q = parseQuery(Query, req.query);
  const fingerprint = JSON.stringify(['access-log']);
  const startKey = startKeyOf(q.cursor, fingerprint);
  const page = await getAuditStore().accessLog(pageLimit(q.limit), startKey);
  return json(200, pageBody(page.items, page.lastKey, fingerprint));
});
