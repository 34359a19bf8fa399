/** Console words for the search part: [Chinese, English], merged into the table of web/src/i18n.ts. */
export const searchWords = {
  listSearch: ['查找申请', 'Find applications'],
  listSearchText: ['关键词', 'Words'],
  listSearchHint: [
    '案件编号、决定文号、项目、单位、统一社会信用代码或人名',
    'Case or decision number, project, organisation, credit code or a name',
  ],
  listSearchHelp: [
    '可输入多个词，用空格分开，每个词都要出现；不区分全角半角和大小写，括号和空格不影响结果。',
    'Several words may be given, separated by spaces: each must appear. Full-width forms, letter case, brackets and spaces do not matter.',
  ],
  'field.q': ['关键词', 'Search words'],
  listNeedWord: [
    '请至少输入一个汉字、字母或数字（标点和空格不参与查找）。',
    'Enter at least one letter, character or digit (punctuation and spaces are not searched).',
  ],
  listTooManyWords: ['最多 {n} 个词，请删去一些。', 'At most {n} words: leave some out.'],
  anyState: ['全部状态', 'Any state'],
  anyCategory: ['全部类别', 'Any category'],
  listState: ['状态', 'State'],
  listCategory: ['类别', 'Category'],
  clearSearch: ['清除条件', 'Clear'],
  listShown: ['已显示 {n} 件', '{n} shown'],
  listShownMore: [
    '已显示 {n} 件，可能还有更多，请点“加载更多”。',
    '{n} shown; there may be more: choose “Load more”.',
  ],
  listNoneYet: [
    '已查找的部分没有符合条件的申请，可能还有更多，请点“加载更多”继续查找。',
    'Nothing matches in what was searched so far; there may be more: choose “Load more” to search on.',
  ],
  listNoMatch: ['没有符合条件的申请。', 'No application matches.'],
  listOrg: ['建设单位', 'Organisation'],
  auditFind: ['查找案件', 'Find a case'],
  auditFindText: [
    '案件编号、决定文号、项目、单位或人名',
    'Case or decision number, project, organisation or a name',
  ],
  auditFindButton: ['查找', 'Find'],
  auditFound: ['找到的案件', 'Cases found'],
  auditShowTrail: ['查看记录', 'Show its trail'],
  auditTrailOf: ['“{p}”的审计记录', 'Audit trail of “{p}”'],
} as const satisfies Record<string, readonly [string, string]>;
