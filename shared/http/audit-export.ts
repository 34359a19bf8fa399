import { conditionsText, exportWord, readWord } from '../domain/access-words.ts';
import { actionWord, beijingTime, type Lang, roleWord, roleWords, stateWord } from '../domain/event-words.ts';
import type { AuditEvent } from '../domain/types.ts';
import type { AccessedApplication, AccessRecord } from '../store/ports.ts';
import { csvRow } from './csv.ts';
import type { Result } from './respond.ts';

/**
 * Exports of audit events: NDJSON (a header line, then one event per line, exactly as stored) and
 * CSV for spreadsheets (a byte order mark, a header line, column names in the caller's language, one
 * event per row with its time in Beijing and its action and states in words; payload and changes as
 * JSON cells).
 */

/** What the first line of an export says. */
export interface ExportHeader {
  exportedAt: string;
  filter: Record<string, string>;
  order: string;
  personalData: 'masked' | 'included';
  /** The cursor this page was asked with, if it is not the first. */
  cursor?: string;
  /** Where the next page starts (also in the x-next-cursor header). */
  nextCursor?: string;
}

/**
 * The CSV's columns, in the caller's language: first what a person reads (the time in Beijing,
 * the action, the person and the states in words), then what a machine needs: the action's code
 * (the key `action=` filters by, the same in every language), the actor's account id (the key
 * `actor=` filters by), the request id, the chain's hashes, and payload and changes as JSON.
 */
export const csvColumns = {
  zh: [
    '时间（北京时间）',
    '申请编号',
    '序号',
    '操作',
    '操作人',
    '角色',
    '原状态',
    '新状态',
    '操作代码',
    '操作人账号',
    '请求编号',
    '前一哈希',
    '哈希',
    '提交内容（JSON）',
    '变更字段（JSON）',
  ],
  en: [
    'Time (Beijing time)',
    'Application ID',
    'Seq',
    'Action',
    'Actor',
    'Role',
    'From state',
    'To state',
    'Action code',
    'Actor ID',
    'Request ID',
    'Previous hash',
    'Hash',
    'Payload (JSON)',
    'Changes (JSON)',
  ],
} as const satisfies Record<Lang, readonly string[]>;

/** UTF-8's byte order mark: Excel and WPS read a CSV as UTF-8 only when it starts with one. */
export const BOM = '\uFEFF';

function csvRecord(event: AuditEvent, lang: Lang): string {
  const isPublic = event.actor.id === 'public';
  return csvRow([
    beijingTime(event.at),
    event.applicationId,
    event.seq,
    actionWord(event.action, lang),
    isPublic ? roleWords.public[lang] : event.actor.name,
    roleWord(event.actor, lang),
    stateWord(event.from, lang),
    stateWord(event.to, lang),
    event.action,
    event.actor.id,
    event.requestId,
    event.prevHash,
    event.hash,
    JSON.stringify(event.payload ?? null),
    JSON.stringify(event.changes),
  ]);
}

/**
 * Lambda answers at most 6 MB, counted on its JSON envelope in which the body is an escaped string;
 * a page stops before it would pass this many bytes of that (the rest is headers and the header line).
 */
export const RESPONSE_BUDGET_BYTES = 5_000_000;

export type Format = 'json' | 'ndjson' | 'csv';

/**
 * Bytes `text` takes once escaped into a JSON string, the way Lambda's envelope carries the body:
 * counted in one pass instead of serialising the text a second time.
 */
export function escapedBytes(text: string): number {
  let bytes = Buffer.byteLength(text);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d)
      bytes += 1; // \" \\ \b \t \n \f \r
    else if (c < 0x20) bytes += 5; // \u00XX
  }
  return bytes;
}

/**
 * Each event of a page rendered once, as it will be shown (masked or not): the size budget counts
 * the very line that the export then writes, so no event is serialised twice.
 */
export function pageRenderer(format: Format, shown: (event: AuditEvent) => AuditEvent, lang: Lang = 'en') {
  const lines = new WeakMap<AuditEvent, string>();
  const line = (event: AuditEvent): string => {
    let rendered = lines.get(event);
    if (rendered === undefined) {
      const view = shown(event);
      rendered = format === 'csv' ? csvRecord(view, lang) : JSON.stringify(view);
      lines.set(event, rendered);
    }
    return rendered;
  };
  return {
    line,
    /** An event's share of the response as Lambda counts it (its line, escaped, and a separator). */
    bytes: (event: AuditEvent): number => escapedBytes(line(event)) + 1,
  };
}

/** NDJSON: the header line, then the events' lines (as `pageRenderer` wrote them). */
export function ndjsonExport(header: ExportHeader, lines: readonly string[]): string {
  return [JSON.stringify({ export: 'eia-audit-events', ...header }), ...lines]
    .map((line) => `${line}\n`)
    .join('');
}

/**
 * CSV: the byte order mark, the header line, the column names in `lang`, then the events' rows (as
 * `pageRenderer` wrote them, in the same language). Records end with CRLF.
 */
export function csvExport(header: ExportHeader, rows: readonly string[], lang: Lang = 'en'): string {
  const { exportedAt, filter, order, personalData, cursor } = header;
  // What the file holds, for whoever opens it later: in the reader's language, the time in Beijing.
  const about =
    lang === 'zh'
      ? `# 审计事件导出；导出时间（北京时间）${beijingTime(exportedAt)}；条件 ${JSON.stringify(filter)}；${order === 'asc' ? '从早到晚' : '从晚到早'}；个人信息${personalData === 'included' ? '未遮蔽（已记入访问日志）' : '已遮蔽'}${cursor ? `；下一页游标 ${cursor}` : ''}`
      : `# eia-audit-events exportedAt=${exportedAt} filter=${JSON.stringify(filter)} order=${order} personalData=${personalData}${cursor ? ` cursor=${cursor}` : ''}`;
  return [BOM, csvRow([about]), csvRow(csvColumns[lang]), ...rows].join('');
}

const contentTypes = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
} as const;

/** An export page as a download: its type, a file name, and the next page's cursor in a header. */
export function download(
  format: 'ndjson' | 'csv',
  body: string,
  exportedAt: string,
  nextCursor: string | undefined,
  headers: Record<string, string> = {},
  /** The file name's stem: `audit-events-<time>.csv`. */
  stem = 'audit-events',
): Result {
  const stamp = exportedAt.replace(/[-:]/g, '').replace(/\.\d+/, '');
  return {
    statusCode: 200,
    headers: {
      'content-type': contentTypes[format],
      'content-disposition': `attachment; filename="${stem}-${stamp}.${format}"`,
      'cache-control': 'no-store',
      ...(nextCursor ? { 'x-next-cursor': nextCursor } : {}),
      ...headers,
    },
    body,
  };
}

// ---------------------------------------------------------------------------------------------
// The access log as CSV (GET /audit/access-log?format=csv)

/**
 * The access log's columns, in the caller's language: first what a person reads (when in Beijing,
 * what kind of access, who and in which roles, what was read and with which conditions in words,
 * the applications by case number and project name), then what a machine needs: the applications'
 * and the reader's ids in the system, and the request id.
 */
export const accessLogColumns = {
  zh: [
    '时间（北京时间）',
    '类型',
    '访问人',
    '角色',
    '访问内容',
    '查询条件',
    '涉及申请（案号 项目名称）',
    '申请编号（系统）',
    '访问人账号（系统）',
    '请求编号',
  ],
  en: [
    'Time (Beijing time)',
    'Kind',
    'Who',
    'Roles',
    'What',
    'Conditions',
    'Applications (case number and project)',
    'Application IDs (system)',
    'Account ID (system)',
    'Request ID',
  ],
} as const satisfies Record<Lang, readonly string[]>;

const accessKindWords: Record<AccessRecord['kind'], Record<Lang, string>> = {
  PERSONAL_DATA_READ: { zh: '查阅个人信息', en: 'Personal data read' },
  PERSONAL_DATA_EXPORT: { zh: '导出未遮蔽个人信息', en: 'Unmasked personal data exported' },
  DOCUMENT_DOWNLOAD: { zh: '下载文件', en: 'File downloaded' },
};

/** An application as people name it: its case number and project name (either, where one is missing). */
function applicationName(app: AccessedApplication): string {
  return [app.caseNumber, app.projectName].filter(Boolean).join(' ');
}

function accessRow(record: AccessRecord, lang: Lang): string {
  const list = lang === 'zh' ? '、' : ', ';
  const roles = 'roles' in record.actor ? record.actor.roles : [record.actor.role];
  const roleText = roles.map((role) => roleWord({ id: record.actor.id, role }, lang)).join(list);
  let what: string;
  let ids: string;
  let names = '';
  let filter: Record<string, string> | undefined;
  switch (record.kind) {
    case 'PERSONAL_DATA_READ':
      what = readWord(record.route, lang);
      ids = record.applicationIds.join(' ');
      names = (record.applications ?? []).map(applicationName).join(lang === 'zh' ? '；' : '; ');
      filter = record.filter;
      break;
    case 'PERSONAL_DATA_EXPORT':
      what = exportWord(record.format, lang);
      ids = record.filter.applicationId ?? '';
      filter = { ...record.filter, order: record.order, ...(record.continued ? { cursor: 'given' } : {}) };
      break;
    case 'DOCUMENT_DOWNLOAD':
      what = [lang === 'zh' ? '文件' : 'File', record.fileName, record.code, record.documentId]
        .filter(Boolean)
        .join(' ');
      ids = record.applicationId;
      break;
  }
  return csvRow([
    beijingTime(record.at),
    accessKindWords[record.kind][lang],
    record.actor.name,
    roleText,
    what,
    conditionsText(filter, lang),
    names,
    ids,
    record.actor.id,
    record.requestId,
  ]);
}

/**
 * A page of the access log as CSV: the byte order mark, a line saying what the file is (exported
 * when, in Beijing time), the column names in `lang`, then one row per entry, newest first.
 */
export function accessLogCsv(
  records: readonly AccessRecord[],
  exportedAt: string,
  lang: Lang,
  cursor: string | undefined,
): string {
  const about =
    lang === 'zh'
      ? `# 个人信息访问日志导出；导出时间（北京时间）${beijingTime(exportedAt)}；从晚到早${cursor ? `；游标 ${cursor}` : ''}`
      : `# eia-access-log exportedAt=${exportedAt} order=desc${cursor ? ` cursor=${cursor}` : ''}`;
  return [
    BOM,
    csvRow([about]),
    csvRow(accessLogColumns[lang]),
    ...records.map((r) => accessRow(r, lang)),
  ].join('');
}
