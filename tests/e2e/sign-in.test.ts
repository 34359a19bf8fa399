import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalConsole, startLocalConsole } from '../support/local-console.ts';

/**
 * Signing in with a link: a case link opened in a new tab lands on the case at once while signed
 * in, and, signed out, on that case after signing in.
 */
let local: LocalConsole | undefined;
let browser: Browser | undefined;
let url = '';

beforeAll(async () => {
  local = await startLocalConsole({ demo: true });
  ({ url, browser } = local);
}, 180_000);

afterAll(async () => {
  await local?.stop();
}, 30_000);

async function signIn(page: Page, role: string): Promise<void> {
  await page.click(`.demo-users button[data-role="${role}"]`);
  await page.waitForSelector(`.user[data-role="${role}"]`);
}

describe('deep links through sign-in', () => {
  it('lands on the case a link named, once signed in', async () => {
    if (!browser) throw new Error('no browser');
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await context.addInitScript(`localStorage.setItem('eia.lang', 'zh')`);
    const page = await context.newPage();
    await page.goto(`${url}/#/signin`);
    await signIn(page, 'reviewer');
    await page.goto(`${url}/#/all`);
    const link = page.locator('main a[href^="#/app/"]').first();
    await link.waitFor();
    const href = (await link.getAttribute('href')) ?? '';
    // Signed in: a new tab opens the case at once (one sign-in for every tab).
    const opened = await context.newPage();
    await opened.goto(`${url}/${href}`);
    await opened.waitForSelector('.user[data-role="reviewer"]');
    await opened.waitForSelector('main .summary');
    expect(new URL(opened.url()).hash).toBe(href);
    await opened.close();
    await page.click('[data-sign-out]');
    await page.waitForURL(/#\/signin$/);

    const fresh = await context.newPage();
    await fresh.goto(`${url}/${href}`);
    await fresh.waitForURL(/#\/signin$/);
    await signIn(fresh, 'reviewer');
    await fresh.waitForURL((u) => u.hash === href);
    expect(new URL(fresh.url()).hash).toBe(href);
  }, 60_000);
});
