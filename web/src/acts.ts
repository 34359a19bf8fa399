import { type Key, t, tr } from './i18n.ts';
import type { Application, ProvisionalMark } from './ui.ts';
import { materialName } from './workflow.ts';

/**
 * What the console says around an act of the workflow: the question before it (what will happen,
 * and to whom), whether it is destructive (styled apart), and the sentence after it (what happens
 * next, and who acts now), from the application as the act left it. Pure: strings only.
 */

/** Every act of the workflow (GET /workflow); a test checks this against the workflow's own table. */
export const actNames = [
  'request_preview',
  'give_preview_advice',
  'submit',
  'request_supplement',
  'resubmit',
  'accept',
  'decline',
  'start_review',
  'start_expert_review',
  'record_expert_opinion',
  'request_revision',
  'submit_revision',
  'propose_decision',
  'approve',
  'reject',
  'return_to_review',
  'request_hearing',
  'schedule_hearing',
  'record_hearing_outcome',
  'withdraw',
  'record_milestone',
] as const;

/** Acts that end a case against the applicant's wish, or take back what was published: styled apart. */
export const destructiveActs: ReadonlySet<string> = new Set([
  'decline',
  'reject',
  'withdraw',
  'return_to_review',
]);

export const isDestructive = (name: string): boolean => destructiveActs.has(name);

const known = new Set<string>(actNames);

/** The milestones in the order they are recorded (shared/domain/types.ts). */
const milestoneOrder = ['CONSTRUCTION_STARTED', 'FACILITIES_COMPLETED', 'COMPLETION_ACCEPTED'];

/** Who takes the act in the console: its role (`session().role`), when known. */
export interface Actor {
  role?: string | undefined;
}

/**
 * The organisation the window acts for: a walk-in (窗口代录) submitted or supplemented by the clerk
 * speaks to the clerk, naming the organisation, not as if the applicant had pressed the button.
 */
function forOrg(name: string, app: Application, actor: Actor): string | undefined {
  if (actor.role !== 'clerk' || !app.intake) return undefined;
  if (name === 'resubmit' || (name === 'submit' && app.category !== 'REGISTRATION'))
    return app.intake.onBehalfOf.orgName;
  return undefined;
}

/**
 * The question before `name` on `app`: the act and the project, what is about to be sent where it
 * decides the outcome (a supplement notice's items, the proposal, the hearing's next step), then
 * what will happen and to whom. `payload`: what the form would send; `actor`: who asks.
 */
export function confirmText(
  name: string,
  actName: string,
  project: string,
  app: Application,
  payload: Record<string, unknown> = {},
  actor: Actor = {},
): string {
  const org = forOrg(name, app, actor);
  if (org !== undefined)
    return [t('confirmHead', { a: actName, p: project }), t(`cf_${name}_walk_in` as Key, { o: org })].join(
      '\n',
    );
  const key: Key =
    name === 'submit' && app.category === 'REGISTRATION'
      ? 'cf_submit_filing'
      : name === 'record_hearing_outcome' && payload.next === 'PUBLIC_NOTICE'
        ? 'cf_record_hearing_outcome_stands'
        : name === 'record_hearing_outcome' && payload.next === 'UNDER_REVIEW'
          ? 'cf_record_hearing_outcome_review'
          : known.has(name)
            ? (`cf_${name}` as Key)
            : 'confirmFoot';
  return [
    t('confirmHead', { a: actName, p: project }),
    ...sentLines(name, payload),
    t(key),
    key === 'confirmFoot' ? '' : t('confirmFoot'),
  ]
    .filter((x) => x !== '')
    .join('\n');
}

/** What the form is about to send, where it decides the outcome, line by line. */
function sentLines(name: string, payload: Record<string, unknown>): string[] {
  if (name === 'request_supplement' && Array.isArray(payload.items)) {
    return payload.items.map((item, i) => {
      const { code, reason } = (item ?? {}) as { code?: unknown; reason?: unknown };
      return t('cf_item', {
        i: i + 1,
        m: typeof code === 'string' ? materialName(code) : '—',
        r: typeof reason === 'string' ? reason : '—',
      });
    });
  }
  if (name === 'propose_decision' && typeof payload.proposal === 'string')
    return [t('cf_proposal', { v: tr(`enum.${payload.proposal}`, payload.proposal) })];
  return [];
}

/** A date in a sentence, “（暂定）” beside it when the API marks it provisional. */
function dated(mark: ProvisionalMark | undefined, field: string, date: string | undefined): string {
  if (!date) return '—';
  return mark?.provisional && mark.provisionalDates?.includes(field) ? `${date}${t('tl_provisional')}` : date;
}

/**
 * The sentence after `name`: what happens next and who acts now, from `app` as the act left it;
 * `actor`: who took it (the window, for a walk-in, is told what it did for the organisation).
 */
export function afterText(name: string, app: Application, actor: Actor = {}): string {
  const org = forOrg(name, app, actor);
  if (org !== undefined) {
    const check = app.completenessCheck;
    return check
      ? t(`nx_${name}_walk_in` as Key, { o: org, d: dated(check, 'deadline', check.deadline) })
      : t(`nx_${name}_walk_in_nodate` as Key, { o: org });
  }
  switch (name) {
    case 'submit':
      if (app.state === 'FILED') return t('nx_submit_filing', { n: app.receiptNumber ?? '—' });
      return app.completenessCheck
        ? t('nx_submit', { d: dated(app.completenessCheck, 'deadline', app.completenessCheck.deadline) })
        : t('nx_submit_nodate');
    case 'resubmit':
      return app.completenessCheck
        ? t('nx_resubmit', { d: dated(app.completenessCheck, 'deadline', app.completenessCheck.deadline) })
        : t('nx_resubmit_nodate');
    case 'accept':
      return t('nx_accept', {
        n: app.caseNumber ?? '—',
        d: dated(app.acceptance, 'commentEndsOn', app.acceptance?.commentEndsOn),
      });
    case 'propose_decision':
      return t('nx_propose_decision', { d: dated(app.proposal, 'noticeEndsOn', app.proposal?.noticeEndsOn) });
    case 'approve':
    case 'reject':
      return t(`nx_${name}`, { n: app.decisionNumber ?? '—' });
    case 'request_hearing':
      return app.hearing?.holdBy
        ? t('nx_request_hearing', { d: dated(app.hearing, 'holdBy', app.hearing.holdBy) })
        : t('nx_request_hearing_nodate');
    case 'schedule_hearing': {
      const at = app.hearing?.scheduled?.at;
      const ms = at ? new Date(at).getTime() : Number.NaN;
      const when = Number.isNaN(ms)
        ? (at ?? '—')
        : new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
      return t('nx_schedule_hearing', { at: when, place: app.hearing?.scheduled?.place ?? '—' });
    }
    case 'record_hearing_outcome':
      return t(
        app.state === 'PUBLIC_NOTICE'
          ? 'nx_record_hearing_outcome_stands'
          : 'nx_record_hearing_outcome_review',
      );
    case 'record_milestone': {
      const next = milestoneOrder[app.milestones?.length ?? milestoneOrder.length];
      return next ? t('nx_record_milestone', { m: tr(`enum.${next}`, next) }) : t('nx_record_milestone_last');
    }
    default:
      return known.has(name) ? t(`nx_${name}` as Key) : t('done', { a: tr(`ev_${name}`, t('ev_other')) });
  }
}
