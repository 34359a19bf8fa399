import type { ClockState, IsoDate } from './clock.ts';
import type { DocumentRef } from './documents.ts';

export const states = [
  'DRAFT',
  'PREVIEW_REQUESTED',
  'SUBMITTED',
  'SUPPLEMENT_REQUIRED',
  'ACCEPTED',
  'UNDER_REVIEW',
  'EXPERT_REVIEW',
  'REVISION_REQUIRED',
  'PUBLIC_NOTICE',
  'HEARING',
  'APPROVED',
  'REJECTED',
  'NOT_ACCEPTED',
  'WITHDRAWN',
  'FILED',
] as const;
export type State = (typeof states)[number];

export const terminalStates = [
  'APPROVED',
  'REJECTED',
  'NOT_ACCEPTED',
  'WITHDRAWN',
  'FILED',
] as const satisfies readonly State[];

/**
 * Submitted and not yet decided: the states an application can have a counted date in (a draft or
 * a preview request has none). The sweeper reads these, one state-index Query each, never a Scan.
 */
export const openStates: readonly State[] = states.filter(
  (s) => s !== 'DRAFT' && s !== 'PREVIEW_REQUESTED' && !(terminalStates as readonly State[]).includes(s),
);

export const categories = ['REPORT', 'REPORT_FORM', 'REGISTRATION'] as const;
export type Category = (typeof categories)[number];

export const roles = ['applicant', 'clerk', 'reviewer', 'approver', 'auditor', 'admin'] as const;
export type Role = (typeof roles)[number];
export type ActorRole = Role | 'system';
export const officialRoles = ['clerk', 'reviewer', 'approver'] as const satisfies readonly Role[];

/** Who is calling: from the token's claims (or the sweeper, as `system`). */
export interface Caller {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly ActorRole[];
  readonly orgCode?: string;
}

/** Who did it, as recorded in an event: the role under which the caller acted. */
export interface Actor {
  id: string;
  role: ActorRole;
  name: string;
}

export interface Material {
  code: string;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  /** The upload that carries its bytes (POST /applications/{id}/uploads); absent before files were stored. */
  uploadId?: string | undefined;
  /** As declared at upload. */
  contentType?: string | undefined;
}

export interface Project {
  name: string;
  location: string;
  industry: string;
  investmentCny: number;
  description?: string | undefined;
}

export interface ApplicantOrg {
  orgName: string;
  orgCode: string;
  contactName: string;
  contactPhone: string;
}

/** An organisation named by its Unified Social Credit Code (walk-in intake, the consultancy). */
export interface OrgRef {
  orgName: string;
  orgCode: string;
}

/**
 * How the application came in, when not from the owner's own account: a walk-in (窗口代录), typed
 * in by a clerk for an organisation that came to the window with paper. That organisation owns
 * it (docs/roles.md#walk-in-intake); `by` is the clerk who took it in.
 */
export interface Intake {
  kind: 'WALK_IN';
  by: { id: string; name: string };
  onBehalfOf: OrgRef;
}

export const milestones = ['CONSTRUCTION_STARTED', 'FACILITIES_COMPLETED', 'COMPLETION_ACCEPTED'] as const;
export type Milestone = (typeof milestones)[number];

/** The application as stored. The API view adds `clock` (computed for today) and `allowedActions`. */
export interface Application {
  id: string;
  state: State;
  category: Category;
  version: number;
  caseNumber?: string;
  decisionNumber?: string;
  receiptNumber?: string;
  project: Project;
  applicant: ApplicantOrg;
  /** Who created it (their `sub`). For a walk-in that is the clerk; the owner is `intake.onBehalfOf`. */
  ownerId: string;
  intake?: Intake;
  /** The consultancy (环评单位) that prepared the documents, if named. */
  preparedBy?: OrgRef;
  /**
   * The configuration version whose rules it follows (GET /admin/config), set at creation and
   * pinned at submission; absent on applications from before versions: the seed, 1.
   */
  configVersion?: number;
  materials: Material[];
  caseOfficerId?: string;
  /** Date of (re)submission: the completeness check and deemed acceptance count from it. */
  receivedOn?: IsoDate;
  clockState?: ClockState;
  preview?: {
    question?: string;
    requestedAt: string;
    advice?: string;
    suggestedCategory?: Category;
    advisedBy?: string;
    advisedAt?: string;
  };
  supplement?: {
    items: { code: string; reason: string }[];
    requestedAt: string;
    requestedBy: string;
    answeredAt?: string;
  };
  acceptance?: {
    acceptedOn: IsoDate;
    deemed: boolean;
    noticePublishedOn: IsoDate;
    commentEndsOn: IsoDate;
    /** Set by the sweeper once the public comment period is over. */
    commentClosedOn?: IsoDate;
  };
  /** The public's comments on its notices: how many came in, how many the case officer answered. */
  comments?: {
    received: number;
    answered: number;
    /** How many came in on each of its notices, by noticeId (shared/domain/comments.ts receiveComment). */
    byNotice?: Record<string, number>;
  };
  /** Set by the sweeper, once each: the review clock reached DUE_SOON, then OVERDUE. */
  deadlines?: { dueSoonOn?: IsoDate; overdueOn?: IsoDate };
  expertReview?: {
    expectedWorkingDays: number;
    panel?: string[];
    startedAt: string;
    opinion?: string;
    conclusion?: string;
    recordedAt?: string;
    /** The panel's opinion as files (code EXPERT_OPINION), uploaded by the case officer. */
    attachments?: Material[];
    /** Set by the sweeper, once per review: its expected working days ran out before an opinion was recorded. */
    elapsedOn?: IsoDate;
  };
  revision?: {
    items: { topic: string; detail: string }[];
    requestedAt: string;
    requestedBy: string;
    response?: string;
    respondedAt?: string;
  };
  proposal?: {
    proposal: 'approve' | 'reject';
    conditions?: string[];
    reasons?: string[];
    proposedBy: string;
    proposedAt: string;
    noticeStartsOn: IsoDate;
    noticeEndsOn: IsoDate;
    hearingDeadline: IsoDate;
    /** Set by the sweeper once the notice period is over: the approver may now decide. */
    noticeClosedOn?: IsoDate;
  };
  hearing?: {
    /** The applicant's reason; '' when an interested party asked first (their reason is on their request). */
    reason: string;
    /** When the first request came in (the applicant's, or an interested party's). */
    requestedAt: string;
    /** Who asked first: the applicant (`request_hearing`) or an interested party (the public route). */
    origin?: 'applicant' | 'public';
    /** Interested parties' requests so far (shared/domain/hearings.ts). */
    requests?: number;
    /** The last day the hearing may be held: the first request's day + 20 working days (Administrative Licensing Law art. 47). */
    holdBy?: IsoDate;
    /** The last day it can be scheduled with 7 calendar days' notice: `holdBy` − 7 calendar days. */
    scheduleBy?: IsoDate;
    /** When and where it is held (`schedule_hearing`, the last one counts). */
    scheduled?: {
      /** ISO date-time with its offset. */
      at: string;
      place: string;
      scheduledAt: string;
      scheduledBy: string;
    };
    summary?: string;
    next?: State;
    recordedAt?: string;
    /** The hearing's record as files (code HEARING_RECORD), uploaded by the case officer. */
    attachments?: Material[];
  };
  decision?: {
    outcome: 'APPROVED' | 'REJECTED';
    conditions?: string[];
    reasons?: string[];
    decidedBy: string;
    decidedAt: string;
  };
  declineReason?: string;
  withdrawal?: { reason?: string; at: string };
  /**
   * When its owner deleted it as a draft never submitted (DELETE /applications/{id}): off every
   * list, 404 to everyone; its trail, ending in `delete_draft`, stays for the auditor.
   */
  deletedAt?: string;
  milestones: { milestone: Milestone; note?: string; at: string; by: string }[];
  /**
   * The officials who acted on it, in the order they first did (noted by each step,
   * shared/domain/find.ts withActingOfficial): it is found by their names (GET /applications?q=).
   */
  officials?: { id: string; name: string; role: (typeof officialRoles)[number] }[];
  /** The written documents issued on it, oldest first (docs/documents.md#written-documents). */
  documents?: DocumentRef[];
  createdAt: string;
  updatedAt: string;
}

export type EventAction = string;

/** The fields one step sets; `undefined` removes a field. */
export type Changes = { [K in keyof Application]?: Application[K] | undefined };

/** One audit event (docs/audit.md#events). `changes` holds every field the step set (null: removed), so a replay needs nothing else. */
export interface AuditEvent {
  applicationId: string;
  seq: number;
  action: EventAction;
  actor: Actor;
  /** The organisation the actor acted for: a clerk on a walk-in application. */
  onBehalfOf?: OrgRef;
  at: string;
  from: State | null;
  to: State;
  payload: unknown;
  changes: Record<string, unknown>;
  requestId: string;
  prevHash: string;
  hash: string;
}

export type UnsignedEvent = Omit<AuditEvent, 'prevHash' | 'hash'>;

export type Notice = {
  kind: 'ACCEPTANCE' | 'PROPOSED_DECISION' | 'DECISION' | 'FILING';
  applicationId: string;
  publishedAt: string;
  publishedOn: IsoDate;
  /** Last day of the public comment / notice period, where there is one. */
  endsOn?: IsoDate;
  category: Category;
  projectName: string;
  location: string;
  industry: string;
  orgName: string;
  number?: string;
  outcome?: string;
  conditions?: string[];
  reasons?: string[];
  /** Comments received on this notice, as its application counts them (written with each comment). */
  commentCount?: number;
};
