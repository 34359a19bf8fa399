import './styles.css';
import {
  completeSignIn,
  isSessionKey,
  rememberReturn,
  SESSION_REFUSED,
  SignInError,
  session,
  signOut,
  takeReturn,
} from './auth.ts';
import { config, loadConfig } from './config.ts';
import { h, replace } from './dom.ts';
import { forgetForms, keepFormsOf, keptForms } from './draft-memory.ts';
import { lang, setLang, t } from './i18n.ts';
import { homeFor } from './navigate.ts';
import { errorBox } from './ui.ts';
import { accessLogPage } from './views/access-log.ts';
import { adminCalendarPage } from './views/admin-calendar.ts';
import { adminConfigPage } from './views/admin-config.ts';
import { applicationPage } from './views/application.ts';
import { auditPage } from './views/audit.ts';
import { demoClockPage } from './views/demo-clock.ts';
import { draftPage } from './views/draft.ts';
import { inboxPage, refreshInboxCount } from './views/inbox.ts';
import { listPage } from './views/list.ts';
import { noticePage } from './views/notice.ts';
import { noticesPage } from './views/notices.ts';
import { signInPage } from './views/sign-in.ts';
import { staffPage } from './views/staff.ts';
import { verifyPage } from './views/verify.ts';
import { workflowPage } from './views/workflow-page.ts';
import { loadWorkflow } from './workflow.ts';

/**
 * The console: hash routes (`#/queue`, `#/app/<id>`) so that any static host serves it, each page
 * a function that fills <main> from the API. After every navigation, focus moves to the page
 * heading so that keyboard and screen-reader users know where they are.
 */
type Page = (main: HTMLElement, params: string[]) => Promise<void> | void;

const routes: [RegExp, Page, { auth: boolean }][] = [
  [/^\/signin$/, signInPage, { auth: false }],
  [/^\/notices$/, noticesPage, { auth: false }],
  [/^\/notices\/([\w-]+)$/, (m, [id]) => noticePage(m, id ?? ''), { auth: false }],
  [/^\/workflow$/, workflowPage, { auth: false }],
  [/^\/verify(?:\/(.+))?$/, verifyPage, { auth: false }],
  // A list's search and filters ride in the hash's query (`#/all?q=…&state=…`): reload and back keep them.
  [/^\/mine(?:\?.*)?$/, (m) => listPage(m, 'mine'), { auth: true }],
  [/^\/queue(?:\?.*)?$/, (m) => listPage(m, 'queue'), { auth: true }],
  [/^\/all(?:\?.*)?$/, (m) => listPage(m, 'all'), { auth: true }],
  [/^\/new$/, (m) => draftPage(m), { auth: true }],
  [/^\/walk-in$/, (m) => draftPage(m, undefined, true), { auth: true }],
  [/^\/app\/([\w-]+)\/edit$/, (m, [id]) => draftPage(m, id), { auth: true }],
  [/^\/app\/([\w-]+)$/, (m, [id]) => applicationPage(m, id ?? ''), { auth: true }],
  [/^\/audit$/, auditPage, { auth: true }],
  [/^\/access-log$/, accessLogPage, { auth: true }],
  [/^\/inbox$/, inboxPage, { auth: true }],
  [/^\/admin\/calendar(?:\/(\d{4}))?$/, adminCalendarPage, { auth: true }],
  [/^\/admin\/config$/, adminConfigPage, { auth: true }],
  [/^\/demo-clock$/, demoClockPage, { auth: false }],
  [/^\/staff$/, staffPage, { auth: true }],
];

function nav(): HTMLElement {
  const s = session();
  const links: [string, string][] = [];
  if (s?.role === 'applicant') links.push(['#/mine', t('navMine')], ['#/new', t('navNew')]);
  if (s && ['clerk', 'reviewer', 'approver'].includes(s.role))
    links.push(['#/queue', t('navQueue')], ['#/all', t('navAll')]);
  if (s?.role === 'clerk') links.push(['#/walk-in', t('navWalkIn')]);
  if (s?.role === 'auditor') links.push(['#/audit', t('navAudit')], ['#/all', t('navAll')]);
  if (s?.role === 'auditor') links.push(['#/access-log', t('navAccessLog')]);
  if (s?.role === 'admin') links.push(['#/admin/calendar', t('navCalendar')]);
  if (s?.role === 'admin') links.push(['#/admin/config', t('navConfig')]);
  if (s?.role === 'admin') links.push(['#/staff', t('navStaff')]);
  // Everyone signed in has an inbox; its unread count is added after drawing (refreshInboxCount).
  if (s) links.push(['#/inbox', t('navInbox')]);
  links.push(['#/notices', t('navNotices')], ['#/verify', t('navVerify')], ['#/workflow', t('navWorkflow')]);
  if (config().mode === 'local') links.push(['#/demo-clock', t('navClock')]);
  // A list with a search in its hash (`#/all?q=…`) is still that list.
  const here = (window.location.hash || '#/').split('?')[0];
  return h(
    'nav',
    { 'aria-label': t('appTitle') },
    h(
      'ul',
      {},
      links.map(([href, text]) =>
        h('li', {}, h('a', { href, 'aria-current': here === href ? 'page' : undefined }, text)),
      ),
    ),
  );
}

function header(): void {
  const top = document.getElementById('top');
  if (!top) return;
  const s = session();
  replace(
    top,
    h('p', { class: 'brand' }, h('a', { href: homeFor(s?.role) }, t('appTitle'))),
    nav(),
    h(
      'div',
      { class: 'who' },
      s
        ? [
            h(
              'span',
              { class: 'user', 'data-role': s.role },
              // Full-width colon and brackets in Chinese.
              lang() === 'zh'
                ? `${t('signedInAs')}：${s.name}（${t(`role_${s.role}` as 'role_clerk')}）`
                : `${t('signedInAs')}: ${s.name} (${t(`role_${s.role}` as 'role_clerk')})`,
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'data-sign-out': '',
                onclick: () => {
                  const unsaved = keptForms(sessionStorage).length;
                  if (unsaved > 0 && !window.confirm(t('confirmSignOutForms', { n: unsaved }))) return;
                  forgetForms(sessionStorage);
                  void signOut();
                  window.location.hash = '#/signin';
                  void render();
                },
              },
              t('signOut'),
            ),
          ]
        : h('a', { href: '#/signin', class: 'button-link' }, t('signIn')),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          lang: lang() === 'zh' ? 'en' : 'zh-CN',
          'aria-label': t('languageLabel'),
          onclick: () => {
            setLang(lang() === 'zh' ? 'en' : 'zh');
            void render();
          },
        },
        t('language'),
      ),
    ),
  );
  const skip = document.getElementById('skip');
  if (skip) skip.textContent = t('skip');
  document.title = t('appTitle');
}

let rendering = 0;
/** Who was signed in when this tab last drew its page (the session's `sub`). */
let signedIn: string | undefined;
async function render(): Promise<void> {
  const ticket = ++rendering;
  const root = document.getElementById('main');
  if (!root) return;
  // Each render draws into a view of its own: a slower, older render (a page left before its data
  // came) then only fills a view that is no longer on the page, never the current one.
  const main = h('div', { class: 'view' });
  root.replaceChildren(main);
  const path = (window.location.hash || '#/').slice(1);
  const s = session();
  signedIn = s?.sub;
  // What another person typed in this tab is never shown to the one signed in now.
  keepFormsOf(sessionStorage, s?.sub);
  if (path === '/' || path === '') {
    // Back from signing in elsewhere (the hosted UI): to the page that asked for it.
    window.location.replace((s && takeReturn()) || homeFor(s?.role));
    return;
  }
  header();
  void refreshInboxCount();
  const found = routes.find(([re]) => re.test(path));
  replace(main, h('p', { class: 'muted' }, t('loading')));
  try {
    if (!found) {
      replace(main, h('h1', {}, t('notFound')));
    } else if (found[2].auth && !s) {
      replace(main, h('h1', {}, t('signInNeeded')));
      // A deep link (a case opened in a new tab) survives the sign-in.
      rememberReturn(path);
      window.location.replace('#/signin');
      return;
    } else {
      const params = (found[0].exec(path) ?? []).slice(1);
      await found[1](main, params);
    }
  } catch (error) {
    if (ticket === rendering) replace(main, errorBox(error));
  }
  if (ticket !== rendering) return;
  const heading = main.querySelector<HTMLElement>('h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

async function boot(): Promise<void> {
  document.getElementById('skip')?.addEventListener('click', () => document.getElementById('main')?.focus());
  try {
    await loadConfig();
    await completeSignIn();
    await loadWorkflow();
  } catch (error) {
    const main = document.getElementById('main');
    // A sign-in that came back unusable: said in words, with a way to sign in again.
    if (main && error instanceof SignInError)
      replace(
        main,
        h('h1', {}, t('signInFailed')),
        h('p', { class: 'muted' }, error.message),
        h(
          'a',
          {
            href: '#/signin',
            class: 'button-link',
            // The console did not start: it starts again, on the sign-in page.
            onclick: (event: Event) => {
              event.preventDefault();
              window.location.replace('#/signin');
              window.location.reload();
            },
          },
          t('signIn'),
        ),
      );
    else if (main) replace(main, errorBox(error));
    return;
  }
  window.addEventListener('hashchange', () => void render());
  // The API refused this tab's session: to the sign-in page, and back here after it.
  window.addEventListener(SESSION_REFUSED, () => void render());
  // Signed in or out in another tab (one sign-in for every tab): this one follows, without
  // redrawing (and losing what is typed) when the same person only signed in again.
  window.addEventListener('storage', (event) => {
    if (!isSessionKey(event.key)) return;
    const s = session();
    if (s?.sub === signedIn) return;
    // Waiting on the sign-in page: on to the page that asked for it, as if signed in here.
    if (s && window.location.hash === '#/signin') window.location.replace(takeReturn() ?? homeFor(s.role));
    else void render();
  });
  await render();
}

void boot();
