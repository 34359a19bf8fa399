import { ApiProblem, api } from '../api.ts';
import { session } from '../auth.ts';
import { announce, h, replace, uid } from '../dom.ts';
import { problemKey } from '../files.ts';
import { keepTyping } from '../form-memory.ts';
import { type Key, lang, t } from '../i18n.ts';
import {
  charCount,
  hearingAt,
  hearingDays,
  isEmail,
  MAX_PLACE,
  MAX_TEXT,
  type ProposalBlock,
  proposalBlocks,
  unansweredIn,
} from '../participation.ts';
import { clearInvalid, findField, markInvalid } from '../schema-form.ts';
import {
  type Application,
  DATE,
  dateCell,
  dateTime,
  dateTimeMinutes,
  errorBox,
  type ProvisionalMark,
  provisionalLine,
  section,
  withDate,
} from '../ui.ts';

/**
 * The case officer's side of public participation on the application page: the public's comments,
 * each with its response (or a box to write it in, once); the hearing requests with their
 * contacts, the dates the hearing must be scheduled and held by, and the form to schedule it; and,
 * beside the propose button, what still stops a proposal.
 */

/** One comment as GET /applications/{id}/comments lists it (officials see names and contacts). */
export interface PublicComment {
  commentId: string;
  noticeId: string;
  noticeKind: string;
  receivedAt: string;
  text: string;
  name?: string;
  contact?: string;
  response?: string;
  respondedAt?: string;
  respondedBy?: string;
}

/** One hearing request as GET /applications/{id}/hearing-requests lists it. */
export interface HearingRequest {
  hearingRequestId: string;
  noticeId: string;
  receivedAt: string;
  name: string;
  contact: string;
  reason: string;
}

const colon = () => (lang() === 'zh' ? '：' : ': ');

/** Every item of a list route that pages with `next` (or `cursor`); undefined when the caller may not read it. */
export async function listAll<T>(path: string): Promise<T[] | undefined> {
  const items: T[] = [];
  let next: string | undefined;
  try {
    do {
      const q = next ? `${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(next)}` : '';
      const { body } = await api<{ items: T[]; next?: string; cursor?: string }>('GET', `${path}${q}`);
      items.push(...body.items);
      next = body.next ?? body.cursor;
    } while (next && items.length < 5000);
  } catch {
    // A role that may not read them (403), or an API without the route: the page goes without them.
    return undefined;
  }
  return items;
}

/**
 * Once a marked field is typed in again, its mark and message go (they said what was wrong with
 * the earlier value); the next send checks it anew.
 */
export function clearMarksOnInput(form: HTMLElement): void {
  form.addEventListener('input', (event) => {
    const el = event.target as HTMLElement;
    if (el.getAttribute('aria-invalid') !== 'true') return;
    el.removeAttribute('aria-invalid');
    document.getElementById(`${el.id}-error`)?.remove();
    const rest = (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter((id) => id && id !== `${el.id}-error`);
    if (rest.length) el.setAttribute('aria-describedby', rest.join(' '));
    else el.removeAttribute('aria-describedby');
  });
}

/** A copy of `problem` listing only `issues` (the others are shown beside their fields). */
function withIssues(problem: ApiProblem, issues: { path: string; message: string }[]) {
  return new ApiProblem(
    problem.status,
    problem.title,
    problem.detail,
    issues,
    problem.type,
    problem.retryAfter,
  );
}

/** The sentences of what stops a proposal. */
function blockLine(app: Application, block: ProposalBlock) {
  return block.type === 'comment-period-open'
    ? h('li', { 'data-block': block.type }, t('blockPeriod', { d: block.until }))
    : h(
        'li',
        { 'data-block': block.type },
        t('blockUnanswered', { n: block.unanswered }),
        ' ',
        h('a', { href: `#/app/${app.id}`, 'data-to-comments': '', onclick: toComments }, t('publicComments')),
      );
}

function toComments(event: Event) {
  event.preventDefault();
  const target = document.getElementById('public-comments');
  target?.scrollIntoView();
  target?.focus();
}

/**
 * Beside the propose button: what stops the proposal today, from the application as read (the
 * comment period, unanswered comments); or, once neither does, that both are settled.
 */
export function proposalBlockBox(app: Application, today: string) {
  const blocks = proposalBlocks(app, today);
  if (blocks.length === 0) {
    if (!app.acceptance) return '';
    return h(
      'p',
      { class: 'ok', 'data-proposal-blocks': '0' },
      t('blockClear', { n: app.comments?.received ?? 0 }),
    );
  }
  return h(
    'div',
    { class: 'warning', 'data-proposal-blocks': String(blocks.length) },
    h('p', {}, h('strong', {}, t('blockTitle'))),
    h(
      'ul',
      {},
      blocks.map((b) => blockLine(app, b)),
    ),
  );
}

/**
 * The error box for a refused act, in words: the proposal's two rules with their date or number
 * (from the application, or the API's detail when it counted more comments than the page shows),
 * the hearing's time limits beside the field; anything else as the API's problem.
 */
export function actProblemBox(
  app: Application,
  error: unknown,
  unplaced: { path: string; message: string }[],
): HTMLElement {
  if (error instanceof ApiProblem && error.type === 'comment-period-open' && app.acceptance) {
    return errorBox(new Error(t('blockPeriod', { d: app.acceptance.commentEndsOn })));
  }
  if (error instanceof ApiProblem && error.type === 'comments-unanswered') {
    const counted = app.comments ? app.comments.received - app.comments.answered : 0;
    const n = unansweredIn(error.detail) ?? counted;
    return errorBox(new Error(n > 0 ? t('blockUnanswered', { n }) : t('problem_comments-unanswered')));
  }
  return errorBox(error instanceof ApiProblem ? withIssues(error, unplaced) : error);
}

/** The ISO time as the officer reads it: Beijing date and time, `YYYY-MM-DDTHH:mm` for a date-time field. */
const beijingLocal = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
};

/** The schedule_hearing form's fields: a date-time (Beijing) and a place; `at` sent with +08:00. */
export function scheduleFields(app: Application, today: string) {
  const hearing = app.hearing;
  const range = hearingDays(today, hearing?.holdBy);
  // The last day is counted in working days: marked when that may still move.
  const latest = range.latest ? dateCell(range.latest, hearing, 'holdBy') : '—';
  const hint = h(
    'p',
    { class: 'hint', id: uid('at-hint') },
    range.possible
      ? withDate(t('scheduleRange', { a: range.earliest, b: DATE }), latest)
      : withDate(t('scheduleImpossible', { b: DATE }), latest),
  );
  const at = h('input', {
    type: 'datetime-local',
    id: 'a-schedule_hearing-at',
    name: 'at',
    'data-path': 'at',
    'aria-required': 'true',
    'aria-describedby': hint.id,
    min: `${range.earliest}T00:00`,
    ...(range.latest ? { max: `${range.latest}T23:59` } : {}),
    value: hearing?.scheduled ? beijingLocal(hearing.scheduled.at) : undefined,
  });
  const place = h('input', {
    type: 'text',
    id: 'a-schedule_hearing-place',
    name: 'place',
    'data-path': 'place',
    maxlength: MAX_PLACE,
    'aria-required': 'true',
    value: hearing?.scheduled?.place,
  });
  const label = (control: HTMLElement, words: string) =>
    h('label', { for: control.id }, words, h('span', { class: 'req' }, t('requiredMark')));
  const fields = h(
    'div',
    { class: 'fields' },
    // Once scheduled, the same form moves it: everyone is told again.
    hearing?.scheduled ? h('p', { class: 'hint', 'data-reschedule': '' }, t('rescheduleHint')) : '',
    h('div', { class: 'field' }, label(at, t('scheduleAtLabel')), hint, at),
    h('div', { class: 'field' }, label(place, t('schedulePlaceLabel')), place),
  );
  return {
    fields,
    // An unreadable time goes as typed: the API names the field, and it is marked in words below.
    read: () => ({ at: hearingAt(at.value) ?? at.value.trim(), place: place.value.trim() }),
    /**
     * What can be said before sending, beside its field: no time, a day outside the range the
     * hint gives (the API decides again), no place. True when nothing is wrong.
     */
    check(): boolean {
      clearInvalid(fields);
      let ok = true;
      const iso = hearingAt(at.value);
      const day = iso?.slice(0, 10);
      if (!iso || !day) {
        markInvalid(at, t('scheduleAtInvalid'));
        ok = false;
      } else if (day < range.earliest) {
        markInvalid(at, t('problem_hearing-too-soon'));
        ok = false;
      } else if (range.latest && day > range.latest) {
        markInvalid(at, t('problem_hearing-too-late'));
        ok = false;
      }
      const n = charCount(place.value);
      if (n === 0 || n > MAX_PLACE) {
        markInvalid(place, n === 0 ? t('issueRequired') : t('issueTooLong', { n: MAX_PLACE }));
        ok = false;
      }
      if (!ok) fields.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return ok;
    },
    /** The question asked before the notices go out: the project, the time and the place. */
    question: (project: string) =>
      t('scheduleConfirm', {
        p: project,
        at: at.value.trim().replace('T', ' '),
        place: place.value.trim(),
      }),
    showIssues(problem: ApiProblem) {
      clearInvalid(fields);
      const unplaced: { path: string; message: string }[] = [];
      for (const issue of problem.issues) {
        const target = findField(fields, issue.path);
        if (!target) {
          unplaced.push(issue);
          continue;
        }
        const key = issue.path === 'at' ? problemKey(problem.type) : undefined;
        markInvalid(target, key ? t(key as Key) : issue.path === 'at' ? t('scheduleAtInvalid') : issue);
      }
      return unplaced;
    },
  };
}

/** The public's comments, each answered once by the case officer; undefined for those who may not read them. */
export function commentsSection(
  app: Application,
  comments: readonly PublicComment[],
  reload: (message?: string) => Promise<void>,
) {
  const s = session();
  const mayAnswer = s?.role === 'reviewer' && s.sub === app.caseOfficerId;
  const counts = app.comments ?? {
    received: comments.length,
    answered: comments.filter((c) => c.response !== undefined).length,
  };
  const box = section(
    t('publicComments'),
    h(
      'p',
      { class: 'muted', 'data-comment-counts': `${counts.received}/${counts.answered}` },
      t('commentsSummary', { r: counts.received, a: counts.answered }),
    ),
    comments.length
      ? h(
          'ol',
          { class: 'comments' },
          comments.map((c) => commentItem(app, c, mayAnswer, reload)),
        )
      : h('p', { class: 'muted' }, t('noComments')),
  );
  box.id = 'public-comments';
  box.tabIndex = -1;
  return box;
}

function commentItem(
  app: Application,
  c: PublicComment,
  mayAnswer: boolean,
  reload: (message?: string) => Promise<void>,
) {
  return h(
    'li',
    {
      class: 'comment',
      'data-comment': c.commentId,
      'data-answered': String(c.response !== undefined),
      tabindex: -1,
    },
    h(
      'p',
      { class: 'muted comment-meta' },
      `${t('receivedAt')}${colon()}${dateTime(c.receivedAt)} · ${t('commentOn')}${colon()}${t(c.noticeKind as Key)}`,
    ),
    h(
      'p',
      { class: 'comment-who' },
      `${t('commenter')}${colon()}`,
      c.name ?? h('span', { class: 'muted' }, t('anonymous')),
      ' · ',
      `${t('contactOf')}${colon()}`,
      c.contact ?? h('span', { class: 'muted' }, t('noContact')),
    ),
    h('blockquote', { class: 'comment-text' }, c.text),
    c.response !== undefined
      ? h(
          'div',
          { class: 'response', 'data-response': '' },
          h(
            'p',
            {},
            h('strong', {}, t('responseLabel')),
            ` · ${t('answeredOn', { d: c.respondedAt ? dateTime(c.respondedAt) : '—' })}`,
          ),
          h('p', { class: 'response-text' }, c.response),
        )
      : mayAnswer
        ? responseForm(app, c, reload)
        : h(
            'p',
            { class: 'muted' },
            h('span', { class: 'chip' }, t('notAnswered')),
            ' ',
            t('respondByOfficer'),
          ),
  );
}

function responseForm(app: Application, c: PublicComment, reload: (message?: string) => Promise<void>) {
  const id = `response-${c.commentId}`;
  const area = h('textarea', { id, name: 'response', 'data-path': 'response', rows: 4 });
  const counter = h('p', { class: 'hint char-count', id: `${id}-count` });
  area.setAttribute('aria-describedby', counter.id);
  area.setAttribute('aria-required', 'true');
  const show = () => {
    const n = charCount(area.value);
    counter.textContent =
      t('charsCount', { n, max: MAX_TEXT }) + (n > MAX_TEXT ? ` ${t('charsOver', { n: n - MAX_TEXT })}` : '');
    counter.classList.toggle('over', n > MAX_TEXT);
  };
  area.addEventListener('input', show);
  show();
  const problems = h('div');
  const button = h('button', { type: 'submit', 'data-respond': c.commentId }, t('respond'));
  const form = h(
    'form',
    { class: 'respond-form', novalidate: true, 'data-comment': c.commentId },
    problems,
    h(
      'div',
      { class: 'field' },
      h('label', { for: id }, t('responseLabel'), h('span', { class: 'req' }, t('requiredMark'))),
      counter,
      area,
    ),
    h('div', { class: 'buttons' }, button),
  );
  clearMarksOnInput(form);
  // Kept across a reload until sent; comments do not change the application's fields.
  const memory = keepTyping(form, `${app.id}.comment.${c.commentId}`, 0);
  show();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    clearInvalid(form);
    replace(problems);
    const n = charCount(area.value);
    if (n === 0 || n > MAX_TEXT) {
      markInvalid(area, n === 0 ? t('issueRequired') : t('issueTooLong', { n: MAX_TEXT }));
      area.focus();
      return;
    }
    // A response is sent once and cannot be taken back: asked first.
    if (!window.confirm(t('respondConfirmTo'))) return;
    button.disabled = true;
    try {
      await api('POST', `/applications/${app.id}/comments/${encodeURIComponent(c.commentId)}/response`, {
        body: { response: area.value.trim() },
      });
      memory.forget();
      announce(t('commentAnswered'));
      await reload(t('commentAnswered'));
      document.querySelector<HTMLElement>(`[data-comment="${CSS.escape(c.commentId)}"]`)?.focus();
    } catch (error) {
      button.disabled = false;
      const unplaced: { path: string; message: string }[] = [];
      if (error instanceof ApiProblem) {
        for (const issue of error.issues) {
          if (issue.path === 'response') markInvalid(area, issue);
          else unplaced.push(issue);
        }
      }
      const box = errorBox(error instanceof ApiProblem ? withIssues(error, unplaced) : error);
      replace(problems, box);
      box.focus();
    }
  });
  return form;
}

/** The hearing's provisional mark, only for the dates the page shows. */
const hearingMark = (hearing: ProvisionalMark | undefined) =>
  hearing?.provisionalDates?.some((d) => d === 'holdBy' || d === 'scheduleBy') ? hearing : undefined;

/** The hearing: who asked, by when it must be scheduled and held, when and where it is, and the requests. */
export function hearingSection(
  app: Application,
  requests: readonly HearingRequest[] | undefined,
  today: string,
  scheduleForm: HTMLElement | undefined,
) {
  const hearing = app.hearing;
  if (!hearing && !requests?.length) return '';
  const rows: [string, Node | string][] = [];
  if (hearing?.origin) rows.push([t('hearingOriginLabel'), t(`hearingOrigin_${hearing.origin}` as Key)]);
  if (hearing) rows.push([t('hearingRequestedAt'), dateTime(hearing.requestedAt)]);
  if (hearing?.requests !== undefined || requests)
    rows.push([
      t('hearingRequestsCount'),
      t('countItems', { n: hearing?.requests ?? requests?.length ?? 0 }),
    ]);
  if (hearing?.holdBy) rows.push([t('holdBy'), dateCell(hearing.holdBy, hearing, 'holdBy')]);
  const open = hearing && !hearing.recordedAt;
  const scheduled = hearing?.scheduled;
  return section(
    t('hearingSection'),
    rows.length
      ? h(
          'dl',
          { class: 'summary' },
          rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
        )
      : '',
    scheduled
      ? h(
          'p',
          { class: 'ok', 'data-hearing-scheduled': scheduled.at },
          t('scheduledAt', { at: dateTimeMinutes(scheduled.at), place: scheduled.place }),
        )
      : open && hearing.scheduleBy
        ? h(
            'p',
            {
              class: today > hearing.scheduleBy ? 'error-box' : 'warning',
              'data-schedule-by': hearing.scheduleBy,
            },
            withDate(
              today > hearing.scheduleBy ? t('scheduleOverdue', { d: DATE }) : t('scheduleBy', { d: DATE }),
              dateCell(hearing.scheduleBy, hearing, 'scheduleBy'),
            ),
          )
        : '',
    // Why a date above may still move, while it still binds anyone.
    open ? provisionalLine(hearingMark(hearing)) : '',
    open ? (scheduleForm ?? '') : '',
    requests
      ? [
          h('h3', { class: 'after-form' }, t('hearingRequestsList')),
          requests.length
            ? h(
                'ol',
                { class: 'comments hearing-requests' },
                requests.map((r) =>
                  h(
                    'li',
                    { class: 'comment', 'data-hearing-request': r.hearingRequestId },
                    h(
                      'p',
                      { class: 'muted comment-meta' },
                      `${t('receivedAt')}${colon()}${dateTime(r.receivedAt)}`,
                    ),
                    h(
                      'p',
                      { class: 'comment-who' },
                      `${t('commenter')}${colon()}${r.name} · ${t('contactOf')}${colon()}`,
                      isEmail(r.contact) ? h('a', { href: `mailto:${r.contact}` }, r.contact) : r.contact,
                    ),
                    isEmail(r.contact)
                      ? ''
                      : h('p', { class: 'hint', 'data-phone-them': '' }, t('phoneThem')),
                    h('p', {}, h('strong', {}, `${t('requestReason')}${colon()}`)),
                    h('blockquote', { class: 'comment-text' }, r.reason),
                  ),
                ),
              )
            : h('p', { class: 'muted' }, t('noHearingRequests')),
        ]
      : '',
  );
}
