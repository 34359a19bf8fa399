import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalConsole, startLocalConsole } from '../support/local-console.ts';

/**
 * Deleting a draft in the console, in a real browser against `npm start`: the owner's draft offers
 * a destructive "删除草稿" button that asks first, saying what goes and what stays; saying no keeps
 * the draft; saying yes deletes it, goes back to the list, says so, and the list no longer has it.
 */
let local: LocalConsole | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let url = '';
const pageErrors: string[] = [];

beforeAll(async () => {
  local = await startLocalConsole();
  ({ url, browser } = local);
}, 180_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await local?.stop();
}, 30_000);

async function applicant(): Promise<Page> {
  if (!browser) throw new Error('no browser');
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  await context.addInitScript(`localStorage.setItem('eia.lang', 'zh')`);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text()))
      pageErrors.push(message.text());
  });
  await page.goto(`${url}/#/signin`);
  await page.click('.demo-users button[data-role="applicant"]');
  await page.waitForSelector('.user[data-role="applicant"]');
  return page;
}

describe('deleting a draft in the console', () => {
  it('asks first, then deletes the draft, goes back to the list and says so', async () => {
    const page = await applicant();
    await page.goto(`${url}/#/new`);
    await page.waitForSelector('form.draft-form');
    await page.selectOption('#f-category', 'REPORT_FORM');
    await page.fill('#f-project-name', '拟删除的草稿项目');
    await page.fill('#f-project-location', '醴陵市');
    await page.fill('#f-project-industry', '陶瓷制品制造');
    await page.fill('#f-project-investmentCny', '1000000');
    await page.fill('#f-applicant-orgName', '醴陵市铁河口纸业有限公司');
    await page.fill('#f-applicant-contactName', '王芳');
    await page.fill('#f-applicant-contactPhone', '13873301234');
    await page.click('form.draft-form button[type=submit]');
    await page.waitForURL(/#\/app\/[\w-]+$/);
    const id = /#\/app\/([\w-]+)$/.exec(page.url())?.[1] ?? '';
    const button = `button.danger[data-delete-draft="${id}"]`;
    await page.waitForSelector(button);

    // No: nothing happens.
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.click(button);
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain('拟删除的草稿项目');
    expect(asked[0]).toContain('无法恢复');
    expect(asked[0]).toContain('审计记录');
    expect(page.url()).toContain(`#/app/${id}`);

    // Yes: gone, back to the list, announced.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click(button);
    await page.waitForURL(/#\/mine$/);
    await expect.poll(() => page.textContent('#status')).toContain('已删除');
    await page.waitForSelector('main h1');
    expect(await page.locator(`a[href="#/app/${id}"]`).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
