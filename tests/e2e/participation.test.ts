import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendersChinese } from '../support/browser.ts';
import { localApi } from '../support/local-api.ts';
import { type LocalConsole, startLocalConsole } from '../support/local-console.ts';

/**
 * Public participation in a real browser on a phone's width (390 px), in Chinese, against
 * `npm start` (no demo data: the case is made here through the API): a citizen comments on the
 * acceptance notice and gets a receipt, the comment count goes up; the case officer sees what
 * stops the proposal, answers the comment once; past the comment period the proposal goes on
 * notice, and its notice offers interested parties the hearing request form. One server, one
 * browser; screenshots to /work/notes/shots/ (SHOTS overrides).
 */
const SHOTS = process.env.SHOTS ?? '/work/notes/shots/';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PHONE = { width: 390, height: 844 };
const PROJECT = '渌江北岸陶瓷废料综合利用项目';

let local: LocalConsole | undefined;
let browser: Browser | undefined;
let url = '';
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
const axeFindings: string[] = [];

beforeAll(async () => {
  // E2E_URL: a console already running (`npm start`), for working on these tests.
  local = await startLocalConsole();
  ({ url, browser } = local);
  api = localApi(url);
  await mkdir(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await local?.stop();
}, 30_000);

// --- The API, for what this test does not walk through in the browser --------------------------

let api: ReturnType<typeof localApi>;
const call: ReturnType<typeof localApi>['call'] = (...args) => api.call(...args);
const ok: ReturnType<typeof localApi>['ok'] = (...args) => api.ok(...args);

/** The server's clock (POST /local/clock): an instant, or null for real time. */
async function setClock(now: string | null): Promise<void> {
  const res = await fetch(`${url}/local/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ now }),
  });
  expect(res.status).toBe(200);
}

/** A report form with every required material uploaded (a small real PDF each), submitted and accepted today. */
async function acceptedCase(): Promise<{ id: string; commentEndsOn: string }> {
  const created = { id: await api.draftWithMaterials(PROJECT) };
  await ok('applicant', 'POST', `/applications/${created.id}/actions/submit`, {});
  await ok('clerk', 'POST', `/applications/${created.id}/actions/accept`, {});
  // The reviewer who starts the review is the case officer, who answers the public.
  await ok('reviewer', 'POST', `/applications/${created.id}/actions/start_review`, {});
  const app = await ok<{ acceptance: { commentEndsOn: string } }>(
    'reviewer',
    'GET',
    `/applications/${created.id}`,
  );
  return { id: created.id, commentEndsOn: app.acceptance.commentEndsOn };
}

// --- The browser ----------------------------------------------------------------------------------

/** A phone-sized browser context, in Chinese, signed in as `role` through the console (or not signed in). */
async function phone(role?: string): Promise<Page> {
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(`${role ?? 'public'}: ${error.message}`));
  page.on('console', (message) => {
    // 4xx answers the console shows are expected, and so is the connection a test cuts on purpose.
    if (message.type() === 'error' && !/status of 4\d\d|ERR_CONNECTION_RESET/.test(message.text()))
      pageErrors.push(`${role ?? 'public'}: ${message.text()}`);
  });
  // Lists of notices may be cached for 60 s: a routed request skips the browser's cache.
  await page.route('**/public/notices?*', (route) => route.continue());
  if (role) {
    await page.goto(`${url}/#/signin`);
    await page.click(`.demo-users button[data-role="${role}"]`);
    await page.waitForSelector(`.user[data-role="${role}"]`);
  }
  return page;
}

async function open(page: Page, hash: string, ready: string): Promise<void> {
  const target = `${url}/${hash}`;
  if (page.url() === target) await page.reload();
  else await page.goto(target);
  await page.waitForSelector(ready);
}

async function axe(page: Page, name: string): Promise<void> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"')))
    await page.evaluate(await readFile(AXE, 'utf8'));
  const violations = (await page.evaluate(
    'axe.run(document, { resultTypes: ["violations"] }).then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 3) })))',
  )) as { id: string; impact: string; nodes: string[] }[];
  for (const v of violations)
    if (v.impact === 'serious' || v.impact === 'critical')
      axeFindings.push(`${name}: ${v.id} (${v.impact}) at ${v.nodes.join(', ')}`);
}

/** Nothing wider than the phone: no sideways scrolling. */
async function fitsPhone(page: Page): Promise<void> {
  expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(
    0,
  );
}

/** The notice of `kind` for this test's project, opened from the notices list by its link. */
async function openNotice(page: Page, kind: string): Promise<string> {
  await open(page, '#/notices', '.notice');
  await page.fill('#n-q', PROJECT);
  await page.selectOption('#n-kind', kind);
  await page.click('form[role=search] button[type=submit]');
  const card = page.locator(`.notice[data-kind="${kind}"]`, { hasText: PROJECT }).first();
  await card.waitFor();
  await card.locator('a[data-notice-link]').click();
  await page.waitForSelector('article.notice h1');
  return decodeURIComponent(/#\/notices\/([\w-]+)$/.exec(page.url())?.[1] ?? '');
}

async function answerDialog(page: Page, run: () => Promise<void>): Promise<string[]> {
  const asked: string[] = [];
  const answer = (dialog: Dialog) => {
    asked.push(dialog.message());
    void dialog.accept();
  };
  page.on('dialog', answer);
  try {
    await run();
  } finally {
    page.off('dialog', answer);
  }
  return asked;
}

describe('public participation in the console', () => {
  let id = '';
  let commentEndsOn = '';
  let commentId = '';
  let publicPage: Page | undefined;
  let officerPage: Page | undefined;
  let today = '';
  const comment = '项目紧邻渌江，请说明废水是否外排，以及除尘设施的排放口位置。';

  it('lets a citizen comment on the acceptance notice: receipt, count up, sent once', async () => {
    ({ id, commentEndsOn } = await acceptedCase());
    const page = await phone();
    const noticeId = await openNotice(page, 'ACCEPTANCE');
    expect(await rendersChinese(page)).toMatchObject({ distinct: true });
    const form = 'form[data-form="comment"]';
    await page.waitForSelector(form);
    // What happens to the comment, and that names and contacts stay private, in plain words.
    expect(await page.textContent(`${form} [data-what-happens]`)).toContain('逐条阅读并书面答复');
    expect(await page.textContent(`${form} [data-privacy]`)).toContain('不会公开');
    expect(await page.textContent(`${form} .window`)).toContain(commentEndsOn);
    // An acceptance notice takes no hearing requests.
    expect(await page.locator('form[data-form="hearing"]').count()).toBe(0);
    expect(await page.getAttribute('[data-comment-count]', 'data-comment-count')).toBe('0');

    // Sending nothing: said beside the field, nothing sent.
    await page.click(`${form} button[data-send-comment]`);
    expect(await page.getAttribute('#c-text', 'aria-invalid')).toBe('true');
    expect(await page.textContent(`${form} .field-error`)).toContain('此项必填');

    await page.fill('#c-text', comment);
    await page.fill('#c-name', '李晓明');
    await page.fill('#c-contact', 'lixm@example.cn');
    expect(await page.textContent(`${form} .char-count`)).toContain(
      `已输入 ${[...comment].length} / 5000 字`,
    );
    await axe(page, 'notice (comment form)');
    await fitsPhone(page);
    await page.locator(form).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}participation-comment-form.png`, fullPage: true });

    // A reload keeps what was typed (this tab's sessionStorage) until it is sent.
    await page.reload();
    await page.waitForSelector(form);
    expect(await page.inputValue('#c-text')).toBe(comment);
    expect(await page.inputValue('#c-contact')).toBe('lixm@example.cn');

    // A refusal the console did not foresee is worded from the issue's code and values beside its
    // field, not from the API's English message; what was typed stays.
    await page.route(
      '**/comments',
      (route) =>
        route.fulfill({
          status: 400,
          contentType: 'application/problem+json',
          body: JSON.stringify({
            type: 'https://errors.example/validation',
            title: '请求内容有误',
            status: 400,
            issues: [
              {
                path: 'text',
                message: 'Too big: expected string to have <=5000 characters',
                code: 'too_big',
                params: { origin: 'string', maximum: 4000 },
              },
            ],
          }),
        }),
      { times: 1 },
    );
    await answerDialog(page, async () => {
      await page.click(`${form} button[data-send-comment]`);
      await page.waitForSelector('#c-text[aria-invalid="true"]');
    });
    expect(await page.textContent(`${form} .field-error`)).toBe('最多 4000 个字。');
    expect(await page.inputValue('#c-text')).toBe(comment);
    await page.unroute('**/comments');

    // The service keeps the comment, but its answer never reaches the phone: the words stay, and
    // pressing again later sends the same key, so the comment is still kept once (checked below).
    const keys: string[] = [];
    await page.route(
      '**/comments',
      async (route) => {
        keys.push(route.request().headers()['idempotency-key'] ?? '');
        await route.fetch();
        await route.abort('connectionreset');
      },
      { times: 1 },
    );
    await answerDialog(page, async () => {
      await page.click(`${form} button[data-send-comment]`);
      await page.waitForSelector(`${form} [role=alert]`);
    });
    expect(await page.inputValue('#c-text')).toBe(comment);
    await page.unroute('**/comments');

    // A double click sends one comment.
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/comments')) {
        posts.push(r.url());
        keys.push(r.headers()['idempotency-key'] ?? '');
      }
    });
    // Asked first, saying a comment cannot be taken back and who answers it: a “no” sends nothing.
    const declined = new Promise<string>((resolve) =>
      page.once('dialog', (dialog) => {
        resolve(dialog.message());
        void dialog.dismiss();
      }),
    );
    await page.click(`${form} button[data-send-comment]`);
    const question = await declined;
    expect(question).toContain('提交后不能修改或撤回');
    expect(question).toContain('经办人将逐条研究并答复');
    expect(posts).toEqual([]);
    expect(await page.isEnabled(`${form} button[data-send-comment]`)).toBe(true);
    const asked = await answerDialog(page, async () => {
      await page.dblclick(`${form} button[data-send-comment]`);
      await page.waitForSelector('[data-comment-received]');
    });
    expect(asked).toEqual([question]);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain(`/public/notices/${noticeId}/comments`);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe('');
    expect(keys[1]).toBe(keys[0]);
    const thanks = (await page.textContent('[data-comment-received]')) ?? '';
    expect(thanks).toMatch(/谢谢！您的意见已于 .*\d{1,2}:\d{2}.*收到/);
    commentId = (await page.getAttribute('[data-comment-received]', 'data-comment-received')) ?? '';
    expect(await page.getAttribute('[data-comment-count]', 'data-comment-count')).toBe('1');
    await page.screenshot({ path: `${SHOTS}participation-comment-sent.png`, fullPage: false });

    // Stored once; and a new visit shows the new count and an empty form.
    const app = await ok<{ comments: { received: number; answered: number } }>(
      'reviewer',
      'GET',
      `/applications/${id}`,
    );
    expect(app.comments).toMatchObject({ received: 1, answered: 0 });
    await page.reload();
    await page.waitForSelector(form);
    expect(await page.inputValue('#c-text')).toBe('');
    expect(await page.textContent('[data-comment-count]')).toBe('1 条');
    // Every word in English too, one click away.
    await page.click('button[aria-label="Switch to English"]');
    await page.locator('h2', { hasText: 'Comment on this notice' }).waitFor();
    expect(await page.textContent(`${form} [data-privacy]`)).toContain('never published');
    await page.click('button[aria-label="切换到中文"]');
    await page.locator('h2', { hasText: '发表意见' }).waitFor();
  }, 120_000);

  it('shows the case officer what stops the proposal, and takes one response per comment', async () => {
    const page = await phone('reviewer');
    await open(page, `#/app/${id}`, '#public-comments');
    const blocks = page.locator('form[data-action="propose_decision"] [data-proposal-blocks]');
    expect(await blocks.getAttribute('data-proposal-blocks')).toBe('2');
    expect(await blocks.textContent()).toContain(`征集期到 ${commentEndsOn}`);
    expect(await blocks.textContent()).toContain('还有 1 条公众意见未答复');

    const item = page.locator(`li[data-comment="${commentId}"]`);
    expect(await item.textContent()).toContain(comment);
    expect(await item.textContent()).toContain('李晓明');
    expect(await item.textContent()).toContain('lixm@example.cn');
    const response = '项目废水经处理后全部回用，不外排；除尘排放口位于厂区北侧，详见环评报告第五章。';
    await page.fill(`#response-${commentId}`, response);
    await axe(page, 'application (comments)');
    await fitsPhone(page);
    await item.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}participation-officer.png`, fullPage: false });
    const asked = await answerDialog(page, async () => {
      await page.click(`button[data-respond="${commentId}"]`);
      await page.waitForSelector(`li[data-comment="${commentId}"][data-answered="true"]`);
    });
    // Answering is once: asked first, in words.
    expect(asked).toEqual([expect.stringContaining('不能修改或撤回')]);
    expect(await item.locator('[data-response]').textContent()).toContain(response);
    expect(await item.locator('[data-response]').textContent()).toContain('答复于');
    expect(await page.locator(`#response-${commentId}`).count()).toBe(0);
    // Only the comment period stops it now.
    expect(await blocks.getAttribute('data-proposal-blocks')).toBe('1');
    expect(await blocks.textContent()).not.toContain('未答复');

    // A second response to the same comment is refused, with its problem type.
    const again = await call<{ type: string }>(
      'reviewer',
      'POST',
      `/applications/${id}/comments/${commentId}/response`,
      { response: '再答复一次' },
    );
    expect(again.status).toBe(409);
    expect(again.body.type).toMatch(/comment-already-answered$/);
  }, 60_000);

  it('puts the proposal on notice after the comment period, and offers the hearing request form', async () => {
    // The day after the comment period's last day, 09:30 Beijing time.
    const after = new Date(Date.parse(`${commentEndsOn}T09:30:00+08:00`) + 24 * 3600_000);
    await setClock(after.toISOString());
    const officer = await phone('reviewer');
    await open(officer, `#/app/${id}`, 'form[data-action="propose_decision"]');
    expect(
      await officer.getAttribute(
        'form[data-action="propose_decision"] [data-proposal-blocks]',
        'data-proposal-blocks',
      ),
    ).toBe('0');
    const form = 'form[data-action="propose_decision"]';
    await officer.selectOption(`${form} [data-path="proposal"]`, 'approve');
    await officer.fill(`${form} [data-path="conditions"]`, '陶瓷废料堆场全封闭');
    await answerDialog(officer, async () => {
      await officer.click(`${form} button[data-action-submit="propose_decision"]`);
      await officer.waitForSelector('.summary [data-state="PUBLIC_NOTICE"]');
    });

    const page = await phone();
    await openNotice(page, 'PROPOSED_DECISION');
    const hearing = 'form[data-form="hearing"]';
    await page.waitForSelector(hearing);
    // The proposal is made: its notice does not say comments stop one.
    const what = (await page.textContent('form[data-form="comment"] [data-what-happens]')) ?? '';
    expect(what).toContain('供作出审批决定时参考');
    expect(what).not.toContain('不能提出拟审批意见');
    const right = (await page.textContent(`${hearing} [data-hearing-right]`)) ?? '';
    expect(right).toContain('20 个工作日内组织听证');
    expect(right).toContain('至少提前 7 天');
    expect(await page.textContent(`${hearing} [data-privacy]`)).toContain('不会公开');
    for (const field of ['#h-name', '#h-contact', '#h-reason'])
      expect(await page.getAttribute(field, 'aria-required')).toBe('true');
    await axe(page, 'notice (hearing form)');
    await fitsPhone(page);
    await page.locator(hearing).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}participation-hearing-form.png`, fullPage: false });
    publicPage = page;
    officerPage = officer;
    today = after.toISOString().slice(0, 10);
  }, 60_000);

  it('takes a hearing request, and lets the case officer schedule the hearing in time', async () => {
    const page = publicPage;
    const officer = officerPage;
    if (!page || !officer) throw new Error('the previous step did not run');
    const hearing = 'form[data-form="hearing"]';
    await page.fill('#h-name', '王建军');
    await page.fill('#h-contact', '13907331234');
    await page.fill('#h-reason', '项目运输线路经过村庄，噪声和扬尘影响村民生活，申请听证。');
    // Asked first: the request pauses the case's clock, cannot be taken back, goes to the case officer.
    const requested = await answerDialog(page, async () => {
      await page.click(`${hearing} button[data-send-hearing]`);
      await page.waitForSelector('[data-hearing-received]');
    });
    expect(requested).toHaveLength(1);
    expect(requested[0]).toContain('审批时限暂停计算');
    expect(requested[0]).toContain('不能撤回');
    expect(requested[0]).toContain('本案经办人将收到您的申请');
    expect(requested[0]).toContain('以邮件告知您');
    expect(await page.textContent('[data-hearing-received]')).toMatch(/已于 .*\d{1,2}:\d{2}.*收到/);

    // The first request moves the case to HEARING; the officer sees who asked, how to reach them,
    // and by when the hearing must be scheduled.
    await open(officer, `#/app/${id}`, '.summary [data-state="HEARING"]');
    const request = officer.locator('[data-hearing-request]');
    expect(await request.textContent()).toContain('王建军');
    expect(await request.textContent()).toContain('13907331234');
    expect(await request.textContent()).toContain('噪声和扬尘');
    // A phone number gets no e-mail: the officer is told to phone.
    expect(await request.locator('[data-phone-them]').count()).toBe(1);
    const scheduleBy = await officer.getAttribute('[data-schedule-by]', 'data-schedule-by');
    expect(scheduleBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const form = 'form[data-action="schedule_hearing"]';
    const day = (n: number) =>
      new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    // Less than 7 days ahead: refused, said beside the time in words.
    await officer.fill('#a-schedule_hearing-at', `${day(3)}T09:30`);
    await officer.fill('#a-schedule_hearing-place', '醴陵市生态环境局三楼会议室');
    await officer.click(`${form} button[data-action-submit="schedule_hearing"]`);
    await officer.waitForSelector('#a-schedule_hearing-at[aria-invalid="true"]');
    expect(await officer.textContent(`${form} .field-error`)).toContain('7 天以后');
    await axe(officer, 'application (hearing)');
    await fitsPhone(officer);
    await officer.locator('[data-schedule-by]').scrollIntoViewIfNeeded();
    await officer.screenshot({ path: `${SHOTS}participation-hearing-officer.png`, fullPage: false });

    // Scheduling tells everyone at once: asked first, with the time and the place.
    await officer.fill('#a-schedule_hearing-at', `${day(8)}T09:30`);
    const asked = await answerDialog(officer, async () => {
      await officer.dblclick(`${form} button[data-action-submit="schedule_hearing"]`);
      await officer.waitForSelector('[data-hearing-scheduled]');
    });
    expect(asked).toEqual([expect.stringContaining(`${day(8)} 09:30`)]);
    expect(asked[0]).toContain('醴陵市生态环境局三楼会议室');
    expect(asked[0]).toContain('不能收回');
    expect(await officer.getAttribute('[data-hearing-scheduled]', 'data-hearing-scheduled')).toBe(
      `${day(8)}T09:30:00+08:00`,
    );
    expect(await officer.textContent('[data-hearing-scheduled]')).toContain('醴陵市生态环境局三楼会议室');
    // The trail says who sent what in words: the public, the answer, the hearing's time.
    const trail = officer.locator('ol.timeline');
    expect(await trail.locator('li[data-action="receive_comment"]').textContent()).toContain('公众');
    expect(await trail.locator('li[data-action="receive_comment"]').textContent()).toContain('李晓明');
    expect(await trail.locator('li[data-action="respond_to_comment"]').textContent()).toContain('答复：');
    expect(await trail.locator('li[data-action="request_hearing"]').textContent()).toContain('公众');
    const scheduled = (await trail.locator('li[data-action="schedule_hearing"]').textContent()) ?? '';
    expect(scheduled).toMatch(/听证时间：2\d{3}-\d{2}-\d{2} 09:30（北京时间）/);
    expect(scheduled).not.toContain('+08:00');
  }, 60_000);

  it('shows the applicant the comment count and the hearing, never who sent them', async () => {
    const page = await phone('applicant');
    await open(page, `#/app/${id}`, '[data-hearing-scheduled]');
    expect(await page.getAttribute('[data-comments-summary]', 'data-comments-summary')).toBe('1/1');
    expect(await page.textContent('[data-comments-summary]')).toBe('共 1 条，已答复 1 条');
    expect(await page.textContent('[data-hearing-scheduled]')).toContain('醴陵市生态环境局三楼会议室');
    // The last day to hold it is counted in working days: said when it may still move.
    const holdBy = await ok<{ hearing: { provisionalDates?: string[] } }>(
      'applicant',
      'GET',
      `/applications/${id}`,
    );
    expect(await page.locator('[data-provisional="holdBy"]').count()).toBe(
      holdBy.hearing.provisionalDates?.includes('holdBy') ? 1 : 0,
    );
    const text = (await page.textContent('main')) ?? '';
    for (const secret of ['李晓明', 'lixm', '王建军', '13907331234', '王**', '139****'])
      expect(text).not.toContain(secret);
    expect(await page.locator('#public-comments').count()).toBe(0);
    expect(await page.locator('[data-hearing-request]').count()).toBe(0);
    await fitsPhone(page);
  }, 60_000);

  it('tells the public on the notice when and where the hearing is held, and nothing of who asked', async () => {
    const page = await phone();
    await openNotice(page, 'PROPOSED_DECISION');
    await page.waitForSelector('[data-public-hearing]');
    const text = (await page.textContent('[data-public-hearing]')) ?? '';
    expect(text).toContain('醴陵市生态环境局三楼会议室');
    expect(text).toContain('公开举行');
    for (const secret of ['王建军', '13907331234'])
      expect(await page.textContent('main')).not.toContain(secret);
    await fitsPhone(page);
  }, 60_000);

  it('met no script errors and no serious accessibility findings', () => {
    expect(pageErrors).toEqual([]);
    expect(axeFindings).toEqual([]);
  });
});
