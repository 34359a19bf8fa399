/**
 * Fixtures for the domain tests: callers for every role, valid request bodies, and `driveTo`, which
 * walks a fresh application through real `decide` calls to any state.
 *
 * The lists of required materials and the payloads are written out here from docs/documents.md and
 * docs/workflow.md#actions rather than read from the configuration, so that the tests do not depend
 * on what they test.
 */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { chinaCalendar, type IsoDate } from '../../../../shared/domain/calendar.ts';
import { createApplication, decide, type Step } from '../../../../shared/domain/decide.ts';
import { AppError } from '../../../../shared/domain/errors.ts';
import type {
  Application,
  Caller,
  Category,
  Material,
  State,
  UnsignedEvent,
} from '../../../../shared/domain/types.ts';
import { usccCheckChar } from '../../../../shared/domain/uscc.ts';
import type { ActionName } from '../../../../shared/schemas/actions.ts';

// ---------------------------------------------------------------------------------------------
// Organisations and callers

const ORG_PREFIX = '91430281MA4L00000';
const OTHER_ORG_PREFIX = '91430281MA4P12345';
/** The owner's organisation (醴陵市某陶瓷有限公司), a valid USCC. */
export const ORG_CODE = ORG_PREFIX + usccCheckChar(ORG_PREFIX);
/** Another applicant's organisation, also a valid USCC. */
export const OTHER_ORG_CODE = OTHER_ORG_PREFIX + usccCheckChar(OTHER_ORG_PREFIX);

export type CallerKey =
  | 'owner'
  | 'otherApplicant'
  | 'clerk'
  | 'reviewer'
  | 'otherReviewer'
  | 'approver'
  | 'auditor'
  | 'system'
  | 'reviewerApprover';

export const callers: Readonly<Record<CallerKey, Caller>> = {
  owner: { id: 'u-owner', name: '张三', roles: ['applicant'], orgCode: ORG_CODE },
  otherApplicant: { id: 'u-other', name: '李四', roles: ['applicant'], orgCode: OTHER_ORG_CODE },
  clerk: { id: 'u-clerk', name: '王窗口', roles: ['clerk'] },
  /** The reviewer who starts the review in `driveTo`, and so becomes the case officer. */
  reviewer: { id: 'u-reviewer', name: '赵审查', roles: ['reviewer'] },
  otherReviewer: { id: 'u-reviewer-2', name: '钱审查', roles: ['reviewer'] },
  approver: { id: 'u-approver', name: '孙局长', roles: ['approver'] },
  auditor: { id: 'u-auditor', name: '周审计', roles: ['auditor'] },
  system: { id: 'system', name: 'sweeper', roles: ['system'] },
  /** One person holding both reviewer and approver. */
  reviewerApprover: { id: 'u-dual', name: '吴双', roles: ['reviewer', 'approver'] },
};

// ---------------------------------------------------------------------------------------------
// Time

/** An instant given as a Beijing date and wall-clock time. */
export function at(date: IsoDate, time = '10:00'): Date {
  return new Date(`${date}T${time}:00+08:00`);
}

/** The n-th working day after `date` (for scheduling only; expected dates in tests are written out). */
export function workingDay(date: IsoDate, n: number): IsoDate {
  return chinaCalendar.addWorkingDays(date, n);
}

/** Mon 2026-03-02: no public holiday within the following four weeks. */
export const DEFAULT_START: IsoDate = '2026-03-02';

// ---------------------------------------------------------------------------------------------
// Bodies

export const REQUIRED: Readonly<Record<Category, readonly string[]>> = {
  REPORT: [
    'APPLICATION_LETTER',
    'EIA_DOCUMENT',
    'PUBLIC_VERSION',
    'PROJECT_APPROVAL',
    'LAND_USE_OPINION',
    'BUSINESS_LICENSE',
    'PUBLIC_PARTICIPATION',
  ],
  REPORT_FORM: [
    'APPLICATION_LETTER',
    'EIA_DOCUMENT',
    'PUBLIC_VERSION',
    'PROJECT_APPROVAL',
    'LAND_USE_OPINION',
    'BUSINESS_LICENSE',
  ],
  REGISTRATION: ['EIA_DOCUMENT'],
};

export function material(code: string, version = 1): Material {
  return {
    code,
    fileName: `${code.toLowerCase()}-v${version}.pdf`,
    sha256: createHash('sha256').update(`${code}:${version}`).digest('hex'),
    sizeBytes: 1024 * version,
  };
}

export interface CreateBody {
  category: Category;
  project: { name: string; location: string; industry: string; investmentCny: number; description?: string };
  applicant: { orgName: string; orgCode: string; contactName: string; contactPhone: string };
  materials: Material[];
}

/** A valid create body with every required material of `category` (or only `materials`, if given). */
export function createBody(
  category: Category,
  materials: readonly string[] = REQUIRED[category],
): CreateBody {
  return {
    category,
    project: {
      name: '醴陵市日用陶瓷窑炉技术改造项目',
      location: '湖南省株洲市醴陵市经济开发区',
      industry: '陶瓷制品制造',
      investmentCny: 12_000_000,
      description: '天然气辊道窑替换燃煤倒焰窑',
    },
    applicant: {
      orgName: '醴陵市瓷源陶瓷有限公司',
      orgCode: ORG_CODE,
      contactName: '张三',
      contactPhone: '13800138000',
    },
    materials: materials.map((code) => material(code)),
  };
}

/** A valid payload for every action, as far as it does not depend on the application. */
export const payloads: Readonly<Record<ActionName, Record<string, unknown>>> = {
  request_preview: { question: '本项目应编制报告书还是报告表？' },
  give_preview_advice: { advice: '按名录第三十条，编制报告表即可。', suggestedCategory: 'REPORT_FORM' },
  submit: {},
  request_supplement: { items: [{ code: 'PUBLIC_VERSION', reason: '公开版本未删除商业秘密' }] },
  resubmit: { materials: [material('PUBLIC_VERSION', 2)] },
  accept: {},
  decline: { reason: '不属于本局审批权限' },
  start_review: {},
  start_expert_review: { expectedWorkingDays: 10, panel: ['刘专家', '陈专家'] },
  record_expert_opinion: { opinion: '报告书基本可行，需补充大气预测。', conclusion: 'PASS_WITH_CHANGES' },
  request_revision: { items: [{ topic: '大气环境影响预测', detail: '补充非正常工况预测' }] },
  submit_revision: { response: '已补充非正常工况预测', materials: [material('EIA_DOCUMENT', 2)] },
  propose_decision: { proposal: 'approve', conditions: ['颗粒物排放浓度不超过 10 mg/m³'] },
  approve: {},
  reject: { reasons: ['选址位于饮用水水源保护区'] },
  return_to_review: { reason: '需核实公众意见' },
  request_hearing: { reason: '对审批条件有异议' },
  schedule_hearing: { at: '2026-04-01T09:30:00+08:00', place: '醴陵市生态环境局三楼会议室' },
  record_hearing_outcome: { summary: '听证会已召开，维持拟批准意见', next: 'PUBLIC_NOTICE' },
  withdraw: { reason: '项目暂缓' },
  record_milestone: { milestone: 'CONSTRUCTION_STARTED' },
};

/** A valid payload for `action` on this application (resubmit answers the notice; milestones come in order). */
export function payloadFor(action: ActionName, app: Application): Record<string, unknown> {
  if (action === 'resubmit') {
    const codes = app.supplement?.items.map((i) => i.code) ?? ['PUBLIC_VERSION'];
    return { materials: codes.map((code) => material(code, 2)) };
  }
  if (action === 'schedule_hearing') {
    // On the last day it may be held: at least 7 days ahead of any day the fixtures act on.
    return { ...payloads.schedule_hearing, at: `${app.hearing?.holdBy ?? '2026-04-01'}T09:30:00+08:00` };
  }
  if (action === 'record_milestone') {
    const order = ['CONSTRUCTION_STARTED', 'FACILITIES_COMPLETED', 'COMPLETION_ACCEPTED'];
    return { milestone: order[app.milestones.length] ?? 'COMPLETION_ACCEPTED' };
  }
  return payloads[action];
}

// ---------------------------------------------------------------------------------------------
// Trails

/** An application with the steps that made it. */
export interface Trail {
  app: Application;
  events: UnsignedEvent[];
  steps: Step[];
  /** The instant of the last step. */
  now: Date;
}

let sequence = 0;
export function newId(): string {
  sequence += 1;
  return `app-${String(sequence).padStart(5, '0')}`;
}

/** A fresh draft created by the owner. */
export function start(
  category: Category,
  opts: { on?: IsoDate; materials?: readonly string[]; id?: string } = {},
): Trail {
  const now = at(opts.on ?? DEFAULT_START, '09:00');
  const step = createApplication(createBody(category, opts.materials), callers.owner, {
    now,
    requestId: 'req-create',
    id: opts.id ?? newId(),
  });
  return { app: step.app, events: [step.event], steps: [step], now };
}

/** One more real `decide` step. */
export function act(trail: Trail, action: ActionName, caller: Caller, payload: unknown, now: Date): Trail {
  const step = decide(trail.app, action, caller, payload, {
    now,
    requestId: `req-${trail.events.length + 1}`,
  });
  return { app: step.app, events: [...trail.events, step.event], steps: [...trail.steps, step], now };
}

export interface DriveOptions {
  /** Date of creation and submission (day 0); later steps fall on the following working days. */
  on?: IsoDate;
  /** What the case officer proposes on the way to PUBLIC_NOTICE, HEARING, APPROVED or REJECTED. */
  proposal?: 'approve' | 'reject';
  /** Who starts the review and so becomes the case officer (default `reviewer`). */
  caseOfficer?: Caller;
  id?: string;
}

type Leg = [ActionName, CallerKey | 'caseOfficer', (app: Application) => unknown, number];

/**
 * Walks a fresh application to `state` through the real `decide`. Day k is the k-th working day
 * after `on`: submit on day 0, accept on day 1, start_review 2, expert review / revision 3,
 * propose 4 (notice ends on day 9), hearing 5, approve / reject on day 12.
 */
export function driveTo(state: State, category: Category = 'REPORT', opts: DriveOptions = {}): Trail {
  const on = opts.on ?? DEFAULT_START;
  const registrationStates: readonly State[] = ['DRAFT', 'PREVIEW_REQUESTED', 'FILED', 'WITHDRAWN'];
  if (category === 'REGISTRATION' && !registrationStates.includes(state)) {
    throw new Error(`a REGISTRATION form cannot reach ${state}`);
  }
  if (category !== 'REGISTRATION' && state === 'FILED') throw new Error('only a REGISTRATION form is FILED');

  const proposal = opts.proposal ?? (state === 'REJECTED' ? 'reject' : 'approve');
  const propose = () =>
    proposal === 'approve'
      ? payloads.propose_decision
      : { proposal: 'reject', reasons: ['选址位于饮用水水源保护区'] };
  const c = (): Leg[] => [
    ['submit', 'owner', () => ({}), 0],
    ['accept', 'clerk', () => ({}), 1],
    ['start_review', 'caseOfficer', () => ({}), 2],
  ];
  const toNotice = (): Leg[] => [...c(), ['propose_decision', 'caseOfficer', propose, 4]];
  const legs: Record<State, Leg[]> = {
    DRAFT: [],
    PREVIEW_REQUESTED: [['request_preview', 'owner', () => payloads.request_preview, 0]],
    SUBMITTED: [['submit', 'owner', () => ({}), 0]],
    FILED: [['submit', 'owner', () => ({}), 0]],
    SUPPLEMENT_REQUIRED: [
      ['submit', 'owner', () => ({}), 0],
      ['request_supplement', 'clerk', () => payloads.request_supplement, 1],
    ],
    NOT_ACCEPTED: [
      ['submit', 'owner', () => ({}), 0],
      ['decline', 'clerk', () => payloads.decline, 1],
    ],
    ACCEPTED: c().slice(0, 2),
    UNDER_REVIEW: c(),
    EXPERT_REVIEW: [...c(), ['start_expert_review', 'caseOfficer', () => payloads.start_expert_review, 3]],
    REVISION_REQUIRED: [...c(), ['request_revision', 'caseOfficer', () => payloads.request_revision, 3]],
    PUBLIC_NOTICE: toNotice(),
    HEARING: [...toNotice(), ['request_hearing', 'owner', () => payloads.request_hearing, 5]],
    APPROVED: [...toNotice(), ['approve', 'approver', () => ({}), 12]],
    REJECTED: [...toNotice(), ['reject', 'approver', () => payloads.reject, 12]],
    WITHDRAWN: [['withdraw', 'owner', () => payloads.withdraw, 0]],
  };

  let trail = start(category, { on, ...(opts.id ? { id: opts.id } : {}) });
  for (const [i, [action, who, payload, day]] of legs[state].entries()) {
    const caller = who === 'caseOfficer' ? (opts.caseOfficer ?? callers.reviewer) : callers[who];
    trail = act(trail, action, caller, payload(trail.app), at(workingDay(on, day), `${10 + i}:00`));
  }
  if (trail.app.state !== state) throw new Error(`driveTo(${state}) ended in ${trail.app.state}`);
  return trail;
}

// ---------------------------------------------------------------------------------------------
// Refusals

type ErrorClass = abstract new (...args: never[]) => AppError;

/** Runs `fn`, which must throw an AppError of `kind`; returns it for further checks. */
export function refusal(fn: () => unknown, kind: ErrorClass, status: number): AppError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected a refusal, but the call succeeded').toBeDefined();
  expect(thrown).toBeInstanceOf(kind);
  if (!(thrown instanceof AppError)) throw new Error('unreachable');
  expect(thrown.status).toBe(status);
  return thrown;
}

/** The paths named by a refusal's issues. */
export function paths(error: AppError): string[] {
  return (error.issues ?? []).map((i) => i.path);
}

/** Deep-freezes a value, so that a test notices any mutation of its input. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
