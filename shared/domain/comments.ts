import { type TextKind, textFault } from '../schemas/text.ts';
import type { IsoDate } from './calendar.ts';
import { type DecideOptions, hasConflict, type Step, systemStep } from './decide.ts';
import type { IssueParams } from './errors.ts';
import { ConflictError, ForbiddenError } from './errors.ts';
import type { RuleName } from './rules.ts';
import { systemActorNames } from './system-actors.ts';
import type { Actor, Application, Caller, Notice } from './types.ts';

/** The longest comment the public may send, in characters. */
export const MAX_COMMENT_CHARS = 5000;

/** Notices the public may answer: the acceptance notice (comment days) and the proposed decision (notice days). */
export const answerableKinds: readonly Notice['kind'][] = ['ACCEPTANCE', 'PROPOSED_DECISION'];

/**
 * What the application knows of its comments: how many came in and how many were answered; and
 * how many came in on each of its notices (by noticeId), which its notices show the public.
 */
export interface CommentCounts {
  received: number;
  answered: number;
  byNotice?: Record<string, number>;
}

/** A problem with one field of a comment: the field and what is wrong. */
export interface CommentIssue {
  path: string;
  message: string;
  /** zod's code for the same fault (`custom` with a rule name), for a client to word it. */
  code?: string;
  params?: IssueParams;
}

/**
 * What is wrong with a text field of a comment, or undefined: required and 1–`max` characters
 * (counted as characters, not UTF-16 units) after trimming, and `kind` text: one line (a name, a
 * contact) or several (the comment itself), without control, direction or broken characters
 * (shared/schemas/text.ts).
 */
export function textIssue(
  path: string,
  value: unknown,
  max: number,
  required: boolean,
  kind: TextKind = 'lines',
): CommentIssue | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string')
    return value === undefined
      ? {
          path,
          message: `${path} must be text`,
          code: 'invalid_type',
          params: { expected: 'string', received: 'undefined' },
        }
      : { path, message: `${path} must be text`, code: 'invalid_type', params: { expected: 'string' } };
  const length = [...value.trim()].length;
  if (length === 0)
    return {
      path,
      message: `${path} must not be empty`,
      code: 'too_small',
      params: { origin: 'string', minimum: 1 },
    };
  if (length > max)
    return {
      path,
      message: `${path} must be at most ${max} characters (it has ${length})`,
      code: 'too_big',
      params: { origin: 'string', maximum: max },
    };
  // What is stored is the trimmed text: a line break at either end is trimmed away, not refused.
  const fault = textFault(value.trim(), kind);
  if (fault) return { path, message: `${path} ${fault.message}`, code: 'custom', params: fault.params };
  return undefined;
}

/** The last day the public may comment on `notice`, or undefined when it takes no comments. */
export function commentsOpenUntil(notice: Pick<Notice, 'kind' | 'endsOn'>): IsoDate | undefined {
  return answerableKinds.includes(notice.kind) ? notice.endsOn : undefined;
}

/** Whether the public may comment on `notice` on `today` (Beijing): up to and including its last day. */
export function commentWindowOpen(
  notice: Pick<Notice, 'kind' | 'endsOn'> & { publishedOn?: IsoDate },
  today: IsoDate,
): boolean {
  const until = commentsOpenUntil(notice);
  const from = notice.publishedOn;
  return until !== undefined && today <= until && (from === undefined || from <= today);
}

/** A rule that stops a proposal, with its problem type. */
export interface ProposalBlock {
  type: 'comment-period-open' | 'comments-unanswered';
  path: string;
  message: string;
  /** The rule's name and values, for a client to word it (shared/domain/rules.ts). */
  rule: RuleName;
  params: IssueParams;
}

/**
 * Why the case officer may not propose a decision on `today`, or undefined: the acceptance
 * notice's comment period has not ended (today is on or before its last day and the sweeper has
 * not closed it), or `unanswered` comments still wait for a response.
 */
export function proposalBlock(
  app: Pick<Application, 'acceptance'>,
  today: IsoDate,
  unanswered: number,
): ProposalBlock | undefined {
  const acceptance = app.acceptance;
  if (acceptance && !acceptance.commentClosedOn && today <= acceptance.commentEndsOn) {
    return {
      type: 'comment-period-open',
      path: 'acceptance.commentEndsOn',
      message: `the public may comment on the acceptance notice until ${acceptance.commentEndsOn}; propose from the next day`,
      rule: 'comment-period-open',
      params: { until: acceptance.commentEndsOn },
    };
  }
  if (unanswered > 0) {
    return {
      type: 'comments-unanswered',
      path: 'comments',
      message: `${unanswered} public comment${unanswered === 1 ? ' has' : 's have'} no response yet; answer each before proposing`,
      rule: 'comments-unanswered',
      params: { count: unanswered },
    };
  }
  return undefined;
}

/**
 * Why the approver may not decide (approve, reject), or undefined: a public comment, typically one
 * sent during the proposed decision's notice, still waits for the case officer's response. The
 * decision states that every comment received was considered, so each is answered first.
 */
export function decisionBlock(unanswered: number): ProposalBlock | undefined {
  if (unanswered <= 0) return undefined;
  return {
    type: 'comments-unanswered',
    path: 'comments',
    message: `${unanswered} public comment${unanswered === 1 ? ' has' : 's have'} no response yet; the case officer answers each before the decision`,
    rule: 'comments-unanswered-decision',
    params: { count: unanswered },
  };
}

/** How many comments still wait for a response. */
export function unansweredOf(counts: CommentCounts | undefined): number {
  return counts ? Math.max(0, counts.received - counts.answered) : 0;
}

/**
 * One comment as stored beside its application. `name` and `contact` are the commenter's own
 * (optional); only officials and auditors read them as given: the `receive_comment` event carries
 * them too, and everyone else sees them masked (shared/domain/audit-mask.ts maskPublicContacts).
 */
export interface PublicComment {
  commentId: string;
  applicationId: string;
  noticeId: string;
  noticeKind: Notice['kind'];
  receivedAt: string;
  text: string;
  name?: string;
  contact?: string;
  response?: string;
  respondedAt?: string;
  respondedBy?: string;
}

/** Who the public is in the trail: nobody in particular, and nothing personal. */
export const publicActor: Actor = { id: 'public', role: 'system', name: systemActorNames.public };

/** How many comments came in on one notice of the application. */
export function commentsOn(app: Pick<Application, 'comments'>, noticeId: string): number {
  return app.comments?.byNotice?.[noticeId] ?? 0;
}

/**
 * The step a comment makes: the application counts one more comment, in all and on its notice, and
 * its trail records `receive_comment` by the public with the notice, the comment's id and the
 * commenter's name and contact when given (masked for all but officials and auditors); never the
 * text, which is kept on the comment. The state does not change.
 */
export function receiveComment(app: Application, comment: PublicComment, opts: DecideOptions): Step {
  const counts = app.comments ?? { received: 0, answered: 0 };
  const byNotice = { ...counts.byNotice, [comment.noticeId]: commentsOn(app, comment.noticeId) + 1 };
  const step = systemStep(
    app,
    'receive_comment',
    { comments: { ...counts, received: counts.received + 1, byNotice } },
    opts,
    {
      noticeId: comment.noticeId,
      noticeKind: comment.noticeKind,
      commentId: comment.commentId,
      ...(comment.name !== undefined ? { name: comment.name } : {}),
      ...(comment.contact !== undefined ? { contact: comment.contact } : {}),
    },
  );
  return { ...step, event: { ...step.event, actor: publicActor } };
}

/**
 * 403 unless `caller` is the application's case officer: `conflict-of-interest` for its owner or an
 * official of its organisation (whatever roles they hold), as for every official action.
 */
export function checkResponder(app: Application, caller: Caller): void {
  if (!caller.roles.includes('reviewer')) {
    throw new ForbiddenError('wrong-role', "answering the public's comments is for the role reviewer");
  }
  if (hasConflict(app, caller)) {
    throw new ForbiddenError(
      'conflict-of-interest',
      "answering the public's comments on an application you own or of your own organisation is for another official",
    );
  }
  if (app.caseOfficerId !== caller.id) {
    throw new ForbiddenError(
      'not-yours',
      'only the case officer of this application may answer its comments',
    );
  }
}

/**
 * The case officer's response to one comment, once: the application counts one more answered,
 * and the trail records `respond_to_comment` with the response (the bureau's own words).
 */
export function respondToComment(
  app: Application,
  comment: PublicComment,
  response: string,
  caller: Caller,
  opts: DecideOptions,
): Step {
  checkResponder(app, caller);
  if (comment.response !== undefined) {
    throw new ConflictError(
      'comment-already-answered',
      `comment ${comment.commentId} was answered on ${comment.respondedAt}`,
    );
  }
  const counts = app.comments ?? { received: 0, answered: 0 };
  const actor: Actor = { id: caller.id, role: 'reviewer', name: caller.name };
  const step = systemStep(
    app,
    'respond_to_comment',
    { comments: { ...counts, answered: counts.answered + 1 } },
    opts,
    { commentId: comment.commentId, response },
  );
  return { ...step, event: { ...step.event, actor } };
}
