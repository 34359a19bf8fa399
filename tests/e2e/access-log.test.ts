import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalConsole, startLocalConsole } from '../support/local-console.ts';

/**
 * The auditor's access log in a real browser against `npm start -- --demo`: a reviewer opens a
 * case; the auditor, and only the auditor, has "访问日志" in the nav; #/access-log shows that read
 * as a card (who, when, what, which application) in Chinese words with no code or route; the CSV
 * downloads with its byte order mark and Chinese headings; at 390 px nothing scrolls sideways.
 */
let local: LocalConsole | undefined;
let browser: Browser | undefined;
let url = '';
const pageErrors: string[] = [];
/** The case the reviewer opened, and the reviewer's name as the console shows it. */
let opened = '';
let reviewerName = '';
/** Its project's name, as the case's page heads it. */
let projectName = '';

beforeAll(async () => {
  local = await startLocalConsole({ demo: true });
  ({ url, browser } = local);
}, 180_000);

afterAll(async () => {
  await local?.stop();
}, 30_000);

// Contexts stay open until the browser closes: a single-process Chromium goes down with a closed one.
async function signedIn(role: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true });
  await context.addInitScript(`localStorage.setItem('eia.lang', 'zh')`);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${url}/#/signin`);
  await page.click(`.demo-users button[data-role="${role}"]`);
  await page.waitForSelector(`.user[data-role="${role}"]`);
  return page;
}

const NAV = '#top a[href="#/access-log"]';

async function openLog(page: Page): Promise<void> {
  await page.goto(`${url}/#/access-log`);
  await page.waitForSelector('main h1');
  await page.waitForSelector('#access-log-summary:not(:empty)');
}

/** The card of the reviewer's read of the opened case (of its details, not its record). */
const readCard = (page: Page) =>
  page
    .locator('#access-log-list li.access-entry[data-kind="PERSONAL_DATA_READ"]')
    .filter({ has: page.locator(`a[data-app="${opened}"]`) })
    .filter({ has: page.locator('[data-what]', { hasText: /^申请详情$/ }) })
    .filter({ has: page.locator('[data-who]', { hasText: reviewerName }) });

describe('the access log page', () => {
  it("an official's read of a case is entered; only the auditor has the page in the nav", async () => {
    const reviewer = await signedIn('reviewer');
    reviewerName = /：(.+)（/.exec((await reviewer.textContent('.user')) ?? '')?.[1] ?? '';
    expect(reviewerName).not.toBe('');
    expect(await reviewer.locator(NAV).count()).toBe(0);
    await reviewer.goto(`${url}/#/all`);
    const link = reviewer.locator('main a[data-id]').first();
    opened = (await link.getAttribute('data-id')) ?? '';
    expect(opened).not.toBe('');
    await link.click();
    await reviewer.waitForURL(`**/#/app/${opened}`);
    await reviewer.waitForSelector('main h1');
    projectName = (await reviewer.textContent('main h1')) ?? '';
    expect(projectName).not.toBe('');

    const auditor = await signedIn('auditor');
    expect(await auditor.textContent(NAV)).toBe('访问日志');
    await auditor.click(NAV);
    await auditor.waitForSelector('#access-log-summary:not(:empty)');
    expect(await auditor.textContent('main h1')).toBe('个人信息访问日志');
    const card = readCard(auditor);
    await expect.poll(() => card.count()).toBeGreaterThan(0);
    const first = card.first();
    expect(await first.locator('h2').textContent()).toBe('查阅个人信息');
    expect(await first.locator('[data-who]').textContent()).toBe(`${reviewerName}（审查员）`);
    // The application by its case number (where it has one) and project name, not "第 1 件".
    expect(await first.locator(`a[data-app="${opened}"]`).textContent()).toContain(projectName);
    expect(await first.locator(`a[data-app="${opened}"]`).getAttribute('href')).toBe(`#/app/${opened}`);
    // Newest first.
    const times = await auditor
      .locator('#access-log-list time')
      .evaluateAll((els) => els.map((el) => el.getAttribute('datetime') ?? ''));
    expect(times).toEqual([...times].sort().reverse());
    // Words only: no route, field path, kind code, account id or English in the entries (the
    // applications' names are as people wrote them, case numbers included).
    const text = await auditor.evaluate<string>(
      `(() => { const copy = document.querySelector('#access-log-list').cloneNode(true);
        for (const a of copy.querySelectorAll('a[data-app]')) a.remove();
        return copy.textContent ?? ''; })()`,
    );
    expect(text).not.toMatch(/[A-Za-z]/);
    expect(pageErrors).toEqual([]);
  });

  it('a list read names every application by case number or project; the rest open in place', async () => {
    const auditor = await signedIn('auditor');
    await auditor.goto(`${url}/#/all`);
    await auditor.waitForSelector('main a[data-id]');
    const listed = await auditor.locator('main a[data-id]').count();
    expect(listed).toBeGreaterThan(5);
    await openLog(auditor);
    const card = auditor
      .locator('#access-log-list li.access-entry[data-kind="PERSONAL_DATA_READ"]')
      .filter({ has: auditor.locator('[data-what]', { hasText: /^申请列表$/ }) })
      .first();
    const links = card.locator('a[data-app]');
    expect(await links.count()).toBe(listed);
    const names = await links.allTextContents();
    expect(names.filter((n) => /^第 \d+ 件$/.test(n) || n.trim() === '')).toEqual([]);
    // The first five shown; "另有 n 件" opens the rest where they are.
    const more = card.locator('details.more-apps');
    expect(await more.locator('summary').textContent()).toBe(`另有 ${listed - 5} 件`);
    expect(await more.locator('a[data-app]').first().isVisible()).toBe(false);
    await more.locator('summary').click();
    expect(await more.locator('a[data-app]').last().isVisible()).toBe(true);
  });

  it('downloads the log as a spreadsheet: byte order mark, Chinese headings, the read in it', async () => {
    const auditor = await signedIn('auditor');
    await openLog(auditor);
    expect(await auditor.textContent('#access-log-csv')).toBe('下载表格（CSV）');
    const [download] = await Promise.all([
      auditor.waitForEvent('download'),
      auditor.click('#access-log-csv'),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const bytes = await readFile((await download.path()) ?? '');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).toContain('时间（北京时间）');
    // The reviewer's read of the case's details, in words.
    const row = text
      .split('\r\n')
      .find(
        (line) => line.includes(opened) && line.includes(',查阅个人信息,') && line.includes(',申请详情,'),
      );
    expect(row, text.slice(0, 800)).toBeDefined();
    expect(row).toContain(reviewerName);
    expect(row).toContain(projectName);
    expect(row).not.toContain('GET /applications');
    expect(text).toContain('申请编号（系统）');
  });

  it('is the auditor’s: another role is told so, in words', async () => {
    const clerk = await signedIn('clerk');
    await clerk.goto(`${url}/#/access-log`);
    await clerk.waitForSelector('main [role=alert]');
    expect(await clerk.locator('#access-log-list li').count()).toBe(0);
    expect((await clerk.textContent('main [role=alert]')) ?? '').not.toMatch(/[A-Za-z]{3,}/);
  });

  it('at 390 px nothing scrolls sideways', async () => {
    const page = await signedIn('auditor', { width: 390, height: 844 });
    await openLog(page);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
