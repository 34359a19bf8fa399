/** Console words for the auditor's access log page: [Chinese, English], merged into the table of web/src/i18n.ts. */
export const accessLogWords = {
  navAccessLog: ['访问日志', 'Access log'],
  accessLogTitle: ['个人信息访问日志', 'Personal data access log'],
  accessLogIntro: [
    '工作人员查阅申请人或公众的个人信息、导出未遮蔽的审计记录、下载申请文件，都会先记入本日志，最新的在前。下载的表格含最近 100 条。',
    'Every time staff read the personal details of an applicant or of the public, export unmasked audit records or download a file of an application, it is first entered here, newest first. The spreadsheet holds the newest 100 entries.',
  ],
  accessLogEmpty: ['暂无访问记录。', 'Nothing has been entered yet.'],
  accessLogShown: ['已显示 {n} 条', '{n} entries shown'],
  accessLogCsv: ['下载表格（CSV）', 'Download as a spreadsheet (CSV)'],
  accessLogDownloaded: ['已下载：{name}', 'Downloaded: {name}'],
  accessLogWhen: ['时间（北京时间）', 'When (Beijing time)'],
  accessLogWho: ['访问人', 'Who'],
  accessLogWhat: ['内容', 'What'],
  accessLogWhich: ['涉及申请', 'Applications'],
  accessLogNoApplication: ['不涉及单个申请', 'No single application'],
  accessLogOpenOne: ['打开该申请', 'Open the application'],
  accessLogOpenNth: ['第 {n} 件', 'Application {n}'],
  accessLogMoreApps: ['另有 {n} 件', 'and {n} more'],
  accessLogSearched: ['（含查询条件）', ' (with a search or filter)'],
  accessKind_PERSONAL_DATA_READ: ['查阅个人信息', 'Personal data read'],
  accessKind_PERSONAL_DATA_EXPORT: ['导出未遮蔽个人信息', 'Unmasked personal data exported'],
  accessKind_DOCUMENT_DOWNLOAD: ['下载文件', 'File downloaded'],
  accessRead_list: ['申请列表', 'The list of applications'],
  accessRead_application: ['申请详情', 'An application'],
  accessRead_events: ['办理记录', 'The record of an application'],
  accessRead_comments: ['公众意见（含姓名和联系方式）', "The public's comments (with names and contacts)"],
  accessRead_hearings: ['听证申请（含姓名和联系方式）', 'Hearing requests (with names and contacts)'],
  accessRead_other: ['其他查阅', 'Another read'],
  accessExport_csv: ['导出审计记录（表格）', 'Audit records exported (spreadsheet)'],
  accessExport_ndjson: ['导出审计记录（数据文件）', 'Audit records exported (data file)'],
  accessExport_other: ['查询审计记录', 'Audit records searched'],
  accessDownloadOf: ['文件：{name}', 'File: {name}'],
} as const satisfies Record<string, readonly [string, string]>;

/**
 * What a read was of, by the route its entry names: the word's key above. The API's spreadsheet
 * says the same (shared/domain/access-words.ts); a unit test keeps the two equal.
 */
export const accessReadKeys = {
  'GET /applications': 'accessRead_list',
  'GET /applications/{id}': 'accessRead_application',
  'GET /applications/{id}/events': 'accessRead_events',
  'GET /applications/{id}/comments': 'accessRead_comments',
  'GET /applications/{id}/hearing-requests': 'accessRead_hearings',
} as const satisfies Record<string, keyof typeof accessLogWords>;
