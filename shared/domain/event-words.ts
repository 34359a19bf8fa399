import type { ActorRole, State } from './types.ts';
import { isActionName, workflow } from './workflow.ts';

/** A language a person reads an export in. */
export type Lang = 'zh' | 'en';

/** The states in words, as the console names them. */
export const stateWords: Record<State, { zh: string; en: string }> = {
  DRAFT: { zh: '草稿', en: 'Draft' },
  PREVIEW_REQUESTED: { zh: '预审中', en: 'Preview requested' },
  SUBMITTED: { zh: '已提交', en: 'Submitted' },
  SUPPLEMENT_REQUIRED: { zh: '待补正', en: 'Supplement required' },
  ACCEPTED: { zh: '已受理', en: 'Accepted' },
  UNDER_REVIEW: { zh: '审查中', en: 'Under review' },
  EXPERT_REVIEW: { zh: '专家评审', en: 'Expert review' },
  REVISION_REQUIRED: { zh: '待修改', en: 'Revision required' },
  PUBLIC_NOTICE: { zh: '拟审批公示', en: 'Public notice' },
  HEARING: { zh: '听证', en: 'Hearing' },
  APPROVED: { zh: '批准', en: 'Approved' },
  REJECTED: { zh: '不予批准', en: 'Rejected' },
  NOT_ACCEPTED: { zh: '不予受理', en: 'Not accepted' },
  WITHDRAWN: { zh: '已撤回', en: 'Withdrawn' },
  FILED: { zh: '已备案', en: 'Filed' },
};

/** The roles in words; the public (an actor of the system role with id `public`) apart. */
export const roleWords: Record<ActorRole | 'public', { zh: string; en: string }> = {
  applicant: { zh: '申请人', en: 'Applicant' },
  clerk: { zh: '窗口受理', en: 'Clerk' },
  reviewer: { zh: '审查员', en: 'Reviewer' },
  approver: { zh: '审批领导', en: 'Approver' },
  auditor: { zh: '审计员', en: 'Auditor' },
  admin: { zh: '系统管理员', en: 'Administrator' },
  system: { zh: '系统', en: 'System' },
  public: { zh: '公众', en: 'Public' },
};

/** Steps of a trail that are no action of the workflow: drafts, the public's letters, documents, the sweeper. */
export const stepWords: Record<string, { zh: string; en: string }> = {
  create: { zh: '创建草稿', en: 'Draft created' },
  edit: { zh: '修改申请', en: 'Edited' },
  delete_draft: { zh: '删除草稿', en: 'Draft deleted' },
  receive_comment: { zh: '收到公众意见', en: 'Public comment received' },
  respond_to_comment: { zh: '答复公众意见', en: 'Public comment answered' },
  receive_hearing_request: { zh: '收到听证申请', en: 'Hearing request received' },
  issue_document: { zh: '签发文书', en: 'Document issued' },
  close_comment_period: { zh: '公众意见征求期结束', en: 'Public comment period closed' },
  close_notice: { zh: '拟审批公示期结束', en: 'Proposed-decision notice closed' },
  mark_due_soon: { zh: '审批期限临近', en: 'Deadline near' },
  mark_overdue: { zh: '审批超期', en: 'Deadline passed' },
  mark_expert_review_elapsed: { zh: '专家评审预计时间已过', en: 'Expert review time elapsed' },
  recompute_dates: { zh: '重新计算期限', en: 'Dates recomputed' },
};

/** An event's action in words: the workflow's name for it, a trail step's, or the code itself. */
export function actionWord(action: string, lang: Lang): string {
  if (isActionName(action)) return workflow[action][lang];
  return stepWords[action]?.[lang] ?? action;
}

/** A state in words (an unknown code stays as it is; no state is an empty cell). */
export function stateWord(state: string | null, lang: Lang): string {
  if (state === null) return '';
  return (stateWords as Record<string, { zh: string; en: string } | undefined>)[state]?.[lang] ?? state;
}

/** Who acted, by role, in words: the public as 公众 / Public. */
export function roleWord(actor: { id: string; role: string }, lang: Lang): string {
  const key = actor.id === 'public' ? 'public' : actor.role;
  return (roleWords as Record<string, { zh: string; en: string } | undefined>)[key]?.[lang] ?? actor.role;
}

/** An instant as Beijing wall time, `2026-03-02 09:30:00` (UTC+8 all year; no daylight saving). */
export function beijingTime(instant: string): string {
  const ms = new Date(instant).getTime();
  if (Number.isNaN(ms)) return instant;
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}
