import { maskEvent } from '../../shared/domain/audit-mask.ts';
import type { AuditEvent } from '../../shared/domain/types.ts';
import { authed } from '../../shared/http/api.ts';
import {
  csvExport,
  download,
  type ExportHeader,
  ndjsonExport,
  pageRenderer,
  RESPONSE_BUDGET_BYTES,
} from '../../shared/http/audit-export.ts';
import { cursorOf, parseAuditQuery, positionOf, requireAuditor } from '../../shared/http/audit-query.ts';
import { json } from '../../shared/http/respond.ts';
import { getAuditStore } from '../../shared/runtime/clients.ts';
import { wantsChinese } from '../../shared/schemas/issue-words.ts';
import { choosePlan } from '../../shared/store/audit-plan.ts';

/**
 * GET /audit/events: events by application, actor, action and time, in any combination, newest
 * or oldest first; JSON pages, or NDJSON/CSV exports one page per request (x-next-cursor); the
 * CSV in the caller's language (Accept-Language), with Beijing times and a byte order mark.
 * Every page is a key or index query (see shared/store/audit-plan.ts); x-items-read and
 * x-read-units say what it cost. Contact names and phones are masked unless the auditor asks
 * for them, and asking is recorded in the audit access log before anything is read.
 */
export const handler = authed(async (req) => {
  requireAuditor(req.caller);
  const q = parseAuditQuery(req.query);
  const plan = choosePlan(q.filter, q.order, req.now);
  const start = positionOf(q.cursor, plan);
  const store = getAuditStore();
  const exportedAt = req.now.toISOString();
  if (q.includePersonalData) {
    await store.recordAccess({
      kind: 'PERSONAL_DATA_EXPORT',
      at: exportedAt,
      requestId: req.requestId,
      actor: { id: req.caller.id, name: req.caller.name, role: 'auditor' },
      filter: q.given,
      format: q.format,
      order: q.order,
      continued: q.cursor !== undefined,
    });
  }
  const shown = q.includePersonalData ? (event: AuditEvent) => event : maskEvent;
  // A CSV is for people: its headers, actions and states in the caller's language (Accept-Language).
  const lang = wantsChinese(req.header('accept-language')) ? 'zh' : 'en';
  const render = pageRenderer(q.format, shown, lang);
  let bytes = 0;
  const page = await store.page(plan, {
    limit: q.limit,
    ...(start ? { start } : {}),
    fits: (event) => {
      bytes += render.bytes(event);
      return bytes <= RESPONSE_BUDGET_BYTES;
    },
  });
  const personalData = q.includePersonalData ? 'included' : 'masked';
  const next = page.next ? cursorOf(page.next, plan) : undefined;
  const cost = { 'x-items-read': String(page.cost.itemsRead), 'x-read-units': String(page.cost.readUnits) };
  if (q.format === 'json')
    return json(
      200,
      { items: page.events.map(shown), ...(next ? { cursor: next } : {}), personalData },
      cost,
    );
  const header: ExportHeader = {
    exportedAt,
    filter: q.given,
    order: q.order,
    personalData,
    ...(q.cursor ? { cursor: q.cursor } : {}),
    ...(next ? { nextCursor: next } : {}),
  };
  const lines = page.events.map(render.line);
  if (q.format === 'ndjson') return download('ndjson', ndjsonExport(header, lines), exportedAt, next, cost);
  return download('csv', csvExport(header, lines, lang), exportedAt, next, {
    ...cost,
    'content-language': lang === 'zh' ? 'zh-CN' : 'en',
    vary: 'Accept-Language',
  });
});
