import * as z from 'zod/mini';
import { maskBureauEvent } from '../../shared/domain/audit-mask.ts';
import { authed } from '../../shared/http/api.ts';
import { requireAuditor } from '../../shared/http/audit-query.ts';
import { pageBody, startKeyOf } from '../../shared/http/paging.ts';
import { CursorParam, LimitParam, pageLimit, parseQuery } from '../../shared/http/query.ts';
import { json } from '../../shared/http/respond.ts';
import { getAuditStore, getBureauStore } from '../../shared/runtime/clients.ts';

const Query = z.strictObject({
  limit: LimitParam,
  cursor: CursorParam,
  includePersonalData: z.optional(z.enum(['true', 'false'])),
});

/**
 * GET /audit/bureau/events: the bureau stream, oldest first, for the auditor: every change an
 * admin made to the calendar, the configuration and the staff, as chained events. Invitees'
 * e-mail addresses are masked unless `includePersonalData=true`, which the access log records.
 */
export const handler = authed(async (req) => {
  requireAuditor(req.caller);
  const q = parseQuery(Query, req.query);
  const personal = q.includePersonalData === 'true';
  const fingerprint = JSON.stringify(['bureau-events']);
  const startKey = startKeyOf(q.cursor, fingerprint);
  // Invitees' e-mail addresses are masked unless asked for, and asking is logged before any read.
  if (personal) {
    await getAuditStore().recordAccess({
      kind: 'PERSONAL_DATA_EXPORT',
      at: req.now.toISOString(),
      requestId: req.requestId,
      actor: { id: req.caller.id, name: req.caller.name, role: 'auditor' },
      filter: { stream: 'bureau' },
      format: 'json',
      order: 'asc',
      continued: q.cursor !== undefined,
    });
  }
  const page = await getBureauStore().events(pageLimit(q.limit), startKey);
  const items = personal ? page.items : page.items.map(maskBureauEvent);
  return json(200, {
    ...pageBody(items, page.lastKey, fingerprint),
    personalData: personal ? 'included' : 'masked',
  });
});
