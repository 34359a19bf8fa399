import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../local/demo.ts';
import { usccCheckChar } from '../../shared/domain/uscc.ts';
import { type LocalConsole, startLocalConsole } from '../support/local-console.ts';

/**
 * The console's words for a refused form, in a real browser at a phone's width (390 px), against
 * `npm start`: one invalid application (a project name too long, a required field left empty, a
 * Unified Social Credit Code with a wrong check character) says beside each field what is wrong,
 * by the field's label, in Chinese with no English and no path; then in English. The same form with
 * the API's rules unavailable goes to the API, whose answer the console words the same way.
 * Screenshots to /work/notes/shots/ (SHOTS overrides).
 */
const SHOTS = process.env.SHOTS ?? '/work/notes/shots/';
const PHONE = { width: 390, height: 844 };
const org = DEMO_USERS.applicant.orgCode ?? '';
const WRONG_USCC = `${org.slice(0, 17)}${usccCheckChar(org.slice(0, 17)) === '1' ? '2' : '1'}`;
const LONG_NAME = '醴'.repeat(201);

let local: LocalConsole | undefined;
let browser: Browser | undefined;
let url = '';
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
/** The language each console asked the API in (`zh: zh-CN`). */
const asked: string[] = [];

beforeAll(async () => {
  local = await startLocalConsole();
  ({ url, browser } = local);
  await mkdir(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await local?.stop();
}, 30_000);

/** A phone-sized context in `lang`, signed in as the demo applicant, on a new application. */
async function newApplication(lang: 'zh' | 'en', rules = true): Promise<Page> {
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext({ viewport: PHONE, locale: lang === 'zh' ? 'zh-CN' : 'en-GB' });
  contexts.push(context);
  await context.addInitScript(`localStorage.setItem('eia.lang', '${lang}')`);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(`${lang}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d|ERR_FAILED/.test(message.text()))
      pageErrors.push(`${lang}: ${message.text()}`);
  });
  page.on('request', (r) => {
    if (r.url().endsWith('/openapi.json')) asked.push(`${lang}: ${r.headers()['accept-language']}`);
  });
  // Without the API's schema the console cannot check as one types: the API's answer is worded.
  if (!rules) await page.route('**/openapi.json', (route) => route.abort());
  await page.goto(`${url}/#/signin`);
  await page.click('.demo-users button[data-role="applicant"]');
  await page.waitForSelector('.user[data-role="applicant"]');
  await page.goto(`${url}/#/new`);
  await page.waitForSelector('#f-project-name');
  if (rules) await page.waitForSelector('#f-project-name[maxlength="200"]');
  return page;
}

/** The invalid application: a name too long (as a pasted or restored text), no location, a wrong code. */
async function fillInvalid(page: Page): Promise<void> {
  // The field takes no more than 200 characters as typed: a longer text is set as a restored draft would be.
  await page.evaluate(
    `(() => { const el = document.querySelector('#f-project-name'); el.value = ${JSON.stringify(LONG_NAME)}; el.dispatchEvent(new Event('input', { bubbles: true })); })()`,
  );
  await page.fill('#f-project-location', '');
  await page.fill('#f-project-industry', '陶瓷制品制造');
  await page.fill('#f-project-investmentCny', '5600000');
  await page.fill('#f-applicant-orgName', '醴陵市铁河口纸业有限公司');
  await page.fill('#f-applicant-orgCode', WRONG_USCC);
  await page.press('#f-applicant-orgCode', 'Tab');
  await page.fill('#f-applicant-contactName', '王芳');
  await page.fill('#f-applicant-contactPhone', '13873301234');
}

const besideField = (page: Page, id: string) => page.textContent(`#${id}-error`).then((s) => s ?? '');
/** Every word the refusal shows: beside the fields and in the box above them. */
const allWords = (page: Page) =>
  page.evaluate(
    `[...document.querySelectorAll('.field-error, .error-box')].map((el) => el.textContent ?? '').join('\\n')`,
  ) as Promise<string>;
const PATH = /\b(project|applicant|preparedBy|category|materials)\.\w/;

describe('a refused application in words', () => {
  it('in Chinese: beside each field, by its label, no English, no path; checked as one types', async () => {
    const page = await newApplication('zh');
    // Required fields are marked, and the code is checked once the field is left.
    expect(await page.textContent('label[for="f-project-location"]')).toContain('必填');
    await fillInvalid(page);
    expect(await besideField(page, 'f-applicant-orgCode')).toContain('校验位不符');
    expect(await besideField(page, 'f-project-name')).toBe('最多 200 个字。');
    await page.click('form.draft-form button[type=submit]');
    await page.waitForSelector('.error-box');
    expect(await besideField(page, 'f-project-location')).toBe('此项必填，请填写。');
    const words = await allWords(page);
    expect(words).toContain('项目名称：最多 200 个字。');
    expect(words).toContain('建设地点：此项必填，请填写。');
    expect(words).toContain('统一社会信用代码：校验位不符');
    expect(words).not.toMatch(/[A-Za-z]{2,}/);
    expect(words).not.toMatch(PATH);
    // Put right, a field's words go as one types.
    await page.fill('#f-applicant-orgCode', org);
    expect(await page.$('#f-applicant-orgCode-error')).toBeNull();
    await page.screenshot({ path: `${SHOTS}d3-zh.png`, fullPage: true });
  }, 60_000);

  it('in English: the same, in English', async () => {
    const page = await newApplication('en');
    expect(asked).toContain('en: en');
    expect(asked).toContain('zh: zh-CN');
    expect(await page.textContent('label[for="f-project-location"]')).toContain('required');
    await fillInvalid(page);
    await page.click('form.draft-form button[type=submit]');
    await page.waitForSelector('.error-box');
    const words = await allWords(page);
    expect(words).toContain('Project name: At most 200 characters.');
    expect(words).toContain('Location: This is required: please fill it in.');
    expect(words).toContain('Unified Social Credit Code: The check character does not match');
    expect(words).not.toMatch(/[\u4e00-\u9fff]/);
    expect(words).not.toMatch(PATH);
    expect(words).not.toMatch(/expected|received|Invalid input/);
    await page.screenshot({ path: `${SHOTS}d3-en.png`, fullPage: true });
  }, 60_000);

  it('the API’s own answer, asked for in Chinese, is worded the same way', async () => {
    const page = await newApplication('zh', false);
    await fillInvalid(page);
    const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/applications'));
    await page.click('form.draft-form button[type=submit]');
    expect((await sent).headers()['accept-language']).toBe('zh-CN');
    await page.waitForSelector('.error-box');
    expect(await besideField(page, 'f-project-name')).toBe('最多 200 个字。');
    expect(await besideField(page, 'f-project-location')).toBe('此项必填，请填写。');
    expect(await besideField(page, 'f-applicant-orgCode')).toContain('校验位不符');
    const words = await allWords(page);
    expect(words).not.toMatch(/[A-Za-z]{2,}/);
    expect(words).not.toMatch(PATH);
    await page.screenshot({ path: `${SHOTS}d3-zh-api.png`, fullPage: true });
  }, 60_000);

  it('the demo clock’s sweep says what it did in a sentence, not in JSON', async () => {
    const page = await newApplication('zh');
    await page.goto(`${url}/#/demo-clock`);
    await page.click('button:has-text("运行到期检查")');
    await page.waitForSelector('[data-sweep-report]');
    const said = (await page.textContent('[data-sweep-report]')) ?? '';
    expect(said).toMatch(/^到期检查已运行（\d{4}-\d{2}-\d{2}）：检查了 \d+ 件申请。/);
    expect(said).not.toMatch(/[{}":]|[a-z]_[a-z]/);
  }, 60_000);

  it('no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
