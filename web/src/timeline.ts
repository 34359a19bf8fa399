import { actNames } from './acts.ts';
import { type Key, lang, t, tr } from './i18n.ts';
import type { Application, AuditEvent, ProvisionalMark } from './ui.ts';
import { materialName, stateName } from './workflow.ts';

/**
 * Each event of a case's trail in words: what happened (a title for every kind of event: the
 * workflow's acts, drafts, the public's letters, documents, the sweeper's steps), who did it (a
 * name and a role in words, the public as “公众”, the service itself as “系统”) and what changed,
 * line by line: labels and values in words, dates as dates, provisional ones said so. Never a
 * code, a field key or an internal id. Pure: strings only; application.ts lays them out.
 */
export interface EventWords {
  title: string;
  /** “已提交 → 已受理”, or the state alone when it did not change; empty when there is none. */
  change: string;
  who: string;
  lines: string[];
}

/** The trail's actor for what the public sent (a comment, a hearing request): nobody in particular. */
export const PUBLIC_ACTOR = 'public';

/** Every kind of event the console words itself; anything else is “another step”, never its code. */
export const eventKinds = [
  'create',
  'edit',
  'delete_draft',
  ...actNames,
  'receive_comment',
  'respond_to_comment',
  'receive_hearing_request',
  'issue_document',
  'close_comment_period',
  'close_notice',
  'mark_due_soon',
  'mark_overdue',
  'mark_expert_review_elapsed',
  'recompute_dates',
] as const;

const known = new Set<string>(eventKinds);

/** The title of an event of `action`. */
export const eventTitle = (action: string): string =>
  known.has(action) ? t(`ev_${action}` as Key) : t('ev_other');

/** Who acted: a person with their role; the public as “公众”; the service itself (the sweeper, the documents) as “系统”. */
export function actorText(actor: AuditEvent['actor']): string {
  if (actor.id === PUBLIC_ACTOR) return t('actor_public');
  const role = tr(`role_${actor.role}`, t('role_system'));
  if (actor.role === 'system') return role;
  return lang() === 'zh' ? `${actor.name}（${role}）` : `${actor.name} (${role})`;
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
const list = (items: readonly string[]) => items.join(t('listSep'));

/** The dates of the case, as it stands now, that are counted through an unpublished year. */
function provisionalDates(app: Application | undefined): Set<string> {
  const found = new Set<string>();
  const marks: (ProvisionalMark | undefined)[] = [
    app?.acceptance,
    app?.proposal,
    app?.hearing,
    app?.expertReview,
    app?.completenessCheck,
    app?.clock,
  ];
  for (const mark of marks) {
    if (!mark?.provisional) continue;
    for (const field of mark.provisionalDates ?? []) {
      const value = rec(mark)[field];
      if (typeof value === 'string') found.add(value);
    }
  }
  return found;
}

/** Beijing date and time to the minute (a hearing's), e.g. 2026-04-01 09:30. */
function beijingMinutes(iso: string): string {
  const ms = new Date(iso).getTime();
  return Number.isNaN(ms) ? iso : new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

const category = (v: unknown) => tr(`cat_${String(v)}`, t('ev_other'));
const enumWord = (v: unknown) => tr(`enum.${String(v)}`, String(v));
const materialNames = (v: unknown) =>
  list(
    (Array.isArray(v) ? v : [])
      .map((m) => str(rec(m).code))
      .filter((c): c is string => c !== undefined)
      .map(materialName),
  );

/** The labels of what an edit changed (the payload's fields), in words. */
function editedFields(payload: Rec): string[] {
  const labels: string[] = [];
  for (const [key, value] of Object.entries(payload)) {
    if (value === undefined) continue;
    if (key === 'category') labels.push(`${t('category')}（${t('tl_categoryNow', { c: category(value) })}）`);
    else if (key === 'materials') labels.push(t('materialsSection'));
    else if (key === 'project' || key === 'applicant' || key === 'preparedBy') {
      const inner = rec(value);
      const named = Object.keys(inner).map((k) => tr(`${key}.${k}`, tr(`field.${key}`, t('ev_other'))));
      labels.push(...(named.length ? named : [tr(`field.${key}`, t('ev_other'))]));
    } else labels.push(tr(`field.${key}`, t('ev_other')));
  }
  return [...new Set(labels)];
}

/**
 * An event in words. `official`: an official or an auditor reads it, who may see what the public
 * sent with their name and contact; `app`: the case as it stands, to mark its provisional dates.
 */
export function eventWords(e: AuditEvent, official: boolean, app?: Application): EventWords {
  const p = rec(e.payload);
  const c = rec(e.changes);
  const provisional = provisionalDates(app);
  const date = (d: unknown): string => {
    const s = str(d) ?? '—';
    return provisional.has(s) ? `${s}${t('tl_provisional')}` : s;
  };
  const lines: string[] = [];
  const add = (key: Key, params: Record<string, string | number> = {}) => lines.push(t(key, params));
  const addIf = (value: unknown, key: Key, name = 'v') => {
    const s = str(value);
    if (s) add(key, { [name]: s });
  };
  const publicSender = () => {
    if (!official) return;
    if (str(p.name)) add('tl_from', { n: String(p.name) });
    if (str(p.contact)) add('tl_contact', { v: String(p.contact) });
  };

  switch (e.action) {
    case 'create':
      add('tl_project', { p: str(rec(p.project).name) ?? '—', c: category(p.category) });
      break;
    case 'edit': {
      const fields = editedFields(p);
      if (fields.length) add('tl_edited', { f: list(fields) });
      break;
    }
    case 'delete_draft':
      add('tl_deleted');
      break;
    case 'request_preview':
      addIf(p.question, 'tl_question');
      break;
    case 'give_preview_advice':
      addIf(p.advice, 'tl_advice');
      if (str(p.suggestedCategory)) add('tl_suggested', { c: category(p.suggestedCategory) });
      break;
    case 'submit':
      if (str(c.receiptNumber)) add('tl_receipt', { n: String(c.receiptNumber) });
      else if (str(c.receivedOn)) add('tl_receivedOn', { d: date(c.receivedOn) });
      break;
    case 'request_supplement':
      for (const item of Array.isArray(p.items) ? p.items : []) {
        const i = rec(item);
        add('tl_supplementItem', { m: materialName(String(i.code ?? '')), r: str(i.reason) ?? '—' });
      }
      break;
    case 'resubmit':
      if (materialNames(p.materials)) add('tl_materials', { m: materialNames(p.materials) });
      break;
    case 'accept': {
      const acceptance = rec(c.acceptance);
      addIf(c.caseNumber, 'tl_caseNumber', 'n');
      if (acceptance.deemed === true) add('tl_deemed');
      if (str(acceptance.acceptedOn)) add('tl_clockFrom', { d: date(acceptance.acceptedOn) });
      if (str(acceptance.commentEndsOn)) add('tl_commentUntil', { d: date(acceptance.commentEndsOn) });
      break;
    }
    case 'decline':
    case 'return_to_review':
      addIf(p.reason, 'tl_reason');
      if (e.action === 'return_to_review') add('tl_proposalWithdrawn');
      break;
    case 'withdraw':
      addIf(p.reason, 'tl_reason');
      break;
    case 'start_review':
      add('tl_officer', { who: e.actor.name });
      break;
    case 'start_expert_review':
      if (typeof p.expectedWorkingDays === 'number') add('tl_expertDays', { n: p.expectedWorkingDays });
      if (strs(p.panel).length) add('tl_panel', { v: list(strs(p.panel)) });
      add('tl_clockPaused');
      break;
    case 'record_expert_opinion':
      if (str(p.conclusion)) add('tl_conclusion', { v: enumWord(p.conclusion) });
      addIf(p.opinion, 'tl_opinion');
      if (materialNames(p.attachments)) add('tl_attachments', { v: materialNames(p.attachments) });
      add('tl_clockResumed');
      break;
    case 'request_revision':
      for (const item of Array.isArray(p.items) ? p.items : []) {
        const i = rec(item);
        add('tl_revisionItem', { t: str(i.topic) ?? '—', d: str(i.detail) ?? '—' });
      }
      add('tl_clockPaused');
      break;
    case 'submit_revision':
      addIf(p.response, 'tl_response');
      if (materialNames(p.materials)) add('tl_materials', { m: materialNames(p.materials) });
      add('tl_clockResumed');
      break;
    case 'propose_decision': {
      const proposal = rec(c.proposal);
      if (str(p.proposal)) add('tl_proposal', { v: enumWord(p.proposal) });
      for (const x of strs(p.conditions)) add('tl_condition', { v: x });
      for (const x of strs(p.reasons)) add('tl_reasonItem', { v: x });
      if (str(proposal.noticeEndsOn))
        add('tl_noticeFrom', { a: date(proposal.noticeStartsOn), b: date(proposal.noticeEndsOn) });
      if (str(proposal.hearingDeadline)) add('tl_hearingUntil', { d: date(proposal.hearingDeadline) });
      break;
    }
    case 'approve':
    case 'reject': {
      const decision = rec(c.decision);
      addIf(c.decisionNumber, 'tl_decisionNumber', 'n');
      for (const x of strs(decision.conditions ?? p.conditions)) add('tl_condition', { v: x });
      for (const x of strs(decision.reasons ?? p.reasons)) add('tl_reasonItem', { v: x });
      break;
    }
    case 'request_hearing': {
      const hearing = rec(c.hearing);
      if (e.actor.id === PUBLIC_ACTOR) {
        add('tl_byPublic');
        publicSender();
      } else {
        add('tl_byApplicant');
        addIf(p.reason, 'tl_reason');
      }
      if (str(hearing.scheduleBy)) add('tl_scheduleBy', { d: date(hearing.scheduleBy) });
      if (str(hearing.holdBy)) add('tl_holdBy', { d: date(hearing.holdBy) });
      add('tl_clockPaused');
      break;
    }
    case 'schedule_hearing':
      if (str(p.at)) add('tl_hearingAt', { at: beijingMinutes(String(p.at)) });
      addIf(p.place, 'tl_hearingPlace');
      break;
    case 'record_hearing_outcome':
      addIf(p.summary, 'tl_hearingSummary');
      if (p.next === 'PUBLIC_NOTICE') add('tl_proposalStands');
      if (p.next === 'UNDER_REVIEW') add('tl_proposalBack');
      if (materialNames(p.attachments)) add('tl_attachments', { v: materialNames(p.attachments) });
      add('tl_clockResumed');
      break;
    case 'record_milestone':
      if (str(p.milestone)) add('tl_milestone', { v: enumWord(p.milestone) });
      addIf(p.note, 'tl_note');
      break;
    case 'receive_comment':
      if (str(p.noticeKind)) add('tl_commentOn', { v: tr(String(p.noticeKind), t('ev_other')) });
      publicSender();
      break;
    case 'respond_to_comment':
      addIf(p.response, 'tl_answer');
      break;
    case 'receive_hearing_request': {
      publicSender();
      const requests = rec(c.hearing).requests;
      if (typeof requests === 'number') add('tl_requestsSoFar', { n: requests });
      break;
    }
    case 'issue_document': {
      const kind = /^(.+)-\d+$/.exec(String(p.documentId ?? ''))?.[1];
      const number = str(p.number);
      if (number)
        add(kind && tr(`doc_${kind}`, '') ? 'tl_document' : 'tl_documentUnnamed', {
          k: kind ? tr(`doc_${kind}`, '') : '',
          n: number,
        });
      break;
    }
    case 'close_comment_period':
      add('tl_commentClosed', { d: date(rec(c.acceptance).commentEndsOn) });
      break;
    case 'close_notice':
      add('tl_noticeClosed', { d: date(rec(c.proposal).noticeEndsOn) });
      break;
    case 'mark_due_soon':
      add('tl_dueSoon');
      break;
    case 'mark_overdue':
      add('tl_overdue');
      break;
    case 'mark_expert_review_elapsed':
      add('tl_expertElapsed');
      break;
    case 'recompute_dates': {
      const before = rec(p.before);
      const after = rec(p.after);
      for (const field of [...new Set([...Object.keys(before), ...Object.keys(after)])]) {
        // The sweeper's own next look is no date of the case.
        const label = tr(`dl_${field}`, '');
        if (!label) continue;
        const a = str(before[field]);
        const b = str(after[field]);
        if (a && b) add('tl_dateMoved', { f: label, a: date(a), b: date(b) });
        else if (b) add('tl_dateSet', { f: label, b: date(b) });
        else if (a) add('tl_dateGone', { f: label, a: date(a) });
      }
      break;
    }
  }
  // What the public sent, for those who may not see who sent it: said, not shown.
  if (!official && e.actor.id === PUBLIC_ACTOR && (str(p.name) || str(p.contact))) add('tl_maskedPublic');

  const change =
    e.from && e.to && e.from !== e.to
      ? `${stateName(e.from)} → ${stateName(e.to)}`
      : e.to
        ? stateName(e.to)
        : '';
  return { title: eventTitle(e.action), change, who: actorText(e.actor), lines };
}
