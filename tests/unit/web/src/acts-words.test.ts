import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../../shared/domain/config.ts';
import { stepWords } from '../../../../shared/domain/event-words.ts';
import { workflow } from '../../../../shared/domain/workflow.ts';
import { stubBrowserStorage } from '../../../support/browser-storage.ts';
import { trail } from '../../../support/trail-fixture.ts';

/**
 * The console's words around the acts (web/src/acts.ts) and in the timeline (web/src/timeline.ts):
 * every act of the workflow has its question (what will happen, to whom) and its sentence after
 * (what happens next, who acts now); every kind of event the trail can hold (the workflow's acts,
 * the sweeper's steps, the public's letters, documents, drafts) has a title, and its lines say
 * what changed in words, with no code, key or internal id in the Chinese console.
 *
 * The web sources are typed against the DOM library; they are imported by a computed path after
 * localStorage and <html lang> are stubbed (web/src/i18n.ts reads them when loaded).
 */
interface Event {
  applicationId: string;
  seq: number;
  action: string;
  actor: { id: string; role: string; name: string };
  onBehalfOf?: { orgName: string; orgCode: string };
  at: string;
  from?: string;
  to?: string;
  payload?: Record<string, unknown>;
  changes?: Record<string, unknown>;
  hash: string;
}
interface Words {
  title: string;
  change: string;
  who: string;
  lines: string[];
}
type App = Record<string, unknown> & { state: string; category: string };

let tr: (key: string, fallback?: string) => string;
let setLang: (lang: 'zh' | 'en') => void;
let eventKinds: readonly string[];
let eventWords: (e: Event, official: boolean, app?: App) => Words;
let actNames: readonly string[];
let confirmText: (
  name: string,
  actName: string,
  project: string,
  app: App,
  payload?: Record<string, unknown>,
  actor?: { role?: string },
) => string;
let afterText: (name: string, app: App, actor?: { role?: string }) => string;
let isDestructive: (name: string) => boolean;

const web = (name: string) => `../../../../web/src/${name}`;

beforeAll(async () => {
  stubBrowserStorage();
  ({ tr, setLang } = (await import(/* @vite-ignore */ web('i18n.ts'))) as {
    tr: typeof tr;
    setLang: typeof setLang;
  });
  const wf = (await import(/* @vite-ignore */ web('workflow.ts'))) as { useWorkflow(doc: unknown): void };
  // The definition GET /workflow serves: the actions' names and the configuration's materials.
  wf.useWorkflow({
    states: [],
    terminalStates: [],
    editableStates: [],
    categories: [],
    actions: Object.entries(workflow).map(([name, d]) => ({ name, zh: d.zh, en: d.en })),
    materials: defaultConfig.materials,
    required: defaultConfig.required,
  });
  ({ eventKinds, eventWords } = (await import(/* @vite-ignore */ web('timeline.ts'))) as {
    eventKinds: typeof eventKinds;
    eventWords: typeof eventWords;
  });
  ({ actNames, confirmText, afterText, isDestructive } = (await import(
    /* @vite-ignore */ web('acts.ts')
  )) as {
    actNames: typeof actNames;
    confirmText: typeof confirmText;
    afterText: typeof afterText;
    isDestructive: typeof isDestructive;
  });
});

/** Every kind of event a case's trail holds: the workflow's acts and every other step. */
const allKinds = () => [...Object.keys(workflow), ...Object.keys(stepWords)];

const has = (key: string) => tr(key, '\u0000') !== '\u0000';

/** Latin letters, left once the numbers a person reads (case, decision, receipt numbers) are taken out. */
const latin = (text: string) => text.match(/[A-Za-z]+/g) ?? [];

const CASE = '醴环受〔2026〕3号';
const DECISION = '醴环评〔2026〕7号';
const officer = { id: 'u-reviewer', role: 'reviewer', name: '李审查' };
const applicant = { id: 'u-applicant', role: 'applicant', name: '张申请' };
const clerk = { id: 'u-clerk', role: 'clerk', name: '王窗口' };
const approver = { id: 'u-approver', role: 'approver', name: '赵审批' };
const system = { id: 'system', role: 'system', name: 'Sweeper 系统' };
const publicActor = { id: 'public', role: 'system', name: 'public' };
const file = (code: string) => ({
  code,
  fileName: `${code.toLowerCase()}_v2.pdf`,
  sha256: 'a'.repeat(64),
  sizeBytes: 1024,
  uploadId: 'up-1',
  contentType: 'application/pdf',
});

/** One event of each kind, shaped as the domain writes it (ids, hashes, codes included). */
const samples: Record<string, Pick<Event, 'actor' | 'from' | 'to' | 'payload' | 'changes'>> = {
  create: {
    actor: applicant,
    to: 'DRAFT',
    payload: {
      category: 'REPORT_FORM',
      project: { name: '渌江陶瓷废料利用项目', location: '浦口镇' },
      applicant: { orgName: '某陶瓷有限公司', orgCode: '91430281MA4L000000' },
      materials: [file('EIA_DOCUMENT')],
    },
  },
  edit: {
    actor: applicant,
    from: 'DRAFT',
    to: 'DRAFT',
    payload: {
      category: 'REPORT',
      project: { name: '新名称', description: '新概况' },
      applicant: { contactPhone: '13800000000' },
      materials: [file('EIA_DOCUMENT')],
      preparedBy: { orgName: '某环评公司', orgCode: '91430281MA4L000001' },
    },
  },
  delete_draft: { actor: applicant, from: 'DRAFT', to: 'DRAFT', payload: {}, changes: { deletedAt: 'x' } },
  request_preview: {
    actor: applicant,
    from: 'DRAFT',
    to: 'PREVIEW_REQUESTED',
    payload: { question: '是否需要报告书？' },
  },
  give_preview_advice: {
    actor: clerk,
    from: 'PREVIEW_REQUESTED',
    to: 'DRAFT',
    payload: { advice: '建议编制报告表。', suggestedCategory: 'REPORT_FORM' },
  },
  submit: {
    actor: applicant,
    from: 'DRAFT',
    to: 'SUBMITTED',
    payload: {},
    changes: { receivedOn: '2026-03-02' },
  },
  request_supplement: {
    actor: clerk,
    from: 'SUBMITTED',
    to: 'SUPPLEMENT_REQUIRED',
    payload: { items: [{ code: 'EIA_DOCUMENT', reason: '缺少地下水章节。' }] },
    changes: { documents: [{ documentId: 'SUPPLEMENT_NOTICE-4', number: '醴环补〔2026〕1号' }] },
  },
  resubmit: {
    actor: applicant,
    from: 'SUPPLEMENT_REQUIRED',
    to: 'SUBMITTED',
    payload: { materials: [file('EIA_DOCUMENT')] },
  },
  accept: {
    actor: clerk,
    from: 'SUBMITTED',
    to: 'ACCEPTED',
    payload: {},
    changes: {
      caseNumber: CASE,
      clockState: { startedOn: '2026-03-03', limit: 15, dayType: 'WORKING', pauses: [] },
      acceptance: { acceptedOn: '2026-03-03', deemed: false, commentEndsOn: '2027-01-08' },
    },
  },
  decline: {
    actor: clerk,
    from: 'SUBMITTED',
    to: 'NOT_ACCEPTED',
    payload: { reason: '不属于本局审批权限。' },
  },
  start_review: {
    actor: officer,
    from: 'ACCEPTED',
    to: 'UNDER_REVIEW',
    payload: {},
    changes: { caseOfficerId: 'u-reviewer' },
  },
  start_expert_review: {
    actor: officer,
    from: 'UNDER_REVIEW',
    to: 'EXPERT_REVIEW',
    payload: { expectedWorkingDays: 10, panel: ['周专家', '吴专家'] },
  },
  record_expert_opinion: {
    actor: officer,
    from: 'EXPERT_REVIEW',
    to: 'UNDER_REVIEW',
    payload: { opinion: '同意。', conclusion: 'PASS_WITH_CHANGES', attachments: [file('EXPERT_OPINION')] },
  },
  request_revision: {
    actor: officer,
    from: 'UNDER_REVIEW',
    to: 'REVISION_REQUIRED',
    payload: { items: [{ topic: '噪声', detail: '补充厂界噪声预测。' }] },
  },
  submit_revision: {
    actor: applicant,
    from: 'REVISION_REQUIRED',
    to: 'UNDER_REVIEW',
    payload: { response: '已补充。', materials: [file('EIA_DOCUMENT')] },
  },
  propose_decision: {
    actor: officer,
    from: 'UNDER_REVIEW',
    to: 'PUBLIC_NOTICE',
    payload: { proposal: 'approve', conditions: ['废水不外排'] },
    changes: {
      proposal: {
        proposal: 'approve',
        noticeStartsOn: '2026-03-20',
        noticeEndsOn: '2026-03-26',
        hearingDeadline: '2026-03-26',
        proposedBy: 'u-reviewer',
      },
    },
  },
  approve: {
    actor: approver,
    from: 'PUBLIC_NOTICE',
    to: 'APPROVED',
    payload: {},
    changes: { decisionNumber: DECISION, decision: { outcome: 'APPROVED', conditions: ['废水不外排'] } },
  },
  reject: {
    actor: approver,
    from: 'PUBLIC_NOTICE',
    to: 'REJECTED',
    payload: { reasons: ['选址不符合规划。'] },
    changes: { decisionNumber: DECISION, decision: { outcome: 'REJECTED', reasons: ['选址不符合规划。'] } },
  },
  return_to_review: {
    actor: approver,
    from: 'PUBLIC_NOTICE',
    to: 'UNDER_REVIEW',
    payload: { reason: '条件需补充。' },
    changes: { proposal: null },
  },
  request_hearing: {
    actor: publicActor,
    from: 'PUBLIC_NOTICE',
    to: 'HEARING',
    payload: { noticeId: 'n-1', hearingRequestId: 'hr-1', name: '王建军', contact: '13907331234' },
    changes: { hearing: { origin: 'public', holdBy: '2026-04-20', scheduleBy: '2026-04-13', requests: 1 } },
  },
  schedule_hearing: {
    actor: officer,
    from: 'HEARING',
    to: 'HEARING',
    payload: { at: '2026-04-10T09:30:00+08:00', place: '局三楼会议室' },
  },
  record_hearing_outcome: {
    actor: officer,
    from: 'HEARING',
    to: 'PUBLIC_NOTICE',
    payload: { summary: '村民意见已记录。', next: 'PUBLIC_NOTICE', attachments: [file('HEARING_RECORD')] },
  },
  withdraw: { actor: applicant, from: 'UNDER_REVIEW', to: 'WITHDRAWN', payload: { reason: '项目取消。' } },
  record_milestone: {
    actor: officer,
    from: 'APPROVED',
    to: 'APPROVED',
    payload: { milestone: 'CONSTRUCTION_STARTED', note: '已开工。' },
  },
  receive_comment: {
    actor: publicActor,
    from: 'ACCEPTED',
    to: 'ACCEPTED',
    payload: {
      noticeId: 'n-1',
      noticeKind: 'ACCEPTANCE',
      commentId: 'c-1',
      name: '李晓明',
      contact: '13873300000',
    },
  },
  respond_to_comment: {
    actor: officer,
    from: 'UNDER_REVIEW',
    to: 'UNDER_REVIEW',
    payload: { commentId: 'c-1', response: '已要求补充噪声预测。' },
  },
  receive_hearing_request: {
    actor: publicActor,
    from: 'HEARING',
    to: 'HEARING',
    payload: { noticeId: 'n-1', hearingRequestId: 'hr-2', name: '刘某', contact: '13900000000' },
    changes: { hearing: { requests: 2 } },
  },
  issue_document: {
    actor: { id: 'system', role: 'system', name: 'Documents 系统' },
    from: 'APPROVED',
    to: 'APPROVED',
    payload: { documentId: 'APPROVAL-12', number: DECISION, sha256: 'b'.repeat(64), sizeBytes: 40960 },
  },
  close_comment_period: {
    actor: system,
    from: 'UNDER_REVIEW',
    to: 'UNDER_REVIEW',
    payload: {},
    changes: { acceptance: { commentEndsOn: '2026-03-10', commentClosedOn: '2026-03-11' } },
  },
  close_notice: {
    actor: system,
    from: 'PUBLIC_NOTICE',
    to: 'PUBLIC_NOTICE',
    payload: {},
    changes: { proposal: { noticeEndsOn: '2026-03-26', noticeClosedOn: '2026-03-27' } },
  },
  mark_due_soon: {
    actor: system,
    from: 'UNDER_REVIEW',
    to: 'UNDER_REVIEW',
    payload: {},
    changes: { deadlines: { dueSoonOn: '2026-03-20' } },
  },
  mark_overdue: {
    actor: system,
    from: 'UNDER_REVIEW',
    to: 'UNDER_REVIEW',
    payload: {},
    changes: { deadlines: { overdueOn: '2026-03-25' } },
  },
  mark_expert_review_elapsed: {
    actor: system,
    from: 'EXPERT_REVIEW',
    to: 'EXPERT_REVIEW',
    payload: {},
    changes: { expertReview: { elapsedOn: '2026-04-01' } },
  },
  recompute_dates: {
    actor: system,
    from: 'ACCEPTED',
    to: 'ACCEPTED',
    payload: {
      before: { commentEndsOn: '2027-01-08', queueDue: '2027-01-20', sweepOn: '2027-01-09' },
      after: { commentEndsOn: '2027-01-11', queueDue: '2027-01-21', sweepOn: '2027-01-12' },
    },
  },
};

const event = (action: string, seq = 1): Event => ({
  applicationId: 'a-1',
  seq,
  action,
  at: '2026-03-02T01:30:00.000Z',
  hash: 'h',
  ...(samples[action] ?? { actor: system }),
});

describe('the words of the acts', () => {
  it('know every act of the workflow', () => {
    expect([...actNames].sort()).toEqual(Object.keys(workflow).sort());
  });

  it.each(['zh', 'en'] as const)('has a question and a sentence after for every act, in %s', (lang) => {
    setLang(lang);
    const missing = Object.keys(workflow).flatMap((name) =>
      [`cf_${name}`, `nx_${name}`].filter((k) => !has(k) && !has(`${k}_stands`)),
    );
    expect(missing).toEqual([]);
  });

  it('says in each question what will happen and to whom', () => {
    setLang('zh');
    const app: App = { state: 'SUBMITTED', category: 'REPORT_FORM' };
    const supplement = confirmText('request_supplement', '一次性告知补正', '渌江项目', app);
    expect(supplement).toContain('确定“一次性告知补正”吗？');
    expect(supplement).toContain('项目：渌江项目');
    expect(supplement).toContain('申请人将收到一次性补正通知');
    expect(supplement).toContain('一份申请只能发一次补正通知');
    expect(confirmText('accept', '受理', 'P', app)).toContain('申请人和审查人员将收到受理通知');
    expect(confirmText('approve', '批准', 'P', app)).toContain('申请人和经办人将收到通知');
    expect(confirmText('propose_decision', '拟作出决定', 'P', app)).toContain('申请人和审批领导将收到通知');
    // A registration form is filed at once: its question says so, not the window's check.
    expect(confirmText('submit', '提交申请', 'P', { ...app, category: 'REGISTRATION' })).toContain(
      '直接备案',
    );
    expect(confirmText('submit', '提交申请', 'P', app)).toContain('送交窗口受理人员');
    // Every question names someone: the applicant, the window, the officer, the approvers, or you.
    for (const name of Object.keys(workflow)) {
      expect(confirmText(name, name, 'P', app), name).toMatch(/申请人|窗口|经办人|审批领导|审查人员|您|本局/);
      expect(latin(confirmText(name, '事项', '项目', app)), name).toEqual([]);
    }
  });

  it('names in the question what is about to be sent where it decides the outcome', () => {
    setLang('zh');
    const app: App = { state: 'SUBMITTED', category: 'REPORT_FORM' };
    const items = [
      { code: 'EIA_DOCUMENT', reason: '缺少地下水章节。' },
      { code: 'LAND_USE_OPINION', reason: '用地意见已过期。' },
    ];
    const asked = confirmText('request_supplement', '一次性告知补正', '渌江项目', app, { items }).split('\n');
    expect(asked.slice(0, 4)).toEqual([
      '确定“一次性告知补正”吗？',
      '项目：渌江项目',
      '1. 环境影响评价文件：缺少地下水章节。',
      '2. 用地预审（规划选址）意见：用地意见已过期。',
    ]);
    expect(confirmText('propose_decision', '拟作出决定', 'P', app, { proposal: 'reject' })).toContain(
      '拟审批意见：拟不予批准',
    );
    // The hearing's next step decides who is told.
    expect(
      confirmText('record_hearing_outcome', '记录听证结果', 'P', app, { next: 'PUBLIC_NOTICE' }),
    ).toContain('申请人和审批领导将收到通知');
    const back = confirmText('record_hearing_outcome', '记录听证结果', 'P', app, { next: 'UNDER_REVIEW' });
    expect(back).toContain('案件退回审查');
    expect(back).not.toContain('审批领导');
  });

  it('styles apart exactly the acts that close a case or take back what was published', () => {
    const destructive = Object.keys(workflow).filter(isDestructive).sort();
    expect(destructive).toEqual(['decline', 'reject', 'return_to_review', 'withdraw']);
  });

  it('says after an act what happens next and who acts now, from the new state', () => {
    setLang('zh');
    const accepted = afterText('accept', {
      state: 'ACCEPTED',
      category: 'REPORT_FORM',
      caseNumber: CASE,
      acceptance: { commentEndsOn: '2026-03-10' },
    });
    expect(accepted).toBe(
      `已受理，受理编号 ${CASE}。现在等待审查人员开始审查；申请人将收到受理通知，公众意见征求至 2026-03-10。`,
    );
    expect(
      afterText('submit', { state: 'FILED', category: 'REGISTRATION', receiptNumber: '醴环备〔2026〕2号' }),
    ).toContain('醴环备〔2026〕2号');
    expect(
      afterText('submit', {
        state: 'SUBMITTED',
        category: 'REPORT',
        completenessCheck: { deadline: '2026-03-09' },
      }),
    ).toContain('最迟 2026-03-09');
    // A date the API marks provisional says so in the sentence too.
    expect(
      afterText('propose_decision', {
        state: 'PUBLIC_NOTICE',
        category: 'REPORT',
        proposal: { noticeEndsOn: '2027-01-08', provisional: true, provisionalDates: ['noticeEndsOn'] },
      }),
    ).toContain('公示期至 2027-01-08（暂定）。');
    expect(afterText('record_hearing_outcome', { state: 'PUBLIC_NOTICE', category: 'REPORT' })).toContain(
      '维持',
    );
    expect(afterText('record_hearing_outcome', { state: 'UNDER_REVIEW', category: 'REPORT' })).toContain(
      '撤回',
    );
    expect(
      afterText('record_milestone', { state: 'APPROVED', category: 'REPORT', milestones: [{}] }),
    ).toContain('环保设施建成');
    expect(
      afterText('record_milestone', { state: 'APPROVED', category: 'REPORT', milestones: [{}, {}, {}] }),
    ).toContain('全部');
    expect(
      afterText('schedule_hearing', {
        state: 'HEARING',
        category: 'REPORT',
        hearing: { scheduled: { at: '2026-04-10T01:30:00.000Z', place: '三楼' } },
      }),
    ).toContain('2026-04-10 09:30');
    for (const name of Object.keys(workflow)) {
      const text = afterText(name, { state: 'UNDER_REVIEW', category: 'REPORT' });
      expect(text, name).not.toContain('办理成功');
      expect(latin(text), name).toEqual([]);
    }
  });
});

describe('a walk-in submitted by the window', () => {
  const walkIn: App = {
    state: 'DRAFT',
    category: 'REPORT_FORM',
    intake: {
      kind: 'WALK_IN',
      by: { id: 'demo-clerk', name: '王芳' },
      onBehalfOf: { orgName: '醴陵市铁河口纸业有限公司', orgCode: '91430281MA4L000110' },
    },
  };
  const clerk = { role: 'clerk' };

  it('asks the clerk, naming the organisation, and says the organisation is told', () => {
    setLang('zh');
    const asked = confirmText('submit', '提交申请', '成品仓库项目', walkIn, {}, clerk);
    expect(asked).toContain('项目：成品仓库项目');
    expect(asked).toContain('您将代“醴陵市铁河口纸业有限公司”提交');
    expect(asked).toContain('申请单位将收到通知');
    expect(asked).not.toContain('申请将送交');
    const resent = confirmText(
      'resubmit',
      '提交补正材料',
      'P',
      { ...walkIn, state: 'SUPPLEMENT_REQUIRED' },
      {},
      clerk,
    );
    expect(resent).toContain('您将代“醴陵市铁河口纸业有限公司”提交补正材料');
    setLang('en');
    expect(confirmText('submit', 'Submit', 'P', walkIn, {}, clerk)).toContain(
      'on behalf of 醴陵市铁河口纸业有限公司',
    );
  });

  it('tells the clerk afterwards what was done for the organisation and what comes next', () => {
    setLang('zh');
    const submitted = { ...walkIn, state: 'SUBMITTED', completenessCheck: { deadline: '2026-04-08' } };
    const after = afterText('submit', submitted, clerk);
    expect(after).toContain('已代“醴陵市铁河口纸业有限公司”提交申请');
    expect(after).toContain('最迟 2026-04-08');
    expect(after).toContain('申请单位将收到通知');
    expect(afterText('submit', { ...walkIn, state: 'SUBMITTED' }, clerk)).toContain(
      '由窗口审查材料是否齐全；',
    );
    expect(afterText('resubmit', submitted, clerk)).toContain('已代“醴陵市铁河口纸业有限公司”提交补正材料');
    for (const text of [after, confirmText('submit', '提交申请', '成品仓库项目', walkIn, {}, clerk)])
      expect(latin(text), text).toEqual([]);
  });

  it('speaks as before to the applicant, on an own application, and on a filed registration', () => {
    setLang('zh');
    expect(confirmText('submit', '提交申请', 'P', walkIn, {}, { role: 'applicant' })).toContain(
      '申请将送交窗口受理人员',
    );
    expect(
      confirmText('submit', '提交申请', 'P', { state: 'DRAFT', category: 'REPORT_FORM' }, {}, clerk),
    ).toContain('申请将送交窗口受理人员');
    expect(
      confirmText('submit', '提交申请', 'P', { ...walkIn, category: 'REGISTRATION' }, {}, clerk),
    ).toContain('直接备案');
    expect(afterText('submit', { ...walkIn, state: 'SUBMITTED' }, { role: 'applicant' })).toContain(
      '申请已提交',
    );
  });
});

describe('the timeline in words', () => {
  it('knows every kind of event a trail can hold', () => {
    expect(allKinds().filter((k) => !eventKinds.includes(k))).toEqual([]);
    expect(Object.keys(samples).sort()).toEqual([...eventKinds].sort());
  });

  it.each(['zh', 'en'] as const)('titles every kind of event in %s', (lang) => {
    setLang(lang);
    expect(eventKinds.filter((k) => !has(`ev_${k}`))).toEqual([]);
  });

  it.each(Object.keys(samples).map((k) => [k]))('words %s in Chinese without a code, key or id', (kind) => {
    setLang('zh');
    const words = eventWords(event(kind), true);
    expect(words.title).toBe(tr(`ev_${kind}`));
    const text = [words.title, words.change, words.who, ...words.lines].join('\n');
    expect(latin(text), text).toEqual([]);
    expect(text).not.toMatch(/[a-z]+_[a-z]+|[A-Z]{2,}_[A-Z]+|undefined|null|\[object/);
  });

  it('says what changed: each supplement item, the dates, the numbers, the public sender only to officials', () => {
    setLang('zh');
    const lines = (kind: string, official = true) => eventWords(event(kind), official).lines;
    expect(lines('request_supplement')).toEqual(['需补正：环境影响评价文件——缺少地下水章节。']);
    expect(lines('give_preview_advice')).toContain('建议编制：环境影响报告表');
    expect(lines('accept')).toEqual([
      `受理编号：${CASE}`,
      '审批时限自 2026-03-03 起算',
      '公众意见征求至 2027-01-08',
    ]);
    expect(lines('recompute_dates')).toEqual([
      '公众意见征求截止：由 2027-01-08 改为 2027-01-11',
      '办理期限：由 2027-01-20 改为 2027-01-21',
    ]);
    expect(lines('issue_document')).toEqual([`环境影响评价文件审批意见（批复），文号 ${DECISION}`]);
    expect(lines('schedule_hearing')).toContain('听证时间：2026-04-10 09:30（北京时间）');
    expect(lines('record_hearing_outcome')).toContain('拟审批意见维持，继续公示');
    expect(lines('receive_comment')).toEqual(['针对：受理公示', '提交人：李晓明', '联系方式：13873300000']);
    expect(lines('receive_comment', false)).toEqual(['针对：受理公示', '姓名和联系方式仅本局工作人员可见']);
    expect(eventWords(event('receive_comment'), true).who).toBe('公众');
    expect(eventWords(event('close_notice'), true).who).toBe('系统');
    expect(eventWords(event('start_review'), true).who).toBe('李审查（审查员）');
    expect(eventWords(event('accept'), true).change).toBe('已提交 → 已受理');
    expect(lines('edit')).toEqual([
      '修改了：文件类型（文件类型改为环境影响报告书）、项目名称、项目概况、联系电话、申报材料、编制单位名称、编制单位统一社会信用代码',
    ]);
  });

  it('marks a date the case still counts through an unpublished year as provisional', () => {
    setLang('zh');
    const app: App = {
      state: 'ACCEPTED',
      category: 'REPORT_FORM',
      acceptance: { commentEndsOn: '2027-01-08', provisional: true, provisionalDates: ['commentEndsOn'] },
    };
    expect(eventWords(event('accept'), true, app).lines).toContain('公众意见征求至 2027-01-08（暂定）');
    expect(eventWords(event('accept'), true).lines).toContain('公众意见征求至 2027-01-08');
  });

  it('words a trail the domain wrote (create, edits, submit, accept) without a code', () => {
    setLang('zh');
    for (const e of trail(2).events) {
      const words = eventWords(e as unknown as Event, true);
      const text = [words.title, words.change, ...words.lines].join('\n');
      expect(text).not.toMatch(/REPORT|[a-z]+_[a-z]+|undefined/);
    }
  });

  it('gives an unknown step a title in words, never its code', () => {
    setLang('zh');
    expect(eventWords(event('some_future_step'), true).title).toBe('其他办理事项');
    setLang('en');
    expect(eventWords(event('accept'), true).lines[0]).toBe(`Case number: ${CASE}`);
  });
});
