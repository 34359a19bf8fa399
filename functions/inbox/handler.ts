import * as z from 'zod/mini';
import { authed } from '../../shared/http/api.ts';
import { inboxEntryView } from '../../shared/http/inbox.ts';
import { pageBody, startKeyOf } from '../../shared/http/paging.ts';
import { CursorParam, LimitParam, pageLimit, parseQuery } from '../../shared/http/query.ts';
import { json } from '../../shared/http/respond.ts';
import { getInboxStore } from '../../shared/runtime/clients.ts';

const Query = z.strictObject({ limit: LimitParam, cursor: CursorParam });

/**
 * GET /inbox: the notifications sent to the caller (by their account, a role they hold or their
 * organisation), newest first, each with whether it is read, and how many are unread:
 * {items, unreadCount, cursor?}. Every signed-in user reads their own inbox, and only their own:
 * it is the partition of their `sub`, and a cursor is signed for it.
 */
export const handler = authed(async (req) => {
  const q = parseQuery(Query, req.query);
  const fingerprint = JSON.stringify(['inbox', req.caller.id]);
  const startKey = startKeyOf(q.cursor, fingerprint);
  const page = await getInboxStore().page(req.caller.id, pageLimit(q.limit), startKey);
  return json(
    200,
    { ...pageBody(page.items.map(inboxEntryView), page.lastKey, fingerprint), unreadCount: page.unreadCount },
    { 'cache-control': 'no-store' },
  );
});
