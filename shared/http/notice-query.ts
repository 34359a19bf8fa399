import * as z from 'zod/mini';
import { isIsoDate } from '../domain/calendar.ts';
import { ValidationError } from '../domain/errors.ts';
import { isFiltered, type NoticeSearch, noticeKinds } from '../domain/notice-search.ts';
import { ruleIssue, ruleParams } from '../domain/rules.ts';
import { CursorParam, LimitParam, pageLimit, parseQuery, SearchTextParam } from './query.ts';

/** The longest search text, in characters. */
export const MAX_QUERY_CHARS = 100;

const DateParam = z.optional(
  z.string().check(
    z.refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isIsoDate(s), {
      message: 'must be a date, YYYY-MM-DD (a Beijing day)',
      params: ruleParams('query-date'),
    }),
  ),
);

const TextParam = SearchTextParam(MAX_QUERY_CHARS);

const Query = z.strictObject({
  q: TextParam,
  kind: z.optional(z.enum(noticeKinds)),
  from: DateParam,
  to: DateParam,
  limit: LimitParam,
  cursor: CursorParam,
});

export interface NoticeQuery {
  search: NoticeSearch;
  limit: number;
  cursor?: string;
  /** What a cursor is signed for: the list and its filters, so it pages on only the same search. */
  fingerprint: string;
}

/** GET /public/notices's query string: the filters checked, each issue naming its parameter. */
export function parseNoticeQuery(query: Record<string, string>): NoticeQuery {
  const { q, kind, from, to, limit, cursor } = parseQuery(Query, query);
  if (from !== undefined && to !== undefined && from > to) {
    throw new ValidationError('Invalid query string: from', [
      ruleIssue('from', `must not be after to (${to})`, 'from-after-to'),
    ]);
  }
  const search: NoticeSearch = {
    ...(kind === undefined ? {} : { kind }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(q === undefined ? {} : { q: q.trim() }),
  };
  // The plain list keeps the fingerprint it always had, so its cursors stay good.
  const fingerprint = JSON.stringify(isFiltered(search) ? ['notices', search] : ['notices']);
  return { search, limit: pageLimit(limit), ...(cursor === undefined ? {} : { cursor }), fingerprint };
}
