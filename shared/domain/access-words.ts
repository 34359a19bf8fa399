import { type Lang, stateWord } from './event-words.ts';
import type { Category } from './types.ts';

/**
 * The access log in words, for the auditor's spreadsheet (GET /audit/access-log?format=csv): what
 * a read was of, and the conditions it was asked with. The console's page (web/src/words/access-log.ts)
 * says the same; tests/unit/web/src/access-words.test.ts keeps the two equal.
 */

/** What a read was of, by the route the entry names: never the route itself. */
export const accessReadWords: Record<string, { zh: string; en: string }> = {
  'GET /applications': { zh: '申请列表', en: 'The list of applications' },
  'GET /applications/{id}': { zh: '申请详情', en: 'An application' },
  'GET /applications/{id}/events': { zh: '办理记录', en: 'The record of an application' },
  'GET /applications/{id}/comments': {
    zh: '公众意见（含姓名和联系方式）',
    en: "The public's comments (with names and contacts)",
  },
  'GET /applications/{id}/hearing-requests': {
    zh: '听证申请（含姓名和联系方式）',
    en: 'Hearing requests (with names and contacts)',
  },
};

/** A read of a route not in `accessReadWords`. */
export const otherReadWords = { zh: '其他查阅', en: 'Another read' } as const;

/** What an export of audit records was, by its format. */
export const accessExportWords: Record<string, { zh: string; en: string }> = {
  csv: { zh: '导出审计记录（表格）', en: 'Audit records exported (spreadsheet)' },
  ndjson: { zh: '导出审计记录（数据文件）', en: 'Audit records exported (data file)' },
  other: { zh: '查询审计记录', en: 'Audit records searched' },
};

export function readWord(route: string, lang: Lang): string {
  return (accessReadWords[route] ?? otherReadWords)[lang];
}

export function exportWord(format: string, lang: Lang): string {
  return (accessExportWords[format] ?? accessExportWords.other ?? otherReadWords)[lang];
}

/** The names of the conditions a read or an export was asked with. */
const conditionNames: Record<string, { zh: string; en: string }> = {
  q: { zh: '关键词', en: 'Search' },
  state: { zh: '状态', en: 'State' },
  category: { zh: '类别', en: 'Category' },
  mine: { zh: '我的申请', en: 'Mine' },
  queue: { zh: '待办', en: 'Queue' },
  cursor: { zh: '翻页', en: 'Page' },
  applicationId: { zh: '申请编号（系统）', en: 'Application ID' },
  action: { zh: '操作代码', en: 'Action code' },
  actor: { zh: '操作人账号', en: 'Actor ID' },
  from: { zh: '起', en: 'From' },
  to: { zh: '止', en: 'To' },
  order: { zh: '顺序', en: 'Order' },
};

const categoryWords: Record<Category, { zh: string; en: string }> = {
  REPORT: { zh: '环境影响报告书', en: 'EIA report' },
  REPORT_FORM: { zh: '环境影响报告表', en: 'EIA report form' },
  REGISTRATION: { zh: '环境影响登记表（备案）', en: 'Registration form (filing)' },
};

function conditionValue(key: string, value: string, lang: Lang): string {
  if (key === 'state')
    return value
      .split(',')
      .map((s) => stateWord(s, lang))
      .join(lang === 'zh' ? '、' : ', ');
  if (key === 'category')
    return (categoryWords as Record<string, { zh: string; en: string }>)[value]?.[lang] ?? value;
  if (key === 'cursor') return lang === 'zh' ? '续页' : 'a following page';
  if (key === 'order' && value === 'asc') return lang === 'zh' ? '从早到晚' : 'oldest first';
  if (key === 'order' && value === 'desc') return lang === 'zh' ? '从晚到早' : 'newest first';
  if (value === 'true') return lang === 'zh' ? '是' : 'yes';
  return value;
}

/**
 * The conditions as a person reads them, e.g. `状态=受理中；关键词=醴陵`; the page size is left
 * out (it says nothing of what was looked for), unknown keys keep their name.
 */
export function conditionsText(filter: Record<string, string> | undefined, lang: Lang): string {
  if (!filter) return '';
  return Object.entries(filter)
    .filter(([key]) => key !== 'limit')
    .map(([key, value]) => `${conditionNames[key]?.[lang] ?? key}=${conditionValue(key, value, lang)}`)
    .join(lang === 'zh' ? '；' : '; ');
}
