import * as z from 'zod/mini';
import { isOfficial } from '../../shared/domain/decide.ts';
import { ValidationError } from '../../shared/domain/errors.ts';
import { states } from '../../shared/domain/types.ts';
import { authed } from '../../shared/http/api.ts';
import { pageBody, startKeyOf } from '../../shared/http/paging.ts';
import { CursorParam, LimitParam, pageLimit, parseQuery } from '../../shared/http/query.ts';
import { json } from '../../shared/http/respond.ts';
import { applicationView } from '../../shared/http/view.ts';
import { getStore } from '../../shared/runtime/clients.ts';
import { CategorySchema } from '../../shared/schemas/common.ts';
import type { ListQuery } from '../../shared/store/application-store.ts';
import { allPk, ownerPk, statePk } from '../../shared/store/keys.ts';

const Query = z.strictObject({
  state: z.optional(z.enum(states)),
  category: z.optional(CategorySchema),
  mine: z.optional(z.enum(['true', 'false'])),
  queue: z.optional(z.string()),
  limit: LimitParam,
  cursor: CursorParam,
});

/**
 * GET /applications: an applicant's own, newest first; officials and auditors see all (or only
 * their own with mine=true). Every list is an index query: by owner, by state, or all.
 */
export const handler = authed(async (req) => {
  const q = parseQuery(Query, req.query);
  if (q.queue !== undefined) {
    throw new ValidationError('Invalid query string: queue', [
      { path: 'queue', message: 'work queues are not available yet' },
    ]);
  }
  const seesAll = isOfficial(req.caller) || req.caller.roles.includes('auditor');
  const filters: Record<string, string> = {};
  if (q.category) filters.category = q.category;
  let list: Omit<ListQuery, 'limit' | 'startKey'>;
  if (!seesAll || q.mine === 'true') {
    if (q.state) filters.state = q.state;
    list = { index: 'byOwner', partition: ownerPk(req.caller.id), filters };
  } else if (q.state) {
    list = { index: 'byState', partition: statePk(q.state), filters };
  } else {
    list = { index: 'all', partition: allPk, filters };
  }
  const fingerprint = JSON.stringify(['applications', list.index, list.partition, filters]);
  const startKey = startKeyOf(q.cursor, fingerprint);
  const page = await getStore().list({
    ...list,
    limit: pageLimit(q.limit),
    ...(startKey ? { startKey } : {}),
  });
  const items = page.items.map((app) => applicationView(app, req.caller, req.now));
  return json(200, pageBody(items, page.lastKey, fingerprint));
});
