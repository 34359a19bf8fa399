import * as z from 'zod/mini';
import { open } from '../../shared/http/api.ts';
import { pageBody, startKeyOf } from '../../shared/http/paging.ts';
import { CursorParam, LimitParam, pageLimit, parseQuery } from '../../shared/http/query.ts';
import { json } from '../../shared/http/respond.ts';
import { noticeView } from '../../shared/http/view.ts';
import { getCalendar } from '../../shared/runtime/calendar.ts';
import { getStore } from '../../shared/runtime/clients.ts';

const Query = z.strictObject({ limit: LimitParam, cursor: CursorParam });

/**
 * GET /public/notices: acceptance notices, proposed decisions, decisions and filings, newest
 * first. Notices carry the organisation's name but no personal data; a period's last day counted
 * through an unpublished year is marked provisional (shared/http/view.ts noticeView).
 */
export const handler = open(async (req) => {
  const q = parseQuery(Query, req.query);
  const fingerprint = JSON.stringify(['notices']);
  const startKey = startKeyOf(q.cursor, fingerprint);
  const page = await getStore().notices(pageLimit(q.limit), startKey);
  const calendar = await getCalendar();
  return json(
    200,
    pageBody(
      page.items.map((n) => noticeView(n, calendar)),
      page.lastKey,
      fingerprint,
    ),
    {
      'cache-control': 'public, max-age=60',
    },
  );
});
