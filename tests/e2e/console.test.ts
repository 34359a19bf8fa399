import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG_CODE } from '../../local/demo.ts';
import { pdfBytes } from '../../local/sample-files.ts';
import calendar from '../../shared/domain/calendar-data.json' with { type: 'json' };
import { usccCheckChar } from '../../shared/domain/uscc.ts';
import { launchBrowser, rendersChinese } from '../support/browser.ts';
import { type LocalConsole, startLocalConsole } from '../support/local-console.ts';

/**
 * The web console in a real browser (tests/support/browser.ts) against `npm start -- --demo`: one
 * application from draft to approval, every step taken by the role that takes it in the
 * console, then the auditor's checks. axe-core runs on every page; each role's main page is
 * saved to test-results/screenshots/ (web/screenshots/ with UPDATE_SCREENSHOTS=1).
 */
// Every run saves each role's main page under test-results/screenshots/ (not tracked);
// UPDATE_SCREENSHOTS=1 writes the README's copies in web/screenshots/ instead.
const SHOTS = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOTS ? '../../web/screenshots/' : '../../test-results/screenshots/',
    import.meta.url,
  ),
);
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let local: LocalConsole | undefined;
let browser: Browser | undefined;
let url = '';
const contexts = new Map<string, BrowserContext>();
const pageErrors: string[] = [];
const axeFindings: string[] = [];

beforeAll(async () => {
  // E2E_URL: a console already running (`npm start -- --demo`), for working on these tests.
  local = await startLocalConsole({ demo: true });
  ({ url, browser } = local);
  await mkdir(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await local?.stop();
}, 30_000);

/** A browser of its own per role, signed in through the console's sign-in page. */
async function as(role: string): Promise<Page> {
  let context = contexts.get(role);
  if (!context) {
    if (!browser) throw new Error('no browser');
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    contexts.set(role, context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watch(page, role);
    await page.goto(`${url}/#/signin`);
    await page.click(`.demo-users button[data-role="${role}"]`);
    await page.waitForSelector(`.user[data-role="${role}"]`);
    return page;
  }
  const page = context.pages()[0];
  if (!page) throw new Error(`no page for ${role}`);
  return page;
}

function watch(page: Page, who: string): void {
  page.on('pageerror', (error) => pageErrors.push(`${who}: ${error.message}`));
  page.on('console', (message) => {
    // 4xx answers the console shows to the user are expected; script and CSP errors are not.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text()))
      pageErrors.push(`${who}: ${message.text()}`);
  });
}

async function open(page: Page, hash: string, ready: string): Promise<void> {
  const target = `${url}/${hash}`;
  // Going to the URL the page is on changes no hash, so nothing would re-render: reload instead.
  if (page.url() === target) await page.reload();
  else await page.goto(target);
  await page.waitForSelector(ready);
}

/** axe-core on the page as it is now; serious and critical findings are collected for the last test. */
async function axe(page: Page, name: string): Promise<void> {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not restrict.
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

async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: false });
}

/**
 * Fills nothing or what `fill` does, presses the action's button, answers yes when the console
 * asks first (an act that cannot be undone), and waits for the new state. Returns what was asked.
 */
async function act(
  page: Page,
  action: string,
  to: string,
  fill?: (form: string) => Promise<void>,
): Promise<string[]> {
  const form = `form[data-action="${action}"]`;
  await page.waitForSelector(form);
  await fill?.(form);
  const asked: string[] = [];
  const answer = (dialog: Dialog) => {
    asked.push(dialog.message());
    void dialog.accept();
  };
  page.on('dialog', answer);
  try {
    await page.click(`${form} button[data-action-submit="${action}"]`);
    await page.waitForSelector(`.summary [data-state="${to}"]`);
  } finally {
    page.off('dialog', answer);
  }
  return asked;
}

/** Whether the shipped calendar has the year (until the bureau enters it, dates through it are provisional). */
const published = (year: number) => String(year) in calendar.years;

/** The year of the review clock's due date: on the case page, or (given an id) in a list's row. */
async function dueYear(page: Page, id?: string): Promise<number> {
  const text = id
    ? await page.locator('tr', { has: page.locator(`a[data-id="${id}"]`) }).textContent()
    : await page.textContent('.clock');
  // On the case page the first date is the start; the statutory due date comes next.
  const dates = (text ?? '').match(/\d{4}-\d{2}-\d{2}/g) ?? [];
  const due = id ? dates[0] : dates[1];
  if (!due) throw new Error(`no due date in: ${text}`);
  return Number(due.slice(0, 4));
}

// A real PDF (the service recognises a material's type from its bytes, so a file named .pdf must be one).
const file = (name: string, text: string) => ({
  name,
  mimeType: 'application/pdf',
  buffer: Buffer.from(pdfBytes(text)),
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The bytes at a URL the browser was given (a presigned URL, a public file), fetched here. */
async function bytesAt(href: string): Promise<Buffer> {
  const res = await fetch(href);
  expect(res.status, href).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** Waits until the file picked for `code` is stored: its bar at 100 % and the checklist says provided. */
async function uploaded(page: Page, scope: string): Promise<void> {
  await page.waitForSelector(`${scope} .upload[data-phase="done"]`);
  expect(await page.getAttribute(`${scope} .upload`, 'data-percent')).toBe('100');
  expect(
    await page.$eval(`${scope} .upload progress`, (el) => (el as unknown as { value: number }).value),
  ).toBe(100);
  expect(await page.textContent(`${scope} .upload-percent`)).toBe('100%');
}

/**
 * Opens the approval's PDF from the case page as the approver does, in a browser of its own: the
 * headless Chromium here crashes (SIGTRAP) when a page opens a new tab while the browser holds
 * more than one context, as this file's browser does (one per role).
 */
async function openApproval(applicationId: string): Promise<void> {
  const solo = await launchBrowser();
  try {
    const context = await solo.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watch(page, 'approver (PDF)');
    await page.goto(`${url}/#/signin`);
    await page.click('.demo-users button[data-role="approver"]');
    await page.waitForSelector('.user[data-role="approver"]');
    const openButton = page.locator('button[data-document^="APPROVAL"]');
    await open(page, `#/app/${applicationId}`, '.summary');
    for (let i = 0; i < 20 && (await openButton.count()) === 0; i++) {
      await page.waitForTimeout(500);
      await open(page, `#/app/${applicationId}`, '.summary');
    }
    expect(await page.textContent('section:has(button[data-document])')).toContain(decision);
    // The new tab is sent to the presigned URL of the PDF (this headless Chromium has no viewer: it
    // saves the file), so the navigation request is what is watched.
    const navigated = context.waitForEvent('request', {
      predicate: (r) => r.isNavigationRequest() && r.frame().page() !== page && /^https?:/.test(r.url()),
    });
    const [tab] = await Promise.all([page.waitForEvent('popup'), openButton.click()]);
    decisionPdf = await bytesAt((await navigated).url());
    expect(decisionPdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await tab.close().catch(() => undefined);
  } finally {
    await solo.close();
  }
}

/**
 * The newest notice of a kind for a project, loading older notices (50 at a time) until it is
 * there: the demo's cases are noticed on later dates than this run's.
 */
async function findNotice(page: Page, kind: string, project: string) {
  const notice = page.locator(`.notice[data-kind="${kind}"]`, { hasText: project }).first();
  for (let i = 0; i < 20 && (await notice.count()) === 0; i++) {
    if ((await page.locator('#notices-more:not([hidden])').count()) === 0) break;
    const before = await page.locator('.notice').count();
    await page.click('#notices-more');
    await page.waitForFunction(
      `document.querySelectorAll('.notice').length > ${before} || document.getElementById('notices-more').hidden`,
    );
  }
  return notice;
}

/** An internal id (a UUID): the auditor's handle on the trail, a code to anyone else. */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/**
 * What the applicant and the window read on a case page: no internal id and no file hash (the
 * auditor's proof, under the auditor's own words 文件校验值), nothing the person cannot use.
 */
async function showsNoInternals(page: Page, who: string): Promise<void> {
  const text = (await page.textContent('main')) ?? '';
  expect(text, who).not.toMatch(UUID);
  expect(text, who).not.toMatch(/SHA-256|文件校验值|申请编号|[0-9a-f]{8,}…/);
}

/** The console's own file button, in Chinese, stands in for the browser's (“Choose File”). */
async function ownFileButton(page: Page, scope: string): Promise<void> {
  const pick = page.locator(`${scope} .file-pick`).first();
  expect(await pick.textContent()).toBe('选择文件');
  expect(await pick.isVisible()).toBe(true);
  // Said once: the button is the file's label, not a second “选择文件” above it.
  expect(await page.locator(`${scope} label`, { hasText: '选择文件' }).count()).toBe(1);
  const input = await page.locator(`${scope} input[type=file]`).first().boundingBox();
  expect(input && input.width <= 1 && input.height <= 1, 'the browser’s own file button shows').toBe(true);
}

/** The files of the case that later steps compare with what comes back. */
const sent = {
  eiaV2: file('eia_document_v2.pdf', 'EIA v2'),
  publicVersion: file('public_version.pdf', 'PUBLIC_VERSION v1'),
};
let decision = '';
let decisionPdf: Buffer | undefined;

/** The consultancy named as preparedBy in the walk-in: a valid USCC of its own. */
const CONSULTANCY_CODE = `91430200MA4Q0001X${usccCheckChar('91430200MA4Q0001X')}`;

describe('the web console', () => {
  let id = '';

  it('serves the public notices and the workflow without sign-in, in Chinese and in English', async () => {
    if (!browser) throw new Error('no browser');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.set('public', context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watch(page, 'public');
    await open(page, '#/notices', '.notice');
    expect(await page.textContent('h1')).toBe('公示公告');
    // Drawn with a Chinese font (the one from npm if the machine has none), not as empty boxes.
    expect(await rendersChinese(page)).toMatchObject({ distinct: true });
    expect(await page.locator('.notice[data-kind="ACCEPTANCE"]').count()).toBeGreaterThan(0);
    await axe(page, 'notices');
    await shoot(page, 'public');
    await page.click('button[aria-label="Switch to English"]');
    await page.locator('h1', { hasText: 'Public notices' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.click('button[aria-label="切换到中文"]');
    await open(page, '#/workflow', '.diagram');
    expect(await page.locator('.diagram > li').count()).toBe(15);
    await axe(page, 'workflow');
  });

  it('lets an applicant draft an application, see what is missing, and submit it', async () => {
    const page = await as('applicant');
    await page.waitForSelector('h1');
    expect(page.url()).toContain('#/mine');
    await axe(page, 'applicant list');
    await open(page, '#/new', 'form.draft-form');
    await page.selectOption('#f-category', 'REPORT_FORM');
    await page.fill('#f-project-name', '醴陵市陶瓷釉料绿色升级项目');
    await page.fill('#f-project-location', '醴陵市经济开发区');
    await page.fill('#f-project-industry', '陶瓷制品制造');
    await page.fill('#f-project-investmentCny', '12000000');
    await page.fill('#f-project-description', '釉料车间技术改造。');
    await page.fill('#f-applicant-orgName', '醴陵市铁河口纸业有限公司');
    await page.fill('#f-applicant-contactPhone', '13873301234');
    // Six materials are required for a report form; the checklist names what is still missing.
    expect(await page.locator('.checklist li.absent').count()).toBe(6);
    for (const code of [
      'APPLICATION_LETTER',
      'EIA_DOCUMENT',
      'PUBLIC_VERSION',
      'PROJECT_APPROVAL',
      'LAND_USE_OPINION',
    ]) {
      await page.setInputFiles(
        `input[data-material="${code}"]`,
        code === 'PUBLIC_VERSION' ? sent.publicVersion : file(`${code.toLowerCase()}.pdf`, `${code} v1`),
      );
      // Hashed, announced and PUT to storage: the bar reaches 100 %, then the checklist has it.
      await uploaded(page, `.checklist li[data-code="${code}"]`);
      await page.waitForSelector(`.checklist li.present[data-code="${code}"]`);
      // Uploaded is not saved: the row says the file joins the application only with 保存.
      expect(await page.textContent(`.checklist li[data-code="${code}"] .upload-label`)).toContain(
        '保存”后才会加入申请',
      );
    }
    // The first upload saved the draft (an upload belongs to an application): what is typed stays on reload.
    await page.waitForURL(/#\/app\/[\w-]+\/edit$/);
    await page.reload();
    await page.waitForSelector('.checklist li.present[data-code="LAND_USE_OPINION"]');
    expect(await page.inputValue('#f-project-description')).toBe('釉料车间技术改造。');
    expect(await page.textContent('#missing-summary')).toContain('营业执照');
    await axe(page, 'draft form');
    await page.click('form.draft-form button[type=submit]');
    await page.waitForSelector('.summary [data-state="DRAFT"]');
    id = /#\/app\/([\w-]+)/.exec(page.url())?.[1] ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    // Not submittable yet: the page says which material is missing, and offers no submit.
    expect(await page.textContent('#submit-check')).toContain('营业执照');
    expect(await page.locator('form[data-action="submit"]').count()).toBe(0);

    await open(page, `#/app/${id}/edit`, 'form.draft-form');
    await page.setInputFiles('input[data-material="BUSINESS_LICENSE"]', file('license.pdf', 'licence'));
    await uploaded(page, '.checklist li[data-code="BUSINESS_LICENSE"]');
    await page.waitForSelector('#missing-summary .ok');
    await page.click('form.draft-form button[type=submit]');
    await page.waitForSelector(`.summary [data-state="DRAFT"]`);
    // Submitting cannot be undone: the console asks first, and a “no” sends nothing.
    const sentActions: string[] = [];
    const track = (request: { url(): string }) => {
      if (request.url().includes('/actions/')) sentActions.push(request.url());
    };
    page.on('request', track);
    const question = new Promise<string>((resolve) =>
      page.once('dialog', (dialog) => {
        resolve(dialog.message());
        void dialog.dismiss();
      }),
    );
    await page.click('form[data-action="submit"] button[data-action-submit="submit"]');
    expect(await question).toContain('醴陵市陶瓷釉料绿色升级项目');
    page.off('request', track);
    expect(sentActions).toEqual([]);
    expect(await page.isEnabled('form[data-action="submit"] button[data-action-submit="submit"]')).toBe(true);
    expect(await act(page, 'submit', 'SUBMITTED')).toEqual([expect.stringContaining('提交申请')]);
    await axe(page, 'application (applicant)');
  });

  it('lets the clerk issue the all-in-one supplement notice, with clear errors on a bad one', async () => {
    const page = await as('clerk');
    await page.waitForSelector('h1');
    await axe(page, 'clerk queue');
    await shoot(page, 'clerk');
    expect(await page.locator(`a[data-id="${id}"]`).count()).toBe(1);
    await open(page, `#/app/${id}`, 'form[data-action="request_supplement"]');
    await showsNoInternals(page, 'clerk');
    // An empty reason: caught beside the field before anything is asked or sent, in words.
    await page.click('form[data-action="request_supplement"] button[data-action-submit]');
    await page.waitForSelector('form[data-action="request_supplement"] [aria-invalid="true"]');
    expect(await page.getAttribute('[data-path="items.0.reason"]', 'aria-invalid')).toBe('true');
    const fieldError = await page.textContent('form[data-action="request_supplement"] .field-error');
    expect(fieldError).toMatch(/[\u4e00-\u9fff]/);
    expect(fieldError).not.toMatch(/Invalid input|expected|received/);
    const listed = await page.textContent('form[data-action="request_supplement"] .error-box');
    expect(listed).not.toContain('items.0.reason');
    await axe(page, 'application (clerk, with errors)');
    await act(page, 'request_supplement', 'SUPPLEMENT_REQUIRED', async (form) => {
      await page.selectOption(`${form} [data-path="items.0.code"]`, 'EIA_DOCUMENT');
      await page.fill(`${form} [data-path="items.0.reason"]`, '环评文件缺少地下水影响预测章节。');
    });
  });

  it('shows the applicant the notice item by item and takes the answer, then shows what changed', async () => {
    const page = await as('applicant');
    await open(page, `#/app/${id}`, 'form[data-action="resubmit"]');
    expect(await page.textContent('.notice-items')).toContain('地下水');
    await showsNoInternals(page, 'applicant');
    await ownFileButton(page, 'form[data-action="resubmit"]');
    await page.setInputFiles('form[data-action="resubmit"] input[type=file]', sent.eiaV2);
    await uploaded(page, 'form[data-action="resubmit"]');
    await act(page, 'resubmit', 'SUBMITTED');
    expect(await page.getAttribute('[data-diff]', 'data-diff')).toBe('已更换');
    // Both versions are kept; the new one is current.
    const versions = page.locator('.versions[data-code="EIA_DOCUMENT"] li');
    expect(await versions.count()).toBe(2);
    expect(await versions.first().getAttribute('data-current')).toBe('true');
    expect(await versions.first().textContent()).toContain('eia_document_v2.pdf');
    await axe(page, 'application (resubmitted)');
  });

  it('takes the application through acceptance, review and the proposed decision', async () => {
    const clerk = await as('clerk');
    await open(clerk, `#/app/${id}`, 'form[data-action="accept"]');
    await act(clerk, 'accept', 'ACCEPTED');
    expect(await clerk.textContent('.clock')).toContain('计时中');
    // Accepted now, a due date in a year the shipped calendar does not have is marked, in words.
    const year = await dueYear(clerk);
    const mark = clerk.locator('.clock .provisional[data-provisional="dueDate"]');
    if (!published(year)) {
      expect(await mark.textContent()).toContain('暂定');
      expect(await mark.getAttribute('title')).toMatch(/年节假日安排尚未公布.*暂定日期/);
      expect(await clerk.textContent('.clock ~ .provisional-note')).toContain('按周一至周五推算');
      await clerk.locator('.clock ~ .provisional-note').scrollIntoViewIfNeeded();
      await shoot(clerk, 'provisional');
    } else {
      expect(await mark.count(), `due in ${year}`).toBe(0);
    }

    const reviewer = await as('reviewer');
    await open(reviewer, '#/queue', 'h1');
    await reviewer.waitForSelector(`a[data-id="${id}"]`);
    if (!published(await dueYear(reviewer, id))) {
      // The queue marks the row's due date and says why under the table.
      const row = reviewer.locator('tr', { has: reviewer.locator(`a[data-id="${id}"]`) });
      expect(await row.locator('.provisional').textContent()).toContain('暂定');
      expect(await reviewer.textContent('.provisional-note')).toContain('暂定');
    }
    await axe(reviewer, 'reviewer queue');
    await shoot(reviewer, 'official');
    await open(reviewer, `#/app/${id}`, 'form[data-action="start_review"]');
    // The reviewer reads the EIA document as submitted: the very bytes the applicant uploaded.
    const current = reviewer.locator('.versions[data-code="EIA_DOCUMENT"] li[data-current="true"]');
    expect(await current.locator('[data-scan]').textContent()).toContain('未扫描');
    const [download] = await Promise.all([
      reviewer.waitForEvent('download'),
      current.locator('button[data-download]').click(),
    ]);
    expect(download.suggestedFilename()).toBe('eia_document_v2.pdf');
    const got = await readFile((await download.path()) ?? '');
    expect(sha256(got)).toBe(sha256(sent.eiaV2.buffer));
    expect(got.equals(sent.eiaV2.buffer)).toBe(true);
    await act(reviewer, 'start_review', 'UNDER_REVIEW');
    // The public comments on the acceptance notice until the day the case page names; the form
    // says so beside the button, and the proposal waits for the day after it (the demo clock).
    const proposeForm = 'form[data-action="propose_decision"]';
    expect(
      await reviewer.getAttribute(`${proposeForm} [data-proposal-blocks]`, 'data-proposal-blocks'),
    ).not.toBe('0');
    const commentsUntil = /公众意见征求截止\s*(\d{4}-\d{2}-\d{2})/.exec(
      (await reviewer.textContent('.summary')) ?? '',
    )?.[1];
    expect(commentsUntil).toBeDefined();
    const nextDay = new Date(`${commentsUntil}T00:00:00Z`);
    nextDay.setUTCDate(nextDay.getUTCDate() + 1);
    await open(reviewer, '#/demo-clock', '#clock-date');
    const clockBefore = await reviewer.textContent('#clock-now');
    await reviewer.fill('#clock-date', nextDay.toISOString().slice(0, 10));
    await reviewer.click('#clock-date >> xpath=ancestor::form//button[@type="submit"]');
    await reviewer.locator('#clock-now', { hasNotText: clockBefore ?? '' }).waitFor();
    await open(reviewer, `#/app/${id}`, proposeForm);
    expect(await reviewer.getAttribute(`${proposeForm} [data-proposal-blocks]`, 'data-proposal-blocks')).toBe(
      '0',
    );
    await act(reviewer, 'propose_decision', 'PUBLIC_NOTICE', async (form) => {
      await reviewer.selectOption(`${form} [data-path="proposal"]`, 'approve');
      await reviewer.fill(`${form} [data-path="conditions"]`, '釉料废水循环使用不外排\n粉尘经布袋除尘后排放');
    });
    await axe(reviewer, 'application (reviewer)');
  });

  it('lets the approver approve only once the notice period is over', async () => {
    const approver = await as('approver');
    await open(approver, `#/app/${id}`, '.summary [data-state="PUBLIC_NOTICE"]');
    expect(await approver.locator('form[data-action="approve"]').count()).toBe(0);
    await shoot(approver, 'approver');

    const period = /公示期 (\d{4}-\d{2}-\d{2}) 至 (\d{4}-\d{2}-\d{2})/.exec(
      (await approver.textContent('main')) ?? '',
    );
    expect(period?.[2]).toBeDefined();
    // Time moves past the notice period, on the console's demo clock (POST /local/clock).
    const after = new Date(`${period?.[2]}T00:00:00Z`);
    after.setUTCDate(after.getUTCDate() + 3);
    await open(approver, '#/demo-clock', '#clock-date');
    const before = await approver.textContent('#clock-now');
    await approver.fill('#clock-date', after.toISOString().slice(0, 10));
    await approver.click('#clock-date >> xpath=ancestor::form//button[@type="submit"]');
    await approver.locator('#clock-now', { hasNotText: before ?? '' }).waitFor();
    await axe(approver, 'demo clock');

    await open(approver, `#/app/${id}`, 'form[data-action="approve"]');
    // The approval carries the noticed conditions, shown and not typed again.
    expect(
      await approver.locator('form[data-action="approve"] [data-noticed-conditions] li').allTextContents(),
    ).toEqual(['釉料废水循环使用不外排', '粉尘经布袋除尘后排放']);
    const asked = await act(approver, 'approve', 'APPROVED');
    // Deciding is asked about first, naming the act and the project.
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('批准');
    expect(asked[0]).toContain('醴陵市陶瓷釉料绿色升级项目');
    decision = /醴环评〔\d{4}〕\d+号/.exec((await approver.textContent('.summary')) ?? '')?.[0] ?? '';
    expect(decision).not.toBe('');
    // The decided case leads with its decision (right under the title), not with the proposal.
    await approver.waitForSelector('.decision-card[data-decision="APPROVED"]');
    expect(await approver.locator('main h1 + .decision-card, main h1 + .ok + .decision-card').count()).toBe(
      1,
    );
    expect(await approver.textContent('.decision-card')).toContain(decision);
    expect(await approver.textContent('.decision-card')).toContain('釉料废水循环使用不外排');
    // The approval's PDF, rendered right after the act: listed (being prepared at first), then opened.
    await openApproval(id);
    // The workflow, with the application's state highlighted for sight and for screen readers.
    expect(await approver.getAttribute('.diagram [aria-current="step"]', 'data-state')).toBe('APPROVED');
    await axe(approver, 'application (approved)');
  });

  it('tells the applicant and the window that the decided case’s clock has stopped; only the auditor sees ids and checksums', async () => {
    for (const role of ['applicant', 'clerk']) {
      const page = await as(role);
      await open(page, `#/app/${id}`, '.summary [data-state="APPROVED"]');
      const clock = (await page.textContent('.clock')) ?? '';
      expect(clock, role).toContain('已作出决定，停止计时');
      expect(clock, role).not.toContain('计时中');
      expect(await page.textContent('main .summary'), role).toContain('已作出决定，停止计时');
      await showsNoInternals(page, `${role} (decided)`);
    }
    const auditor = await as('auditor');
    await open(auditor, `#/app/${id}`, '.summary [data-state="APPROVED"]');
    expect(await auditor.textContent('main')).toContain('文件校验值');
    expect(await auditor.textContent('main .summary')).toContain(id);
    expect(await auditor.textContent('main')).not.toContain('SHA-256');
    // Back where the auditor's own test starts.
    await open(auditor, '#/audit', '#q-applicationId');
  });

  it('shows the public version and the decision on the notices, and says the decision is genuine', async () => {
    const page = await contexts.get('public')?.newPage();
    if (!page) throw new Error('no public browser');
    // The notices list may be cached for 60 s (Cache-Control of GET /public/notices), and this
    // browser read it before the case was accepted: a routed request skips the browser's cache.
    await page.route('**/public/notices?*', (route) => route.continue());
    watch(page, 'public');
    page.setDefaultTimeout(15_000);
    await open(page, '#/notices', '.notice');
    const project = '醴陵市陶瓷釉料绿色升级项目';
    // Newest first: this run's case is the first with its project's name.
    const accepted = await findNotice(page, 'ACCEPTANCE', project);
    const publicVersion = await bytesAt(
      await accepted
        .locator('a[data-public-version]')
        .evaluate((a) => (a as unknown as { href: string }).href),
    );
    expect(publicVersion.equals(sent.publicVersion.buffer)).toBe(true);
    // Every notice says what the law says of fees.
    expect(await accepted.locator('[data-free-of-charge]').textContent()).toContain('不收取任何费用');
    const decided = await findNotice(page, 'DECISION', project);
    const decisionFile = await bytesAt(
      await decided.locator('a[data-decision-file]').evaluate((a) => (a as unknown as { href: string }).href),
    );
    expect(decisionPdf && decisionFile.equals(decisionPdf)).toBe(true);

    // What the QR code opens, on a phone, signed in or not.
    await page.setViewportSize({ width: 390, height: 800 });
    await open(page, `#/verify/${encodeURIComponent(decision)}`, '#verify-result [data-genuine]');
    expect(await page.getAttribute('#verify-result [data-genuine]', 'data-genuine')).toBe('true');
    expect(await page.getAttribute('[data-chain]', 'data-chain')).toBe('true');
    expect(await page.textContent('#verify-result')).toContain('真实有效');
    expect(await page.getAttribute('[data-sha256]', 'data-sha256')).toBe(sha256(decisionFile));
    // The checksum in words, and the console's own file button (not the browser's “Choose File”).
    expect(await page.textContent('#verify-result')).toContain('文件校验值');
    expect(await page.textContent('#verify-result')).not.toContain('SHA-256');
    expect(await page.textContent('#verify-result .file-pick')).toBe('选择 PDF 文件');
    const picker = await page.locator('#verify-file').boundingBox();
    expect(picker && picker.width <= 1 && picker.height <= 1).toBe(true);
    await page.setInputFiles('#verify-file', {
      name: 'decision.pdf',
      mimeType: 'application/pdf',
      buffer: decisionFile,
    });
    await page.waitForSelector('#verify-file-answer[data-match="true"]');
    await page.setInputFiles('#verify-file', file('forged.pdf', 'not the decision'));
    await page.waitForSelector('#verify-file-answer[data-match="false"]');
    expect(
      await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
    ).toBeLessThanOrEqual(0);
    await axe(page, 'verify');
    await shoot(page, 'verify-phone');
    // A number nobody issued is said to be unknown, in words.
    await open(
      page,
      `#/verify/${encodeURIComponent('醴环评〔1999〕999号')}`,
      '#verify-result [data-genuine]',
    );
    expect(await page.getAttribute('#verify-result [data-genuine]', 'data-genuine')).toBe('false');
    expect(await page.textContent('#verify-result')).toContain('查无此文书');
    await page.close();
  });

  it('lets the auditor search, verify the chain and export CSV', async () => {
    const page = await as('auditor');
    await page.waitForSelector('#q-applicationId');
    await shoot(page, 'auditor');
    await page.fill('#q-applicationId', id);
    await page.click('form[aria-labelledby="search-title"] button[type=submit]');
    await page.waitForSelector('#audit-results table');
    const rows = await page.locator('#audit-results tbody tr').count();
    expect(rows).toBeGreaterThanOrEqual(9);

    await page.fill('#v-applicationId', id);
    await page.click('#verify-button');
    await page.waitForSelector('.verify');
    expect(await page.getAttribute('.verify', 'data-ok')).toBe('true');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=导出 CSV')]);
    const bytes = await readFile((await download.path()) ?? '');
    // Excel and WPS read UTF-8 by its byte order mark; the console asked in Chinese, its language.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[1]).toMatch(/^时间（北京时间）,申请编号,序号,操作,/);
    expect(lines.slice(2).filter((l) => l.split(',')[1] === id)).toHaveLength(rows);
    expect(lines.some((l) => l.includes(',批准,') && l.includes(',approve,'))).toBe(true);
    await axe(page, 'audit');
  });

  it('files a registration form at once and shows its receipt', async () => {
    const page = await as('applicant');
    await open(page, '#/new', 'form.draft-form');
    await page.selectOption('#f-category', 'REGISTRATION');
    expect(await page.locator('.checklist li.absent').count()).toBe(1);
    await page.fill('#f-project-name', '醴陵市瓷谷民宿改造项目');
    await page.fill('#f-project-location', '醴陵市浦口镇');
    await page.fill('#f-project-industry', '住宿业');
    await page.fill('#f-project-investmentCny', '800000');
    await page.fill('#f-project-description', '既有民居改造为民宿。');
    await page.fill('#f-applicant-orgName', '醴陵市铁河口纸业有限公司');
    await page.fill('#f-applicant-contactPhone', '13873301234');
    await page.setInputFiles('input[data-material="EIA_DOCUMENT"]', file('registration.pdf', 'form'));
    await uploaded(page, '.checklist li[data-code="EIA_DOCUMENT"]');
    await page.waitForSelector('#missing-summary .ok');
    await page.click('form.draft-form button[type=submit]');
    await act(page, 'submit', 'FILED');
    expect(await page.getAttribute('[data-receipt]', 'data-receipt')).toMatch(/\S+/);
    await axe(page, 'filing receipt');
  });

  it('lets the clerk take in a walk-in (窗口代录), which the organisation’s applicant then sees as its own', async () => {
    const page = await as('clerk');
    await open(page, '#/walk-in', 'form.draft-form');
    expect(await page.textContent('h1')).toContain('窗口代录');
    await page.selectOption('#f-category', 'REPORT_FORM');
    await ownFileButton(page, '.checklist li[data-code="APPLICATION_LETTER"]');
    await page.fill('#f-project-name', '醴陵市纸业废水处理站改造项目');
    await page.fill('#f-project-location', '醴陵市铁河口');
    await page.fill('#f-project-industry', '造纸');
    await page.fill('#f-project-investmentCny', '3000000');
    await page.fill('#f-applicant-orgName', '醴陵市铁河口纸业有限公司');
    await page.fill('#f-applicant-orgCode', DEMO_ORG_CODE);
    await page.fill('#f-applicant-contactName', '刘建国');
    await page.fill('#f-applicant-contactPhone', '13873301234');
    await page.fill('#f-preparedBy-orgName', '湖南某环境科技有限公司');
    await page.fill('#f-preparedBy-orgCode', CONSULTANCY_CODE);
    await axe(page, 'walk-in form');
    await page.click('form.draft-form button[type=submit]');
    await page.waitForSelector('.summary [data-intake="WALK_IN"]');
    expect(await page.textContent('.summary')).toContain('湖南某环境科技有限公司');
    await showsNoInternals(page, 'clerk (walk-in)');
    const walkIn = /#\/app\/([\w-]+)/.exec(page.url())?.[1] ?? '';
    expect(walkIn).toMatch(/^[0-9a-f-]{36}$/);
    const applicant = await as('applicant');
    await open(applicant, '#/mine', `a[data-id="${walkIn}"]`);
    await open(applicant, `#/app/${walkIn}`, '.summary [data-intake="WALK_IN"]');
  });

  it('lets the admin invite a reviewer, who can then sign in, and asks before disabling an account', async () => {
    const admin = await as('admin');
    await open(admin, '#/staff', '#invite-form');
    await axe(admin, 'staff');
    await admin.fill('#invite-email', 'zhou.min@liling.example');
    await admin.fill('#invite-name', '周敏');
    await admin.check('#invite-reviewer');
    // The mobile number SMS notifications go to: optional, said so in Chinese beside the field.
    expect(await admin.textContent('#invite-form')).toContain('用于短信通知');
    await admin.fill('#invite-phone', '+8613800138000');
    await admin.click('#invite-form button[type=submit]');
    await admin.waitForSelector('tr:has-text("zhou.min@liling.example")');
    // A visible confirmation beside the form, focused; locally nothing is mailed, and the note says so.
    expect(await admin.textContent('#staff-done')).toBe('已邀请 周敏（zhou.min@liling.example）。');
    expect(await admin.locator('#staff-done:focus').count()).toBe(1);
    expect(await admin.textContent('main')).not.toContain('临时密码');
    expect(await admin.inputValue('tr:has-text("zhou.min@liling.example") input[data-path="phone"]')).toBe(
      '13800138000',
    );
    // The admin's own account cannot be changed here (another admin does it): no roles to tick, no
    // button to disable it, and a sentence saying so.
    expect(await admin.isDisabled('#g-demo-admin-admin')).toBe(true);
    expect(await admin.locator('button[data-user="demo-admin"]').count()).toBe(0);
    expect(await admin.textContent('main')).toContain('不能修改自己的账号');
    // Dismissing the question changes nothing.
    const invited = admin.locator('tr:has-text("zhou.min@liling.example") button[data-user]');
    admin.once('dialog', (dialog) => void dialog.dismiss());
    await invited.click();
    expect(await invited.getAttribute('class')).toBe('danger');

    // A browser of its own, closed with the others after the last test.
    const page = await (await browser?.newContext())?.newPage();
    if (!page) throw new Error('no browser');
    watch(page, 'invited reviewer');
    await page.goto(`${url}/#/signin`);
    await page.click('.demo-users button:has-text("zhou.min@liling.example")');
    await page.waitForSelector('.user[data-role="reviewer"]');
    expect(await page.textContent('.user')).toContain('周敏');
  });

  it('lets the admin enter next year’s holidays on a month grid and save them', async () => {
    const admin = await as('admin');
    await open(admin, '#/admin/calendar/2027', '.cal-day[data-date="2027-01-01"]');
    await axe(admin, 'calendar');
    // A click marks a holiday, a second one an adjusted working day (调休).
    await admin.click('.cal-day[data-date="2027-01-01"]');
    await admin.click('.cal-day[data-date="2027-02-20"]');
    await admin.click('.cal-day[data-date="2027-02-20"]');
    expect(await admin.getAttribute('.cal-day[data-date="2027-01-01"]', 'class')).toContain('holiday');
    expect(await admin.getAttribute('.cal-day[data-date="2027-02-20"]', 'class')).toContain('workday');
    await admin.click('button:has-text("保存 2027 年日历")');
    await admin.waitForSelector('text=本局录入，第 1 版');
    expect(await admin.textContent('main')).toContain('待下一次到期检查重新计算期限');
    await shoot(admin, 'admin-calendar');
  });

  it('lets the admin change the configuration as a new version and shows what changed', async () => {
    const admin = await as('admin');
    await open(admin, '#/admin/config', '#config-json');
    await axe(admin, 'configuration');
    expect(await admin.textContent('main')).toContain('当前版本：第 1 版');
    // A material's English name only: the other tests' rules stay as they were.
    const json = await admin.inputValue('#config-json');
    await admin.fill('#config-json', json.replace('"Business licence"', '"Business licence (copy)"'));
    await admin.click('button:has-text("保存为新版本")');
    await admin.waitForSelector('text=当前版本：第 2 版');
    expect(await admin.textContent('.config-diff')).toContain('materials[BUSINESS_LICENSE]');
    // JSON that does not parse is refused before it is sent.
    await admin.fill('#config-json', '{');
    await admin.click('button:has-text("保存为新版本")');
    await admin.waitForSelector('text=不是有效的 JSON');
  });

  it('fits a phone-sized screen', async () => {
    const page = await as('applicant');
    await page.setViewportSize({ width: 375, height: 740 });
    await open(page, `#/app/${id}`, '.summary');
    const overflow = (await page.evaluate(
      'document.documentElement.scrollWidth - window.innerWidth',
    )) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await shoot(page, 'applicant-phone');
    await open(page, '#/mine', `a[data-id="${id}"]`);
    await page.setViewportSize({ width: 1280, height: 900 });
    await shoot(page, 'applicant');
  });

  it('had no serious accessibility findings and no script errors on any page', () => {
    expect(axeFindings).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
