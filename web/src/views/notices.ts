import { api } from '../api.ts';
import { apiUrl } from '../config.ts';
import { announce, h, replace } from '../dom.ts';
import { noticeLinks } from '../files.ts';
import { type Key, t } from '../i18n.ts';
import { commentsOpen, hearingRequestsOpen } from '../participation.ts';
import { serviceToday } from '../today.ts';
import { dateCell, errorBox, type ProvisionalMark, provisionalLine } from '../ui.ts';

export interface Notice extends ProvisionalMark {
  /** Stable id of the notice: its public version is GET /public/notices/{noticeId}/public-version. */
  noticeId?: string;
  applicationId?: string;
  kind: string;
  number?: string;
  projectName: string;
  orgName: string;
  location?: string;
  category: string;
  publishedOn: string;
  endsOn?: string;
  outcome?: string;
  conditions?: string[];
  reasons?: string[];
  /** Comments received on this notice (0 for kinds that take none). */
  commentCount?: number;
  /** Last day the public may comment (GET /public/notices/{noticeId}). */
  commentsOpenUntil?: string;
  /** Last day interested parties may ask for a hearing (a current proposed decision). */
  hearingRequestsOpenUntil?: string;
  /** When and where the hearing on this proposed decision is held, once scheduled. */
  hearing?: { at: string; place: string };
}

/**
 * GET /public/notices, no sign-in: acceptances, proposed decisions with their period, decisions,
 * filings; searched by text (project, organisation, number, place), kind and days published.
 */
export async function noticesPage(main: HTMLElement): Promise<void> {
  const field = (id: string, label: string, control: HTMLElement) =>
    h('div', { class: 'field' }, h('label', { for: id }, label), control);
  const text = h('input', {
    id: 'n-q',
    name: 'q',
    type: 'search',
    maxlength: '100',
    'data-path': 'q',
    placeholder: t('noticeSearchHint'),
  });
  const kind = h(
    'select',
    { id: 'n-kind', name: 'kind', 'data-path': 'kind' },
    h('option', { value: '' }, t('anyNoticeKind')),
    (['ACCEPTANCE', 'PROPOSED_DECISION', 'DECISION', 'FILING'] as const).map((k) =>
      h('option', { value: k }, t(k)),
    ),
  );
  const from = h('input', { id: 'n-from', name: 'from', type: 'date', 'data-path': 'from' });
  const to = h('input', { id: 'n-to', name: 'to', type: 'date', 'data-path': 'to' });
  const results = h('div', { id: 'notice-results', 'aria-live': 'polite' });
  const list = h('ul', { class: 'notices' });
  const more = h('button', { type: 'button', class: 'secondary', id: 'notices-more' }, t('more'));
  let cursor: string | undefined;
  let filters = new URLSearchParams();
  // Whether a notice still takes comments decides its link's words.
  const today = await serviceToday();
  const item = (n: Notice) => noticeCard(n, { today });

  // A page of the search; `more`: the next one, else the first. A search may answer an empty page
  // with a cursor (it reads a bounded stretch of notices at a time): "load more" then reads on.
  const load = async (next: boolean) => {
    const q = new URLSearchParams(filters);
    q.set('limit', '50');
    if (next && cursor) q.set('cursor', cursor);
    const { body } = await api<{ items: Notice[]; cursor?: string }>('GET', `/public/notices?${q}`);
    if (!next) list.replaceChildren();
    list.append(...body.items.map(item));
    cursor = body.cursor;
    more.hidden = !cursor;
    replace(results, list.childElementCount || cursor ? [list, more] : h('p', { class: 'muted' }, t('none')));
  };
  more.addEventListener('click', async () => {
    if (!cursor || more.disabled) return;
    more.disabled = true;
    try {
      await load(true);
    } finally {
      more.disabled = false;
    }
  });
  const form = h(
    'form',
    { novalidate: true, role: 'search', 'aria-label': t('noticeSearch') },
    h(
      'div',
      { class: 'grid' },
      field('n-q', t('noticeSearchText'), text),
      field('n-kind', t('noticeKind'), kind),
      field('n-from', t('from'), from),
      field('n-to', t('to'), to),
    ),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('search'))),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    filters = new URLSearchParams();
    for (const [name, el] of [
      ['q', text],
      ['kind', kind],
      ['from', from],
      ['to', to],
    ] as const) {
      if (el.value.trim()) filters.set(name, el.value.trim());
    }
    try {
      await load(false);
      announce(`${t('results')}: ${list.childElementCount}`);
    } catch (error) {
      replace(results, errorBox(error));
      results.querySelector<HTMLElement>('[role=alert]')?.focus();
    }
  });
  await load(false);
  replace(main, h('h1', {}, t('noticesTitle')), form, results);
}

/**
 * One notice as a card: in the list (an item with a link to the notice's own page, where the public
 * comments and asks for a hearing), or as the notice's page itself (`page`: the card is the page's
 * heading and has no such link).
 */
export function noticeCard(n: Notice, options: { today: string; page?: boolean }) {
  const heading = [h('span', { class: 'kind' }, t(n.kind as Key)), ' ', n.projectName];
  return h(
    options.page ? 'article' : 'li',
    { class: 'card notice', 'data-kind': n.kind, 'data-notice': n.noticeId },
    options.page ? h('h1', {}, heading) : h('h2', {}, heading),
    h(
      'dl',
      {},
      h('dt', {}, t('applicantSection')),
      h('dd', {}, n.orgName),
      n.number
        ? [
            h(
              'dt',
              {},
              t(
                n.kind === 'DECISION'
                  ? 'decisionNumber'
                  : n.kind === 'FILING'
                    ? 'receiptNumber'
                    : 'caseNumber',
              ),
            ),
            h('dd', {}, n.number),
          ]
        : '',
      // Where the project is: what a neighbour looks for first.
      n.location ? [h('dt', {}, t('project.location')), h('dd', { 'data-location': '' }, n.location)] : '',
      h('dt', {}, t('category')),
      h('dd', {}, t(`cat_${n.category}` as Key)),
      h('dt', {}, t('publishedOn')),
      h('dd', {}, n.publishedOn),
      n.endsOn
        ? [h('dt', {}, t('to')), h('dd', {}, t('commentUntil', { d: '' }), dateCell(n.endsOn, n, 'endsOn'))]
        : '',
      n.conditions?.length ? [h('dt', {}, t('conditions')), h('dd', {}, n.conditions.join('；'))] : '',
      n.reasons?.length ? [h('dt', {}, t('reasons')), h('dd', {}, n.reasons.join('；'))] : '',
      n.commentCount !== undefined && (n.kind === 'ACCEPTANCE' || n.kind === 'PROPOSED_DECISION')
        ? [
            h('dt', {}, t('commentsReceived')),
            h(
              'dd',
              {},
              h(
                'span',
                { 'data-comment-count': String(n.commentCount) },
                t('countItems', { n: n.commentCount }),
              ),
            ),
          ]
        : '',
    ),
    provisionalLine(n),
    options.page ? '' : pageLink(n, options.today),
    links(n),
    h('p', { class: 'muted', 'data-free-of-charge': '' }, t('freeOfCharge')),
  );
}

/** The link to the notice's own page: "comment" while it takes comments or hearing requests. */
function pageLink(n: Notice, today: string) {
  if (!n.noticeId) return '';
  // The list gives a notice's last day (`endsOn`); its page says exactly which windows are open.
  const answerable = n.kind === 'ACCEPTANCE' || n.kind === 'PROPOSED_DECISION';
  const until = n.commentsOpenUntil ?? (answerable ? n.endsOn : undefined);
  const open = commentsOpen({ ...n, commentsOpenUntil: until }, today) || hearingRequestsOpen(n, today);
  return h(
    'p',
    { class: 'notice-page-link' },
    h(
      'a',
      {
        href: `#/notices/${encodeURIComponent(n.noticeId)}`,
        class: open ? 'button-link' : undefined,
        'data-notice-link': n.noticeId,
      },
      t(open ? 'noticeOpenComment' : 'noticeOpen'),
    ),
  );
}

/**
 * Plain links (no sign-in is needed, so the browser follows the API's 303 to the file itself): the
 * public version of the EIA document of an accepted application, and the decision once there is one.
 */
function links(n: Notice) {
  const found = noticeLinks(n);
  if (!found.publicVersion && !found.decision) return '';
  return h(
    'ul',
    { class: 'notice-links' },
    found.publicVersion
      ? h(
          'li',
          {},
          h(
            'a',
            {
              href: `${apiUrl()}${found.publicVersion}`,
              target: '_blank',
              rel: 'noopener',
              'data-public-version': '',
            },
            t('publicVersion'),
          ),
        )
      : '',
    found.decision
      ? h(
          'li',
          {},
          h(
            'a',
            {
              href: `${apiUrl()}${found.decision.file}`,
              target: '_blank',
              rel: 'noopener',
              'data-decision-file': '',
            },
            `${t('decisionDocument')}（${found.decision.number}）`,
          ),
          ' · ',
          h(
            'a',
            { href: found.decision.verify, 'aria-label': `${t('verifyIt')} ${found.decision.number}` },
            t('verifyIt'),
          ),
        )
      : '',
  );
}
