import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalConsole, startLocalConsole } from '../support/local-console.ts';

/**
 * Every page of the console on a 390 px phone, as each role and as the public, against
 * `npm start -- --demo`: nothing scrolls sideways and no table cell is squeezed narrower than a
 * finger (tables become cards); printed, the case page shows the case and not the navigation or
 * the buttons. Screenshots of the fullest pages to /work/notes/shots/ (SHOTS overrides; SHOT_PREFIX
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
async function phone(role?: string): Promise<Page> {
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
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

interface Fit {
  overflow: number;
  widest: string;
  narrowCells: string[];
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
    return { overflow, widest, narrowCells };
  })()`) as Promise<Fit>;
}

const findings: string[] = [];

function record(where: string, fit: Fit): void {
  if (fit.overflow > 1) findings.push(`${where}: scrolls sideways by ${fit.overflow}px (${fit.widest})`);
  for (const cell of fit.narrowCells.slice(0, 3)) findings.push(`${where}: narrow cell ${cell}`);
}

/** Opens `hash`, measures it and, when `shot` names it, saves a full-page screenshot. */
async function check(page: Page, who: string, hash: string, ready?: string, shot?: string): Promise<void> {
  await open(page, hash, ready);
  record(`${who} ${hash}`, await measure(page));
  if (shot) await page.screenshot({ path: `${SHOTS}${PREFIX}${shot}.png`, fullPage: true });
}

/** The ids of the cases a list page links to, with their states. */
async function casesOn(page: Page, hash: string): Promise<{ id: string; state: string }[]> {
  await open(page, hash);
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

  it('fits every page of the applicant', async () => {
    const page = await phone('applicant');
    const cases = await casesOn(page, '#/mine');
    expect(cases.length).toBeGreaterThan(0);
    await check(page, 'applicant', '#/mine', 'main h1', 'applicant-mine');
    await check(page, 'applicant', '#/new', 'main form', 'applicant-new');
    await check(page, 'applicant', `#/app/${fullest(cases)}`, '.summary', 'applicant-case');
    const draft = cases.find((c) => c.state === 'DRAFT');
    if (draft) await check(page, 'applicant', `#/app/${draft.id}/edit`, 'main form');
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
    await page.screenshot({ path: `${SHOTS}${PREFIX}auditor-audit.png`, fullPage: true });
  }, 60_000);

  it('fits every page of the admin', async () => {
    const page = await phone('admin');
    await check(page, 'admin', '#/admin/calendar', '.cal-month', 'admin-calendar');
    await check(page, 'admin', '#/admin/config', 'main h1', 'admin-config');
    await check(page, 'admin', '#/staff', 'main table', 'admin-staff');
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

  it('found nothing scrolling sideways, no squeezed cell and no script error', () => {
    expect(findings).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
