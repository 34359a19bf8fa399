import { api } from '../api.ts';
import { session } from '../auth.ts';
import { announce, h, replace } from '../dom.ts';
import { remainingDays, t } from '../i18n.ts';
import { navigate, takeNotice } from '../navigate.ts';
import { clearInvalid, markInvalid } from '../schema-form.ts';
import {
  type Filters,
  filtersOfHash,
  hashOf,
  type ListKind,
  MAX_WORDS,
  searchTerms,
} from '../search-terms.ts';
import { type Application, clockChip, dateCell, errorBox, stateBadge, table } from '../ui.ts';
import { stateName, workflow } from '../workflow.ts';

/** The terminal states (docs/workflow.md#states): their clock has stopped for good. */
const CLOSED = new Set(['APPROVED', 'REJECTED', 'NOT_ACCEPTED', 'WITHDRAWN', 'FILED']);

/** How many applications one page asks for. */
const PAGE = 50;

/**
 * The applicant's own applications, an official's queue ("waiting on me", by due date, from
 * `queue=mine`) or every application; each with its state, due date and the clock as a colour.
 * A search box (case or decision number, project, organisation, a person's name) and the state and
 * category filters above it; they ride in the hash, so a reload or going back keeps them, and
 * "load more" reads the next page.
 */
export async function listPage(main: HTMLElement, kind: ListKind): Promise<void> {
  const title = kind === 'mine' ? t('navMine') : kind === 'queue' ? t('navQueue') : t('navAll');
  const filters = filtersOfHash(window.location.hash);
  const notice = takeNotice();
  const official = session()?.role !== 'applicant';
  const params = new URLSearchParams();
  if (kind === 'queue') params.set('queue', 'mine');
  if (filters.q) params.set('q', filters.q);
  if (filters.state) params.set('state', filters.state);
  if (filters.category) params.set('category', filters.category);
  params.set('limit', String(PAGE));

  const apps: Application[] = [];
  let cursor: string | undefined;
  const results = h('div', { id: 'list-results' });
  const more = h('button', { type: 'button', class: 'secondary', id: 'list-more' }, t('more'));
  const show = () => {
    const provisional = apps.some(
      (app) => !CLOSED.has(app.state) && (app.clock?.provisional || app.completenessCheck?.provisional),
    );
    more.hidden = !cursor;
    const searched = Boolean(filters.q || filters.state || filters.category);
    const count = apps.length
      ? h(
          'p',
          { class: 'muted', id: 'list-count', role: 'status' },
          cursor ? t('listShownMore', { n: apps.length }) : t('listShown', { n: apps.length }),
        )
      : '';
    replace(
      results,
      apps.length
        ? [
            count,
            table(
              headers(official),
              apps.map((app) => row(app, official)),
              title,
            ),
          ]
        : h(
            'p',
            { class: 'muted', id: 'list-count', role: 'status' },
            cursor ? t('listNoneYet') : searched ? t('listNoMatch') : t('none'),
          ),
      cursor ? more : '',
      provisional ? h('p', { class: 'provisional-note', role: 'note' }, t('provisionalInList')) : '',
    );
  };
  const load = async (next: boolean) => {
    const q = new URLSearchParams(params);
    if (next && cursor) q.set('cursor', cursor);
    const { body } = await api<{ items: Application[]; cursor?: string }>('GET', `/applications?${q}`);
    apps.push(...body.items);
    cursor = body.cursor;
    show();
  };
  more.addEventListener('click', async () => {
    if (!cursor || more.disabled) return;
    more.disabled = true;
    try {
      await load(true);
      announce(t('listShown', { n: apps.length }));
    } catch (error) {
      results.append(errorBox(error));
    } finally {
      more.disabled = false;
    }
  });

  const form = searchForm(kind, filters);
  replace(
    main,
    h('h1', {}, title),
    notice ? h('p', { class: 'ok' }, notice) : '',
    session()?.role === 'applicant'
      ? h('p', {}, h('a', { href: '#/new', class: 'button-link' }, t('navNew')))
      : '',
    form,
    results,
  );
  try {
    await load(false);
  } catch (error) {
    // A search the API refuses (e.g. only punctuation) is said beside the search, not instead of the page.
    replace(results, errorBox(error));
  }
}

/** The search box and the state and category filters; a search goes to the list's hash with them. */
function searchForm(kind: ListKind, filters: Filters): HTMLFormElement {
  const field = (id: string, label: string, control: HTMLElement, help?: HTMLElement) =>
    h('div', { class: 'field' }, h('label', { for: id }, label), control, help ?? '');
  const help = h('p', { class: 'hint', id: 'list-q-help' }, t('listSearchHelp'));
  const text = h('input', {
    id: 'list-q',
    name: 'q',
    type: 'search',
    maxlength: '100',
    'data-path': 'q',
    placeholder: t('listSearchHint'),
    'aria-describedby': 'list-q-help',
  });
  text.value = filters.q;
  const states = workflow().states.filter((s) => kind !== 'queue' || !CLOSED.has(s));
  const state = h(
    'select',
    { id: 'list-state', name: 'state', 'data-path': 'state' },
    h('option', { value: '' }, t('anyState')),
    states.map((s) => h('option', { value: s }, stateName(s))),
  );
  state.value = filters.state;
  const category = h(
    'select',
    { id: 'list-category', name: 'category', 'data-path': 'category' },
    h('option', { value: '' }, t('anyCategory')),
    workflow().categories.map((c) => h('option', { value: c }, t(`cat_${c}` as 'cat_REPORT'))),
  );
  category.value = filters.category;
  const filtered = Boolean(filters.q || filters.state || filters.category);
  const form = h(
    'form',
    { novalidate: true, role: 'search', 'aria-label': t('listSearch'), class: 'card list-search' },
    h(
      'div',
      { class: 'grid' },
      field('list-q', t('listSearchText'), text, help),
      field('list-state', t('listState'), state),
      field('list-category', t('listCategory'), category),
    ),
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'submit', id: 'list-search' }, t('search')),
      filtered
        ? h('a', { href: `#/${kind}`, class: 'button-link secondary', id: 'list-clear' }, t('clearSearch'))
        : '',
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearInvalid(form);
    const q = text.value.trim();
    const terms = searchTerms(q);
    if (q && terms.length === 0) return refuse(text, t('listNeedWord'));
    if (terms.length > MAX_WORDS) return refuse(text, t('listTooManyWords', { n: MAX_WORDS }));
    // Each search is a new hash (a step back returns to the one before); the same one draws again.
    navigate(hashOf(kind, { q, state: state.value, category: category.value }));
  });
  return form;
}

function refuse(field: HTMLElement, message: string): void {
  markInvalid(field, message);
  field.focus();
}

function headers(official: boolean): string[] {
  return [
    t('project'),
    t('caseNumber'),
    ...(official ? [t('listOrg')] : []),
    t('category'),
    t('state'),
    t('dueDate'),
    t('daysLeft'),
    t('clockStatus'),
  ];
}

function row(app: Application, official: boolean): (Node | string)[] {
  // A closed application has no deadline left: show its decision or receipt number instead.
  const clock = CLOSED.has(app.state) ? undefined : app.clock;
  const closedRef = app.decisionNumber
    ? `${t('decisionNumber')} ${app.decisionNumber}`
    : app.receiptNumber
      ? `${t('receiptNumber')} ${app.receiptNumber}`
      : '—';
  return [
    h('a', { href: `#/app/${app.id}`, 'data-id': app.id }, app.project.name || app.id.slice(0, 8)),
    app.caseNumber ?? '—',
    ...(official ? [app.intake?.onBehalfOf.orgName ?? app.applicant.orgName ?? '—'] : []),
    t(`cat_${app.category}` as 'cat_REPORT'),
    stateBadge(app.state),
    clock
      ? dateCell(clock.dueDate, clock, 'dueDate')
      : app.completenessCheck
        ? dateCell(app.completenessCheck.deadline, app.completenessCheck, 'deadline')
        : closedRef,
    clock ? remainingDays(clock.remaining) : '—',
    clock ? clockChip(clock) : '—',
  ];
}
