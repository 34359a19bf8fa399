import { api } from '../api.ts';
import { h, replace } from '../dom.ts';
import { type Key, t } from '../i18n.ts';
import { dateCell, type ProvisionalMark, provisionalLine } from '../ui.ts';

interface Notice extends ProvisionalMark {
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
  const { body } = await api<{ items: Notice[] }>('GET', '/public/notices?limit=50');
  replace(
    main,
    h('h1', {}, t('noticesTitle')),
    body.items.length
      ? h(
          'ul',
          { class: 'notices' },
          body.items.map((n) =>
            h(
              'li',
              { class: 'card notice', 'data-kind': n.kind },
              h('h2', {}, h('span', { class: 'kind' }, t(n.kind as Key)), ' ', n.projectName),
              h(
                'dl',
                {},
                h('dt', {}, t('applicantSection')),
                h('dd', {}, n.orgName),
                n.number ? [h('dt', {}, t('caseNumber')), h('dd', {}, n.number)] : '',
                h('dt', {}, t('category')),
                h('dd', {}, t(`cat_${n.category}` as Key)),
                h('dt', {}, t('publishedOn')),
                h('dd', {}, n.publishedOn),
                n.endsOn
                  ? [
                      h('dt', {}, t('to')),
                      h('dd', {}, t('commentUntil', { d: '' }), dateCell(n.endsOn, n, 'endsOn')),
                    ]
                  : '',
                n.conditions?.length
                  ? [h('dt', {}, t('conditions')), h('dd', {}, n.conditions.join('；'))]
                  : '',
                n.reasons?.length ? [h('dt', {}, t('reasons')), h('dd', {}, n.reasons.join('；'))] : '',
              ),
              provisionalLine(n),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('none')),
  );
}
