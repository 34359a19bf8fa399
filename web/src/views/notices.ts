import { api } from '../api.ts';
import { apiUrl } from '../config.ts';
import { h, replace } from '../dom.ts';
import { noticeLinks } from '../files.ts';
import { type Key, t } from '../i18n.ts';
import { dateCell, type ProvisionalMark, provisionalLine } from '../ui.ts';

interface Notice extends ProvisionalMark {
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
}

/** GET /public/notices, no sign-in: acceptances, proposed decisions with their period, decisions, filings. */
export async function noticesPage(main: HTMLElement): Promise<void> {
  const { body } = await api<{ items: Notice[]; cursor?: string }>('GET', '/public/notices?limit=50');
  const list = h('ul', { class: 'notices' }, body.items.map(noticeItem));
  const more = h('button', { type: 'button', class: 'secondary', id: 'notices-more' }, t('more'));
  let cursor = body.cursor;
  // Older notices, 50 at a time, for as long as the API gives a cursor.
  more.addEventListener('click', async () => {
    if (!cursor || more.disabled) return;
    more.disabled = true;
    try {
      const next = await api<{ items: Notice[]; cursor?: string }>(
        'GET',
        `/public/notices?${new URLSearchParams({ limit: '50', cursor })}`,
      );
      list.append(...next.body.items.map(noticeItem));
      cursor = next.body.cursor;
    } finally {
      more.disabled = false;
      more.hidden = !cursor;
    }
  });
  more.hidden = !cursor;
  replace(
    main,
    h('h1', {}, t('noticesTitle')),
    body.items.length ? [list, more] : h('p', { class: 'muted' }, t('none')),
  );
}

function noticeItem(n: Notice) {
  return h(
    'li',
    { class: 'card notice', 'data-kind': n.kind },
    h('h2', {}, h('span', { class: 'kind' }, t(n.kind as Key)), ' ', n.projectName),
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
      h('dt', {}, t('category')),
      h('dd', {}, t(`cat_${n.category}` as Key)),
      h('dt', {}, t('publishedOn')),
      h('dd', {}, n.publishedOn),
      n.endsOn
        ? [h('dt', {}, t('to')), h('dd', {}, t('commentUntil', { d: '' }), dateCell(n.endsOn, n, 'endsOn'))]
        : '',
      n.conditions?.length ? [h('dt', {}, t('conditions')), h('dd', {}, n.conditions.join('；'))] : '',
      n.reasons?.length ? [h('dt', {}, t('reasons')), h('dd', {}, n.reasons.join('；'))] : '',
    ),
    provisionalLine(n),
    links(n),
    h('p', { class: 'muted', 'data-free-of-charge': '' }, t('freeOfCharge')),
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
