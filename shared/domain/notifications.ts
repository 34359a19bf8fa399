import { beijingDate, chinaCalendar, type IsoDate, type WorkCalendar } from './calendar.ts';
import { type ClockView, viewClock } from './clock.ts';
import { publicActor } from './comments.ts';
import { defaultConfig } from './config.ts';
import { RECEIVE_HEARING_REQUEST } from './hearings.ts';
import { type Counted, provisionalMark } from './provisional.ts';
import { expertReviewEnd } from './provisional-dates.ts';
import { waitsOn } from './queue.ts';
import type { Application, AuditEvent, Category, Role, UnsignedEvent } from './types.ts';

/** The sweeper's step when an expert review's expected working days have run out (deadlines.ts). */
export const EXPERT_REVIEW_ELAPSED = 'mark_expert_review_elapsed';

/**
 * The notifications one step owes (issue 5 part 3): written to the outbox in the same transaction
 * as the event, so none is lost; a publisher sends them on. Pure: no AWS here. The texts name the
 * project, the case number when there is one, what to do and by when; never personal phone numbers.
 */
export const notifiableActions = [
  'give_preview_advice',
  'request_supplement',
  'request_revision',
  'accept',
  'decline',
  'start_expert_review',
  'record_expert_opinion',
  'propose_decision',
  'record_hearing_outcome',
  'request_hearing',
  'schedule_hearing',
  RECEIVE_HEARING_REQUEST,
  'approve',
  'reject',
  'mark_due_soon',
  'mark_overdue',
  EXPERT_REVIEW_ELAPSED,
] as const;
export type NotifiableAction = (typeof notifiableActions)[number];

/**
 * Who is told: a user (by `sub`), every member of a role's group, or every applicant of an
 * organisation (those whose account carries `custom:orgCode`; the owner of a walk-in); or every
 * interested party who asked for a hearing on the application and left an e-mail address as their
 * contact. Their addresses stay out of the outbox and the bus: the notifier reads them from the
 * hearing requests when it sends (functions/notifier).
 */
export type Recipient =
  | { kind: 'user'; id: string }
  | { kind: 'role'; role: Extract<Role, 'clerk' | 'reviewer' | 'approver' | 'admin'> }
  | { kind: 'org'; orgCode: string }
  | {
      kind: 'hearingRequesters';
      applicationId: string;
      /** Only the requests received at or after this instant: those of the current hearing. */
      since?: string;
      /** Only this request (someone who asked after the hearing was scheduled). */
      hearingRequestId?: string;
    };

/** One string per recipient, the same for equal ones. */
export function recipientKey(r: Recipient): string {
  switch (r.kind) {
    case 'user':
      return `user:${r.id}`;
    case 'role':
      return `role:${r.role}`;
    case 'org':
      return `org:${r.orgCode}`;
    case 'hearingRequesters':
      return `hearingRequesters:${r.applicationId}:${r.since ?? ''}:${r.hearingRequestId ?? ''}`;
  }
}

export interface Bilingual {
  zh: string;
  en: string;
}

export interface Notification {
  applicationId: string;
  seq: number;
  /** An event's action; or, not tied to an event, the calendar reminder (./calendar-reminder.ts). */
  action: NotifiableAction | 'calendar_reminder';
  at: string;
  recipients: Recipient[];
  subject: Bilingual;
  body: Bilingual;
  /** The date the recipient must act by, where there is one. */
  deadline?: IsoDate;
  /**
   * Why `deadline` may still move, said beside it (without brackets), e.g. "暂定：2027年节假日安排
   * 尚未公布；如有暂停将顺延"; absent when it is firm.
   */
  deadlineNote?: Bilingual;
  /** Set when a date in the text was counted through an unpublished year (the text says so beside it). */
  provisional?: true;
  /**
   * Which: `deadline`, `dueDate`, `commentEndsOn`, `noticeEndsOn`, `hearingDeadline`,
   * `expertReviewEndsOn`.
   */
  provisionalDates?: string[];
  provisionalNote?: Bilingual;
}

export function isNotifiable(action: string): action is NotifiableAction {
  return (notifiableActions as readonly string[]).includes(action);
}

/**
 * The owner: the creator, or for a walk-in its organisation (`ownerId` is then the clerk who typed
 * it). The window clerk who took the paper gets a copy: an organisation that came with paper may
 * have no account to be mailed at, and the window acts for it paper in hand.
 */
function owner(app: Application): Recipient[] {
  if (!app.intake) return [{ kind: 'user', id: app.ownerId }];
  return [
    { kind: 'org', orgCode: app.intake.onBehalfOf.orgCode },
    { kind: 'user', id: app.intake.by.id },
  ];
}

/** The materials' names by code, as the default configuration names them (not a bureau's later renaming). */
const materialNames = new Map<string, Bilingual>(
  defaultConfig.materials.map((m) => [m.code, { zh: m.zh, en: m.en }]),
);

const categoryNames: Record<Category, Bilingual> = {
  REPORT: { zh: '环境影响报告书', en: 'an environmental impact report' },
  REPORT_FORM: { zh: '环境影响报告表', en: 'an environmental impact report form' },
  REGISTRATION: { zh: '环境影响登记表', en: 'an environmental impact registration form' },
};

function officerOrReviewers(app: Application): Recipient {
  return app.caseOfficerId ? { kind: 'user', id: app.caseOfficerId } : { kind: 'role', role: 'reviewer' };
}

/** Whoever the application waits on now, as a recipient. */
function waiting(app: Application): Recipient[] {
  const w = waitsOn(app);
  if (!w) return [officerOrReviewers(app)];
  if (w.userId !== undefined) return [{ kind: 'user', id: w.userId }];
  if (w.orgCode !== undefined) return owner(app);
  return w.role ? [{ kind: 'role', role: w.role }] : [officerOrReviewers(app)];
}

function unique(recipients: Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return recipients.filter((r) => {
    const key = recipientKey(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An instant as Beijing's date and time of day, e.g. `2026-04-01 09:30`. */
function beijingDateTime(instant: string): string {
  const ms = new Date(instant).getTime();
  return Number.isNaN(ms)
    ? instant
    : new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The review clock as of the event's day (Beijing). */
function clockAt(app: Application, at: string, calendar: WorkCalendar): ClockView | undefined {
  return app.clockState ? viewClock(app.clockState, beijingDate(at), calendar) : undefined;
}

/**
 * Why a date may still move, as the short clause said beside it (without brackets), or undefined
 * for a firm date. Two reasons: it was counted through a year whose holidays are not yet published
 * (`years`; it moves when the year is entered), and it is the review clock's due date still ahead,
 * which moves later by every day the review is paused (supplement, expert review, revision,
 * hearing). A date someone set (the hearing's day) or a past step's day is firm; so is a published
 * notice period's last day counted inside published years: a pause does not move it.
 */
export function mayMove(years: readonly number[], pauses: boolean): Bilingual | undefined {
  const zh: string[] = [];
  const en: string[] = [];
  if (years.length > 0) {
    zh.push(`暂定：${years.join('、')}年节假日安排尚未公布`);
    en.push(`provisional: ${years.join(', ')} holidays not yet published`);
  }
  if (pauses) {
    zh.push('如有暂停将顺延');
    en.push('later if the review is paused');
  }
  return zh.length > 0 ? { zh: zh.join('；'), en: en.join('; ') } : undefined;
}

/**
 * The notifications for one event, given the application as it stands after it. Empty for an
 * action nobody has to be told about.
 */
export function notificationsFor(
  event: UnsignedEvent | AuditEvent,
  app: Application,
  calendar: WorkCalendar = chinaCalendar,
): Notification[] {
  const action = event.action;
  if (!isNotifiable(action)) return [];
  const name = app.project.name;
  const zhRef = app.caseNumber ? `「${name}」（案号 ${app.caseNumber}）` : `「${name}」`;
  const enRef = app.caseNumber ? `"${name}" (case ${app.caseNumber})` : `"${name}"`;
  const clock = clockAt(app, event.at, calendar);
  const due = clock?.dueDate;
  // Each date a text may name, with the day its count started from.
  const counted: Record<string, Counted | undefined> = {
    dueDate: clock && { from: clock.startedOn, to: clock.dueDate },
    commentEndsOn: app.acceptance && {
      from: app.acceptance.noticePublishedOn,
      to: app.acceptance.commentEndsOn,
    },
    noticeEndsOn: app.proposal && { from: app.proposal.noticeStartsOn, to: app.proposal.noticeEndsOn },
    hearingDeadline: app.proposal && { from: app.proposal.noticeStartsOn, to: app.proposal.hearingDeadline },
    holdBy: app.hearing?.holdBy
      ? { from: beijingDate(app.hearing.requestedAt), to: app.hearing.holdBy }
      : undefined,
    scheduleBy: app.hearing?.scheduleBy
      ? { from: beijingDate(app.hearing.requestedAt), to: app.hearing.scheduleBy }
      : undefined,
    expertReviewEndsOn: expertReviewEnd(app, calendar),
  };
  const today = beijingDate(event.at);
  /** Why the date `field` names may still move; undefined when it is firm. */
  const noteOf = (field: string): Bilingual | undefined => {
    const date = counted[field];
    if (!date) return undefined;
    // Only the running (or paused) clock's due date still ahead moves with a pause.
    const pauses = field === 'dueDate' && !app.clockState?.stoppedOn && date.to >= today;
    return mayMove(calendar.unpublishedYears(date.from, date.to), pauses);
  };
  /** The date `field` names as a text says it: with why it may move beside it, or '—' when there is none. */
  const said = (field: string): Bilingual => {
    const date = counted[field]?.to;
    if (!date) return { zh: '—', en: '—' };
    const note = noteOf(field);
    return note ? { zh: `${date}（${note.zh}）`, en: `${date} (${note.en})` } : { zh: date, en: date };
  };

  const make = (
    recipients: Recipient[],
    subject: Bilingual,
    body: Bilingual,
    deadline: IsoDate | undefined,
    /** The dates (by name, as in `counted`) the text names; the deadline is one of them. */
    named: string[] = [],
  ): Notification[] => {
    const deadlineField = named.find((f) => counted[f]?.to === deadline);
    const mark = provisionalMark(
      Object.fromEntries([
        ...named.map((f) => [f, counted[f]] as const),
        ...(deadline && deadlineField ? [['deadline', counted[deadlineField]] as const] : []),
      ]),
      calendar,
    );
    const deadlineNote = deadline && deadlineField ? noteOf(deadlineField) : undefined;
    return [
      {
        applicationId: event.applicationId,
        seq: event.seq,
        action,
        at: event.at,
        recipients: unique(recipients),
        subject,
        // A clause after a date is closed by a full-width bracket, which needs no space after it.
        body: { zh: body.zh.replaceAll('） ', '）'), en: body.en },
        ...(deadline ? { deadline } : {}),
        ...(deadlineNote ? { deadlineNote } : {}),
        ...(mark ?? {}),
      },
    ];
  };

  switch (action) {
    case 'give_preview_advice': {
      const preview = app.preview;
      const suggested = preview?.suggestedCategory && categoryNames[preview.suggestedCategory];
      return make(
        owner(app),
        { zh: `预审意见：${zhRef}`, en: `Preview advice: ${enRef}` },
        {
          zh: `您就${zhRef}申请的预审已有答复：${preview?.advice ?? '见预审意见'}${suggested ? `\n建议编制：${suggested.zh}。` : ''}\n申请已退回草稿，您可按意见修改后提交。预审意见仅供参考，不是审批决定。`,
          en: `Your preview request for ${enRef} has been answered: ${preview?.advice ?? 'see the advice'}${suggested ? `\nSuggested: ${suggested.en}.` : ''}\nThe application is back in draft: you may change it and submit it. Preview advice is guidance, not a decision.`,
        },
        undefined,
      );
    }
    case 'start_expert_review': {
      // Administrative Licensing Law art. 45: the time an expert review needs does not count
      // towards the time limit, and the applicant is told in writing how long it will take.
      const days = app.expertReview?.expectedWorkingDays;
      return make(
        owner(app),
        { zh: `专家评审：${zhRef}`, en: `Expert review: ${enRef}` },
        {
          zh: `${zhRef}已组织专家评审，预计需要 ${days ?? '—'} 个工作日，预计于 ${said('expertReviewEndsOn').zh} 完成。依照《中华人民共和国行政许可法》第四十五条，专家评审所需时间不计入审批期限：在记录专家意见之前，审批时限暂停计算。`,
          en: `An expert review of ${enRef} has started. It is expected to take ${days ?? '—'} working days, until ${said('expertReviewEndsOn').en}. Under the Administrative Licensing Law (art. 45) this time does not count towards the time limit: the review clock is paused until the experts' opinion is recorded.`,
        },
        undefined,
        ['expertReviewEndsOn'],
      );
    }
    case 'record_expert_opinion':
      return make(
        owner(app),
        { zh: `专家评审结束：${zhRef}`, en: `Expert review finished: ${enRef}` },
        {
          zh: `${zhRef}的专家评审已结束，专家意见已记录，技术审查继续，审批时限恢复计算。审批期限：${said('dueDate').zh}。`,
          en: `The expert review of ${enRef} is finished and its opinion recorded; the review continues and the review clock runs again. Decision due by ${said('dueDate').en}.`,
        },
        undefined,
        ['dueDate'],
      );
    case 'record_hearing_outcome': {
      const stands = app.state === 'PUBLIC_NOTICE';
      const summary = app.hearing?.summary;
      return make(
        stands ? [...owner(app), { kind: 'role', role: 'approver' }] : owner(app),
        { zh: `听证结果：${zhRef}`, en: `Hearing outcome: ${enRef}` },
        {
          zh: `${zhRef}的听证已结束，听证结果已记录。${summary ? `\n听证结论：${summary}` : ''}\n${stands ? `拟审批意见维持，公示期至 ${said('noticeEndsOn').zh}，期满后作出审批决定。` : '拟审批意见已撤回，案件回到技术审查，将重新提出拟审批意见并公示。'}审批时限恢复计算，审批期限：${said('dueDate').zh}。`,
          en: `The hearing on ${enRef} is over and its outcome recorded.${summary ? `\nOutcome: ${summary}` : ''}\n${stands ? `The proposed decision stands; its notice runs until ${said('noticeEndsOn').en}, after which the decision is taken.` : 'The proposed decision is withdrawn: the case is back in review, and a new proposal will be put on notice.'} The review clock runs again; decision due by ${said('dueDate').en}.`,
        },
        undefined,
        stands ? ['noticeEndsOn', 'dueDate'] : ['dueDate'],
      );
    }
    case 'request_hearing': {
      // The applicant's own request is theirs to know; an interested party's is news to the case officer.
      if (event.actor.id !== publicActor.id) return [];
      const h = app.hearing;
      return make(
        [officerOrReviewers(app)],
        { zh: `利害关系人申请听证：${zhRef}`, en: `Hearing requested by an interested party: ${enRef}` },
        {
          zh: `有利害关系人对${zhRef}的拟审批意见申请听证，案件已进入听证程序，审批时限暂停计算。请于 ${said('scheduleBy').zh} 前安排听证（须提前7日通知），听证须在 ${said('holdBy').zh} 前举行。申请人的姓名、联系方式和理由见本案的听证申请列表；留电子邮箱的会收到听证通知，其他人请电话通知。`,
          en: `An interested party has asked for a hearing on the proposed decision on ${enRef}. The case is now in its hearing and the review clock is paused. Please schedule the hearing by ${said('scheduleBy').en}, with 7 days' notice; it must be held by ${said('holdBy').en}. The names, contacts and reasons of those who asked are in the case's list of hearing requests: those who left an e-mail address are told of the hearing by e-mail, please phone the others.`,
        },
        h?.scheduleBy,
        ['scheduleBy', 'holdBy'],
      );
    }
    case 'schedule_hearing':
    case RECEIVE_HEARING_REQUEST: {
      const h = app.hearing;
      if (!h?.scheduled) return [];
      const when = beijingDateTime(h.scheduled.at);
      const place = h.scheduled.place;
      // Scheduling tells the applicant and everyone who asked for this hearing; a request that
      // arrives once it is scheduled is answered with the date, to that requester alone.
      const late = event.action === RECEIVE_HEARING_REQUEST;
      const requestId = (event.payload as { hearingRequestId?: unknown } | undefined)?.hearingRequestId;
      const recipients: Recipient[] = late
        ? typeof requestId === 'string'
          ? [{ kind: 'hearingRequesters', applicationId: app.id, hearingRequestId: requestId }]
          : []
        : [
            ...owner(app),
            ...((h.requests ?? 0) > 0
              ? [{ kind: 'hearingRequesters' as const, applicationId: app.id, since: h.requestedAt }]
              : []),
          ];
      return make(
        recipients,
        { zh: `听证通知：${zhRef}`, en: `Hearing notice: ${enRef}` },
        {
          zh: `醴陵市生态环境局定于 ${when}（北京时间）在${place}就${zhRef}的拟审批意见举行听证。申请人和申请听证的利害关系人可以参加听证、陈述意见并提出证据。如不能参加，请提前告知本局。`,
          en: `The Environmental Protection Bureau of Liling will hold a hearing on the proposed decision on ${enRef} on ${when} (Beijing time) at ${place}. The applicant and the interested parties who asked for the hearing may attend, speak and present evidence. If you cannot attend, please let the bureau know beforehand.`,
        },
        undefined,
      );
    }
    case 'request_supplement': {
      // The materials by their names (a code is no word for a reader), in each language.
      const named = (app.supplement?.items ?? []).map(
        (i) => materialNames.get(i.code) ?? { zh: i.code, en: i.code },
      );
      const items = { zh: named.map((m) => m.zh).join('、'), en: named.map((m) => m.en).join(', ') };
      return make(
        owner(app),
        { zh: `请补正材料：${zhRef}`, en: `Supplement required: ${enRef}` },
        {
          zh: `您的环评审批申请${zhRef}材料不齐全，请一次性补正以下材料：${items.zh || '见补正通知'}。补正后重新提交，受理审查期限自重新提交之日起计算。`,
          en: `Your EIA application ${enRef} is incomplete. Please supply, in one go: ${items.en || 'see the supplement notice'}. The completeness check restarts when you resubmit.`,
        },
        undefined,
      );
    }
    case 'request_revision': {
      const topics = (app.revision?.items ?? []).map((i) => i.topic).join(', ');
      return make(
        owner(app),
        { zh: `请修改环评文件：${zhRef}`, en: `Revision required: ${enRef}` },
        {
          zh: `审查意见要求修改${zhRef}的环评文件（${topics || '见修改通知'}）。审批时限暂停，请修改后提交答复。`,
          en: `The review asks for revisions to ${enRef} (${topics || 'see the revision request'}). The review clock is paused until you respond.`,
        },
        undefined,
      );
    }
    case 'accept': {
      const commentEnds = app.acceptance?.commentEndsOn;
      return make(
        [...owner(app), { kind: 'role', role: 'reviewer' }],
        { zh: `已受理：${zhRef}`, en: `Accepted: ${enRef}` },
        {
          zh: `${zhRef}已受理，进入技术审查。${commentEnds ? `公众意见征求期至 ${said('commentEndsOn').zh}。` : ''}审批期限：${said('dueDate').zh}。审查人员请开始审查。`,
          en: `${enRef} has been accepted for review.${commentEnds ? ` Public comments are open until ${said('commentEndsOn').en}.` : ''} Decision due by ${said('dueDate').en}. Reviewers: please start the review.`,
        },
        due,
        ['commentEndsOn', 'dueDate'],
      );
    }
    case 'decline':
      // A decision against the applicant names its remedies (Administrative Reconsideration Law
      // art. 20: 60 days; Administrative Litigation Law art. 46: 6 months).
      return make(
        owner(app),
        { zh: `不予受理：${zhRef}`, en: `Not accepted: ${enRef}` },
        {
          zh: `您的环评审批申请${zhRef}不予受理，理由：${app.declineReason ?? '见不予受理决定书'}。如不服，可自收到决定之日起60日内申请行政复议，或6个月内提起行政诉讼。`,
          en: `Your EIA application ${enRef} was not accepted. Reason: ${app.declineReason ?? 'see the decision'}. If you disagree, you may apply for administrative reconsideration within 60 days of receiving this decision, or bring a lawsuit within 6 months.`,
        },
        undefined,
      );
    case 'propose_decision': {
      const p = app.proposal;
      const noticeEnds = p?.noticeEndsOn;
      const hearing = p?.hearingDeadline;
      const zhWhat = p?.proposal === 'reject' ? '拟不予批准' : '拟批准';
      const enWhat = p?.proposal === 'reject' ? 'to reject' : 'to approve';
      return make(
        [...owner(app), { kind: 'role', role: 'approver' }],
        { zh: `拟审批意见公示：${zhRef}`, en: `Proposed decision on notice: ${enRef}` },
        {
          zh: `${zhRef}${zhWhat}，公示期至 ${said('noticeEndsOn').zh}。申请人如需听证，请于 ${said('hearingDeadline').zh} 前提出。审批人员可在公示期满后作出决定，审批期限：${said('dueDate').zh}。`,
          en: `The bureau proposes ${enWhat} ${enRef}; the notice runs until ${said('noticeEndsOn').en}. The applicant may request a hearing by ${said('hearingDeadline').en}. Approvers may decide once the notice ends; decision due by ${said('dueDate').en}.`,
        },
        hearing ?? noticeEnds,
        ['noticeEndsOn', 'hearingDeadline', 'dueDate'],
      );
    }
    case 'approve':
    case 'reject': {
      const approved = action === 'approve';
      const num = app.decisionNumber;
      const recipients: Recipient[] = owner(app);
      if (app.caseOfficerId) recipients.push({ kind: 'user', id: app.caseOfficerId });
      return make(
        recipients,
        {
          zh: `${approved ? '已批准' : '不予批准'}：${zhRef}`,
          en: `${approved ? 'Approved' : 'Rejected'}: ${enRef}`,
        },
        {
          zh: `${zhRef}的环评文件${approved ? '已获批准' : '不予批准'}${num ? `，文号 ${num}` : ''}。请登录系统，在本案的“文书”中下载${approved ? '批复文件并按批复条件建设' : '不予批准决定书查看理由'}；任何人可凭文号核验其真伪。${approved ? '' : '如不服，可自收到决定之日起60日内申请行政复议，或6个月内提起行政诉讼。'}`,
          en: `${enRef} has been ${approved ? 'approved' : 'rejected'}${num ? ` (decision ${num})` : ''}. Sign in and download the ${approved ? "approval (PDF) from the case's documents, and build to its conditions" : "decision (PDF) from the case's documents to read its reasons"}; anyone can verify it by its number.${approved ? '' : ' If you disagree, you may apply for administrative reconsideration within 60 days of receiving this decision, or bring a lawsuit within 6 months.'}`,
        },
        undefined,
      );
    }
    case 'mark_due_soon':
      return make(
        waiting(app),
        { zh: `即将到期：${zhRef}`, en: `Due soon: ${enRef}` },
        {
          zh: `${zhRef}的审批期限将于 ${said('dueDate').zh} 届满，请尽快办理。`,
          en: `The time limit for ${enRef} ends on ${said('dueDate').en}. Please act promptly.`,
        },
        due,
        ['dueDate'],
      );
    case 'mark_overdue':
      return make(
        [...waiting(app), officerOrReviewers(app), { kind: 'role', role: 'approver' }],
        { zh: `已超期：${zhRef}`, en: `Overdue: ${enRef}` },
        {
          zh: `${zhRef}的审批期限已于 ${said('dueDate').zh} 届满，现已超期，请立即办理并报审批负责人。`,
          en: `The time limit for ${enRef} ended on ${said('dueDate').en}; it is now overdue. Please act at once; escalated to the approvers.`,
        },
        due,
        ['dueDate'],
      );
    case EXPERT_REVIEW_ELAPSED: {
      const review = app.expertReview;
      const started = review ? beijingDate(review.startedAt) : '—';
      return make(
        [officerOrReviewers(app)],
        { zh: `专家评审预计期限已过：${zhRef}`, en: `Expert review past its expected days: ${enRef}` },
        {
          zh: `${zhRef}的专家评审自 ${started} 开始，预计 ${review?.expectedWorkingDays ?? '—'} 个工作日，至 ${said('expertReviewEndsOn').zh} 完成；预计期限已过，尚未记录专家意见。请跟进评审进度，收到专家意见后及时记录。`,
          en: `The expert review of ${enRef} started on ${started} and was expected to take ${review?.expectedWorkingDays ?? '—'} working days, until ${said('expertReviewEndsOn').en}. That time has run out and no expert opinion is recorded yet. Please follow up with the panel and record its opinion once received.`,
        },
        undefined,
        ['expertReviewEndsOn'],
      );
    }
  }
}
