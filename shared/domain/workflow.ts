import type { ActionName, PayloadOf } from '../schemas/actions.ts';
import type { IsoDate, WorkCalendar } from './calendar.ts';
import { startClock } from './clock.ts';
import type { WorkflowConfig } from './config.ts';
import type { DocumentKind } from './documents.ts';
import type { IssueParams } from './errors.ts';
import { hearingDates, scheduleRefusal } from './hearings.ts';
import { documentNumber } from './numbers.ts';
import type { RuleName } from './rules.ts';
import {
  type Actor,
  type ActorRole,
  type Application,
  type Changes,
  type Material,
  milestones,
  type Notice,
  type State,
  states,
  terminalStates,
} from './types.ts';

/** What an action may read besides the application and its payload. */
export interface Ctx {
  at: string;
  today: IsoDate;
  actor: Actor;
  config: WorkflowConfig;
  /** The version `config` is (submit pins it on the application). */
  configVersion: number;
  calendar: WorkCalendar;
}

/** A rule broken by the payload: the message, and the field it is about. */
export interface Refusal {
  message: string;
  path?: string;
  /** The problem type when the rule has its own (422); `rule` otherwise. */
  type?: 'conditions-differ-from-notice' | 'hearing-too-soon' | 'hearing-too-late';
  /** The rule's name and values, for a client to word it (shared/domain/rules.ts). */
  rule?: RuleName;
  params?: IssueParams;
}

/** Whether two lists of conditions say the same, in the same order (each trimmed). */
export function sameConditions(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c.trim() === b[i]?.trim());
}

/** Which of the allowed roles' holders may act: anyone, the owner, the case officer, or not the proposer. */
export type Who = 'anyone' | 'owner' | 'caseOfficer' | 'notProposer';
export type ClockEffect = 'start' | 'pause' | 'resume';

export interface ActionDef<A extends ActionName> {
  zh: string;
  en: string;
  from: readonly State[];
  /** Every state it can lead to; the first unless `target` says otherwise. */
  to: readonly [State, ...State[]];
  roles: readonly ActorRole[];
  who: Who;
  clock?: ClockEffect;
  /** A rule that does not depend on the payload: when broken, the action is not in allowedActions. */
  guard?: (app: Application, ctx: Ctx) => string | undefined;
  /** A rule about the payload. */
  check?: (app: Application, payload: PayloadOf<A>, ctx: Ctx) => Refusal | undefined;
  target?: (app: Application, payload: PayloadOf<A>) => State;
  /** The fields the action sets; `undefined` removes a field. */
  apply: (app: Application, payload: PayloadOf<A>, ctx: Ctx) => Changes;
  /** The public notice the action publishes, if any. */
  notice?: (app: Application, ctx: Ctx) => Notice | undefined;
  /**
   * The written document the act issues, if any (docs/documents.md#written-documents): numbered
   * in its series, listed in `documents`, rendered after the act (decide.ts issueDocument).
   */
  document?: (app: Application) => DocumentKind | undefined;
}

export const nonTerminalStates = states.filter((s) => !(terminalStates as readonly State[]).includes(s));
export const editableStates: readonly State[] = ['DRAFT', 'SUPPLEMENT_REQUIRED', 'REVISION_REQUIRED'];

export function missingMaterials(
  app: Pick<Application, 'category' | 'materials'>,
  config: WorkflowConfig,
): string[] {
  const present = new Set(app.materials.map((m) => m.code));
  return config.required[app.category].filter((code) => !present.has(code));
}

/** Materials with the same code are replaced; others are added. */
function mergeMaterials(current: Material[], incoming: Material[]): Material[] {
  const byCode = new Map(current.map((m) => [m.code, m]));
  for (const m of incoming) byCode.set(m.code, m);
  return [...byCode.values()];
}

function notice(kind: Notice['kind'], app: Application, ctx: Ctx, extra: Partial<Notice> = {}): Notice {
  return {
    kind,
    applicationId: app.id,
    publishedAt: ctx.at,
    publishedOn: ctx.today,
    category: app.category,
    projectName: app.project.name,
    location: app.project.location,
    industry: app.project.industry,
    orgName: app.applicant.orgName,
    ...extra,
  };
}

/** The last day of the window's completeness check (art. 32), counted from (re)submission. */
function completenessDeadline(app: Application, ctx: Ctx): IsoDate {
  return ctx.calendar.addWorkingDays(app.receivedOn ?? ctx.today, ctx.config.completenessCheckDays);
}

const afterNotice = (app: Application, ctx: Ctx): string | undefined => {
  const ends = app.proposal?.noticeEndsOn;
  if (!ends) return 'there is no proposed decision on notice';
  return ctx.today > ends ? undefined : `the proposed-decision notice period runs until ${ends}`;
};

type Definition = { [A in ActionName]: ActionDef<A> };

/** The workflow (docs/workflow.md): one declarative table that the API, the console, the README diagram and the tests read. */
export const workflow: Definition = {
  request_preview: {
    zh: '申请预审',
    en: 'Request a preview',
    from: ['DRAFT'],
    to: ['PREVIEW_REQUESTED'],
    roles: ['applicant'],
    who: 'owner',
    apply: (_app, p, ctx) => ({
      preview: { ...(p.question ? { question: p.question } : {}), requestedAt: ctx.at },
    }),
  },
  give_preview_advice: {
    zh: '预审意见',
    en: 'Give preview advice',
    from: ['PREVIEW_REQUESTED'],
    to: ['DRAFT'],
    roles: ['clerk', 'reviewer'],
    who: 'anyone',
    apply: (app, p, ctx) => ({
      preview: {
        ...(app.preview ?? { requestedAt: ctx.at }),
        advice: p.advice,
        ...(p.suggestedCategory ? { suggestedCategory: p.suggestedCategory } : {}),
        advisedBy: ctx.actor.id,
        advisedAt: ctx.at,
      },
    }),
  },
  submit: {
    zh: '提交申请',
    en: 'Submit',
    from: ['DRAFT'],
    to: ['SUBMITTED', 'FILED'],
    roles: ['applicant'],
    who: 'owner',
    guard: (app, ctx) => {
      const missing = missingMaterials(app, ctx.config);
      return missing.length ? `required materials missing: ${missing.join(', ')}` : undefined;
    },
    target: (app) => (app.category === 'REGISTRATION' ? 'FILED' : 'SUBMITTED'),
    // A registration's receiptNumber is its filing receipt's number (document).
    apply: (_app, _p, ctx) => ({ receivedOn: ctx.today, configVersion: ctx.configVersion }),
    document: (app) => (app.category === 'REGISTRATION' ? 'FILING_RECEIPT' : undefined),
    notice: (app, ctx) =>
      app.category === 'REGISTRATION'
        ? notice('FILING', app, ctx, { ...(app.receiptNumber ? { number: app.receiptNumber } : {}) })
        : undefined,
  },
  request_supplement: {
    zh: '一次性告知补正',
    en: 'Request supplement (all-in-one notice)',
    from: ['SUBMITTED'],
    to: ['SUPPLEMENT_REQUIRED'],
    roles: ['clerk'],
    who: 'anyone',
    guard: (app, ctx) => {
      if (app.supplement) return 'the all-in-one supplement notice has already been issued';
      // Art. 32: past the check period the application counts as accepted; no notice can follow.
      const deadline = completenessDeadline(app, ctx);
      return ctx.today > deadline
        ? `the completeness check ended on ${deadline}; the application is deemed accepted`
        : undefined;
    },
    check: (_app, p) => {
      const seen = new Set<string>();
      for (const [i, item] of p.items.entries()) {
        if (seen.has(item.code))
          return {
            message: `material ${item.code} is listed twice`,
            path: `items.${i}.code`,
            rule: 'item-listed-twice',
            params: { code: item.code },
          };
        seen.add(item.code);
      }
      return undefined;
    },
    apply: (_app, p, ctx) => ({
      supplement: { items: p.items, requestedAt: ctx.at, requestedBy: ctx.actor.id },
    }),
    document: () => 'SUPPLEMENT_NOTICE',
  },
  resubmit: {
    zh: '补正后重新提交',
    en: 'Resubmit',
    from: ['SUPPLEMENT_REQUIRED'],
    to: ['SUBMITTED'],
    roles: ['applicant'],
    who: 'owner',
    check: (app, p, ctx) => {
      const answered = new Set(p.materials.map((m) => m.code));
      const unanswered = (app.supplement?.items ?? [])
        .filter((i) => !answered.has(i.code))
        .map((i) => i.code);
      if (unanswered.length)
        return {
          message: `every listed item must be answered; missing: ${unanswered.join(', ')}`,
          path: 'materials',
          rule: 'items-unanswered',
          params: { codes: unanswered },
        };
      const missing = missingMaterials(
        { ...app, materials: mergeMaterials(app.materials, p.materials) },
        ctx.config,
      );
      if (missing.length)
        return {
          message: `required materials missing: ${missing.join(', ')}`,
          path: 'materials',
          rule: 'materials-missing',
          params: { codes: missing },
        };
      return undefined;
    },
    apply: (app, p, ctx) => ({
      materials: mergeMaterials(app.materials, p.materials),
      receivedOn: ctx.today,
      ...(app.supplement ? { supplement: { ...app.supplement, answeredAt: ctx.at } } : {}),
    }),
  },
  accept: {
    zh: '受理',
    en: 'Accept',
    from: ['SUBMITTED'],
    to: ['ACCEPTED'],
    roles: ['clerk', 'system'],
    who: 'anyone',
    clock: 'start',
    guard: (app, ctx) => {
      if (app.category === 'REGISTRATION') return 'a registration form is filed, not accepted';
      if (ctx.actor.role !== 'system') return undefined;
      // Deemed acceptance (art. 32): only once the window's completeness-check days have passed.
      const deadline = completenessDeadline(app, ctx);
      return ctx.today > deadline ? undefined : `the window may still check completeness until ${deadline}`;
    },
    apply: (app, _p, ctx) => {
      const category = app.category === 'REGISTRATION' ? 'REPORT_FORM' : app.category;
      const limit = ctx.config.limits[category];
      // Past the check period the law deems it accepted on receipt, whoever records the acceptance:
      // the clock counts from the receipt date, not from the day someone noticed.
      const deemed = ctx.actor.role === 'system' || ctx.today > completenessDeadline(app, ctx);
      const startedOn = deemed ? (app.receivedOn ?? ctx.today) : ctx.today;
      return {
        caseNumber: documentNumber('case', app.id, ctx.today),
        clockState: startClock({ startedOn, ...limit }),
        acceptance: {
          acceptedOn: startedOn,
          deemed,
          noticePublishedOn: ctx.today,
          commentEndsOn: ctx.calendar.addWorkingDays(ctx.today, ctx.config.commentDays[category]),
        },
      };
    },
    notice: (app, ctx) =>
      notice('ACCEPTANCE', app, ctx, {
        ...(app.caseNumber ? { number: app.caseNumber } : {}),
        ...(app.acceptance ? { endsOn: app.acceptance.commentEndsOn } : {}),
      }),
    document: () => 'ACCEPTANCE_NOTICE',
  },
  decline: {
    zh: '不予受理',
    en: 'Decline',
    from: ['SUBMITTED'],
    to: ['NOT_ACCEPTED'],
    roles: ['clerk'],
    who: 'anyone',
    // Like the supplement notice: past the check period the application counts as accepted.
    guard: (app, ctx) => {
      const deadline = completenessDeadline(app, ctx);
      return ctx.today > deadline
        ? `the completeness check ended on ${deadline}; the application is deemed accepted`
        : undefined;
    },
    apply: (_app, p) => ({ declineReason: p.reason }),
    document: () => 'NOT_ACCEPTED_DECISION',
  },
  start_review: {
    zh: '开始审查',
    en: 'Start review',
    from: ['ACCEPTED'],
    to: ['UNDER_REVIEW'],
    roles: ['reviewer'],
    who: 'anyone',
    apply: (_app, _p, ctx) => ({ caseOfficerId: ctx.actor.id }),
  },
  start_expert_review: {
    zh: '组织专家评审',
    en: 'Start expert review',
    from: ['UNDER_REVIEW'],
    to: ['EXPERT_REVIEW'],
    roles: ['reviewer'],
    who: 'caseOfficer',
    clock: 'pause',
    apply: (_app, p, ctx) => ({
      expertReview: {
        expectedWorkingDays: p.expectedWorkingDays,
        ...(p.panel ? { panel: p.panel } : {}),
        startedAt: ctx.at,
      },
    }),
  },
  record_expert_opinion: {
    zh: '记录专家意见',
    en: 'Record expert opinion',
    from: ['EXPERT_REVIEW'],
    to: ['UNDER_REVIEW'],
    roles: ['reviewer'],
    who: 'caseOfficer',
    clock: 'resume',
    apply: (app, p, ctx) => ({
      expertReview: {
        ...(app.expertReview ?? { expectedWorkingDays: 0, startedAt: ctx.at }),
        opinion: p.opinion,
        conclusion: p.conclusion,
        recordedAt: ctx.at,
        ...(p.attachments?.length ? { attachments: p.attachments } : {}),
      },
    }),
  },
  request_revision: {
    zh: '要求修改',
    en: 'Request revision',
    from: ['UNDER_REVIEW'],
    to: ['REVISION_REQUIRED'],
    roles: ['reviewer'],
    who: 'caseOfficer',
    clock: 'pause',
    apply: (_app, p, ctx) => ({
      revision: { items: p.items, requestedAt: ctx.at, requestedBy: ctx.actor.id },
    }),
  },
  submit_revision: {
    zh: '提交修改稿',
    en: 'Submit revision',
    from: ['REVISION_REQUIRED'],
    to: ['UNDER_REVIEW'],
    roles: ['applicant'],
    who: 'owner',
    clock: 'resume',
    apply: (app, p, ctx) => ({
      ...(p.materials ? { materials: mergeMaterials(app.materials, p.materials) } : {}),
      ...(app.revision ? { revision: { ...app.revision, response: p.response, respondedAt: ctx.at } } : {}),
    }),
  },
  propose_decision: {
    zh: '拟作出决定',
    en: 'Propose decision',
    from: ['UNDER_REVIEW'],
    to: ['PUBLIC_NOTICE'],
    roles: ['reviewer'],
    who: 'caseOfficer',
    check: (_app, p) =>
      p.proposal === 'reject' && !p.reasons?.length
        ? { message: 'a proposal to reject needs reasons', path: 'reasons', rule: 'reject-needs-reasons' }
        : undefined,
    apply: (_app, p, ctx) => ({
      proposal: {
        proposal: p.proposal,
        ...(p.conditions ? { conditions: p.conditions } : {}),
        ...(p.reasons ? { reasons: p.reasons } : {}),
        proposedBy: ctx.actor.id,
        proposedAt: ctx.at,
        noticeStartsOn: ctx.today,
        noticeEndsOn: ctx.calendar.addWorkingDays(ctx.today, ctx.config.proposedDecisionNoticeDays),
        hearingDeadline: ctx.calendar.addWorkingDays(ctx.today, ctx.config.hearingRequestDays),
      },
    }),
    notice: (app, ctx) =>
      notice('PROPOSED_DECISION', app, ctx, {
        ...(app.caseNumber ? { number: app.caseNumber } : {}),
        ...(app.proposal
          ? {
              endsOn: app.proposal.noticeEndsOn,
              outcome: app.proposal.proposal,
              ...(app.proposal.conditions ? { conditions: app.proposal.conditions } : {}),
              ...(app.proposal.reasons ? { reasons: app.proposal.reasons } : {}),
            }
          : {}),
      }),
  },
  approve: {
    zh: '批准',
    en: 'Approve',
    from: ['PUBLIC_NOTICE'],
    to: ['APPROVED'],
    roles: ['approver'],
    who: 'notProposer',
    guard: (app, ctx) =>
      app.proposal?.proposal !== 'approve' ? 'approval was not proposed' : afterNotice(app, ctx),
    // The approver signs the conditions that were on notice, or none other: restating them is
    // allowed, changing them needs a new proposal (return_to_review) and a new notice.
    check: (app, p) => {
      const noticed = app.proposal?.conditions ?? [];
      if (!p.conditions || sameConditions(p.conditions, noticed)) return undefined;
      return {
        type: 'conditions-differ-from-notice',
        path: 'conditions',
        message: noticed.length
          ? `the conditions must be the ${noticed.length} on the proposed-decision notice of ${app.proposal?.noticeStartsOn}, in their order; send none to approve them as noticed, or return the case to review for a new proposal`
          : `the proposed-decision notice of ${app.proposal?.noticeStartsOn} had no conditions; send none, or return the case to review for a new proposal`,
        rule: noticed.length ? 'conditions-differ' : 'conditions-none-noticed',
        params: { count: noticed.length, date: app.proposal?.noticeStartsOn ?? '' },
      };
    },
    apply: (app, _p, ctx) => {
      // The decision carries the conditions on notice (check: the payload may only restate them).
      const conditions = app.proposal?.conditions;
      // decisionNumber is the approval's number (document).
      return {
        decision: {
          outcome: 'APPROVED',
          ...(conditions ? { conditions } : {}),
          decidedBy: ctx.actor.id,
          decidedAt: ctx.at,
        },
      };
    },
    notice: (app, ctx) =>
      notice('DECISION', app, ctx, {
        outcome: 'APPROVED',
        ...(app.decisionNumber ? { number: app.decisionNumber } : {}),
        ...(app.decision?.conditions ? { conditions: app.decision.conditions } : {}),
      }),
    document: () => 'APPROVAL',
  },
  reject: {
    zh: '不予批准',
    en: 'Reject',
    from: ['PUBLIC_NOTICE'],
    to: ['REJECTED'],
    roles: ['approver'],
    who: 'notProposer',
    guard: afterNotice,
    apply: (_app, p, ctx) => ({
      decision: { outcome: 'REJECTED', reasons: p.reasons, decidedBy: ctx.actor.id, decidedAt: ctx.at },
    }),
    notice: (app, ctx) =>
      notice('DECISION', app, ctx, {
        outcome: 'REJECTED',
        ...(app.decisionNumber ? { number: app.decisionNumber } : {}),
        ...(app.decision?.reasons ? { reasons: app.decision.reasons } : {}),
      }),
    document: () => 'REJECTION',
  },
  return_to_review: {
    zh: '退回审查',
    en: 'Return to review',
    from: ['PUBLIC_NOTICE'],
    to: ['UNDER_REVIEW'],
    roles: ['approver'],
    who: 'anyone',
    apply: () => ({ proposal: undefined }),
  },
  request_hearing: {
    zh: '申请听证',
    en: 'Request a hearing',
    from: ['PUBLIC_NOTICE'],
    to: ['HEARING'],
    roles: ['applicant'],
    who: 'owner',
    clock: 'pause',
    guard: (app, ctx) => {
      // One hearing per proposed decision; a new proposal after a hearing may be heard again.
      if (app.hearing && app.proposal && app.hearing.requestedAt >= app.proposal.proposedAt) {
        return 'a hearing has already been requested on this proposed decision';
      }
      const deadline = app.proposal?.hearingDeadline;
      if (!deadline) return 'there is no proposed decision on notice';
      return ctx.today <= deadline ? undefined : `a hearing could be requested until ${deadline}`;
    },
    // The public's first request (shared/domain/hearings.ts) takes this step too, as `public`.
    apply: (_app, p, ctx) => {
      const byPublic = ctx.actor.id === 'public';
      return {
        hearing: {
          reason: p.reason,
          requestedAt: ctx.at,
          origin: byPublic ? 'public' : 'applicant',
          ...(byPublic ? { requests: 1 } : {}),
          ...hearingDates(ctx.today, ctx.calendar),
        },
      };
    },
  },
  schedule_hearing: {
    zh: '安排听证',
    en: 'Schedule the hearing',
    from: ['HEARING'],
    to: ['HEARING'],
    roles: ['reviewer'],
    who: 'caseOfficer',
    // At least 7 days ahead, and held by `hearing.holdBy`; again to move it, under the same rules.
    check: (app, p, ctx) => scheduleRefusal(app, p.at, ctx.today, ctx.calendar),
    apply: (app, p, ctx) => ({
      hearing: {
        ...(app.hearing ?? { reason: '', requestedAt: ctx.at }),
        scheduled: { at: p.at, place: p.place, scheduledAt: ctx.at, scheduledBy: ctx.actor.id },
      },
    }),
  },
  record_hearing_outcome: {
    zh: '记录听证结果',
    en: 'Record hearing outcome',
    from: ['HEARING'],
    to: ['PUBLIC_NOTICE', 'UNDER_REVIEW'],
    roles: ['reviewer'],
    who: 'caseOfficer',
    clock: 'resume',
    target: (_app, p) => p.next,
    apply: (app, p, ctx) => ({
      hearing: {
        ...(app.hearing ?? { reason: '', requestedAt: ctx.at }),
        summary: p.summary,
        next: p.next,
        recordedAt: ctx.at,
        ...(p.attachments?.length ? { attachments: p.attachments } : {}),
      },
      ...(p.next === 'UNDER_REVIEW' ? { proposal: undefined } : {}),
    }),
  },
  withdraw: {
    zh: '撤回申请',
    en: 'Withdraw',
    from: nonTerminalStates,
    to: ['WITHDRAWN'],
    roles: ['applicant'],
    who: 'owner',
    apply: (_app, p, ctx) => ({ withdrawal: { ...(p.reason ? { reason: p.reason } : {}), at: ctx.at } }),
  },
  record_milestone: {
    zh: '记录建设跟踪节点',
    en: 'Record tracking milestone',
    from: ['APPROVED'],
    to: ['APPROVED'],
    roles: ['reviewer'],
    who: 'anyone',
    guard: (app) =>
      app.milestones.length >= milestones.length ? 'every milestone has been recorded' : undefined,
    check: (app, p) => {
      const expected = milestones[app.milestones.length];
      return p.milestone === expected
        ? undefined
        : {
            message: `milestones are recorded in order; next is ${expected}`,
            path: 'milestone',
            rule: 'milestone-order',
            params: { next: expected ?? '' },
          };
    },
    apply: (app, p, ctx) => ({
      milestones: [
        ...app.milestones,
        { milestone: p.milestone, ...(p.note ? { note: p.note } : {}), at: ctx.at, by: ctx.actor.id },
      ],
    }),
  },
};

export function isActionName(name: string): name is ActionName {
  return Object.hasOwn(workflow, name);
}

export function actionDef(name: ActionName): ActionDef<ActionName> {
  return workflow[name] as unknown as ActionDef<ActionName>;
}
