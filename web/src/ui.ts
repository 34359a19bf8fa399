import { ApiProblem } from './api.ts';
import { type Child, h } from './dom.ts';
import { problemKey } from './files.ts';
import { type Key, lang, t } from './i18n.ts';
import { type Issue, issueLine } from './issues.ts';
import { stateName } from './workflow.ts';

/** Bits of UI several pages share. */

/** What the API puts beside dates counted through an unpublished year (docs/clocks.md#provisional-dates). */
export interface ProvisionalMark {
  provisional?: boolean;
  provisionalDates?: string[];
  provisionalNote?: { zh: string; en: string };
}

export interface Clock extends ProvisionalMark {
  startedOn: string;
  limit: number;
  dayType: 'WORKING' | 'CALENDAR';
  used: number;
  remaining: number;
  paused: boolean;
  dueDate: string;
  commitment?: { limit: number; dueDate: string; remaining: number };
  calendarPublished: boolean;
  status: 'ON_TRACK' | 'DUE_SOON' | 'OVERDUE';
  note?: string;
}

export interface Material {
  code: string;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  uploadId?: string;
  contentType?: string;
}

export interface Application {
  id: string;
  state: string;
  category: string;
  version: number;
  caseNumber?: string;
  decisionNumber?: string;
  receiptNumber?: string;
  project: {
    name?: string;
    location?: string;
    industry?: string;
    investmentCny?: number;
    description?: string;
  };
  applicant: { orgName?: string; orgCode?: string; contactName?: string; contactPhone?: string };
  intake?: {
    kind: 'WALK_IN';
    by: { id: string; name: string };
    onBehalfOf: { orgName: string; orgCode: string };
  };
  preparedBy?: { orgName: string; orgCode: string };
  ownerId: string;
  materials: Material[];
  clock?: Clock;
  supplement?: { items: { code: string; reason: string }[]; requestedAt: string; answeredAt?: string };
  revision?: { items: { topic: string; detail: string }[]; requestedAt: string; response?: string };
  proposal?: ProvisionalMark & {
    proposal: 'approve' | 'reject';
    conditions?: string[];
    reasons?: string[];
    noticeStartsOn: string;
    noticeEndsOn: string;
    hearingDeadline?: string;
  };
  acceptance?: ProvisionalMark & { acceptedOn: string; commentEndsOn: string; commentClosedOn?: string };
  /** The public's comments on its notices: how many came in, how many the case officer answered. */
  comments?: { received: number; answered: number };
  caseOfficerId?: string;
  /** The hearing; `holdBy` and `scheduleBy` are marked when counted through an unpublished year. */
  hearing?: ProvisionalMark & {
    reason: string;
    requestedAt: string;
    /** Who asked first. */
    origin?: 'applicant' | 'public';
    /** Interested parties' requests so far. */
    requests?: number;
    /** Last day the hearing may be held (20 working days from the first request). */
    holdBy?: string;
    /** Last day it can still be scheduled with 7 days' notice. */
    scheduleBy?: string;
    scheduled?: { at: string; place: string; scheduledAt: string; scheduledBy: string };
    summary?: string;
    recordedAt?: string;
  };
  expertReview?: ProvisionalMark & { expectedWorkingDays: number; expectedEndsOn?: string };
  completenessCheck?: ProvisionalMark & { deadline: string };
  decision?: { outcome: string; conditions?: string[]; reasons?: string[] };
  /** The tracking milestones recorded after an approval, in order. */
  milestones?: { milestone: string }[];
  allowedActions: string[];
  canEdit?: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AuditEvent {
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

export const stateBadge = (state: string) =>
  h('span', { class: `state state-${state.toLowerCase()}`, 'data-state': state }, stateName(state));

/** The clock's status as a colour and, for those who cannot see colour, as words. */
export function clockChip(clock: Clock | undefined) {
  if (!clock) return h('span', { class: 'muted' }, '—');
  return h(
    'span',
    { class: `chip chip-${clock.status.toLowerCase()}`, 'data-status': clock.status },
    t(clock.status as Key),
    clock.paused ? ` · ${t('paused')}` : '',
  );
}

/** The explanation of a provisional mark in the console's language. */
export function provisionalText(mark: ProvisionalMark | undefined): string {
  return mark?.provisionalNote?.[lang()] ?? t('provisionalNote');
}

/**
 * A date, and when the API marks it provisional, the word “暂定” / “provisional” beside it with
 * the explanation as its tooltip and, for screen readers, in the text itself (not colour alone).
 */
export function dateCell(date: string, mark: ProvisionalMark | undefined, field: string) {
  if (!mark?.provisional || !mark.provisionalDates?.includes(field)) return h('span', {}, date);
  const note = provisionalText(mark);
  return h(
    'span',
    { class: 'date-provisional' },
    date,
    ' ',
    h(
      'span',
      { class: 'provisional', 'data-provisional': field, title: note },
      t('provisional'),
      h('span', { class: 'visually-hidden' }, `: ${note}`),
    ),
  );
}

/** Where a date goes in a sentence built by `withDate`: `t(key, { d: DATE })`. */
export const DATE = '\u0000';

/** A sentence with its date (a `dateCell`, marked when provisional) where `DATE` stands. */
export function withDate(sentence: string, date: Node | string): (Node | string)[] {
  const [before = '', ...rest] = sentence.split(DATE);
  return [before, date, rest.join('')];
}

/** One line saying why the dates above are provisional, or nothing. */
export function provisionalLine(mark: ProvisionalMark | undefined) {
  if (!mark?.provisional) return '';
  return h(
    'p',
    { class: 'provisional-note', role: 'note' },
    h('strong', {}, `${t('provisional')}：`),
    provisionalText(mark),
  );
}

export const dateTime = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(document.documentElement.lang, { timeZone: 'Asia/Shanghai', hour12: false });
};

/** A time to the minute, Beijing time (a hearing's, which has no seconds to speak of). */
export const dateTimeMinutes = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(document.documentElement.lang, {
        timeZone: 'Asia/Shanghai',
        hour12: false,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      });
};

/**
 * A problem in the console's language when the console knows its type (the API's `detail` is
 * English), else the API's own words; never the bare type.
 */
export function problemMessage(problem: ApiProblem): string {
  const key = problemKey(problem.type);
  return key ? t(key as Key) : problem.detail || problem.title;
}

/** An error box for a failed call; focusable so that it can take focus and be read out. */
export function errorBox(error: unknown, extra: readonly Issue[] = []) {
  const problem = error instanceof ApiProblem ? error : undefined;
  // A refused form: how many things to fix, not the API's detail (which lists the fields by path).
  const message = problem?.issues.length
    ? t('issuesCount', { n: problem.issues.length })
    : problem
      ? problemMessage(problem)
      : error instanceof Error
        ? error.message
        : String(error);
  const issues = extra.length ? extra : (problem?.issues ?? []);
  return h(
    'div',
    { class: 'error-box', role: 'alert', tabindex: -1 },
    // "Please fix" only when there is something to fix: a 404 or a 409 is not the reader's mistake.
    h('p', {}, h('strong', {}, issues.length ? t('errorsTitle') : t('error')), ' ', message),
    issues.length
      ? h(
          'ul',
          {},
          // The field by its label and the problem in words, never a bare path.
          issues.map((i) => h('li', {}, issueLine(i))),
        )
      : '',
  );
}

export function section(title: string, ...children: Child[]) {
  const id = `s-${title.replace(/\W+/g, '-')}-${Math.random().toString(36).slice(2, 7)}`;
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

export function table(
  headers: readonly string[],
  rows: readonly (readonly (Node | string)[])[],
  caption?: string,
) {
  // On a phone each row is a card (styles.css) and each cell shows its column's name from
  // `data-label`; on a wider screen that still cannot hold the table, its box scrolls sideways and
  // takes focus, so the keyboard can scroll it too.
  return h(
    'div',
    { class: 'table-wrap', tabindex: 0, ...(caption ? { role: 'region', 'aria-label': caption } : {}) },
    h(
      'table',
      {},
      caption ? h('caption', { class: 'visually-hidden' }, caption) : '',
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map((x) => h('th', { scope: 'col' }, x)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            {},
            r.map((c, i) => h('td', cellLabel(headers[i]), c)),
          ),
        ),
      ),
    ),
  );
}

/** A cell's column name, as the label its card shows on a phone (“项目名称：”), or none. */
function cellLabel(header: string | undefined): Record<string, string> {
  return header ? { 'data-label': `${header}${lang() === 'zh' ? '：' : ':'}` } : {};
}
