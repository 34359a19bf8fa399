import { isFiltered } from '../../shared/domain/notice-search.ts';
import { open } from '../../shared/http/api.ts';
import { parseNoticeQuery } from '../../shared/http/notice-query.ts';
import { pageBody, startKeyOf } from '../../shared/http/paging.ts';
import { json } from '../../shared/http/respond.ts';
import { noticeView } from '../../shared/http/view.ts';
import { getCalendar } from '../../shared/runtime/calendar.ts';
import { getStore } from '../../shared/runtime/clients.ts';

/**
 * GET /public/notices: acceptance notices, proposed decisions, decisions and filings, newest
 * first; searched by `q` (project, organisation, number, location), `kind` and the days published
 * (`from`, `to`). Notices carry the organisation's name but no personal data; a period's last day
 * counted through an unpublished year is marked provisional (shared/http/view.ts noticeView), and
 * each says how many comments it received (`commentCount`). A cursor pages on only the search it
 * came from.
 */
export const handler = open(async (req) => {
  const q = parseNoticeQuery(req.query);
  const startKey = startKeyOf(q.cursor, q.fingerprint);
  const store = getStore();
  const page = isFiltered(q.search)
    ? await store.searchNotices(q.search, q.limit, startKey)
    : await store.notices(q.limit, startKey);
  const calendar = await getCalendar();
  return json(
    200,
    pageBody(
      // Each with its comment count, kept on the notice by every comment's transaction: no read more.
      page.items.map((n) => ({ ...noticeView(n, calendar), commentCount: n.commentCount ?? 0 })),
      page.lastKey,
      q.fingerprint,
    ),
    {
      'cache-control': 'public, max-age=60',
    },
  );
});
