import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalConsole, startLocalConsole } from '../support/local-console.ts';

/**
 * The inbox in a real browser against `npm start -- --demo`: the demo's acts reached the inboxes of
 * those they name; the nav shows the unread count; #/inbox lists the notifications newest first,
 * the unread ones marked in words, in Chinese with no Latin letter besides case numbers; opening
 * one goes to its case and marks it read (the count follows); "全部标为已读" marks the rest, and a
 * reload keeps it so; in English the same entries speak English; at 390 px nothing scrolls sideways.
 */
let local: LocalConsole | undefined;
let browser: Browser | undefined;
let url = '';
const pageErrors: string[] = [];

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
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  await context.addInitScript(`localStorage.setItem('eia.lang', 'zh')`);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${url}/#/signin`);
  await page.click(`.demo-users button[data-role="${role}"]`);
  await page.waitForSelector(`.user[data-role="${role}"]`);
  return page;
}

const NAV = '#top a[href="#/inbox"]';
/** The nav's unread count once it has been read from the API. */
const navCount = async (page: Page) => {
  await page.waitForSelector(`${NAV}[data-unread]`);
  return Number(await page.getAttribute(NAV, 'data-unread'));
};
async function openInbox(page: Page): Promise<void> {
  await page.goto(`${url}/#/inbox`);
  await page.waitForSelector('main h1');
  await page.waitForSelector('#inbox-list, #inbox-empty');
}
const marks = (page: Page) => page.locator('#inbox-list [data-unread-mark]').count();

describe('the inbox', () => {
  it("holds what the demo's acts told the applicant, newest first, unread marked in words, in Chinese", async () => {
    const page = await signedIn('applicant');
    expect(await page.textContent(NAV)).toContain('消息');
    const unread = await navCount(page);
    expect(unread).toBeGreaterThan(0);
    await openInbox(page);
    expect(await page.textContent('main h1')).toBe('我的消息');
    const entries = page.locator('#inbox-list li.inbox-entry');
    expect(await entries.count()).toBeGreaterThanOrEqual(unread);
    expect(await marks(page)).toBe(unread);
    expect(await page.textContent('#inbox-list [data-unread-mark]')).toBe('未读');
    expect(await page.textContent('#inbox-summary')).toBe(`${unread} 条未读`);
    const times = await page
      .locator('#inbox-list time')
      .evaluateAll((els) => els.map((el) => el.getAttribute('datetime') ?? ''));
    expect(times).toEqual([...times].sort().reverse());
    // The applicant's acceptance, in words; every entry leads to the case.
    expect(await page.textContent('#inbox-list')).toContain('已受理：');
    const hrefs = await page
      .locator('#inbox-list h2 a')
      .evaluateAll((els) => els.map((el) => el.getAttribute('href')));
    for (const href of hrefs) expect(href).toMatch(/^#\/app\/[\w-]+$/);
    // One page (up to 20): no "more".
    if ((await entries.count()) < 20) expect(await page.locator('#inbox-more').count()).toBe(0);
    // No code, key or English: only case numbers (LLHS-2026-…) carry Latin letters.
    const text = (await page.textContent('main')) ?? '';
    expect(text.replace(/LLHS-\d{4}-[A-Z0-9]+/g, '')).not.toMatch(/[A-Za-z]/);
    expect(pageErrors).toEqual([]);
  });

  it('opening an entry goes to its case and marks it read; the count follows', async () => {
    const page = await signedIn('applicant');
    const before = await navCount(page);
    await openInbox(page);
    const first = page.locator('#inbox-list li.inbox-entry[data-read="false"]').first();
    const id = await first.getAttribute('data-entry');
    const href = (await first.locator('h2 a').getAttribute('href')) ?? '';
    await first.locator('h2 a').click();
    await page.waitForURL(`**/${href}`);
    await page.waitForSelector('main h1');
    await expect.poll(() => page.getAttribute(NAV, 'data-unread')).toBe(String(before - 1));
    await openInbox(page);
    expect(await page.getAttribute(`#inbox-list li[data-entry="${id}"]`, 'data-read')).toBe('true');
    expect(await page.textContent(`#inbox-list li[data-entry="${id}"] [data-read-mark]`)).toBe('已读');
    expect(await marks(page)).toBe(before - 1);
  });

  it('"全部标为已读" marks every entry read, the nav count goes, and a reload keeps it so', async () => {
    const page = await signedIn('reviewer');
    expect(await navCount(page)).toBeGreaterThan(0);
    await openInbox(page);
    const button = page.locator('#inbox-mark-all');
    expect(await button.textContent()).toBe('全部标为已读');
    await button.click();
    await expect.poll(() => marks(page)).toBe(0);
    expect(await page.textContent('#inbox-summary')).toBe('全部已读');
    expect(await button.isDisabled()).toBe(true);
    await expect.poll(() => page.getAttribute(NAV, 'data-unread')).toBe('0');
    expect(await page.locator(`${NAV} [data-inbox-count]`).count()).toBe(0);
    await page.reload();
    await page.waitForSelector('#inbox-list');
    expect(await marks(page)).toBe(0);
    expect(await navCount(page)).toBe(0);
  });

  it('speaks English when the console does', async () => {
    const page = await signedIn('applicant');
    await openInbox(page);
    await page.click('#top button[lang="en"]');
    // Polled from here: a string predicate would be evaluated in the page, which its CSP forbids.
    await expect.poll(() => page.textContent('main h1')).toBe('My inbox');
    await page.waitForSelector('#inbox-list');
    expect(await page.textContent('#inbox-list')).toContain('Accepted: ');
    expect(await page.textContent('#inbox-list')).not.toMatch(/已受理/);
  });

  it('at 390 px nothing scrolls sideways', async () => {
    const page = await signedIn('applicant', { width: 390, height: 844 });
    await openInbox(page);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
