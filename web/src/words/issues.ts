/**
 * Console words for the API's rules and problems: [Chinese, English], merged into the table of
 * web/src/i18n.ts. `rule_<name>`: a field issue with `code: 'custom'` and `params.rule`
 * (shared/domain/rules.ts), worded by web/src/issues.ts with its values: {materials} and
 * {material} are material names, {file} a material with its file name, {type} a file type, {m}
 * a milestone, dates as they are. `problem_<type>`: a refusal without issues to fix (the types
 * of shared/http/openapi-problems.ts not worded in i18n.ts itself).
 */
export const issueRuleWords = {
  'rule_materials-missing': [
    '缺少必需的申报材料：{materials}。',
    'Required materials are missing: {materials}.',
  ],
  'rule_items-unanswered': [
    '补正通知所列各项都须补交，尚缺：{materials}。',
    'Every item of the supplement notice must be answered; still missing: {materials}.',
  ],
  'rule_item-listed-twice': [
    '“{material}”列了两次，每项材料只列一次。',
    '“{material}” is listed twice: list each material once.',
  ],
  'rule_unknown-material': [
    '不是本申请可用的材料，请重新选择。',
    'Not a material of this application: choose another.',
  ],
  'rule_material-once': [
    '每种材料只能上传一份，请删去重复的一项。',
    'Each material may appear once: remove the repeated one.',
  ],
  'rule_file-attached-once': [
    '同一文件只能附一次，请删去重复的附件。',
    'Each file may be attached once: remove the repeated one.',
  ],
  'rule_reject-needs-reasons': ['拟不予批准的，请写明理由。', 'A proposal to reject needs its reasons.'],
  'rule_conditions-differ': [
    '批准条件须与 {date} 拟批准公示的 {count} 项条件一致、顺序相同。不填即按公示的条件批准；如需改动，请退回审查重新拟定。',
    'The conditions must be the {count} on the proposed-decision notice of {date}, in their order. Leave them empty to approve them as noticed, or return the case to review for a new proposal.',
  ],
  'rule_conditions-none-noticed': [
    '{date} 的拟批准公示没有列出条件。请不填条件；如需附条件，请退回审查重新拟定。',
    'The proposed-decision notice of {date} had no conditions. Leave them empty, or return the case to review for a new proposal.',
  ],
  'rule_milestone-order': [
    '建设节点须按顺序记录，下一个是“{m}”。',
    'Milestones are recorded in order; next is “{m}”.',
  ],
  'rule_facts-frozen': [
    '{date} 受理公告发布后，此项不能再更改。',
    'This cannot change after the acceptance notice of {date}.',
  ],
  'rule_own-org': [
    '须为本单位的统一社会信用代码（{orgCode}）。',
    'Must be your own organisation’s code ({orgCode}).',
  ],
  'rule_walk-in-org': [
    '须与窗口登记的单位一致（统一社会信用代码 {orgCode}）。',
    'Must be the organisation at the window (code {orgCode}).',
  ],
  'rule_org-fixed': ['提交后不能更改建设单位。', 'The organisation cannot change after submission.'],
  'rule_category-fixed': ['文件类型只能在草稿阶段更改。', 'The category can be changed only in a draft.'],
  'rule_nothing-to-change': ['没有要保存的更改。', 'There is nothing to save.'],
  'rule_comment-period-open': [
    '受理公告的公众意见期到 {until} 为止，请从次日起再拟定审批意见。',
    'The public may comment on the acceptance notice until {until}: propose from the next day.',
  ],
  'rule_comments-unanswered': [
    '还有 {count} 条公众意见未答复，请逐条答复后再拟定审批意见。',
    '{count} public comment(s) have no response yet: answer each before proposing.',
  ],
  'rule_comments-unanswered-decision': [
    '还有 {count} 条公众意见未答复，须由经办人逐条答复后再作决定。',
    '{count} public comment(s) have no response yet: the case officer answers each before the decision.',
  ],
  'rule_hearing-too-soon': [
    '须至少提前 {days} 天通知参加人，请定在 {earliest} 或之后。',
    'Those taking part must be told at least {days} days ahead: hold it on {earliest} or later.',
  ],
  'rule_hearing-too-late': ['听证须在 {holdBy} 前举行。', 'The hearing must be held by {holdBy}.'],
  'rule_upload-unknown': [
    '{file}与上传时登记的不符，请重新上传。',
    '{file} is not the file that was uploaded: upload it again.',
  ],
  'rule_bytes-missing': [
    '{file}没有上传完成，请重新上传。',
    '{file} was not fully uploaded: upload it again.',
  ],
  'rule_size-differs': [
    '{file}的大小与登记不符，请重新上传。',
    '{file} does not have the size declared: upload it again.',
  ],
  'rule_sha-differs': [
    '{file}的内容与登记不符，请重新上传。',
    '{file} is not the content declared: upload it again.',
  ],
  'rule_type-mismatch': [
    '{file}的扩展名表明是{claimed}，但内容不是，请上传正确的文件。',
    '{file} is named as {claimed} but its content is not: upload the right file.',
  ],
  'rule_no-file-type': [
    '{file}的扩展名不是可接收的文件类型。',
    '{file} does not have the extension of an accepted file type.',
  ],
  'rule_type-not-taken': ['{file}是{type}，目前不接收此类文件。', '{file} is {type}, a type not taken now.'],
  'rule_scan-pending': [
    '{file}的病毒扫描尚未完成，请稍后再办理。',
    'The malware scan of {file} has not finished: try again later.',
  ],
  'rule_scan-infected': [
    '{file}经扫描发现病毒，须由申请人更换。',
    'The malware scan found {file} infected: the applicant must replace it.',
  ],
  'rule_file-name-path': [
    '文件名不能含 / 或 \\、控制字符或方向字符。',
    'A file name may not hold / or \\, control or direction characters.',
  ],
  'rule_file-name-space': ['文件名首尾不能有空格。', 'A file name may not start or end with a space.'],
  'rule_file-name-dots': ['不是有效的文件名。', 'Not a file name.'],
  'rule_broken-char': [
    '含有无法保存的字符，请删去后重新输入。',
    'It holds a broken character: delete it and type it again.',
  ],
  'rule_control-chars': ['不能含控制字符。', 'It may not hold control characters.'],
  'rule_single-line': ['只能填一行，不能含换行或制表符。', 'It must be one line: no line breaks or tabs.'],
  'rule_bidi-chars': [
    '不能含改变文字方向的隐藏字符。',
    'It may not hold hidden characters that change the direction of the text.',
  ],
  rule_json: [
    '页面发送的内容无法读取，请刷新页面后重试。',
    'What the page sent could not be read: reload the page and try again.',
  ],
  'rule_json-object': [
    '页面发送的内容无法读取，请刷新页面后重试。',
    'What the page sent could not be read: reload the page and try again.',
  ],
  'rule_json-number': ['数字超出范围。', 'The number is out of range.'],
  'rule_json-depth': [
    '内容层级过多，请刷新页面后重试。',
    'The content nests too deeply: reload the page and try again.',
  ],
  'rule_idempotency-key': ['页面已过期，请刷新后重试。', 'The page is out of date: reload it and try again.'],
  'rule_idempotency-key-reused': [
    '此表单已经提交过，请刷新页面查看结果；如需再办一件，请重新打开表单。',
    'This form was already sent: reload the page to see the result, or open the form again for another.',
  ],
  'rule_if-match': ['页面已过期，请刷新后重试。', 'The page is out of date: reload it and try again.'],
  rule_cursor: [
    '翻页位置已失效，请从第一页重新查看。',
    'The paging position has expired: start again from the first page.',
  ],
  'rule_query-date': ['应为日期，如 2026-03-02。', 'Must be a date, such as 2026-03-02.'],
  'rule_query-instant': [
    '应为日期（如 2026-03-02）或日期时间。',
    'Must be a date (such as 2026-03-02) or a date and time.',
  ],
  'rule_query-empty': ['请填写要查找的内容。', 'Type what to look for.'],
  'rule_query-too-long': ['最多 {max} 个字符。', 'At most {max} characters.'],
  'rule_from-after-to': ['开始日期不能晚于结束日期。', 'The start may not be after the end.'],
  'rule_period-too-long': ['时间段最长 {max} 天。', 'The period may span at most {max} days.'],
  'rule_limit-range': ['每页条数应为 1 到 {max}。', 'The page size must be from 1 to {max}.'],
  'rule_ids-or-all': [
    '请选择要标为已读的消息，或全部标为已读。',
    'Choose the messages to mark read, or mark them all.',
  ],
  'rule_inbox-id': [
    '找不到这条消息，请刷新页面后重试。',
    'That message is not found: reload the page and try again.',
  ],
  'rule_email-taken': ['该电子邮件地址已有账号。', 'That e-mail address already has an account.'],
  'rule_directory-refused': [
    '用户目录不接受此值，请检查。',
    'The user directory refused this value: check it.',
  ],
  'rule_group-once': ['每个角色只能选一次。', 'Each role may be chosen once.'],
  'rule_applicant-not-official': [
    '申请人角色不能与窗口、审查、审批角色同时持有。',
    'The applicant role cannot be held together with the window’s, reviewer’s or approver’s.',
  ],
  'rule_applicant-needs-org': [
    '申请人账号须有其单位的统一社会信用代码，请以申请人身份重新邀请。',
    'An applicant’s account needs its organisation’s code: invite it as an applicant.',
  ],
  'rule_own-account': [
    '不能更改自己的账号，请由其他管理员办理。',
    'You cannot change your own account: ask another admin.',
  ],
  'rule_last-admin': [
    '这样将没有可用的管理员，请先指定另一位（已登录过的）管理员。',
    'This would leave no admin: make someone else (who has signed in) an admin first.',
  ],
  'rule_patch-empty': ['请修改角色或启用状态。', 'Change the roles, the status or both.'],
  'rule_material-defined-twice': ['此材料代码定义了两次。', 'This material code is defined twice.'],
  'rule_material-not-defined': ['不是已定义的材料。', 'Not a defined material.'],
  'rule_material-listed-twice': ['此材料列了两次。', 'This material is listed twice.'],
  'rule_commitment-over-limit': [
    '承诺时限（{days} 个工作日）不能超过法定时限（{limit} 个工作日）。',
    'The commitment ({days} working days) may not exceed the statutory limit ({limit}).',
  ],
  'rule_prefix-taken': [
    '“{prefix}”已是另一类文书的文号前缀。',
    '“{prefix}” is already the prefix of another series.',
  ],
  'rule_file-type-twice': ['每种文件类型只能出现一次。', 'Each file type may appear once.'],
  'rule_calendar-year': ['年份应在 {from} 至 {to} 之间。', 'The year must be from {from} to {to}.'],
  'rule_calendar-date': ['应为日期，如 2026-03-02。', 'Must be a date, such as 2026-03-02.'],
  'rule_date-not-in-year': ['{date} 不在 {year} 年内。', '{date} is not in {year}.'],
  'rule_workday-is-holiday': ['{date} 同时被列为节假日。', '{date} is also listed as a holiday.'],
} as const satisfies Record<string, readonly [string, string]>;

/** Fields that only rules name (the walk-in's organisation). */
export const issueFieldWords = {
  'onBehalfOf.orgName': ['窗口登记单位名称', 'Organisation at the window'],
  'onBehalfOf.orgCode': ['窗口登记单位的统一社会信用代码', 'Code of the organisation at the window'],
} as const satisfies Record<string, readonly [string, string]>;

/** A file type in words, as a rule's {type} or {claimed}. */
export const fileTypeWords = {
  fileType_PDF: ['PDF 文档', 'a PDF document'],
  fileType_OFD: ['OFD 版式文档', 'an OFD document'],
  fileType_DOC: ['Word 97-2003 文档', 'a Word 97-2003 document'],
  fileType_DOCX: ['Word 文档', 'a Word document'],
  fileType_XLS: ['Excel 97-2003 工作簿', 'an Excel 97-2003 workbook'],
  fileType_XLSX: ['Excel 工作簿', 'an Excel workbook'],
  fileType_JPEG: ['JPEG 图片', 'a JPEG image'],
  fileType_PNG: ['PNG 图片', 'a PNG image'],
  fileType_ZIP: ['ZIP 压缩包', 'a ZIP archive'],
} as const satisfies Record<string, readonly [string, string]>;

/** A sentence for each refusal the API may answer that i18n.ts does not word itself. */
export const issueProblemWords = {
  problem_unauthorized: ['登录已过期，请重新登录。', 'Your sign-in has expired: sign in again.'],
  'problem_no-organisation': [
    '您的账号没有登记单位（统一社会信用代码），请联系管理员。',
    'Your account has no organisation code: ask an admin.',
  ],
  'problem_separation-of-duties': [
    '拟定审批意见的人不能对同一案件作出决定，请由另一位审批人办理。',
    'Whoever proposed the decision cannot decide on it: another approver must.',
  ],
  'problem_conflict-of-interest': [
    '这是您本人或本单位的申请，按回避规定您不能办理或查看，请由其他工作人员办理。',
    'This application is your own or your organisation’s: by the conflict-of-interest rule, another official must act on it.',
  ],
  'problem_body-too-large': [
    '填写的内容太长，请删减后再提交。',
    'What was entered is too long: shorten it and send it again.',
  ],
  'problem_not-json': [
    '页面发送的内容无法读取，请刷新页面后重试。',
    'What the page sent could not be read: reload the page and try again.',
  ],
  problem_rule: [
    '此事项现在不能办理，请刷新页面查看案件的当前情况。',
    'This cannot be done now: reload the page to see where the case stands.',
  ],
  'problem_org-mismatch': [
    '统一社会信用代码与您的单位不符。',
    'The organisation’s code is not that of your organisation.',
  ],
  'problem_facts-frozen': [
    '受理公告发布后，项目基本情况和建设单位不能再更改。',
    'After the acceptance notice the project’s facts and the organisation no longer change.',
  ],
  'problem_conditions-differ-from-notice': [
    '批准条件须与拟批准公示的条件一致；如需改动，请退回审查重新拟定。',
    'The conditions must be those on the proposed-decision notice; to change them, return the case to review.',
  ],
  'problem_idempotency-key-reused': [
    '此表单已经提交过，请刷新页面查看结果。',
    'This form was already sent: reload the page to see the result.',
  ],
  'problem_too-large': [
    '此申请的内容已达保存上限，请精简文字后再提交。',
    'The application has grown as large as can be kept: shorten the texts and try again.',
  ],
  'problem_email-taken': ['该电子邮件地址已有账号。', 'That e-mail address already has an account.'],
  'problem_own-roles': [
    '不能更改自己的账号，请由其他管理员办理。',
    'You cannot change your own account: ask another admin.',
  ],
  'problem_last-admin': [
    '这样将没有可用的管理员，请先指定另一位管理员。',
    'This would leave no admin: make someone else an admin first.',
  ],
  'problem_invalid-config': ['配置有误，请按提示更正。', 'The configuration breaks a rule: see the notes.'],
  'problem_too-many-uploads': [
    '此申请上传的文件已达上限，无法再上传。请联系窗口。',
    'This application has as many uploads as one may have: ask the window.',
  ],
  problem_unavailable: ['系统繁忙，请稍后再试。', 'The service is busy: try again in a moment.'],
  problem_internal: [
    '系统出错，请稍后再试；如仍不行，请联系窗口。',
    'Something went wrong: try again later, or ask the window.',
  ],
} as const satisfies Record<string, readonly [string, string]>;

export const issuesWords = { ...issueRuleWords, ...issueFieldWords, ...fileTypeWords, ...issueProblemWords };
