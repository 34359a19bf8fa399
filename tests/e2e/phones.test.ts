import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalConsole, startLocalConsole } from '../support/local-console.ts';

/**
 * Every page of the console on a 390 px phone, as each role and as the public, against
 * `npm start -- --demo`: nothing scrolls sideways and no table cell is squeezed narrower than a
 * finger (tables become cards); the header leaves the screen to the page; every button, field and
 * link of the header is a finger high; axe-core finds nothing serious on any page; printed, the
 * case page, a notice and the verify page's answer show their content and not the navigation,
 * the buttons or the forms. Screenshots of the fullest pages to /work/notes/shots/ (SHOTS overrides; SHOT_PREFIX
 * names them).
 */
const SHOTS = process.env.SHOTS ?? '/work/notes/shots/';
const PREFIX = process.env.SHOT_PREFIX ?? 'phones-';
const PHONE = { width: 390, height: 844 };
/** The narrowest a table cell may be: a word or a date still fits, and a thumb still hits it. */
const NARROWEST_CELL = 40;

let local: LocalConsole | undefined;
let browser: Browser | undefined;
let url = '';
const pageErrors: string[] = [];

beforeAll(async () => {
  // E2E_URL: a console already running (`npm start -- --demo`), for working on this test.
  local = await startLocalConsole({ demo: true });
  ({ url, browser } = local);
  await mkdir(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await local?.stop();
}, 30_000);

/** A phone-sized browser context in Chinese, signed in as `role` through the console (or not). */
// Contexts stay open until the browser closes: a single-process Chromium goes down with a closed one.
async function phone(role?: string, language: 'zh' | 'en' = 'zh'): Promise<Page> {
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext({ viewport: PHONE, locale: language === 'zh' ? 'zh-CN' : 'en' });
  await context.addInitScript(`localStorage.setItem('eia.lang', '${language}')`);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(`${role ?? 'public'}: ${error.message}`));
  if (role) {
    await page.goto(`${url}/#/signin`);
    await page.click(`.demo-users button[data-role="${role}"]`);
    await page.waitForSelector(`.user[data-role="${role}"]`);
  }
  return page;
}

async function open(page: Page, hash: string, ready = 'main h1'): Promise<void> {
  const target = `${url}/${hash}`;
  if (page.url() === target) await page.reload();
  else await page.goto(target);
  await page.waitForSelector(ready);
  // The page's data has come once the loading line is gone.
  await page.waitForFunction('!document.querySelector("main .view > p.muted:only-child")');
}

/** The tallest the header may be on a phone: the page starts within its screen's first third. */
const TALLEST_HEADER = 260;
/** A finger's height for what is pressed or typed into; a box that is ticked may be smaller. */
const FINGER = 44;
const TICK_BOX = 24;

interface Fit {
  overflow: number;
  widest: string;
  narrowCells: string[];
  header: number;
  /** Controls (buttons, fields, the header's links) lower than a finger, with their height. */
  small: string[];
  /** Half-width brackets around a Chinese mark (`(必填)`): Chinese text takes full-width ones. */
  halfWidth: string[];
}

/** How far the page scrolls sideways (and what sticks out most), and each visible cell under the limit. */
function measure(page: Page): Promise<Fit> {
  return page.evaluate(`(() => {
    const inner = window.innerWidth;
    const overflow = document.scrollingElement.scrollWidth - inner;
    let widest = '';
    let right = inner;
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > right + 1) {
        right = r.right;
        widest = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') + ' ' + Math.round(r.right);
      }
    }
    const narrowCells = [];
    for (const cell of document.querySelectorAll('td, th')) {
      if (!cell.checkVisibility()) continue;
      // A table's header row read out by screen readers but not shown (cards): not a cell one sees.
      const head = cell.closest('thead');
      if (head && head.getBoundingClientRect().width <= 1) continue;
      const w = cell.getBoundingClientRect().width;
      if (w < ${NARROWEST_CELL})
        narrowCells.push(Math.round(w) + 'px: ' + (cell.textContent || '').trim().slice(0, 20));
    }
    const header = Math.round(document.getElementById('top').getBoundingClientRect().height);
    const small = [];
    const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + (el.textContent || el.getAttribute('aria-label') || el.getAttribute('name') || '').trim().slice(0, 12) + '"';
    const controls = 'button, .button-link, input:not([type=hidden]):not([type=file]), select, textarea, #top a';
    for (const el of document.querySelectorAll(controls)) {
      if (!el.checkVisibility()) continue;
      const r = el.getBoundingClientRect();
      // Visually hidden (the skip link until focused, a file input behind its button): not pressed as such.
      if (r.width <= 1 || r.height <= 1) continue;
      const tick = el.matches('input[type=checkbox], input[type=radio]');
      if (r.height + 0.5 < (tick ? ${TICK_BOX} : ${FINGER})) small.push(Math.round(r.height) + 'px: ' + name(el));
    }
    const halfWidth = (document.body.innerText.match(/\\([\\u4e00-\\u9fff]+\\)/g) || []).slice(0, 3);
    return { overflow, widest, narrowCells, header, small, halfWidth };
  })()`) as Promise<Fit>;
}

/** The inbox once its messages (or the line saying there are none) are in. */
const INBOX = '#inbox-list, #inbox-empty';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core on the page as it is now: its serious and critical findings. */
async function axe(page: Page, where: string): Promise<void> {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not restrict.
  if (!(await page.evaluate('typeof window.axe !== "undefined"')))
    await page.evaluate(await readFile(AXE, 'utf8'));
  const violations = (await page.evaluate(
    'axe.run(document, { resultTypes: ["violations"] }).then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 3) })))',
  )) as { id: string; impact: string; nodes: string[] }[];
  for (const v of violations)
    if (v.impact === 'serious' || v.impact === 'critical')
      findings.push(`${where}: axe ${v.id} (${v.impact}) at ${v.nodes.join(', ')}`);
}

const findings: string[] = [];

function record(where: string, fit: Fit): void {
  if (fit.overflow > 1) findings.push(`${where}: scrolls sideways by ${fit.overflow}px (${fit.widest})`);
  for (const cell of fit.narrowCells.slice(0, 3)) findings.push(`${where}: narrow cell ${cell}`);
  if (fit.header > TALLEST_HEADER) findings.push(`${where}: header ${fit.header}px tall`);
  for (const control of fit.small.slice(0, 3)) findings.push(`${where}: smaller than a finger ${control}`);
  for (const text of fit.halfWidth) findings.push(`${where}: half-width brackets in Chinese ${text}`);
}

/** Opens `hash`, measures it, runs axe-core and, when `shot` names it, saves a full-page screenshot. */
async function check(page: Page, who: string, hash: string, ready?: string, shot?: string): Promise<void> {
  await open(page, hash, ready);
  record(`${who} ${hash}`, await measure(page));
  await axe(page, `${who} ${hash}`);
  if (shot) await page.screenshot({ path: `${SHOTS}${PREFIX}${shot}.png`, fullPage: true });
}

/** The ids of the cases a list page links to, with their states. */
async function casesOn(page: Page, hash: string): Promise<{ id: string; state: string }[]> {
  // The list comes after the page's heading and search form: waited for by its first case.
  await open(page, hash, 'main a[data-id]');
  return (await page.evaluate(`[...document.querySelectorAll('main a[data-id]')].map((a) => ({
    id: a.dataset.id,
    state: a.closest('tr')?.querySelector('[data-state]')?.dataset.state ?? '',
  }))`)) as { id: string; state: string }[];
}

/** The case with the most to show: decided cases have documents and a long trail. */
function fullest(cases: readonly { id: string; state: string }[]): string {
  const order = ['APPROVED', 'REJECTED', 'PUBLIC_NOTICE', 'HEARING', 'UNDER_REVIEW', 'ACCEPTED'];
  const ranked = [...cases].sort((a, b) => rank(a.state) - rank(b.state));
  function rank(state: string) {
    const i = order.indexOf(state);
    return i < 0 ? order.length : i;
  }
  const id = ranked[0]?.id;
  if (!id) throw new Error('the demo shows no case');
  return id;
}

/** A decided demo case's verify page (`#/verify/<number>`), as its case page links to it. */
async function verifyLink(): Promise<string> {
  const page = await phone('reviewer');
  await open(page, `#/app/${fullest(await casesOn(page, '#/all'))}`, '.summary');
  const href = await page.getAttribute('main a[href^="#/verify/"]', 'href');
  if (!href) throw new Error('the decided demo case links to no verify page');
  return href;
}

/** Sets the handlers' clock of the local server (`null`: the real clock again). */
async function setClock(now: string | null): Promise<void> {
  const res = await fetch(`${url}/local/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ now }),
  });
  expect(res.status).toBe(200);
}

interface Paper {
  nav: boolean;
  header: boolean;
  /** Buttons, forms and fields (the file button too) still shown on paper, by what they are. */
  pressable: string[];
  /** Whether each selector asked about is shown on paper. */
  kept: Record<string, boolean>;
}

/** The page as printed (print media): what of the screen's tools shows, and whether `kept` does. */
async function onPaper(page: Page, kept: readonly string[], shot: string): Promise<Paper> {
  await page.emulateMedia({ media: 'print' });
  try {
    const paper = (await page.evaluate(`((kept) => {
      const shown = (el) => !!el && el.checkVisibility();
      const pressable = [...document.querySelectorAll('main :is(button, form, input:not([type=hidden]), select, textarea, .file-pick)')]
        .filter(shown)
        .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + (el.textContent || '').trim().slice(0, 12) + '"');
      return {
        nav: shown(document.querySelector('#top nav')),
        header: shown(document.querySelector('#top')),
        pressable: pressable.slice(0, 5),
        kept: Object.fromEntries(kept.map((s) => [s, shown(document.querySelector(s))])),
      };
    })(${JSON.stringify(kept)})`)) as Paper;
    await page.screenshot({ path: `${SHOTS}${PREFIX}${shot}.png`, fullPage: true });
    return paper;
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
}

const allKept = (kept: readonly string[]) => Object.fromEntries(kept.map((s) => [s, true]));

describe('the console on a 390 px phone and on paper', () => {
  it('fits the public pages', async () => {
    const page = await phone();
    await check(page, 'public', '#/signin', '.demo-users');
    await check(page, 'public', '#/notices', '.notice', 'notices');
    const notice = await page.getAttribute('a[data-notice-link]', 'data-notice-link');
    expect(notice).toBeTruthy();
    await check(page, 'public', `#/notices/${notice}`, 'article.notice h1', 'notice');
    await check(page, 'public', '#/workflow', '.diagram');
    await check(page, 'public', '#/verify');
    await check(page, 'public', '#/demo-clock');
  }, 60_000);

  it('fits the verify page’s answer, with the console’s own file button and the checksum in words', async () => {
    const href = await verifyLink();
    const page = await phone();
    await check(page, 'public', href, '#verify-result [data-genuine]', 'verify-answer');
    expect(await page.getAttribute('#verify-result [data-genuine]', 'data-genuine')).toBe('true');
    const text = (await page.textContent('main')) ?? '';
    expect(text).toContain('文件校验值');
    expect(text).not.toContain('SHA-256');
    // The console's own button, a finger high, in place of the browser's “Choose File”.
    const pick = await page.locator('#verify-result .file-pick').boundingBox();
    expect(await page.textContent('#verify-result .file-pick')).toBe('选择 PDF 文件');
    expect(pick?.height ?? 0).toBeGreaterThanOrEqual(FINGER);
    const input = await page.locator('#verify-file').boundingBox();
    expect(input && input.width <= 1 && input.height <= 1).toBe(true);
  }, 60_000);

  it('fits every page of the applicant', async () => {
    const page = await phone('applicant');
    const cases = await casesOn(page, '#/mine');
    expect(cases.length).toBeGreaterThan(0);
    await check(page, 'applicant', '#/mine', 'main h1', 'applicant-mine');
    await check(page, 'applicant', '#/new', 'main form', 'applicant-new');
    // Required fields say so after their label, in full-width brackets.
    await expect.poll(() => page.textContent('label[for="f-project-name"]')).toMatch(/（必填）$/);
    await check(page, 'applicant', `#/app/${fullest(cases)}`, '.summary', 'applicant-case');
    const draft = cases.find((c) => c.state === 'DRAFT');
    if (draft) await check(page, 'applicant', `#/app/${draft.id}/edit`, 'main form');
    // Searching one's own list, and the inbox.
    await check(page, 'applicant', `#/mine?q=${encodeURIComponent('纸业')}`, 'main a[data-id]');
    await check(page, 'applicant', '#/inbox', INBOX, 'applicant-inbox');
  }, 60_000);

  for (const role of ['clerk', 'reviewer', 'approver'] as const)
    it(`fits every page of the ${role}`, async () => {
      const page = await phone(role);
      const cases = await casesOn(page, '#/all');
      expect(cases.length).toBeGreaterThan(0);
      await check(page, role, '#/queue', 'main h1', role === 'clerk' ? 'clerk-queue' : undefined);
      await check(page, role, '#/all', 'main h1');
      if (role === 'clerk') await check(page, role, '#/walk-in', 'main form');
      await check(page, role, `#/app/${fullest(cases)}`, '.summary', `${role}-case`);
      await check(
        page,
        role,
        `#/all?q=${encodeURIComponent('陶瓷')}`,
        'main a[data-id]',
        role === 'clerk' ? 'clerk-search' : undefined,
      );
      await check(page, role, '#/inbox', INBOX);
    }, 60_000);

  it('fits every page of the auditor, its search results too', async () => {
    const page = await phone('auditor');
    const cases = await casesOn(page, '#/all');
    await check(page, 'auditor', '#/all', 'main h1', 'auditor-all');
    await check(page, 'auditor', `#/app/${fullest(cases)}`, '.summary', 'auditor-case');
    const id = fullest(cases);
    await check(page, 'auditor', '#/audit', '#q-applicationId');
    await page.fill('#q-applicationId', id);
    await page.click('form[aria-labelledby="search-title"] button[type=submit]');
    await page.waitForSelector('#audit-results table');
    record('auditor #/audit results', await measure(page));
    await axe(page, 'auditor #/audit results');
    await page.screenshot({ path: `${SHOTS}${PREFIX}auditor-audit.png`, fullPage: true });
    // Finding a case by words: the cases found, then one's trail.
    await page.fill('#find-q', '陶瓷');
    await page.click('#find-button');
    await page.waitForSelector('#find-results tr, #find-results [role=alert], #find-results p');
    record('auditor #/audit find', await measure(page));
    await axe(page, 'auditor #/audit find');
    await check(page, 'auditor', `#/all?q=${encodeURIComponent('陶瓷')}`, 'main a[data-id]');
    await check(page, 'auditor', '#/inbox', INBOX);
  }, 60_000);

  it('fits every page of the admin', async () => {
    const page = await phone('admin');
    await check(page, 'admin', '#/admin/calendar', '.cal-month', 'admin-calendar');
    await check(page, 'admin', '#/admin/config', 'main h1', 'admin-config');
    await check(page, 'admin', '#/staff', 'main table', 'admin-staff');
    await check(page, 'admin', '#/inbox', INBOX);
  }, 60_000);

  it('fits the header in English too (longer words), on the workflow and the inbox', async () => {
    for (const role of ['applicant', 'clerk', 'reviewer', 'auditor', 'admin']) {
      const page = await phone(role, 'en');
      await check(page, `${role} (en)`, '#/workflow', '.diagram');
      await check(page, `${role} (en)`, '#/inbox', INBOX);
    }
  }, 60_000);

  it('prints the case page without the navigation or the buttons', async () => {
    const page = await phone('reviewer');
    const id = fullest(await casesOn(page, '#/all'));
    await open(page, `#/app/${id}`, '.summary');
    await page.emulateMedia({ media: 'print' });
    const printed = (await page.evaluate(`(() => {
      const shown = (el) => !!el && el.checkVisibility();
      return {
        nav: shown(document.querySelector('#top nav')),
        header: shown(document.querySelector('#top')),
        buttons: [...document.querySelectorAll('main button')].filter(shown).length,
        summary: shown(document.querySelector('main .summary')),
        timeline: shown(document.querySelector('main .timeline')),
        background: getComputedStyle(document.body).backgroundColor,
      };
    })()`)) as Record<string, unknown>;
    expect(printed).toMatchObject({ nav: false, header: false, buttons: 0, summary: true, timeline: true });
    await page.screenshot({ path: `${SHOTS}${PREFIX}print-case.png`, fullPage: true });
    // Back on screen the navigation is there again.
    await page.emulateMedia({ media: 'screen' });
    expect(await page.isVisible('#top nav')).toBe(true);
  }, 60_000);

  it('prints a notice without the navigation or the public’s forms, the notice kept', async () => {
    // The demo's comment windows have closed by now: the handlers' clock goes back to a notice's
    // first day (POST /local/clock), when its page has the comment form, and to real time after.
    const listed = (await (await fetch(`${url}/public/notices`)).json()) as {
      items: { noticeId: string; kind: string; publishedOn: string }[];
    };
    // An acceptance or a proposed decision takes comments from the day it is published.
    const answerable = listed.items.find((n) => n.kind === 'ACCEPTANCE' || n.kind === 'PROPOSED_DECISION');
    if (!answerable) throw new Error('the demo has no notice the public may comment on');
    await setClock(`${answerable.publishedOn}T10:00:00+08:00`);
    try {
      const page = await phone();
      await open(page, `#/notices/${encodeURIComponent(answerable.noticeId)}`, 'form[data-form="comment"]');
      const onScreen = await page.locator('main form').count();
      expect(onScreen).toBeGreaterThan(0);
      const kept = ['main article.notice', 'main article.notice h1'];
      expect(await onPaper(page, kept, 'print-notice')).toEqual({
        nav: false,
        header: false,
        pressable: [],
        kept: allKept(kept),
      });
      // On screen again, the forms are there again.
      expect(await page.locator('main form').count()).toBe(onScreen);
      expect(await page.isVisible('#top nav')).toBe(true);
    } finally {
      await setClock(null);
    }
  }, 60_000);

  it('prints the verify page’s answer without the number form or the file check, the verdict kept', async () => {
    const href = await verifyLink();
    const page = await phone();
    await open(page, href, '#verify-result [data-genuine]');
    const kept = [
      'main h1',
      '#verify-result .verdict',
      '#verify-result .verdict dl',
      '[data-sha256]',
      '[data-chain]',
    ];
    expect(await onPaper(page, kept, 'print-verify')).toEqual({
      nav: false,
      header: false,
      pressable: [],
      kept: allKept(kept),
    });
    expect(await page.isVisible('#verify-result .file-pick')).toBe(true);
  }, 60_000);

  it('found nothing scrolling sideways, no squeezed cell or control, no tall header, nothing for axe and no script error', () => {
    expect(findings).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
