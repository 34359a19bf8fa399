import { readFile } from 'node:fs/promises';
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
let deletedId = '';
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
    expect(await page.textContent(button)).toBe('删除草稿');

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
    // Said where one sees it too, not only to screen readers; and the button speaks only Chinese.
    expect(await page.textContent('main p.ok')).toBe('草稿“拟删除的草稿项目”已删除。');
    expect(await page.locator(`a[href="#/app/${id}"]`).count()).toBe(0);
    deletedId = id;
    expect(pageErrors).toEqual([]);
  });

  /** The new-draft form filled in as a report form named `project`. */
  const fillDraft = async (page: Page, project: string) => {
    await page.selectOption('#f-category', 'REPORT_FORM');
    await page.fill('#f-project-name', project);
    await page.fill('#f-project-location', '醴陵市');
    await page.fill('#f-project-industry', '陶瓷制品制造');
    await page.fill('#f-project-investmentCny', '1000000');
    await page.fill('#f-applicant-orgName', '醴陵市铁河口纸业有限公司');
    await page.fill('#f-applicant-contactName', '王芳');
    await page.fill('#f-applicant-contactPhone', '13873301234');
  };

  /**
   * The first POST /applications reaches the service, but its answer never reaches the browser;
   * later ones go through. Returns the Idempotency-Key of each POST, as sent.
   */
  const loseFirstAnswer = async (page: Page): Promise<string[]> => {
    const keys: string[] = [];
    let lost = false;
    await page.route(`${url}/applications`, async (route) => {
      const request = route.request();
      if (request.method() !== 'POST') return route.fallback();
      keys.push(request.headers()['idempotency-key'] ?? '');
      if (lost) return route.fallback();
      lost = true;
      await route.fetch();
      return route.abort('connectionreset');
    });
    return keys;
  };

  it('saves one draft when the first answer is lost and 保存草稿 is pressed again', async () => {
    const page = await applicant();
    await page.goto(`${url}/#/new`);
    await page.waitForSelector('form.draft-form');
    await fillDraft(page, '只存一次的草稿项目');
    // The first creation reaches the service, but its answer never reaches the browser.
    const keys = await loseFirstAnswer(page);
    await page.click('form.draft-form button[type=submit]');
    await page.waitForSelector('[role=alert]');
    // Pressed again: the same key, so the service answers with the draft it already made.
    await page.click('form.draft-form button[type=submit]');
    await page.waitForURL(/#\/app\/[\w-]+$/);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe('');
    expect(keys[1]).toBe(keys[0]);
    await page.unroute(`${url}/applications`);
    await page.goto(`${url}/#/mine`);
    await page.waitForSelector('main h1');
    await expect.poll(() => page.locator('main', { hasText: '只存一次的草稿项目' }).count()).toBe(1);
    expect(await page.getByText('只存一次的草稿项目').count()).toBe(1);
  });

  it('saves one draft, as last typed, when the first answer is lost and the form is changed before pressing again', async () => {
    const page = await applicant();
    await page.goto(`${url}/#/new`);
    await page.waitForSelector('form.draft-form');
    await fillDraft(page, '改过名的草稿项目（初稿）');
    const keys = await loseFirstAnswer(page);
    await page.click('form.draft-form button[type=submit]');
    await page.waitForSelector('[role=alert]');
    // The person corrects the name meanwhile, then presses again.
    await page.fill('#f-project-name', '改过名的草稿项目（定稿）');
    await page.click('form.draft-form button[type=submit]');
    await page.waitForURL(/#\/app\/[\w-]+$/);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    await page.unroute(`${url}/applications`);
    await page.goto(`${url}/#/mine`);
    await page.waitForSelector('main h1');
    await expect.poll(() => page.getByText('改过名的草稿项目（定稿）').count()).toBe(1);
    expect(await page.getByText('改过名的草稿项目（初稿）').count()).toBe(0);
  });

  it('leaves the trail to the auditor, whose CSV opens in Excel (BOM, Chinese headers)', async () => {
    expect(deletedId).not.toBe('');
    const auditor = await browser?.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    if (!auditor) throw new Error('no browser');
    try {
      await auditor.addInitScript(`localStorage.setItem('eia.lang', 'zh')`);
      const page = await auditor.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${url}/#/signin`);
      await page.click('.demo-users button[data-role="auditor"]');
      await page.waitForSelector('#q-applicationId');
      // Nothing to search by: said in words, no request that is bound to be refused.
      await page.click('form[aria-labelledby="search-title"] button:has-text("CSV")');
      expect(await page.textContent('#audit-results [role=alert]')).toContain('请至少填写申请编号');
      await page.fill('#q-applicationId', deletedId);
      await page.click('form[aria-labelledby="search-title"] button[type=submit]');
      await page.waitForSelector('#audit-results table');
      const changes = await page.locator('#audit-results tbody tr td:last-child').allTextContents();
      expect(changes).toEqual(['—', '→ 草稿']);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('form[aria-labelledby="search-title"] button:has-text("CSV")'),
      ]);
      const bytes = await readFile((await download.path()) ?? '');
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.subarray(3).toString('utf8');
      expect(text).toContain('时间（北京时间）,申请编号,序号,操作');
      expect(text).toContain(`,${deletedId},2,删除草稿,`);
      // The case itself is gone, even to the auditor; nothing there for the reader to "fix".
      await page.goto(`${url}/#/app/${deletedId}`);
      const gone = await page.waitForSelector('main [role=alert]');
      expect(await gone.textContent()).toMatch(/^出错了\s*找不到/);
    } finally {
      await auditor.close().catch(() => undefined);
    }
  });
});
