import { ApiProblem, api } from '../api.ts';
import { announce, h, replace, uid } from '../dom.ts';
import { keepTyping } from '../form-memory.ts';
import { t } from '../i18n.ts';
import {
  charCount,
  commentsOpen,
  hearingRequestsOpen,
  MAX_CONTACT,
  MAX_NAME,
  MAX_TEXT,
} from '../participation.ts';
import { clearInvalid, findField, markInvalid } from '../schema-form.ts';
import { serviceToday } from '../today.ts';
import { DATE, dateCell, dateTime, dateTimeMinutes, errorBox, withDate } from '../ui.ts';
import { type Notice, noticeCard } from './notices.ts';
import { clearMarksOnInput } from './participation.ts';

/**
 * One public notice (GET /public/notices/{noticeId}), no sign-in: the notice itself, how many
 * comments it has received and, while its windows are open, the comment form and (on a proposed
 * decision) the hearing request form. Each form says what happens to what is sent and that names
 * and contacts stay private, keeps what is typed across a reload until it is sent, and sends once
 * however often the button is pressed.
 */
export async function noticePage(main: HTMLElement, noticeId: string): Promise<void> {
  const [res, today] = await Promise.all([
    // Asked again, not from the browser's cache: the count must include a comment just sent.
    api<Notice>('GET', `/public/notices/${encodeURIComponent(noticeId)}`, { fresh: true }),
    serviceToday(),
  ]);
  const n = res.body;
  const card = noticeCard(n, { today, page: true });
  const answerable = n.kind === 'ACCEPTANCE' || n.kind === 'PROPOSED_DECISION';
  // The comment count on the card goes up by one for each comment sent from this page.
  const counted = () => {
    const count = card.querySelector<HTMLElement>('[data-comment-count]');
    if (!count) return;
    const next = Number(count.dataset.commentCount ?? '0') + 1;
    count.dataset.commentCount = String(next);
    count.textContent = t('countItems', { n: next });
  };
  replace(
    main,
    h('p', { class: 'back' }, h('a', { href: '#/notices' }, t('backToNotices'))),
    card,
    n.hearing
      ? h(
          'section',
          { class: 'card participation', 'data-public-hearing': n.hearing.at },
          h('h2', {}, t('publicHearingTitle')),
          h('p', {}, t('scheduledAt', { at: dateTimeMinutes(n.hearing.at), place: n.hearing.place })),
          h('p', { class: 'muted' }, t('publicHearingOpen')),
        )
      : '',
    answerable ? commentSection(n, noticeId, today, counted) : '',
    n.kind === 'PROPOSED_DECISION' && hearingRequestsOpen(n, today) ? hearingSection(n, noticeId) : '',
  );
}

/** A field of the public forms: label (required or optional), hints, the control, by `data-path`. */
function field(
  control: HTMLInputElement | HTMLTextAreaElement,
  label: string,
  required: boolean,
  hints: HTMLElement[] = [],
) {
  control.id ||= uid('p');
  for (const hint of hints) hint.id ||= uid('hint');
  if (hints.length) control.setAttribute('aria-describedby', hints.map((x) => x.id).join(' '));
  if (required) control.setAttribute('aria-required', 'true');
  return h(
    'div',
    { class: 'field' },
    h(
      'label',
      { for: control.id },
      label,
      h('span', { class: 'req' }, t(required ? 'requiredMark' : 'optionalMark')),
    ),
    hints,
    control,
  );
}

/** A live count of the characters typed, as the API counts them, and a warning past the limit. */
function charCounter(area: HTMLTextAreaElement) {
  const counter = h('p', { class: 'hint char-count' });
  const show = () => {
    const n = charCount(area.value);
    const over = n - MAX_TEXT;
    counter.textContent =
      t('charsCount', { n, max: MAX_TEXT }) + (over > 0 ? ` ${t('charsOver', { n: over })}` : '');
    counter.classList.toggle('over', over > 0);
    counter.dataset.chars = String(n);
  };
  area.addEventListener('input', show);
  return { counter, show };
}

/** The problem's issues beside their fields; the others (and the problem in words) in the box. */
function showProblem(form: HTMLElement, box: HTMLElement, error: unknown, words?: string) {
  clearInvalid(form);
  const unplaced: { path: string; message: string }[] = [];
  if (error instanceof ApiProblem) {
    for (const issue of error.issues) {
      const target = findField(form, issue.path);
      if (target) markInvalid(target, issue);
      else unplaced.push(issue);
    }
  }
  const shown =
    words !== undefined
      ? new Error(words)
      : error instanceof ApiProblem
        ? new ApiProblem(error.status, error.title, error.detail, unplaced, error.type)
        : error instanceof TypeError
          ? new Error(t('sendNetwork'))
          : error;
  const alert = errorBox(shown);
  replace(box, alert);
  alert.focus();
}

/** A 429's sentence, with the seconds to wait when the API says. */
const rateLimited = (p: ApiProblem) =>
  p.retryAfter ? t('rateLimitedIn', { s: p.retryAfter }) : t('rateLimitedSoon');

/** Required and optional text fields checked before sending: each problem beside its field. */
function checkFields(fields: readonly PublicField[]): boolean {
  let ok = true;
  for (const { el, required, max } of fields) {
    const n = charCount(el.value);
    if (required && n === 0) {
      markInvalid(el, t('issueRequired'));
      ok = false;
    } else if (n > max) {
      markInvalid(el, t('issueTooLong', { n: max }));
      ok = false;
    }
  }
  return ok;
}

/** The fields that were filled in, trimmed: an optional field left empty is not sent at all. */
function filled(fields: readonly PublicField[]): Record<string, string> {
  return Object.fromEntries(
    fields.map(({ key, el }) => [key, el.value.trim()] as const).filter(([, v]) => v !== ''),
  );
}

function commentSection(n: Notice, noticeId: string, today: string, counted: () => void) {
  const until = n.commentsOpenUntil;
  if (!until) return '';
  const id = uid('comment-title');
  const box = h('div', { class: 'comment-box' });
  const section = h(
    'section',
    { class: 'card participation', 'aria-labelledby': id, id: 'comment' },
    h('h2', { id }, t('commentFormTitle')),
    box,
  );
  if (!commentsOpen(n, today)) {
    box.append(
      h(
        'p',
        { class: 'muted', 'data-comments-closed': '' },
        today < n.publishedOn ? t('commentsNotYet', { d: n.publishedOn }) : t('commentsClosed', { d: until }),
      ),
    );
    return section;
  }
  const showForm = () => replace(box, commentForm(n, noticeId, until, box, counted, showForm));
  showForm();
  return section;
}

function commentForm(
  n: Notice,
  noticeId: string,
  until: string,
  box: HTMLElement,
  counted: () => void,
  again: () => void,
) {
  const text = textArea('c-text', 'text', 6);
  const name = textInput('c-name', 'name', MAX_NAME, 'name');
  const contact = textInput('c-contact', 'contact', MAX_CONTACT, 'email');
  const { counter, show } = charCounter(text);
  return publicForm({
    kind: 'comment',
    noticeId,
    box,
    intro: [
      h(
        'p',
        { class: 'window' },
        h('strong', {}, withDate(t('commentsOpenUntil', { d: DATE }), lastDay(n, until))),
      ),
      // On a proposed decision the proposal is made: what the comment still does differs.
      h(
        'p',
        { 'data-what-happens': '' },
        t(n.kind === 'PROPOSED_DECISION' ? 'commentWhatHappensProposed' : 'commentWhatHappens'),
      ),
      h('p', { class: 'privacy', 'data-privacy': '' }, t('commentPrivacy')),
    ],
    layout: [
      field(text, t('commentText'), true, [counter]),
      h(
        'div',
        { class: 'grid' },
        field(name, t('commentName'), false),
        field(contact, t('commentContact'), false),
      ),
    ],
    fields: [
      { key: 'text', el: text, required: true, max: MAX_TEXT },
      { key: 'name', el: name, required: false, max: MAX_NAME },
      { key: 'contact', el: contact, required: false, max: MAX_CONTACT },
    ],
    show,
    sendLabel: t('commentSend'),
    question: t('commentConfirm'),
    closed: { type: 'comment-period-closed', words: t('commentClosedNow', { d: until }) },
    sent: (body: { commentId?: string; receivedAt: string }) => {
      counted();
      return h(
        'div',
        { class: 'ok thanks', role: 'status', tabindex: -1, 'data-comment-received': body.commentId },
        h('p', {}, h('strong', {}, t('commentThanks', { t: dateTime(body.receivedAt) }))),
        h('p', {}, t('commentThanksNext')),
        h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: again }, t('commentAnother'))),
      );
    },
  });
}

function hearingSection(n: Notice, noticeId: string) {
  const id = uid('hearing-title');
  const box = h('div');
  const section = h(
    'section',
    { class: 'card participation', 'aria-labelledby': id, id: 'hearing' },
    h('h2', { id }, t('hearingFormTitle')),
    box,
  );
  const name = textInput('h-name', 'name', MAX_NAME, 'name');
  const contact = textInput('h-contact', 'contact', MAX_CONTACT, 'email');
  const reason = textArea('h-reason', 'reason', 5);
  const { counter, show } = charCounter(reason);
  const form = publicForm({
    kind: 'hearing',
    noticeId,
    box,
    intro: [
      h(
        'p',
        { 'data-hearing-right': '' },
        withDate(t('hearingRight', { d: DATE }), lastDay(n, n.hearingRequestsOpenUntil ?? '')),
      ),
      h('p', { class: 'privacy', 'data-privacy': '' }, t('hearingPrivacy')),
    ],
    layout: [
      h(
        'div',
        { class: 'grid' },
        field(name, t('hearingName'), true),
        field(contact, t('hearingContact'), true, [h('p', { class: 'hint' }, t('hearingContactHint'))]),
      ),
      field(reason, t('hearingReason'), true, [counter]),
    ],
    fields: [
      { key: 'name', el: name, required: true, max: MAX_NAME },
      { key: 'contact', el: contact, required: true, max: MAX_CONTACT },
      { key: 'reason', el: reason, required: true, max: MAX_TEXT },
    ],
    show,
    sendLabel: t('hearingSend'),
    question: t('hearingConfirm'),
    closed: { type: 'hearing-window-closed', words: t('hearingClosedNow') },
    sent: (body: { hearingRequestId?: string; receivedAt: string }) =>
      h(
        'div',
        { class: 'ok thanks', role: 'status', tabindex: -1, 'data-hearing-received': body.hearingRequestId },
        h('p', {}, h('strong', {}, t('hearingThanks', { t: dateTime(body.receivedAt) }))),
      ),
  });
  box.append(form);
  return section;
}

/** A window's last day: marked “暂定” when it is the notice's last day and the API says that may still move. */
const lastDay = (n: Notice, day: string) => (day === n.endsOn ? dateCell(day, n, 'endsOn') : day);

/** A one-line text field of the public forms, kept by its `data-path`. */
const textInput = (id: string, path: string, max: number, autocomplete: string) =>
  h('input', { type: 'text', name: path, 'data-path': path, id, maxlength: max, autocomplete });

/** A text area of the public forms, kept by its `data-path`. */
const textArea = (id: string, path: string, rows: number) =>
  h('textarea', { name: path, 'data-path': path, rows, id });

/** One field of a public form: what is sent under `key`, whether it must be filled, its limit. */
interface PublicField {
  key: string;
  el: HTMLInputElement | HTMLTextAreaElement;
  required: boolean;
  max: number;
}

/**
 * A public form (a comment, a hearing request): what it says first, its fields, and a button that
 * sends once however often it is pressed. Each problem is said beside its field before anything
 * is sent, then the person is asked (nothing sent can be taken back); what is typed stays across
 * a reload (sessionStorage, this tab only) until it is sent; once sent, `sent` replaces the form
 * in `box` with the receipt. A closed window (`closed.type`)
 * leaves the words as typed, to be copied, and the button off; a 429 says when to try again.
 */
function publicForm<T extends { receivedAt: string }>(spec: {
  kind: 'comment' | 'hearing';
  noticeId: string;
  box: HTMLElement;
  intro: HTMLElement[];
  layout: HTMLElement[];
  fields: PublicField[];
  show: () => void;
  sendLabel: string;
  /** Asked before sending: nothing sent can be changed or taken back. */
  question: string;
  closed: { type: string; words: string };
  sent: (body: T) => HTMLElement;
}): HTMLFormElement {
  const problems = h('div');
  const button = h('button', { type: 'submit', [`data-send-${spec.kind}`]: '' }, spec.sendLabel);
  const form = h(
    'form',
    { class: 'public-form', novalidate: true, 'data-form': spec.kind },
    spec.intro,
    problems,
    spec.layout,
    h('div', { class: 'buttons' }, button),
  );
  clearMarksOnInput(form);
  const memory = keepTyping(form, `notice.${spec.noticeId}.${spec.kind}`, 0);
  spec.show();
  const route = spec.kind === 'comment' ? 'comments' : 'hearing-requests';
  let sending = false;
  // One Idempotency-Key per letter: sent again with the same words after a lost answer, the
  // service answers with the letter it already has instead of keeping it twice. Words changed
  // since make another letter (a new key), as does an answer that refused it.
  let key = crypto.randomUUID();
  let unanswered: string | undefined;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // A double click (or Enter pressed twice) sends once.
    if (sending) return;
    clearInvalid(form);
    replace(problems);
    if (!checkFields(spec.fields)) {
      form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    // What is sent cannot be changed or taken back: asked first, saying who is told.
    if (!window.confirm(spec.question)) return;
    sending = true;
    button.disabled = true;
    button.textContent = t('sending');
    const letter = filled(spec.fields);
    const words = JSON.stringify(letter);
    if (unanswered !== undefined && unanswered !== words) key = crypto.randomUUID();
    unanswered = words;
    try {
      const { body } = await api<T>('POST', `/public/notices/${encodeURIComponent(spec.noticeId)}/${route}`, {
        body: letter,
        idempotencyKey: key,
      });
      unanswered = undefined;
      key = crypto.randomUUID();
      memory.forget();
      const thanks = spec.sent(body);
      replace(spec.box, thanks);
      thanks.focus();
      announce(thanks.textContent ?? '');
    } catch (error) {
      sending = false;
      button.disabled = false;
      button.textContent = spec.sendLabel;
      if (error instanceof ApiProblem && error.status >= 400 && error.status < 500 && error.status !== 409) {
        // Refused (4xx): nothing was kept, so the next press is a letter of its own. After a 5xx
        // or a lost answer the letter may be kept already: the same key goes again.
        unanswered = undefined;
        key = crypto.randomUUID();
      }
      if (error instanceof ApiProblem && error.type === spec.closed.type) {
        // Left as typed, so the words can be copied; nothing more can be sent here.
        button.disabled = true;
        showProblem(form, problems, error, spec.closed.words);
      } else if (error instanceof ApiProblem && error.status === 429) {
        showProblem(form, problems, error, rateLimited(error));
      } else showProblem(form, problems, error);
    }
  });
  return form;
}
