import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../local/demo.ts';
import { type LocalConsole, startLocalConsole } from '../support/local-console.ts';

/**
 * Finding things in the console, in Chinese, against `npm start -- --demo`: an official searches
 * every case from its list by company and state, the words and filters stay in the address (a
 * reload keeps them, going back returns to the search before), "加载更多" reads the next page; the
 * auditor finds a case by its decision number, a company or an official's name and sees its trail;
 * an applicant's search finds only their own; a search of only punctuation is refused beside the
 * box in Chinese. axe-core finds nothing serious on the pages with a search.
 */
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** The demo's approved case (local/demo-data.ts) and its organisation. */
const APPROVED = '釉料车间扩建项目';
const KILN = '瓷城陶瓷';
/** Drafts made for paging: one more than a page of the list (50). */
const PAGING = '分页查找用纸箱项目';
const PAGE_SIZE = 50;

let local: LocalConsole | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let url = '';
const pageErrors: string[] = [];
const axeFindings: string[] = [];

async function token(role: keyof typeof DEMO_USERS): Promise<string> {
  const { label: _, ...subject } = DEMO_USERS[role];
  const res = await fetch(`${url}/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(subject),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

beforeAll(async () => {
  local = await startLocalConsole({ demo: true });
  ({ url, browser } = local);
  const bearer = `Bearer ${await token('applicant')}`;
  const applicant = DEMO_USERS.applicant;
  for (let i = 1; i <= PAGE_SIZE + 1; i++) {
    const res = await fetch(`${url}/applications`, {
      method: 'POST',
      headers: { authorization: bearer, 'content-type': 'application/json' },
      body: JSON.stringify({
        category: 'REGISTRATION',
        project: { name: `${PAGING} ${i}`, location: '醴陵市', industry: '纸制品', investmentCny: 100_000 },
        applicant: {
          orgName: '醴陵市铁河口纸业有限公司',
          orgCode: applicant.orgCode,
          contactName: applicant.name,
          contactPhone: '13873301234',
        },
      }),
    });
    expect(res.status, await res.text()).toBe(201);
  }
}, 240_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await local?.stop();
}, 30_000);

/** A fresh browser context in Chinese, signed in as `role` (the one before is closed first). */
async function as(role: keyof typeof DEMO_USERS): Promise<Page> {
  if (!browser) throw new Error('no browser');
  await context?.close().catch(() => undefined);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  await context.addInitScript(`localStorage.setItem('eia.lang', 'zh')`);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(`${role}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text()))
      pageErrors.push(`${role}: ${message.text()}`);
  });
  await page.goto(`${url}/#/signin`);
  await page.click(`.demo-users button[data-role="${role}"]`);
  await page.waitForSelector(`.user[data-role="${role}"]`);
  return page;
}

async function axe(page: Page, name: string): Promise<void> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"')))
    await page.evaluate(await readFile(AXE, 'utf8'));
  const violations = (await page.evaluate(
    'axe.run(document, { resultTypes: ["violations"] }).then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 3) })))',
  )) as { id: string; impact: string; nodes: string[] }[];
  for (const v of violations) {
    if (v.impact === 'serious' || v.impact === 'critical')
      axeFindings.push(`${name}: ${v.id} (${v.impact}) at ${v.nodes.join(', ')}`);
  }
}

/** The project names the list shows now, once its results are drawn. */
async function listed(page: Page): Promise<string[]> {
  await page.waitForSelector('#list-results:not([data-stale]) #list-count');
  return page.$$eval('#list-results a[data-id]', (links) => links.map((a) => a.textContent ?? ''));
}

/** Marks the list drawn now, so that `listed` waits for the next one. */
async function stale(page: Page): Promise<void> {
  await page.$eval('#list-results', (el) => el.setAttribute('data-stale', ''));
}

/** Searches the list page it is on and waits for the next list. */
async function searchList(page: Page, q: string, state = ''): Promise<void> {
  await page.waitForSelector('#list-count');
  await stale(page);
  await page.fill('#list-q', q);
  await page.selectOption('#list-state', state);
  await page.click('#list-search');
}

describe('an official’s list', () => {
  it('searches every case by company and state; the address keeps both through a reload and back', async () => {
    const page = await as('clerk');
    await page.goto(`${url}/#/all`);
    const all = await listed(page);
    expect(all.length).toBeGreaterThan(2);

    await searchList(page, KILN);
    const kiln = await listed(page);
    expect(kiln).toContain(APPROVED);
    expect(kiln).toContain('日用陶瓷隧道窑天然气改造项目');
    expect(kiln.some((name) => name.includes('铁河口'))).toBe(false);
    await axe(page, 'clerk #/all with a search');

    await searchList(page, KILN, 'APPROVED');
    expect(await listed(page)).toEqual([APPROVED]);
    expect(page.url()).toContain('state=APPROVED');

    await page.reload();
    await page.waitForSelector('#list-count');
    expect(await page.inputValue('#list-q')).toBe(KILN);
    expect(await page.inputValue('#list-state')).toBe('APPROVED');
    expect(await listed(page)).toEqual([APPROVED]);

    await stale(page);
    await page.goBack();
    expect(await listed(page)).toEqual(kiln);
    expect(page.url()).not.toContain('state=');
    expect(await page.inputValue('#list-q')).toBe(KILN);

    // Clearing goes back to the whole list.
    await stale(page);
    await page.click('#list-clear');
    expect((await listed(page)).length).toBe(all.length);
    expect(page.url()).toMatch(/#\/all$/);
  });

  it('reads the next page with “加载更多”, each case once', async () => {
    const page = await as('reviewer');
    await page.goto(`${url}/#/all?q=${encodeURIComponent(PAGING)}`);
    const first = await listed(page);
    expect(first).toHaveLength(PAGE_SIZE);
    expect(await page.textContent('#list-count')).toContain(`已显示 ${PAGE_SIZE} 件`);
    await page.click('#list-more');
    await page.waitForSelector(`#list-results tr:nth-child(${PAGE_SIZE + 1}) a[data-id]`);
    const all = await listed(page);
    expect(all).toHaveLength(PAGE_SIZE + 1);
    expect(new Set(all).size).toBe(PAGE_SIZE + 1);
    expect(await page.$('#list-more')).toBeNull();
  });

  it('refuses a search of only punctuation beside the box, in Chinese, and sends nothing', async () => {
    const page = await as('clerk');
    await page.goto(`${url}/#/queue`);
    await page.waitForSelector('#list-q');
    const before = page.url();
    await page.fill('#list-q', '〔 〕 -');
    await page.click('#list-search');
    const note = await page.waitForSelector('#list-q-error');
    expect(await note.textContent()).toContain('请至少输入一个汉字、字母或数字');
    expect(await page.getAttribute('#list-q', 'aria-invalid')).toBe('true');
    expect(page.url()).toBe(before);
  });
});

describe('the auditor', () => {
  it('finds a case by company, decision number and an official’s name, and sees its trail', async () => {
    const page = await as('auditor');
    await page.goto(`${url}/#/audit`);
    await page.fill('#find-q', '釉料');
    await page.click('#find-button');
    const row = page.locator('#find-results tr', { hasText: APPROVED });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    const decision = /醴环评〔\d{4}〕\d+号/.exec(text)?.[0] ?? '';
    expect(decision).not.toBe('');
    const id = (await row.locator('a[data-id]').getAttribute('data-id')) ?? '';
    await axe(page, 'auditor #/audit with cases found');

    // The decision number with other brackets and spaces, the company, the approver's name.
    for (const q of [decision.replace('〔', '[').replace('〕', '] '), KILN, DEMO_USERS.approver.name]) {
      await page.fill('#find-q', q);
      await page.click('#find-button');
      await page.locator(`#find-results a[data-id="${id}"]`).waitFor();
    }

    await page.click(`#find-results button[data-trail="${id}"]`);
    await page.waitForSelector('#results-title:has-text("审计记录")');
    expect(await page.textContent('#results-title')).toContain(APPROVED);
    const trail = await page.textContent('#audit-results');
    expect(trail).toContain('批准');
    expect(await page.inputValue('#q-applicationId')).toBe(id);
    expect(await page.inputValue('#v-applicationId')).toBe(id);
    await page.click('#verify-button');
    await page.waitForSelector('.verify[data-ok="true"]');
  });
});

describe('an applicant', () => {
  it('finds only their own cases', async () => {
    const page = await as('applicant');
    await page.goto(`${url}/#/mine`);
    await searchList(page, KILN);
    expect(await listed(page)).toEqual([]);
    expect(await page.textContent('#list-count')).toContain('没有符合条件的申请');
    await searchList(page, '集聚区');
    expect(await listed(page)).toEqual(['铁河口纸业集聚区废水深度处理及扩建项目']);
    await axe(page, 'applicant #/mine with a search');
  });
});

describe('the pages with a search', () => {
  it('raised no page errors and no serious accessibility findings', () => {
    expect(pageErrors).toEqual([]);
    expect(axeFindings).toEqual([]);
  });
});
