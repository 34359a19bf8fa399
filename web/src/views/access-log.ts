import { api, toProblem } from '../api.ts';
import { session } from '../auth.ts';
import { apiUrl } from '../config.ts';
import { announce, h, replace } from '../dom.ts';
import { dispositionName } from '../files.ts';
import { lang, t, tr } from '../i18n.ts';
import { dateTime, errorBox } from '../ui.ts';
import { accessReadKeys } from '../words/access-log.ts';

/** One entry of GET /audit/access-log, as far as this page shows it. */
export interface AccessEntry {
  kind: 'PERSONAL_DATA_READ' | 'PERSONAL_DATA_EXPORT' | 'DOCUMENT_DOWNLOAD';
  at: string;
  requestId: string;
  actor: { id: string; name: string; roles?: string[]; role?: string };
  route?: string;
  applicationIds?: string[];
  /** The same applications by case number and project name (entries written since it was recorded). */
  applications?: { id: string; caseNumber?: string; projectName?: string }[];
  applicationId?: string;
  filter?: Record<string, string>;
  format?: string;
  fileName?: string;
}

interface AccessPage {
  items: AccessEntry[];
  cursor?: string;
}

/** What a read was of, in words: the route's meaning, never the route itself. */
const readWords: Record<string, Parameters<typeof t>[0]> = accessReadKeys;

/** What the entry was, in a sentence of the console's language. */
export function whatOf(entry: AccessEntry): string {
  switch (entry.kind) {
    case 'PERSONAL_DATA_READ': {
      const words = t(readWords[entry.route ?? ''] ?? 'accessRead_other');
      const searched = entry.filter && Object.keys(entry.filter).some((k) => k !== 'limit');
      return searched ? `${words}${t('accessLogSearched')}` : words;
    }
    case 'PERSONAL_DATA_EXPORT':
      return t(
        entry.format === 'csv'
          ? 'accessExport_csv'
          : entry.format === 'ndjson'
            ? 'accessExport_ndjson'
            : 'accessExport_other',
      );
    case 'DOCUMENT_DOWNLOAD':
      return entry.fileName
        ? t('accessDownloadOf', { name: entry.fileName })
        : t('accessKind_DOCUMENT_DOWNLOAD');
  }
}

/** Who: the name and the roles in words, never the account's id. */
function whoOf(entry: AccessEntry): string {
  const roles = entry.actor.roles ?? (entry.actor.role ? [entry.actor.role] : []);
  const words = roles.map((r) => tr(`role_${r}`, r)).join(lang() === 'zh' ? '、' : ', ');
  if (!words) return entry.actor.name;
  return lang() === 'zh' ? `${entry.actor.name}（${words}）` : `${entry.actor.name} (${words})`;
}

/** A link to an application, named by its case number or project name where the entry holds them. */
function appLink(entry: AccessEntry, id: string, i: number): HTMLAnchorElement {
  const named = entry.applications?.find((a) => a.id === id);
  const label = named?.caseNumber || named?.projectName || t('accessLogOpenNth', { n: i + 1 });
  return h(
    'a',
    { href: `#/app/${id}`, 'data-app': id, ...(named?.projectName ? { title: named.projectName } : {}) },
    named?.caseNumber && named.projectName ? `${label} ${named.projectName}` : label,
  );
}

const joined = (links: Node[]): (Node | string)[] =>
  links.flatMap((a, i) => (i === 0 ? [a] : [lang() === 'zh' ? '、' : ', ', a]));

/** The applications the entry names, as links: the first five, the rest (at most a page) behind "另有 n 件". */
const SHOWN_APPS = 5;
function applicationsOf(entry: AccessEntry): Node | string {
  const ids = entry.applicationIds ?? (entry.applicationId ? [entry.applicationId] : []);
  if (ids.length === 0) return t('accessLogNoApplication');
  if (ids.length === 1 && !entry.applications?.length) {
    return h('a', { href: `#/app/${ids[0]}`, 'data-app': ids[0] }, t('accessLogOpenOne'));
  }
  const links = ids.map((id, i) => appLink(entry, id, i));
  const rest = links.slice(SHOWN_APPS);
  return h(
    'span',
    { class: 'links' },
    joined(links.slice(0, SHOWN_APPS)),
    rest.length > 0
      ? h(
          'details',
          { class: 'more-apps' },
          h('summary', {}, t('accessLogMoreApps', { n: rest.length })),
          h('span', { class: 'links' }, joined(rest)),
        )
      : '',
  );
}

function card(entry: AccessEntry): HTMLLIElement {
  return h(
    'li',
    { class: 'card notice access-entry', 'data-kind': entry.kind, 'data-request': entry.requestId },
    h('h2', {}, t(`accessKind_${entry.kind}`)),
    h(
      'dl',
      {},
      h('dt', {}, t('accessLogWhen')),
      h('dd', {}, h('time', { datetime: entry.at }, dateTime(entry.at))),
      h('dt', {}, t('accessLogWho')),
      h('dd', { 'data-who': '' }, whoOf(entry)),
      h('dt', {}, t('accessLogWhat')),
      h('dd', { 'data-what': '' }, whatOf(entry)),
      h('dt', {}, t('accessLogWhich')),
      h('dd', {}, applicationsOf(entry)),
    ),
  );
}

/**
 * The CSV as the API wrote it, byte for byte (a Blob of the bytes keeps the byte order mark that
 * Excel and WPS need), asked for in the console's language so that its headings and kinds are in it.
 */
async function downloadCsv(): Promise<string> {
  const s = session();
  const res = await fetch(`${apiUrl()}/audit/access-log?format=csv&limit=100`, {
    headers: {
      ...(s ? { authorization: `Bearer ${s.token}` } : {}),
      'accept-language': lang() === 'zh' ? 'zh-CN' : 'en',
    },
    cache: 'no-store',
  });
  if (!res.ok) throw await toProblem(res);
  const name = dispositionName(res.headers.get('content-disposition')) ?? 'access-log.csv';
  const blob = new Blob([await res.arrayBuffer()], { type: res.headers.get('content-type') ?? 'text/csv' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

/**
 * #/access-log (the auditor): the access log, newest first, a card per entry saying who, when,
 * what kind and of which applications, in words; "加载更多" pages on, and the newest hundred can be
 * downloaded as a spreadsheet (the API's CSV).
 */
export async function accessLogPage(main: HTMLElement): Promise<void> {
  const list = h('ul', { class: 'notices access-log', id: 'access-log-list' });
  const summary = h('p', { id: 'access-log-summary', class: 'muted', 'aria-live': 'polite' });
  const moreBox = h('div', {});
  const problem = h('div', {});
  const csv = h('button', { type: 'button', class: 'secondary', id: 'access-log-csv' }, t('accessLogCsv'));
  let cursor: string | undefined;
  let shown = 0;

  const load = async () => {
    const q = new URLSearchParams({ limit: '20', ...(cursor ? { cursor } : {}) });
    const { body } = await api<AccessPage>('GET', `/audit/access-log?${q}`, { fresh: true });
    list.append(...body.items.map(card));
    shown += body.items.length;
    cursor = body.cursor;
    replace(summary, shown === 0 ? t('accessLogEmpty') : t('accessLogShown', { n: shown }));
    replace(
      moreBox,
      cursor
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              id: 'access-log-more',
              onclick: () => void more(),
            },
            t('more'),
          )
        : '',
    );
  };
  const more = async () => {
    try {
      replace(problem);
      await load();
      announce(t('accessLogShown', { n: shown }));
    } catch (error) {
      replace(problem, errorBox(error));
      problem.querySelector<HTMLElement>('[role=alert]')?.focus();
    }
  };
  csv.addEventListener('click', async () => {
    try {
      replace(problem);
      announce(t('accessLogDownloaded', { name: await downloadCsv() }));
    } catch (error) {
      replace(problem, errorBox(error));
      problem.querySelector<HTMLElement>('[role=alert]')?.focus();
    }
  });

  replace(
    main,
    h('h1', {}, t('accessLogTitle')),
    h('p', {}, t('accessLogIntro')),
    h('div', { class: 'buttons' }, csv),
    summary,
    problem,
    list,
    moreBox,
  );
  await load();
}
