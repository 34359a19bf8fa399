import { authed } from '../../shared/http/api.ts';
import { entriesToRead, InboxReadSchema } from '../../shared/http/inbox.ts';
import { json } from '../../shared/http/respond.ts';
import { getInboxStore } from '../../shared/runtime/clients.ts';
import { parse } from '../../shared/schemas/parse.ts';

/**
 * POST /inbox/read: marks entries of the caller's own inbox read, {ids: [...]} (those opened; at
 * most 50) or {all: true}; the unread count moves in the same transaction. Idempotent: an entry
 * read already, or one the caller's inbox does not hold, is left alone. {marked, unreadCount}.
 */
export const handler = authed(async (req) => {
  const which = entriesToRead(parse(InboxReadSchema, req.body ?? {}));
  const result = await getInboxStore().markRead(req.caller.id, which, req.now);
  return json(200, result, { 'cache-control': 'no-store' });
});
