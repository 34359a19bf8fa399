import { api, toProblem } from '../api.ts';
import { session } from '../auth.ts';
import { apiUrl } from '../config.ts';
import { announce, h, replace } from '../dom.ts';
import { dispositionName } from '../files.ts';
import { lang, t, tr } from '../i18n.ts';
import { type Application, type AuditEvent, dateTime, errorBox, section, stateBadge, table } from '../ui.ts';
import { actionName, stateName, workflow } from '../workflow.ts';

interface Verify {
  applicationId: string;
  ok: boolean;
  events: number;
  headHash?: string;
  firstBrokenSeq?: number;
  reason?: string;
  checkedAt: string;
}

/** The state change of an event: "草稿 → 已提交", "→ 草稿" for the first, "—" when it stayed. */
function fromTo(e: { from?: string | null; to?: string }): string {
  if (!e.to) return '';
  if (!e.from) return `→ ${stateName(e.to)}`;
  return e.from === e.to ? '—' : `${stateName(e.from)} → ${stateName(e.to)}`;
}

/** Steps of the trail beside the workflow's actions, which the search can name too. */
const TRAIL_STEPS = [
  'create',
  'edit',
  'delete_draft',
  'receive_comment',
  'respond_to_comment',
  'receive_hearing_request',
  'issue_document',
];

/**
 * An export as the API wrote it, byte for byte: read as bytes, not as text, because decoding would
 * drop the CSV's byte order mark, without which Excel and WPS take the UTF-8 for another encoding.
 * It asks in the console's language, so the CSV's headers, actions and states come in that language.
 */
async function exportFile(path: string, fallbackName: string): Promise<{ blob: Blob; fileName: string }> {
  const s = session();
  const res = await fetch(`${apiUrl()}${path}`, {
    headers: {
      ...(s ? { authorization: `Bearer ${s.token}` } : {}),
      'accept-language': lang() === 'zh' ? 'zh-CN' : 'en',
    },
  });
  if (!res.ok) throw await toProblem(res);
  const type = res.headers.get('content-type') ?? 'text/plain';
  // Cross-origin (in AWS) the header is readable only if CORS exposes it: the fallback names the file then.
  const fileName = dispositionName(res.headers.get('content-disposition')) ?? fallbackName;
  return { blob: new Blob([await res.arrayBuffer()], { type }), fileName };
}

/** Brackets of the console's language: full-width around Chinese. */
const inParens = (text: string) => (lang() === 'zh' ? `（${text}）` : ` (${text})`);
/** Who acted, for the auditor: name, role and id; the public as “公众”, with no id of its own. */
const actorCell = (actor: AuditEvent['actor']) =>
  actor.id === 'public'
    ? t('actor_public')
    : `${actor.name}${inParens(`${tr(`role_${actor.role}`, actor.role)}${lang() === 'zh' ? '，' : ', '}${actor.id}`)}`;

/** The auditor: search events by application, person, action and dates; export; verify a chain. */
export function auditPage(main: HTMLElement): void {
  const field = (id: string, label: string, control: HTMLElement) =>
    h('div', { class: 'field' }, h('label', { for: id }, label), control);
  const appId = h('input', {
    id: 'q-applicationId',
    name: 'applicationId',
    type: 'text',
    'data-path': 'applicationId',
    spellcheck: 'false',
  });
  const actor = h('input', {
    id: 'q-actor',
    name: 'actor',
    type: 'text',
    'data-path': 'actor',
    spellcheck: 'false',
  });
  const action = h(
    'select',
    { id: 'q-action', name: 'action', 'data-path': 'action' },
    h('option', { value: '' }, t('anyAction')),
    workflow().actions.map((a) => h('option', { value: a.name }, actionName(a.name))),
    // Steps of the trail that are no action of the workflow: drafts, and what the public sends and is answered.
    TRAIL_STEPS.filter((a) => !workflow().actions.some((w) => w.name === a)).map((a) =>
      h('option', { value: a }, actionName(a)),
    ),
  );
  const from = h('input', { id: 'q-from', name: 'from', type: 'date', 'data-path': 'from' });
  const to = h('input', { id: 'q-to', name: 'to', type: 'date', 'data-path': 'to' });
  const results = h('div', { id: 'audit-results' });
  const query = (format: string) => {
    const q = new URLSearchParams();
    for (const [k, el] of [
      ['applicationId', appId],
      ['actor', actor],
      ['action', action],
      ['from', from],
      ['to', to],
    ] as const) {
      if (el.value.trim()) q.set(k, el.value.trim());
    }
    q.set('format', format);
    return q;
  };
  let cursor: string | undefined;
  const rows: AuditEvent[] = [];
  const show = () =>
    replace(
      results,
      h('h2', { id: 'results-title' }, `${t('results')}${inParens(String(rows.length))}`),
      rows.length
        ? table(
            [t('applicationId'), t('seq'), t('at'), t('action'), t('person'), t('fromTo')],
            rows.map((e) => [
              h('a', { href: `#/app/${e.applicationId}` }, e.applicationId.slice(0, 8)),
              String(e.seq),
              dateTime(e.at),
              actionName(e.action),
              actorCell(e.actor),
              fromTo(e),
            ]),
            t('results'),
          )
        : h('p', { class: 'muted' }, t('none')),
      cursor
        ? h('button', { type: 'button', class: 'secondary', onclick: () => void search(true) }, t('more'))
        : '',
    );
  // Without any of these the API cannot find events (it reads the trail one day at a time): say so
  // here, in words, rather than send a request that is bound to be refused.
  const unfiltered = () => ![appId, actor, action, from].some((el) => el.value.trim());
  const needFilter = () => {
    const box = errorBox(new Error(t('auditNeedFilter')));
    replace(results, box);
    box.focus();
  };
  const search = async (more = false) => {
    if (unfiltered()) return needFilter();
    try {
      const q = query('json');
      if (more && cursor) q.set('cursor', cursor);
      if (!more) rows.length = 0;
      const { body } = await api<{ items: AuditEvent[]; cursor?: string }>('GET', `/audit/events?${q}`);
      rows.push(...body.items);
      cursor = body.cursor;
      show();
      announce(`${t('results')}: ${rows.length}`);
    } catch (error) {
      replace(results, errorBox(error));
      results.querySelector<HTMLElement>('[role=alert]')?.focus();
    }
  };
  const exportAs = async (format: 'ndjson' | 'csv') => {
    if (unfiltered()) return needFilter();
    try {
      const file = await exportFile(`/audit/events?${query(format)}`, `audit-events.${format}`);
      const url = URL.createObjectURL(file.blob);
      const a = h('a', { href: url, download: file.fileName, class: 'visually-hidden' }, file.fileName);
      document.body.append(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      announce(file.fileName);
    } catch (error) {
      replace(results, errorBox(error));
      results.querySelector<HTMLElement>('[role=alert]')?.focus();
    }
  };
  const searchForm = h(
    'form',
    { novalidate: true, 'aria-labelledby': 'search-title' },
    h('h2', { id: 'search-title' }, t('auditSearch')),
    h(
      'div',
      { class: 'grid' },
      field('q-applicationId', t('applicationId'), appId),
      field('q-actor', t('actor'), actor),
      field('q-action', t('action'), action),
      field('q-from', t('from'), from),
      field('q-to', t('to'), to),
    ),
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'submit' }, t('search')),
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: () => void exportAs('ndjson') },
        t('exportNdjson'),
      ),
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: () => void exportAs('csv') },
        t('exportCsv'),
      ),
    ),
  );
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void search();
  });

  const verifyId = h('input', {
    id: 'v-applicationId',
    name: 'applicationId',
    type: 'text',
    spellcheck: 'false',
  });

  // Choosing a case found by its words: its whole trail, and its id ready for the chain check.
  const showTrail = (app: Application) => {
    for (const el of [actor, action, from, to]) el.value = '';
    appId.value = app.id;
    verifyId.value = app.id;
    void search().then(() => {
      const title = results.querySelector<HTMLElement>('#results-title');
      if (!title) return;
      title.textContent = `${t('auditTrailOf', { p: app.project.name || app.id.slice(0, 8) })}${inParens(String(rows.length))}`;
      title.tabIndex = -1;
      title.focus();
    });
  };
  const finder = caseFinder(showTrail);
  const verifyResult = h('div', { id: 'verify-result', 'aria-live': 'polite' });
  const verifyForm = h(
    'form',
    { novalidate: true },
    field('v-applicationId', t('applicationId'), verifyId),
    h('button', { type: 'submit', id: 'verify-button' }, t('verify')),
    verifyResult,
  );
  verifyForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const { body } = await api<Verify>(
        'GET',
        `/audit/applications/${encodeURIComponent(verifyId.value.trim())}/verify`,
      );
      const broken = body.firstBrokenSeq;
      replace(
        verifyResult,
        h(
          'div',
          { class: body.ok ? 'ok verify' : 'warning verify', 'data-ok': String(body.ok) },
          h(
            'p',
            {},
            h(
              'strong',
              {},
              body.ok ? t('verifyOk', { n: body.events }) : t('verifyBroken', { n: broken ?? '?' }),
            ),
          ),
          body.reason ? h('p', {}, body.reason) : '',
          body.headHash ? h('p', { class: 'muted' }, 'head ', h('code', {}, body.headHash)) : '',
          h('p', { class: 'muted' }, dateTime(body.checkedAt)),
        ),
      );
    } catch (error) {
      replace(verifyResult, errorBox(error));
    }
  });

  replace(
    main,
    h('h1', {}, t('navAudit')),
    finder,
    h('section', { class: 'card' }, searchForm, results),
    section(t('verifyTitle'), verifyForm),
  );
}

/**
 * Finding a case without its id (GET /applications?q=): by case or decision number, project,
 * organisation or a person's name; each case found offers its trail (`choose`).
 */
function caseFinder(choose: (app: Application) => void): HTMLElement {
  const text = h('input', {
    id: 'find-q',
    name: 'q',
    type: 'search',
    maxlength: '100',
    'data-path': 'q',
    placeholder: t('auditFindText'),
  });
  const found = h('div', { id: 'find-results' });
  const apps: Application[] = [];
  let cursor: string | undefined;
  let asked = '';
  const show = () =>
    replace(
      found,
      h('h3', { id: 'find-title' }, `${t('auditFound')}${inParens(String(apps.length))}`),
      apps.length
        ? table(
            [t('project'), t('caseNumber'), t('listOrg'), t('state'), t('auditShowTrail')],
            apps.map((app) => [
              h('a', { href: `#/app/${app.id}`, 'data-id': app.id }, app.project.name || app.id.slice(0, 8)),
              [app.caseNumber, app.decisionNumber].filter(Boolean).join(' · ') || '—',
              app.intake?.onBehalfOf.orgName ?? app.applicant.orgName ?? '—',
              stateBadge(app.state),
              h(
                'button',
                { type: 'button', class: 'secondary', 'data-trail': app.id, onclick: () => choose(app) },
                t('auditShowTrail'),
              ),
            ]),
            t('auditFound'),
          )
        : h('p', { class: 'muted', role: 'status' }, cursor ? t('listNoneYet') : t('listNoMatch')),
      cursor
        ? h(
            'button',
            { type: 'button', class: 'secondary', id: 'find-more', onclick: () => void find(true) },
            t('more'),
          )
        : '',
    );
  const find = async (more = false) => {
    try {
      const q = new URLSearchParams({ q: more ? asked : text.value.trim(), limit: '20' });
      if (more && cursor) q.set('cursor', cursor);
      const { body } = await api<{ items: Application[]; cursor?: string }>('GET', `/applications?${q}`);
      if (!more) {
        apps.length = 0;
        asked = text.value.trim();
      }
      apps.push(...body.items);
      cursor = body.cursor;
      show();
      announce(`${t('auditFound')}: ${apps.length}`);
    } catch (error) {
      replace(found, errorBox(error));
      found.querySelector<HTMLElement>('[role=alert]')?.focus();
    }
  };
  const form = h(
    'form',
    { novalidate: true, role: 'search', 'aria-labelledby': 'find-heading' },
    h('h2', { id: 'find-heading' }, t('auditFind')),
    h('div', { class: 'field' }, h('label', { for: 'find-q' }, t('auditFindText')), text),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', id: 'find-button' }, t('auditFindButton'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!text.value.trim()) {
      text.focus();
      return;
    }
    void find();
  });
  return h('section', { class: 'card', id: 'case-finder' }, form, found);
}
