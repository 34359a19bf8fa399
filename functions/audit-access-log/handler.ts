import * as z from 'zod/mini';
import { authed } from '../../shared/http/api.ts';
import { accessLogCsv, download } from '../../shared/http/audit-export.ts';
import { requireAuditor } from '../../shared/http/audit-query.ts';
import { pageBody, startKeyOf } from '../../shared/http/paging.ts';
import { CursorParam, LimitParam, pageLimit, parseQuery } from '../../shared/http/query.ts';
import { json } from '../../shared/http/respond.ts';
import { getAuditStore } from '../../shared/runtime/clients.ts';
import { wantsChinese } from '../../shared/schemas/issue-words.ts';

const Query = z.strictObject({
  limit: LimitParam,
  cursor: CursorParam,
  format: z.optional(z.enum(['json', 'csv'])),
});

/**
 * GET /audit/access-log: every read of applicants' personal data by officials and the auditor,
 * every request for unmasked personal data (who, when, which filter) and every file downloaded,
 * newest first, for the auditor. Each was recorded before the data was given. `format=csv`: the
 * page as a spreadsheet (a byte order mark, Beijing times, column names in the language
 * Accept-Language puts first), its next page's cursor in x-next-cursor.
 */
export const handler = authed(async (req) => {
  requireAuditor(req.caller);
  const q = parseQuery(Query, req.query);
  const fingerprint = JSON.stringify(['access-log']);
  const startKey = startKeyOf(q.cursor, fingerprint);
  const page = await getAuditStore().accessLog(pageLimit(q.limit), startKey);
  const body = pageBody(page.items, page.lastKey, fingerprint);
  if (q.format !== 'csv') return json(200, body);
  const lang = wantsChinese(req.header('accept-language')) ? 'zh' : 'en';
  const exportedAt = req.now.toISOString();
  const csv = accessLogCsv(page.items, exportedAt, lang, q.cursor);
  return download(
    'csv',
    csv,
    exportedAt,
    'cursor' in body ? body.cursor : undefined,
    { 'content-language': lang === 'zh' ? 'zh-CN' : 'en', vary: 'Accept-Language' },
    'access-log',
  );
});
