import { api } from '../api.ts';
import { session } from '../auth.ts';
import { h, replace } from '../dom.ts';
import { t } from '../i18n.ts';
import { takeNotice } from '../navigate.ts';
import { type Application, clockChip, dateCell, stateBadge, table } from '../ui.ts';

/** The terminal states (docs/workflow.md#states): their clock has stopped for good. */
const CLOSED = new Set(['APPROVED', 'REJECTED', 'NOT_ACCEPTED', 'WITHDRAWN', 'FILED']);

/**
 * The applicant's own applications, an official's queue ("waiting on me", by due date, from
 * `queue=mine`) or every application; each with its state, due date and the clock as a colour.
 */
export async function listPage(main: HTMLElement, kind: 'mine' | 'queue' | 'all'): Promise<void> {
  const title = kind === 'mine' ? t('navMine') : kind === 'queue' ? t('navQueue') : t('navAll');
  const query = kind === 'queue' ? '?queue=mine&limit=100' : '?limit=100';
  const notice = takeNotice();
  const { body } = await api<{ items: Application[] }>('GET', `/applications${query}`);
  const provisional = body.items.some(
    (app) => !CLOSED.has(app.state) && (app.clock?.provisional || app.completenessCheck?.provisional),
  );
  const rows = body.items.map((app) => {
    // A closed application has no deadline left: show its decision or receipt number instead.
    const clock = CLOSED.has(app.state) ? undefined : app.clock;
    const closedRef = app.decisionNumber
      ? `${t('decisionNumber')} ${app.decisionNumber}`
      : app.receiptNumber
        ? `${t('receiptNumber')} ${app.receiptNumber}`
        : '—';
    return [
      h('a', { href: `#/app/${app.id}`, 'data-id': app.id }, app.project.name || app.id.slice(0, 8)),
      t(`cat_${app.category}` as 'cat_REPORT'),
      stateBadge(app.state),
      clock
        ? dateCell(clock.dueDate, clock, 'dueDate')
        : app.completenessCheck
          ? dateCell(app.completenessCheck.deadline, app.completenessCheck, 'deadline')
          : closedRef,
      clock ? String(clock.remaining) : '—',
      clock ? clockChip(clock) : '—',
    ];
  });
  replace(
    main,
    h('h1', {}, title),
    notice ? h('p', { class: 'ok' }, notice) : '',
    session()?.role === 'applicant'
      ? h('p', {}, h('a', { href: '#/new', class: 'button-link' }, t('navNew')))
      : '',
    rows.length
      ? table(
          [t('project'), t('category'), t('state'), t('dueDate'), t('daysLeft'), t('clockStatus')],
          rows,
          title,
        )
      : h('p', { class: 'muted' }, t('none')),
    provisional ? h('p', { class: 'provisional-note', role: 'note' }, t('provisionalInList')) : '',
  );
}
