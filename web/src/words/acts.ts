/** Console words for the acts part: [Chinese, English], merged into the table of web/src/i18n.ts. */
export const actsWords = {
  // --- The question before an act: what will happen, and to whom (cf_<action>) -----------------
  confirmHead: ['确定“{a}”吗？\n项目：{p}', 'Really “{a}”?\nProject: {p}'],
  confirmFoot: ['此操作不能撤销。', 'This cannot be undone.'],
  cf_request_preview: [
    '预审申请将送交窗口受理人员；在窗口给出预审意见之前，申请不能修改。',
    'The request goes to the service window; the application cannot be changed until the window gives its advice.',
  ],
  cf_give_preview_advice: [
    '申请人将收到这份预审意见，申请退回草稿由申请人修改；意见发出后不能修改。',
    'The applicant receives this advice and the application goes back to draft for them to change; the advice cannot be changed once sent.',
  ],
  cf_submit: [
    '申请将送交窗口受理人员审查材料是否齐全；提交后不能再修改，只能按补正通知补正，或撤回申请。',
    'The application goes to the service window, which checks that it is complete; once submitted it cannot be changed, only supplemented when asked, or withdrawn.',
  ],
  cf_submit_walk_in: [
    '您将代“{o}”提交这份窗口代录的申请，由窗口审查材料是否齐全；提交后不能再修改，只能按补正通知补正，或撤回申请。申请单位将收到通知。',
    'You submit this walk-in application on behalf of {o}; the service window then checks that it is complete. Once submitted it cannot be changed, only supplemented when asked, or withdrawn. The organisation is told.',
  ],
  cf_resubmit_walk_in: [
    '您将代“{o}”提交补正材料，由窗口重新审查材料是否齐全；提交后不能修改。申请单位将收到通知。',
    'You send the supplemented materials on behalf of {o}; the service window checks again that the application is complete. They cannot be changed once sent. The organisation is told.',
  ],
  cf_submit_filing: [
    '登记表将直接备案：生成备案回执并发布备案公告，公众可以看到；备案后不能修改或撤回。',
    'The registration form is filed at once: a filing receipt is issued and a public filing notice published; it cannot be changed or withdrawn afterwards.',
  ],
  cf_request_supplement: [
    '申请人将收到一次性补正通知，列明上述全部需补正的材料；一份申请只能发一次补正通知，发出后不能追加或修改。',
    'The applicant receives the all-in-one supplement notice listing every item above; only one supplement notice is allowed per application, and it cannot be added to or changed once sent.',
  ],
  cf_resubmit: [
    '补正的材料将送交窗口受理人员重新审查；提交后不能修改。',
    'The supplemented materials go back to the service window for a new completeness check; they cannot be changed once sent.',
  ],
  cf_accept: [
    '将受理本申请：生成受理编号和受理通知书，发布受理公示；申请人和审查人员将收到受理通知，审批时限开始计算。',
    'The application is accepted: a case number and an acceptance notice are issued and the acceptance published; the applicant and the reviewers are told, and the review clock starts.',
  ],
  cf_decline: [
    '将作出不予受理决定：申请人将收到不予受理决定书（含理由和救济途径），本案办结，不能恢复。',
    'The application is not accepted: the applicant receives the written decision with its reasons and remedies, and the case is closed for good.',
  ],
  cf_start_review: [
    '您将成为本案经办人，负责审查、答复公众意见、提出拟审批意见；其他审查人员不能再接手。',
    'You become the case officer: you review it, answer the public’s comments and propose the decision; no other reviewer can take it over.',
  ],
  cf_start_expert_review: [
    '将组织专家评审：申请人将收到通知，审批时限暂停，直到记录专家意见。',
    'An expert review starts: the applicant is told, and the review clock pauses until the experts’ opinion is recorded.',
  ],
  cf_record_expert_opinion: [
    '专家意见将记入本案，申请人将收到评审结束的通知，审批时限恢复计算；记录后不能修改。',
    'The opinion is recorded in the case, the applicant is told the review is over, and the review clock runs again; it cannot be changed afterwards.',
  ],
  cf_request_revision: [
    '申请人将收到修改要求，审批时限暂停，直到申请人提交修改稿；要求发出后不能修改。',
    'The applicant receives the revision request, and the review clock pauses until they send a revision; the request cannot be changed once sent.',
  ],
  cf_submit_revision: [
    '修改稿将送交本案经办人，审批时限恢复计算；提交后不能修改。',
    'The revision goes to the case officer and the review clock runs again; it cannot be changed once sent.',
  ],
  cf_propose_decision: [
    '拟审批意见将公示：申请人和审批领导将收到通知，公众可以发表意见，申请人和利害关系人可以申请听证。公示后意见不能修改，只能由审批领导退回审查。',
    'The proposed decision goes on public notice: the applicant and the approvers are told, the public may comment, and the applicant and interested parties may ask for a hearing. It cannot be changed once on notice; only an approver can return it to review.',
  ],
  cf_approve: [
    '将作出批准决定：签发批复文书并编文号，发布审批决定公告；申请人和经办人将收到通知。',
    'The approval is decided: the approval document is issued and numbered and the decision published; the applicant and the case officer are told.',
  ],
  cf_reject: [
    '将作出不予批准决定：签发不予批准决定书，发布审批决定公告；申请人（含救济途径）和经办人将收到通知。',
    'The rejection is decided: the written decision is issued and published; the applicant (with the remedies) and the case officer are told.',
  ],
  cf_return_to_review: [
    '公示中的拟审批意见将撤回，案件退回经办人重新审查；经办人须重新提出拟审批意见并再次公示。',
    'The proposed decision on notice is withdrawn and the case goes back to the case officer, who must propose again and put it on notice again.',
  ],
  cf_request_hearing: [
    '将申请听证：案件进入听证程序，审批时限暂停；本案经办人将安排听证，至少提前 7 天通知您时间和地点。每份拟审批意见只能申请一次听证。',
    'You ask for a hearing: the case enters its hearing and the review clock pauses; the case officer schedules it and tells you the time and place at least 7 days ahead. One hearing per proposed decision.',
  ],
  cf_schedule_hearing: [
    '申请人和留有电子邮箱的申请听证人将收到听证通知；通知发出后不能收回。',
    'The applicant and every requester who gave an e-mail address are told; a notice sent cannot be taken back.',
  ],
  cf_record_hearing_outcome: [
    '听证结果将记入本案，申请人将收到通知（拟审批意见维持时，审批领导也会收到），审批时限恢复计算；记录后不能修改。',
    'The outcome is recorded in the case and the applicant is told (the approvers too when the proposal stands); the review clock runs again. It cannot be changed afterwards.',
  ],
  cf_record_hearing_outcome_stands: [
    '拟审批意见维持，继续公示：听证结果将记入本案，申请人和审批领导将收到通知，审批时限恢复计算；记录后不能修改。',
    'The proposal stands and stays on notice: the outcome is recorded, the applicant and the approvers are told, and the review clock runs again. It cannot be changed afterwards.',
  ],
  cf_record_hearing_outcome_review: [
    '拟审批意见撤回，案件退回审查：听证结果将记入本案，申请人将收到通知，审批时限恢复计算；记录后不能修改。',
    'The proposal is withdrawn and the case goes back to review: the outcome is recorded, the applicant is told, and the review clock runs again. It cannot be changed afterwards.',
  ],
  cf_item: ['{i}. {m}：{r}', '{i}. {m}: {r}'],
  cf_proposal: ['拟审批意见：{v}', 'Proposal: {v}'],
  cf_withdraw: [
    '申请将撤回，本局停止办理，本案办结，不能恢复；如需再办，须重新申请。',
    'The application is withdrawn: the bureau stops work on it and the case is closed for good; to go on, apply again.',
  ],
  cf_record_milestone: [
    '跟踪节点将按顺序记入本案办理记录，申请人可以看到；记录后不能修改或删除。',
    'The milestone is recorded in the case’s trail, in order, which the applicant sees; it cannot be changed or removed afterwards.',
  ],
  respondConfirmTo: [
    '答复将记入本案办理记录，申请人在办理记录中也能看到；答复发出后不能修改或撤回。\n确定发送对这条意见的答复吗？',
    'The response becomes part of the case record, which the applicant sees too; it cannot be changed or withdrawn once sent.\nSend this response?',
  ],

  // --- After an act: what happens next, and who acts now (nx_<action>) ------------------------
  nx_request_preview: [
    '已申请预审。现在等待窗口受理人员给出预审意见，意见会通知申请人；在此之前申请不能修改。',
    'Preview requested. The service window gives its advice next, and the applicant is told; until then the application cannot be changed.',
  ],
  nx_give_preview_advice: [
    '预审意见已发出，申请退回草稿。现在由申请人按意见修改后提交；申请人将收到预审意见。',
    'Advice sent and the application is back in draft. The applicant changes it as advised and submits it; they receive the advice.',
  ],
  nx_submit: [
    '申请已提交。现在等待窗口受理人员审查材料是否齐全（最迟 {d}）；结果会通知申请人。',
    'Submitted. The service window now checks that it is complete (by {d} at the latest); the applicant is told the result.',
  ],
  nx_submit_nodate: [
    '申请已提交。现在等待窗口受理人员审查材料是否齐全；结果会通知申请人。',
    'Submitted. The service window now checks that it is complete; the applicant is told the result.',
  ],
  nx_submit_walk_in: [
    '已代“{o}”提交申请。现在由窗口审查材料是否齐全（最迟 {d}）；申请单位将收到通知和审查结果。',
    'Submitted on behalf of {o}. The service window now checks that it is complete (by {d} at the latest); the organisation is told, and told the result.',
  ],
  nx_submit_walk_in_nodate: [
    '已代“{o}”提交申请。现在由窗口审查材料是否齐全；申请单位将收到通知和审查结果。',
    'Submitted on behalf of {o}. The service window now checks that it is complete; the organisation is told, and told the result.',
  ],
  nx_resubmit_walk_in: [
    '已代“{o}”提交补正材料。现在由窗口重新审查材料是否齐全（最迟 {d}）；申请单位将收到通知。',
    'Supplemented materials sent on behalf of {o}. The service window now checks again that it is complete (by {d} at the latest); the organisation is told.',
  ],
  nx_resubmit_walk_in_nodate: [
    '已代“{o}”提交补正材料。现在由窗口重新审查材料是否齐全；申请单位将收到通知。',
    'Supplemented materials sent on behalf of {o}. The service window now checks again that it is complete; the organisation is told.',
  ],
  nx_submit_filing: [
    '已备案，备案回执编号 {n}；备案公告已发布。本案办结，无需再办理其他事项。',
    'Filed under receipt number {n}, and the filing published. The case is closed: nothing more to do.',
  ],
  nx_request_supplement: [
    '补正通知已发出。现在等待申请人一次性补正材料后重新提交；申请人将收到补正通知。',
    'Supplement notice sent. The applicant now supplies every item in one go and resubmits; they receive the notice.',
  ],
  nx_resubmit: [
    '补正材料已提交。现在等待窗口受理人员重新审查材料是否齐全（最迟 {d}）。',
    'Resubmitted. The service window now checks the application again (by {d} at the latest).',
  ],
  nx_resubmit_nodate: [
    '补正材料已提交。现在等待窗口受理人员重新审查材料是否齐全。',
    'Resubmitted. The service window now checks the application again.',
  ],
  nx_accept: [
    '已受理，受理编号 {n}。现在等待审查人员开始审查；申请人将收到受理通知，公众意见征求至 {d}。',
    'Accepted as case {n}. A reviewer starts the review next; the applicant receives the acceptance notice, and the public may comment until {d}.',
  ],
  nx_decline: [
    '已作出不予受理决定，本案办结。申请人将收到不予受理决定书。',
    'Not accepted: the case is closed. The applicant receives the written decision.',
  ],
  nx_start_review: [
    '您已成为本案经办人。现在由您审查；公众意见征求期结束、意见全部答复后，即可提出拟审批意见。',
    'You are the case officer. The review is yours now; once the comment period is over and every comment answered, you can propose the decision.',
  ],
  nx_start_expert_review: [
    '专家评审已开始，审批时限暂停。现在等待专家意见，收到后由经办人记录；申请人将收到通知。',
    'The expert review has started and the review clock is paused. The experts’ opinion comes next, for the case officer to record; the applicant is told.',
  ],
  nx_record_expert_opinion: [
    '专家意见已记录，审批时限恢复计算。现在由经办人继续审查；申请人将收到通知。',
    'Opinion recorded and the review clock runs again. The case officer goes on with the review; the applicant is told.',
  ],
  nx_request_revision: [
    '修改要求已发出，审批时限暂停。现在等待申请人提交修改稿；申请人将收到修改要求。',
    'Revision requested and the review clock is paused. The applicant sends a revision next; they receive the request.',
  ],
  nx_submit_revision: [
    '修改稿已提交，审批时限恢复计算。现在等待经办人继续审查。',
    'Revision sent and the review clock runs again. The case officer goes on with the review.',
  ],
  nx_propose_decision: [
    '拟审批意见已公示，公示期至 {d}。公示期满后由审批领导作出决定；申请人和审批领导将收到通知。',
    'The proposed decision is on notice until {d}. An approver decides once the notice ends; the applicant and the approvers are told.',
  ],
  nx_approve: [
    '已批准，批复文号 {n}，本案办结。申请人和经办人将收到通知；批复文书在下方“文书”中打开。',
    'Approved under number {n}: the case is closed. The applicant and the case officer are told; open the approval under Documents below.',
  ],
  nx_reject: [
    '已作出不予批准决定，文号 {n}，本案办结。申请人和经办人将收到通知。',
    'Rejected under number {n}: the case is closed. The applicant and the case officer are told.',
  ],
  nx_return_to_review: [
    '拟审批意见已撤回，案件退回审查。现在由经办人重新提出拟审批意见并再次公示。',
    'The proposal is withdrawn and the case is back in review. The case officer proposes again and puts it on notice again.',
  ],
  nx_request_hearing: [
    '已申请听证，审批时限暂停。现在等待经办人安排听证（最迟 {d} 前举行），至少提前 7 天通知时间和地点。',
    'Hearing requested and the review clock is paused. The case officer schedules it next (to be held by {d}) and gives at least 7 days’ notice.',
  ],
  nx_request_hearing_nodate: [
    '已申请听证，审批时限暂停。现在等待经办人安排听证，至少提前 7 天通知时间和地点。',
    'Hearing requested and the review clock is paused. The case officer schedules it next and gives at least 7 days’ notice.',
  ],
  nx_schedule_hearing: [
    '听证已安排在 {at}（北京时间），地点：{place}。申请人和留有电子邮箱的申请听证人将收到通知；听证后由经办人记录结果。',
    'The hearing is set for {at} (Beijing time) at {place}. The applicant and the requesters with an e-mail address are told; the case officer records the outcome afterwards.',
  ],
  nx_record_hearing_outcome_stands: [
    '听证结果已记录，拟审批意见维持，审批时限恢复计算。公示期满后由审批领导作出决定；申请人和审批领导将收到通知。',
    'Outcome recorded: the proposal stands and the review clock runs again. An approver decides once the notice ends; the applicant and the approvers are told.',
  ],
  nx_record_hearing_outcome_review: [
    '听证结果已记录，拟审批意见撤回，审批时限恢复计算。现在由经办人重新审查并提出拟审批意见；申请人将收到通知。',
    'Outcome recorded: the proposal is withdrawn and the review clock runs again. The case officer reviews and proposes again; the applicant is told.',
  ],
  nx_withdraw: [
    '申请已撤回，本局停止办理，本案办结。',
    'Withdrawn: the bureau has stopped work and the case is closed.',
  ],
  nx_record_milestone: ['跟踪节点已记录。下一个节点：{m}。', 'Milestone recorded. Next: {m}.'],
  nx_record_milestone_last: [
    '跟踪节点已记录，全部跟踪节点均已记录。',
    'Milestone recorded: every milestone is now recorded.',
  ],

  // --- The timeline: each kind of event in words (ev_<kind>) -----------------------------------
  ev_create: ['创建草稿', 'Draft created'],
  ev_edit: ['修改申请', 'Application edited'],
  ev_delete_draft: ['删除草稿', 'Draft deleted'],
  ev_request_preview: ['申请预审', 'Preview requested'],
  ev_give_preview_advice: ['给出预审意见', 'Preview advice given'],
  ev_submit: ['提交申请', 'Submitted'],
  ev_request_supplement: ['发出一次性补正通知', 'Supplement notice sent'],
  ev_resubmit: ['补正后重新提交', 'Resubmitted'],
  ev_accept: ['受理', 'Accepted'],
  ev_decline: ['不予受理', 'Not accepted'],
  ev_start_review: ['开始审查', 'Review started'],
  ev_start_expert_review: ['组织专家评审', 'Expert review started'],
  ev_record_expert_opinion: ['记录专家意见', 'Expert opinion recorded'],
  ev_request_revision: ['要求修改', 'Revision requested'],
  ev_submit_revision: ['提交修改稿', 'Revision sent'],
  ev_propose_decision: ['提出拟审批意见并公示', 'Decision proposed and put on notice'],
  ev_approve: ['批准', 'Approved'],
  ev_reject: ['不予批准', 'Rejected'],
  ev_return_to_review: ['退回审查', 'Returned to review'],
  ev_request_hearing: ['申请听证', 'Hearing requested'],
  ev_schedule_hearing: ['安排听证', 'Hearing scheduled'],
  ev_record_hearing_outcome: ['记录听证结果', 'Hearing outcome recorded'],
  ev_withdraw: ['撤回申请', 'Withdrawn'],
  ev_record_milestone: ['记录建设跟踪节点', 'Milestone recorded'],
  ev_receive_comment: ['收到公众意见', 'Public comment received'],
  ev_respond_to_comment: ['答复公众意见', 'Public comment answered'],
  ev_receive_hearing_request: ['收到听证申请', 'Hearing request received'],
  ev_issue_document: ['签发文书', 'Document issued'],
  ev_close_comment_period: ['公众意见征求期结束', 'Public comment period over'],
  ev_close_notice: ['拟审批公示期结束', 'Proposed-decision notice over'],
  ev_mark_due_soon: ['审批期限临近', 'Time limit near'],
  ev_mark_overdue: ['审批超期', 'Time limit passed'],
  ev_mark_expert_review_elapsed: ['专家评审预计时间已过', 'Expert review past its expected time'],
  ev_recompute_dates: ['按新的节假日安排重新计算期限', 'Dates counted again on the new calendar'],
  ev_other: ['其他办理事项', 'Another step'],

  // --- The timeline's lines ----------------------------------------------------------------------
  tl_project: ['项目：{p}（{c}）', 'Project: {p} ({c})'],
  tl_edited: ['修改了：{f}', 'Changed: {f}'],
  tl_categoryNow: ['文件类型改为{c}', 'category now {c}'],
  tl_deleted: [
    '草稿已删除，不再出现在任何列表中；这条办理记录保留。',
    'The draft is gone from every list; this record of it stays.',
  ],
  tl_question: ['咨询问题：{v}', 'Question: {v}'],
  tl_advice: ['预审意见：{v}', 'Advice: {v}'],
  tl_suggested: ['建议编制：{c}', 'Suggested: {c}'],
  tl_receivedOn: ['收件日期：{d}', 'Received on {d}'],
  tl_receipt: ['备案回执编号：{n}', 'Filing receipt number: {n}'],
  tl_supplementItem: ['需补正：{m}——{r}', 'To supply: {m}: {r}'],
  tl_materials: ['提交的材料：{m}', 'Materials sent: {m}'],
  tl_caseNumber: ['受理编号：{n}', 'Case number: {n}'],
  tl_deemed: [
    '受理审查期满未作处理，依法视为受理，审批时限自收件日起算',
    'The completeness check ran out: accepted by law, the clock counted from receipt',
  ],
  tl_clockFrom: ['审批时限自 {d} 起算', 'Review clock from {d}'],
  tl_commentUntil: ['公众意见征求至 {d}', 'Public comments until {d}'],
  tl_reason: ['理由：{v}', 'Reason: {v}'],
  tl_officer: ['{who}成为本案经办人', '{who} became the case officer'],
  tl_expertDays: ['预计 {n} 个工作日', 'Expected to take {n} working days'],
  tl_panel: ['专家组成员：{v}', 'Panel: {v}'],
  tl_clockPaused: ['审批时限暂停', 'Review clock paused'],
  tl_clockResumed: ['审批时限恢复计算', 'Review clock running again'],
  tl_conclusion: ['结论：{v}', 'Conclusion: {v}'],
  tl_opinion: ['专家意见：{v}', 'Opinion: {v}'],
  tl_attachments: ['附件：{v}', 'Attachments: {v}'],
  tl_revisionItem: ['修改要求：{t}——{d}', 'To revise: {t}: {d}'],
  tl_response: ['修改说明：{v}', 'Response: {v}'],
  tl_proposal: ['拟审批意见：{v}', 'Proposal: {v}'],
  tl_condition: ['审批条件：{v}', 'Condition: {v}'],
  tl_reasonItem: ['理由：{v}', 'Reason: {v}'],
  tl_noticeFrom: ['公示期 {a} 至 {b}', 'On notice from {a} to {b}'],
  tl_hearingUntil: ['听证申请截止 {d}', 'Hearing requests until {d}'],
  tl_decisionNumber: ['文号：{n}', 'Number: {n}'],
  tl_proposalWithdrawn: [
    '拟审批意见撤回，待重新提出并公示',
    'The proposal withdrawn, to be proposed and noticed again',
  ],
  tl_byApplicant: ['由申请人申请', 'Asked for by the applicant'],
  tl_byPublic: ['由利害关系人申请', 'Asked for by an interested party'],
  tl_holdBy: ['听证最迟 {d} 举行', 'To be held by {d}'],
  tl_scheduleBy: ['最迟 {d} 安排', 'To be scheduled by {d}'],
  tl_hearingAt: ['听证时间：{at}（北京时间）', 'Time: {at} (Beijing time)'],
  tl_hearingPlace: ['地点：{v}', 'Place: {v}'],
  tl_hearingSummary: ['听证概要：{v}', 'Summary: {v}'],
  tl_proposalStands: ['拟审批意见维持，继续公示', 'The proposal stands and stays on notice'],
  tl_proposalBack: ['拟审批意见撤回，退回审查', 'The proposal withdrawn: back to review'],
  tl_milestone: ['节点：{v}', 'Milestone: {v}'],
  tl_note: ['备注：{v}', 'Note: {v}'],
  tl_commentOn: ['针对：{v}', 'On: {v}'],
  tl_from: ['提交人：{n}', 'From: {n}'],
  tl_contact: ['联系方式：{v}', 'Contact: {v}'],
  tl_answer: ['答复：{v}', 'Response: {v}'],
  tl_requestsSoFar: ['已收到听证申请 {n} 份', '{n} hearing requests so far'],
  tl_document: ['{k}，文号 {n}', '{k}, number {n}'],
  tl_documentUnnamed: ['文书，文号 {n}', 'Document number {n}'],
  tl_commentClosed: [
    '受理公示的公众意见征求期已于 {d} 届满',
    'The public could comment on the acceptance until {d}',
  ],
  tl_noticeClosed: [
    '拟审批公示期已于 {d} 届满；审批领导现在可以作出决定',
    'The proposed decision was on notice until {d}; an approver may now decide',
  ],
  tl_dueSoon: ['审批期限临近，已提醒当前办理人', 'The time limit is near: whoever acts now was reminded'],
  tl_overdue: [
    '审批期限已届满，已通知当前办理人、经办人和审批领导',
    'The time limit has passed: whoever acts now, the case officer and the approvers were told',
  ],
  tl_expertElapsed: [
    '专家评审预计时间已过，尚未记录专家意见；已提醒经办人',
    'The expert review’s expected time has run out with no opinion recorded; the case officer was reminded',
  ],
  tl_dateMoved: ['{f}：由 {a} 改为 {b}', '{f}: from {a} to {b}'],
  tl_dateSet: ['{f}：{b}', '{f}: {b}'],
  tl_dateGone: ['{f}：不再适用（原为 {a}）', '{f}: no longer applies (was {a})'],
  tl_provisional: ['（暂定）', ' (provisional)'],
  tl_maskedPublic: ['姓名和联系方式仅本局工作人员可见', 'Name and contact are for the bureau’s staff only'],
  dl_commentEndsOn: ['公众意见征求截止', 'Public comments until'],
  dl_noticeEndsOn: ['拟审批公示截止', 'Notice ends'],
  dl_hearingDeadline: ['听证申请截止', 'Hearing requests until'],
  dl_holdBy: ['听证最迟举行日期', 'Hearing to be held by'],
  dl_scheduleBy: ['听证最迟安排日期', 'Hearing to be scheduled by'],
  dl_queueDue: ['办理期限', 'Due date'],
  listSep: ['、', ', '],
  tl_seq: ['第 {n} 条', 'No. {n}'],
  clockStopped: ['已作出决定，停止计时', 'Decided: the clock has stopped'],
} as const satisfies Record<string, readonly [string, string]>;
