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
    expect(await first.locator(`a[data-app="${opened}"]`).textContent()).toBe('打开该申请');
    expect(await first.locator(`a[data-app="${opened}"]`).getAttribute('href')).toBe(`#/app/${opened}`);
    // Newest first.
    const times = await auditor
      .locator('#access-log-list time')
      .evaluateAll((els) => els.map((el) => el.getAttribute('datetime') ?? ''));
    expect(times).toEqual([...times].sort().reverse());
    // Words only: no route, field path, kind code, account id or English in the entries.
    const text = (await auditor.textContent('#access-log-list')) ?? '';
    expect(text).not.toMatch(/[A-Za-z]/);
    expect(pageErrors).toEqual([]);
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
    const row = text.split('\r\n').find((line) => line.includes(opened) && line.includes('查阅个人信息'));
    expect(row, text.slice(0, 800)).toBeDefined();
    expect(row).toContain(reviewerName);
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
