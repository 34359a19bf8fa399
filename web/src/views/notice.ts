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
import { dateTime, errorBox } from '../ui.ts';
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
      h('span', { class: 'req' }, ` (${t(required ? 'required' : 'optional')})`),
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
      if (target) markInvalid(target, issue.message);
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
function checkFields(
  fields: { el: HTMLInputElement | HTMLTextAreaElement; required: boolean; max: number }[],
): boolean {
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
function filled(fields: Record<string, HTMLInputElement | HTMLTextAreaElement>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields)
      .map(([k, el]) => [k, el.value.trim()] as const)
      .filter(([, v]) => v !== ''),
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
  const showForm = () => replace(box, commentForm(noticeId, until, box, counted, showForm));
  showForm();
  return section;
}

function commentForm(
  noticeId: string,
  until: string,
  box: HTMLElement,
  counted: () => void,
  again: () => void,
) {
  const text = h('textarea', { name: 'text', 'data-path': 'text', rows: 6, id: 'c-text' });
  const name = h('input', {
    type: 'text',
    name: 'name',
    'data-path': 'name',
    id: 'c-name',
    maxlength: MAX_NAME,
    autocomplete: 'name',
  });
  const contact = h('input', {
    type: 'text',
    name: 'contact',
    'data-path': 'contact',
    id: 'c-contact',
    maxlength: MAX_CONTACT,
    autocomplete: 'email',
  });
  const { counter, show } = charCounter(text);
  const problems = h('div');
  const button = h('button', { type: 'submit', 'data-send-comment': '' }, t('commentSend'));
  const form = h(
    'form',
    { class: 'public-form', novalidate: true, 'data-form': 'comment' },
    h('p', { class: 'window' }, h('strong', {}, t('commentsOpenUntil', { d: until }))),
    h('p', { 'data-what-happens': '' }, t('commentWhatHappens')),
    h('p', { class: 'privacy', 'data-privacy': '' }, t('commentPrivacy')),
    problems,
    field(text, t('commentText'), true, [counter]),
    h(
      'div',
      { class: 'grid' },
      field(name, t('commentName'), false),
      field(contact, t('commentContact'), false),
    ),
    h('div', { class: 'buttons' }, button),
  );
  // What is typed stays across a reload (sessionStorage, this tab only) until it is sent.
  clearMarksOnInput(form);
  const memory = keepTyping(form, `notice.${noticeId}.comment`, 0);
  show();
  let sending = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // A double click (or Enter pressed twice) sends one comment.
    if (sending) return;
    clearInvalid(form);
    replace(problems);
    if (
      !checkFields([
        { el: text, required: true, max: MAX_TEXT },
        { el: name, required: false, max: MAX_NAME },
        { el: contact, required: false, max: MAX_CONTACT },
      ])
    ) {
      form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    sending = true;
    button.disabled = true;
    button.textContent = t('sending');
    try {
      const { body } = await api<{ commentId: string; receivedAt: string }>(
        'POST',
        `/public/notices/${encodeURIComponent(noticeId)}/comments`,
        { body: filled({ text, name, contact }) },
      );
      memory.forget();
      counted();
      const thanks = h(
        'div',
        { class: 'ok thanks', role: 'status', tabindex: -1, 'data-comment-received': body.commentId },
        h('p', {}, h('strong', {}, t('commentThanks', { t: dateTime(body.receivedAt) }))),
        h('p', {}, t('commentThanksNext')),
        h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: again }, t('commentAnother'))),
      );
      replace(box, thanks);
      thanks.focus();
      announce(thanks.textContent ?? '');
    } catch (error) {
      sending = false;
      button.disabled = false;
      button.textContent = t('commentSend');
      if (error instanceof ApiProblem && error.type === 'comment-period-closed') {
        // Left as typed, so the words can be copied; nothing more can be sent here.
        button.disabled = true;
        showProblem(form, problems, error, t('commentClosedNow', { d: until }));
      } else if (error instanceof ApiProblem && error.status === 429) {
        showProblem(form, problems, error, rateLimited(error));
      } else showProblem(form, problems, error);
    }
  });
  return form;
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
  const name = h('input', {
    type: 'text',
    name: 'name',
    'data-path': 'name',
    id: 'h-name',
    maxlength: MAX_NAME,
    autocomplete: 'name',
  });
  const contact = h('input', {
    type: 'text',
    name: 'contact',
    'data-path': 'contact',
    id: 'h-contact',
    maxlength: MAX_CONTACT,
    autocomplete: 'email',
  });
  const reason = h('textarea', { name: 'reason', 'data-path': 'reason', rows: 5, id: 'h-reason' });
  const { counter, show } = charCounter(reason);
  const problems = h('div');
  const button = h('button', { type: 'submit', 'data-send-hearing': '' }, t('hearingSend'));
  const form = h(
    'form',
    { class: 'public-form', novalidate: true, 'data-form': 'hearing' },
    h('p', { 'data-hearing-right': '' }, t('hearingRight', { d: n.hearingRequestsOpenUntil ?? '' })),
    h('p', { class: 'privacy', 'data-privacy': '' }, t('hearingPrivacy')),
    problems,
    h(
      'div',
      { class: 'grid' },
      field(name, t('hearingName'), true),
      field(contact, t('hearingContact'), true, [h('p', { class: 'hint' }, t('hearingContactHint'))]),
    ),
    field(reason, t('hearingReason'), true, [counter]),
    h('div', { class: 'buttons' }, button),
  );
  clearMarksOnInput(form);
  const memory = keepTyping(form, `notice.${noticeId}.hearing`, 0);
  show();
  let sending = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return;
    clearInvalid(form);
    replace(problems);
    if (
      !checkFields([
        { el: name, required: true, max: MAX_NAME },
        { el: contact, required: true, max: MAX_CONTACT },
        { el: reason, required: true, max: MAX_TEXT },
      ])
    ) {
      form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    sending = true;
    button.disabled = true;
    button.textContent = t('sending');
    try {
      const { body } = await api<{ hearingRequestId: string; receivedAt: string }>(
        'POST',
        `/public/notices/${encodeURIComponent(noticeId)}/hearing-requests`,
        { body: filled({ name, contact, reason }) },
      );
      memory.forget();
      const thanks = h(
        'div',
        { class: 'ok thanks', role: 'status', tabindex: -1, 'data-hearing-received': body.hearingRequestId },
        h('p', {}, h('strong', {}, t('hearingThanks', { t: dateTime(body.receivedAt) }))),
      );
      replace(box, thanks);
      thanks.focus();
      announce(thanks.textContent ?? '');
    } catch (error) {
      sending = false;
      button.disabled = false;
      button.textContent = t('hearingSend');
      if (error instanceof ApiProblem && error.type === 'hearing-window-closed') {
        button.disabled = true;
        showProblem(form, problems, error, t('hearingClosedNow'));
      } else if (error instanceof ApiProblem && error.status === 429) {
        showProblem(form, problems, error, rateLimited(error));
      } else showProblem(form, problems, error);
    }
  });
  box.append(form);
  return section;
}
