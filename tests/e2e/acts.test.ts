import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DEMO_USERS } from '../../local/demo.ts';
import { localApi } from '../support/local-api.ts';
import { type LocalConsole, startLocalConsole } from '../support/local-console.ts';

/**
 * The acts in a real browser, in Chinese, against `npm start` (the case is made through the API):
 * an action form checks its fields when pressed and asks nothing, sends nothing while one is wrong;
 * each act asks first, saying what will happen and to whom, and a “no” sends nothing; a destructive
 * act looks apart; after accepting, the page says what happens next and who acts now; and the
 * timeline of a case that went through review, a revision, an expert review and the sweeper's
 * steps is in words, with no Latin letter but in the case number.
 */
const PROJECT = '醴陵市东富镇釉下彩陶瓷生产线技改项目';
/** Where the screenshots go (the after-act sentence, the timeline). */
const SHOTS = process.env.SHOTS ?? '/work/notes/shots/';

let local: LocalConsole | undefined;
let browser: Browser | undefined;
let url = '';
let id = '';
let caseNumber = '';
let context: BrowserContext | undefined;
const pageErrors: string[] = [];

let api: ReturnType<typeof localApi>;
const ok: ReturnType<typeof localApi>['ok'] = (...args) => api.ok(...args);

async function local_(method: 'POST', path: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, path).toBe(200);
}

/** A report form with every required material uploaded (a small real PDF each), submitted. */
async function submittedCase(): Promise<string> {
  const created = await api.draftWithMaterials(PROJECT);
  await ok('applicant', 'POST', `/applications/${created}/actions/submit`, {});
  return created;
}

beforeAll(async () => {
  local = await startLocalConsole();
  ({ url, browser } = local);
  api = localApi(url);
  id = await submittedCase();
  await mkdir(SHOTS, { recursive: true });
}, 180_000);

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

async function openCase(page: Page, ready: string): Promise<void> {
  const target = `${url}/#/app/${id}`;
  if (page.url() === target) await page.reload();
  else await page.goto(target);
  await page.waitForSelector(ready);
}

/** What `run` makes the page ask (each question answered with `answer`) and which acts it sends. */
async function watch(
  page: Page,
  answer: 'accept' | 'dismiss',
  run: () => Promise<void>,
): Promise<{ asked: string[]; sent: string[] }> {
  const asked: string[] = [];
  const sent: string[] = [];
  const onDialog = (dialog: Dialog) => {
    asked.push(dialog.message());
    void (answer === 'accept' ? dialog.accept() : dialog.dismiss());
  };
  const onRequest = (request: { url(): string; method(): string }) => {
    if (request.method() === 'POST' && request.url().includes('/actions/')) sent.push(request.url());
  };
  page.on('dialog', onDialog);
  page.on('request', onRequest);
  try {
    await run();
  } finally {
    page.off('dialog', onDialog);
    page.off('request', onRequest);
  }
  return { asked, sent };
}

describe('acts in the console', () => {
  it('checks an action form when pressed: an empty reason is marked beside it, nothing asked or sent', async () => {
    const page = await as('clerk');
    await openCase(page, 'form[data-action="decline"]');
    const decline = 'form[data-action="decline"]';
    const { asked, sent } = await watch(page, 'accept', async () => {
      await page.click(`${decline} button[data-action-submit="decline"]`);
      await page.waitForSelector(`${decline} [data-path="reason"][aria-invalid="true"]`);
    });
    expect(asked).toEqual([]);
    expect(sent).toEqual([]);
    const note = (await page.textContent(`${decline} .field-error`)) ?? '';
    expect(note).toMatch(/[\u4e00-\u9fff]/);
    expect(note).not.toMatch(/[A-Za-z]/);
    // Above the form, how many things to fix; the first is focused.
    expect(await page.textContent(`${decline} .error-box`)).toContain('共 1 处需要更正');
    expect(await page.evaluate('document.activeElement?.getAttribute("data-path")')).toBe('reason');
    // Declining closes the case against the applicant: it looks apart; accepting does not.
    expect(await page.getAttribute(decline, 'data-destructive')).toBe('true');
    expect(await page.getAttribute(`${decline} button[type=submit]`, 'class')).toContain('danger');
    expect(await page.getAttribute('form[data-action="accept"] button[type=submit]', 'class')).toBeNull();
  });

  it('asks before the supplement notice, saying what happens and to whom; a “no” sends nothing', async () => {
    const page = await as('clerk');
    await openCase(page, 'form[data-action="request_supplement"]');
    const form = 'form[data-action="request_supplement"]';
    // An item without its reason: the list's fields are checked too, before anything is asked.
    const empty = await watch(page, 'accept', async () => {
      await page.click(`${form} button[data-action-submit="request_supplement"]`);
      await page.waitForSelector(`${form} [data-path="items.0.reason"][aria-invalid="true"]`);
    });
    expect(empty).toEqual({ asked: [], sent: [] });
    expect(await page.textContent(`${form} .error-box`)).not.toContain('items.0.reason');
    await page.selectOption(`${form} [data-path="items.0.code"]`, 'EIA_DOCUMENT');
    await page.fill(`${form} [data-path="items.0.reason"]`, '缺少大气环境影响预测章节。');
    const { asked, sent } = await watch(page, 'dismiss', async () => {
      await page.click(`${form} button[data-action-submit="request_supplement"]`);
      await expect.poll(() => page.isEnabled(`${form} button[type=submit]`)).toBe(true);
    });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('确定“一次性告知补正”吗？');
    expect(asked[0]).toContain(`项目：${PROJECT}`);
    // What is about to be sent, item by item, then what happens and to whom.
    expect(asked[0]).toContain('1. 环境影响评价文件：缺少大气环境影响预测章节。');
    expect(asked[0]).toContain('申请人将收到一次性补正通知');
    expect(asked[0]).toContain('一份申请只能发一次补正通知');
    expect(sent).toEqual([]);
    expect(await page.locator('.summary [data-state="SUBMITTED"]').count()).toBe(1);
  });

  it('after accepting, says what happens next and who acts now', async () => {
    const page = await as('clerk');
    await openCase(page, 'form[data-action="accept"]');
    const { asked, sent } = await watch(page, 'accept', async () => {
      await page.click('form[data-action="accept"] button[data-action-submit="accept"]');
      await page.waitForSelector('.summary [data-state="ACCEPTED"]');
    });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('申请人和审查人员将收到受理通知');
    expect(sent).toHaveLength(1);
    const said = (await page.textContent('main h1 + p.ok[role="status"]')) ?? '';
    caseNumber = /受理编号 (\S+?)。/.exec(said)?.[1] ?? '';
    expect(caseNumber).toMatch(/^LLHS-\d{4}-/);
    // In view and focused, not left below the fold where the form was.
    expect(await page.evaluate('document.activeElement?.hasAttribute("data-page-notice")')).toBe(true);
    await page.screenshot({ path: `${SHOTS}acts-accepted.png` });
    expect(said).toMatch(
      /^已受理，受理编号 \S+。现在等待审查人员开始审查；申请人将收到受理通知，公众意见征求至 \d{4}-\d{2}-\d{2}。$/,
    );
  });

  it('shows a timeline in words: no Latin letter but in the case number, for an official and the applicant', async () => {
    const act = (role: keyof typeof DEMO_USERS, name: string, body: unknown = {}) =>
      ok(role, 'POST', `/applications/${id}/actions/${name}`, body);
    await act('reviewer', 'start_review');
    await act('reviewer', 'request_revision', {
      items: [{ topic: '大气环境', detail: '补充窑炉烟气预测。' }],
    });
    await act('applicant', 'submit_revision', { response: '已补充窑炉烟气预测章节。' });
    await act('reviewer', 'start_expert_review', { expectedWorkingDays: 5, panel: ['周明', '吴华'] });
    // Two months on: the sweeper closes the comment period and finds the expert review overdue.
    const later = new Date(Date.now() + 60 * 86_400_000).toISOString();
    await local_('POST', '/local/clock', { now: later });
    try {
      await local_('POST', '/local/sweep', {});
      const reviewer = await as('reviewer');
      await openCase(reviewer, 'ol.timeline li[data-action="close_comment_period"]');
      const trail = reviewer.locator('ol.timeline');
      const text = (await trail.textContent()) ?? '';
      await trail.screenshot({ path: `${SHOTS}acts-timeline.png` });
      expect(
        text
          .split(caseNumber)
          .join('')
          .match(/[A-Za-z_]+/g) ?? [],
      ).toEqual([]);
      expect(await trail.locator('li[data-action="accept"]').textContent()).toContain(
        `受理编号：${caseNumber}`,
      );
      expect(await trail.locator('li[data-action="accept"]').textContent()).toContain('王芳（窗口受理）');
      expect(await trail.locator('li[data-action="request_revision"]').textContent()).toContain(
        '修改要求：大气环境——补充窑炉烟气预测。',
      );
      expect(await trail.locator('li[data-action="start_expert_review"]').textContent()).toContain(
        '审批时限暂停',
      );
      expect(await trail.locator('li[data-action="close_comment_period"]').textContent()).toMatch(
        /公众意见征求期已于 \d{4}-\d{2}-\d{2}( ?（暂定）)? ?届满/,
      );
      expect(await trail.locator('li[data-action="close_comment_period"]').textContent()).toContain('系统');
      expect(await trail.locator('li[data-action="issue_document"]').first().textContent()).toContain(
        '受理通知书',
      );
      expect(await trail.locator('li[data-action="edit"]').textContent()).toContain('修改了：申报材料');

      const applicant = await as('applicant');
      await openCase(applicant, 'ol.timeline li[data-action="close_comment_period"]');
      const seen = (await applicant.textContent('ol.timeline')) ?? '';
      expect(
        seen
          .split(caseNumber)
          .join('')
          .match(/[A-Za-z_]+/g) ?? [],
      ).toEqual([]);
    } finally {
      await local_('POST', '/local/clock', { now: null });
    }
  }, 60_000);

  it('no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
