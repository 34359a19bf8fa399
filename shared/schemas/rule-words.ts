import { defaultConfig } from '../domain/config.ts';
import type { IssueParams } from '../domain/errors.ts';
import type { RuleName } from '../domain/rules.ts';

/**
 * A rule's issue (`code: 'custom'`, `params.rule`, shared/domain/rules.ts) in Chinese, for a
 * caller that asked for it. Materials are named as the default configuration names them (a code
 * of another configuration stays a code), dates as they are.
 */
type Words = (p: IssueParams) => string;

const materialZh = (code: unknown): string =>
  defaultConfig.materials.find((m) => m.code === code)?.zh ?? String(code ?? '');
const materials = (codes: unknown) => (Array.isArray(codes) ? codes : [codes]).map(materialZh).join('、');
const file = (p: IssueParams) => `${materialZh(p.code)}（${String(p.fileName ?? '')}）`;
const milestoneZh: Record<string, string> = {
  CONSTRUCTION_STARTED: '开工建设',
  FACILITIES_COMPLETED: '环保设施建成',
  COMPLETION_ACCEPTED: '竣工环境保护验收',
};
const typeZh: Record<string, string> = {
  PDF: 'PDF 文档',
  OFD: 'OFD 文档',
  DOC: 'Word 97-2003 文档',
  DOCX: 'Word 文档',
  XLS: 'Excel 97-2003 工作簿',
  XLSX: 'Excel 工作簿',
  JPEG: 'JPEG 图片',
  PNG: 'PNG 图片',
  ZIP: 'ZIP 压缩包',
};
const v = (x: unknown) => String(x ?? '');

export const zhRuleWords: Readonly<Record<RuleName, Words>> = {
  'materials-missing': (p) => `缺少必需的申报材料：${materials(p.codes)}`,
  'items-unanswered': (p) => `补正通知所列各项均须补交，尚缺：${materials(p.codes)}`,
  'item-listed-twice': (p) => `${materialZh(p.code)}列了两次，每项材料只列一次`,
  'unknown-material': (p) => `${v(p.code)}不是本申请可用的材料`,
  'material-once': () => '每种材料只能出现一次',
  'file-attached-once': () => '同一文件只能附一次',
  'reject-needs-reasons': () => '拟不予批准须写明理由',
  'conditions-differ': (p) =>
    `批准条件须与 ${v(p.date)} 拟批准公示的 ${v(p.count)} 项条件一致且顺序相同；不填即按公示的条件批准，或退回审查重新拟定`,
  'conditions-none-noticed': (p) => `${v(p.date)} 的拟批准公示未列条件；请不填条件，或退回审查重新拟定`,
  'milestone-order': (p) => `建设节点须按顺序记录，下一个是“${milestoneZh[v(p.next)] ?? v(p.next)}”`,
  'facts-frozen': (p) => `${v(p.date)} 受理公告发布后不能再更改`,
  'own-org': (p) => `须为本单位的统一社会信用代码 ${v(p.orgCode)}`,
  'walk-in-org': (p) => `须与窗口登记的单位一致（${v(p.orgCode)}）`,
  'org-fixed': () => '提交后不能更改建设单位',
  'category-fixed': () => '文件类型只能在草稿阶段更改',
  'nothing-to-change': () => '没有要保存的更改',
  'comment-period-open': (p) => `受理公告的公众意见期到 ${v(p.until)} 为止，请从次日起再拟定审批意见`,
  'comments-unanswered': (p) => `还有 ${v(p.count)} 条公众意见未答复，请逐条答复后再拟定审批意见`,
  'comments-unanswered-decision': (p) => `还有 ${v(p.count)} 条公众意见未答复，须由经办人逐条答复后再作决定`,
  'hearing-too-soon': (p) => `须至少提前 ${v(p.days)} 天通知参加人，请定在 ${v(p.earliest)} 或之后`,
  'hearing-too-late': (p) => `听证须在 ${v(p.holdBy)} 前举行`,
  'upload-unknown': (p) => `${file(p)}未按上传时的登记提交，请重新上传`,
  'bytes-missing': (p) => `${file(p)}的文件内容未上传完成，请重新上传`,
  'size-differs': (p) => `${file(p)}的大小与登记不符，请重新上传`,
  'sha-differs': (p) => `${file(p)}的内容与登记不符，请重新上传`,
  'type-mismatch': (p) =>
    `${file(p)}的扩展名表明是${typeZh[v(p.claimed)] ?? v(p.claimed)}，但内容${p.found ? `是${typeZh[v(p.found)] ?? v(p.found)}` : '不是'}`,
  'no-file-type': (p) => `${file(p)}的扩展名不是可接收的文件类型`,
  'type-not-taken': (p) => `${file(p)}是${typeZh[v(p.type)] ?? v(p.type)}，目前不接收此类文件`,
  'scan-pending': (p) => `${file(p)}的病毒扫描尚未完成`,
  'scan-infected': (p) => `${file(p)}经扫描发现病毒，须由申请人更换`,
  'file-name-path': () => '文件名不能含 / 或 \\、控制字符或方向字符',
  'file-name-space': () => '文件名首尾不能有空格',
  'file-name-dots': () => '不是有效的文件名',
  'broken-char': () => '含有无法保存的字符，请删去后重新输入',
  'control-chars': () => '不能含控制字符',
  'single-line': () => '只能填一行，不能含换行或制表符',
  'bidi-chars': () => '不能含改变文字方向的隐藏字符',
  json: () => '请求内容不是有效的 JSON',
  'json-object': () => '请求内容应为一组字段',
  'json-number': () => '数字超出范围',
  'json-depth': (p) => `嵌套不能超过 ${v(p.max)} 层`,
  'idempotency-key': () => '请求标识（Idempotency-Key）无效，请刷新页面后重试',
  'idempotency-key-reused': () => '此表单已提交过另一份内容，请刷新页面后重新填写',
  'if-match': () => '页面版本信息无效，请刷新页面后重试',
  cursor: () => '翻页位置已失效，请从第一页重新查看',
  'query-date': () => '应为日期，如 2026-03-02',
  'query-instant': () => '应为日期（如 2026-03-02）或带时区的时间',
  'query-empty': () => '不能为空',
  'query-too-long': (p) => `最多 ${v(p.max)} 个字符`,
  'from-after-to': () => '开始日期不能晚于结束日期',
  'period-too-long': (p) => `时间段最长 ${v(p.max)} 天`,
  'limit-range': (p) => `应为 1 到 ${v(p.max)} 的整数`,
  'ids-or-all': () => '请指定要标为已读的消息，或选择全部标为已读（二者选一）',
  'inbox-id': () => '不是消息的编号',
  'email-taken': () => '该电子邮件地址已有账号',
  'directory-refused': () => '用户目录拒绝了此值，请检查',
  'group-once': () => '每个角色只能选一次',
  'applicant-not-official': () => '申请人角色不能与窗口、审查、审批角色同时持有',
  'applicant-needs-org': () => '申请人账号须填写其单位的统一社会信用代码',
  'own-account': () => '不能更改自己的账号，请由其他管理员办理',
  'last-admin': () => '这样将没有可用的管理员，请先指定另一位管理员',
  'patch-empty': () => '请修改角色或启用状态',
  'material-defined-twice': (p) => `材料代码 ${v(p.code)} 定义了两次`,
  'material-not-defined': (p) => `${v(p.code)} 不是已定义的材料`,
  'material-listed-twice': (p) => `${v(p.code)} 列了两次`,
  'commitment-over-limit': (p) =>
    `承诺时限（${v(p.days)} 个工作日）不能超过法定时限（${v(p.limit)} 个工作日）`,
  'prefix-taken': (p) => `“${v(p.prefix)}”已是另一类文书的文号前缀`,
  'file-type-twice': () => '每种文件类型只能出现一次',
  'calendar-year': (p) => `年份应在 ${v(p.from)} 至 ${v(p.to)} 之间`,
  'calendar-date': () => '应为日期，如 2026-03-02',
  'date-not-in-year': (p) => `${v(p.date)} 不在 ${v(p.year)} 年内`,
  'workday-is-holiday': (p) => `${v(p.date)} 同时被列为节假日`,
};

/** A rule's issue in Chinese, or undefined when it names no rule worded here. */
export function zhRuleMessage(params: IssueParams | undefined): string | undefined {
  const rule = params?.rule;
  if (typeof rule !== 'string' || !Object.hasOwn(zhRuleWords, rule)) return undefined;
  return zhRuleWords[rule as RuleName](params ?? {});
}
