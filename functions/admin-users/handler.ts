import * as z from 'zod/mini';
import { requireAdmin } from '../../shared/http/admin.ts';
import { authed } from '../../shared/http/api.ts';
import { pageBody, startKeyOf } from '../../shared/http/paging.ts';
import { CursorParam, parseQuery } from '../../shared/http/query.ts';
import { json } from '../../shared/http/respond.ts';
import { getUserDirectory } from '../../shared/runtime/cognito-directory.ts';

/** Cognito's ListUsers answers at most 60 users a call. */
const ListQuery = z.strictObject({
  limit: z.optional(
    z.string().check(z.regex(/^([1-5]\d?|60|[6-9])$/, 'must be a whole number from 1 to 60')),
  ),
  cursor: CursorParam,
});
const CURSOR_QUERY = 'admin-users';

/**
 * GET /admin/users?limit=&cursor=: the admin reads a page of accounts (Cognito's user pool in AWS,
 * the local user directory under `npm start`), each with its groups and whether it is enabled.
 */
export const handler = authed(async (req) => {
  requireAdmin(req.caller);
  const query = parseQuery(ListQuery, req.query);
  const start = startKeyOf(query.cursor, CURSOR_QUERY);
  const page = await getUserDirectory().list({
    limit: query.limit ? Number(query.limit) : 60,
    ...(typeof start?.next === 'string' ? { next: start.next } : {}),
  });
  return json(200, pageBody(page.users, page.next ? { next: page.next } : undefined, CURSOR_QUERY));
});
