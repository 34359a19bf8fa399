import type { Browser, BrowserContext, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../local/demo.ts';
import { localApi } from '../support/local-api.ts';
import { type LocalConsole, startLocalConsole } from '../support/local-console.ts';

/**
 * Sessions and lost work in a real browser against `npm start` (no demo data: the cases are made
 * here through the API): one sign-in serves every tab of a browser and signing out in one signs
 * out all, while separate browsers (contexts) stay separate people; a reload in the middle of a
 * form gives the form back; a double click on a button that creates or sends makes one thing.
 */
let local: LocalConsole | undefined;
let browser: Browser | undefined;
let url = '';
let api: ReturnType<typeof localApi>;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  // E2E_URL: a console already running (`npm start`), for working on these tests.
  local = await startLocalConsole();
  ({ url, browser } = local);
  api = localApi(url);
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await local?.stop();
}, 30_000);

/** A browser of its own (a context: its own storage and cookies), in Chinese. */
async function person(): Promise<BrowserContext> {
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  contexts.push(context);
  return context;
}

/** A new tab of `context`, its errors collected. */
async function tab(context: BrowserContext, name: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(`${name}: ${error.message}`));
  page.on('console', (message) => {
    // 4xx answers the console shows to the user are expected; script and CSP errors are not.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text()))
      pageErrors.push(`${name}: ${message.text()}`);
  });
  return page;
}

async function signIn(page: Page, role: string): Promise<void> {
  await page.goto(`${url}/#/signin`);
  await page.click(`.demo-users button[data-role="${role}"]`);
  await page.waitForSelector(`.user[data-role="${role}"]`);
}

/** A tab of a new browser, signed in as `role`. */
async function signedIn(role: string): Promise<Page> {
  const page = await tab(await person(), role);
  await signIn(page, role);
  return page;
}

/** Runs `run`, answering yes to every question the page asks; returns the questions. */
async function sayingYes(page: Page, run: () => Promise<void>): Promise<string[]> {
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

/** How many applications `role` can list whose project is `project`. */
async function countNamed(role: 'applicant' | 'clerk', project: string): Promise<number> {
  const { items } = await api.ok<{ items: { project?: { name?: string } }[] }>(
    role,
    'GET',
    '/applications?state=DRAFT&limit=100',
  );
  return items.filter((a) => a.project?.name === project).length;
}

describe('one sign-in for every tab, sign-out everywhere', () => {
  it('keeps each browser a person of its own: another context is not signed in', async () => {
    const applicant = await signedIn('applicant');
    expect(await applicant.evaluate(`localStorage.getItem('eia.session')`)).not.toBeNull();
    const other = await tab(await person(), 'other');
    await other.goto(`${url}/#/mine`);
    // Asked to sign in, not shown the applicant's list.
    await other.waitForURL(/#\/signin$/);
    await other.waitForSelector('.demo-users');
    expect(await other.locator('.user').count()).toBe(0);
    expect(await other.evaluate(`localStorage.getItem('eia.session')`)).toBeNull();
  });

  it('signs in every tab at once: a waiting tab goes on to its page, a new tab is already in', async () => {
    const context = await person();
    const waiting = await tab(context, 'waiting');
    // A deep link in the first tab: it asks to sign in, and waits.
    await waiting.goto(`${url}/#/all`);
    await waiting.waitForURL(/#\/signin$/);
    await waiting.waitForSelector('.demo-users');
    const signing = await tab(context, 'signing');
    await signIn(signing, 'clerk');
    // The waiting tab follows: signed in, on the page it was opened for.
    await waiting.waitForSelector('.user[data-role="clerk"]');
    await waiting.waitForURL(/#\/all$/);
    expect(await waiting.textContent('.user')).toBe(`当前用户：${DEMO_USERS.clerk.name}（窗口受理）`);
    // A tab opened afterwards needs no sign-in.
    const later = await tab(context, 'later');
    await later.goto(`${url}/#/queue`);
    await later.waitForSelector('.user[data-role="clerk"]');
    expect(later.url()).toMatch(/#\/queue$/);

    // Signed out in one: every tab follows, a page that needs a sign-in goes to the sign-in page.
    const publicTab = await tab(context, 'public');
    await publicTab.goto(`${url}/#/notices`);
    await publicTab.waitForSelector('.user[data-role="clerk"]');
    await later.click('[data-sign-out]');
    await later.waitForURL(/#\/signin$/);
    for (const page of [waiting, signing]) {
      await page.waitForURL(/#\/signin$/);
      await page.waitForSelector('.demo-users');
      expect(await page.locator('.user').count()).toBe(0);
    }
    // A public page stays where it is, signed out.
    await publicTab.waitForSelector('.who a[href="#/signin"]');
    expect(publicTab.url()).toMatch(/#\/notices$/);
    expect(await publicTab.locator('.user').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('shows a half-typed form to no one but the person who typed it', async () => {
    const context = await person();
    const page = await tab(context, 'shared computer');
    await signIn(page, 'applicant');
    await page.goto(`${url}/#/new`);
    await page.waitForSelector('form.draft-form');
    await page.fill('#f-project-name', '刘建国未保存的项目');
    const kept = `Object.keys(sessionStorage).filter((k) => k.startsWith('eia.form.'))`;
    // Signing out on purpose asks first, naming what would be cleared; "no" keeps everything.
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.click('[data-sign-out]');
    expect(asked[0]).toContain('1 份未保存的填写内容');
    await page.waitForSelector('.user[data-role="applicant"]');
    expect(await page.evaluate(kept)).not.toEqual([]);
    // "Yes": signed out, and nothing typed is left in this tab for the next person.
    expect(await sayingYes(page, () => page.click('[data-sign-out]'))).toHaveLength(1);
    await page.waitForURL(/#\/signin$/);
    expect(await page.evaluate(kept)).toEqual([]);
    // Someone else signing in in a tab where the first one's sign-in merely ended: nothing left either.
    await signIn(page, 'applicant');
    await page.goto(`${url}/#/new`);
    await page.waitForSelector('form.draft-form');
    expect(await page.inputValue('#f-project-name')).toBe('');
    await page.fill('#f-project-name', '刘建国第二个未保存的项目');
    await page.evaluate(`localStorage.removeItem('eia.session')`);
    await signIn(page, 'clerk');
    expect(await page.evaluate(kept)).toEqual([]);
  });
});

describe('a sign-in that ends in the middle of a form', () => {
  it('asks to sign in again, says why, and comes back to the form as it was', async () => {
    const page = await signedIn('applicant');
    await page.goto(`${url}/#/new`);
    await page.waitForSelector('form.draft-form');
    await fillDraft(page, '登录失效后仍在的草稿');
    // The API no longer takes the token (as when an account is disabled or the server restarted).
    await page.evaluate(`(() => {
      const s = JSON.parse(localStorage.getItem('eia.session'));
      const [head, body] = s.token.split('.');
      localStorage.setItem('eia.session', JSON.stringify({ ...s, token: head + '.' + body + '.bm90LXNpZ25lZA' }));
    })()`);
    await page.click('form.draft-form button[type=submit]');
    await page.waitForURL(/#\/signin$/);
    expect(await page.textContent('[data-session-refused]')).toContain('登录已失效');
    expect(await countNamed('applicant', '登录失效后仍在的草稿')).toBe(0);
    await page.click('.demo-users button[data-role="applicant"]');
    await page.waitForURL(/#\/new$/);
    await page.waitForSelector('form.draft-form');
    expect(await page.inputValue('#f-project-name')).toBe('登录失效后仍在的草稿');
    expect(await page.inputValue('#f-applicant-contactPhone')).toBe('13873301234');
    await page.click('form.draft-form button[type=submit]');
    await page.waitForURL(/#\/app\/[\w-]+$/);
    expect(await countNamed('applicant', '登录失效后仍在的草稿')).toBe(1);
  });
});

describe('a reload in the middle of a form', () => {
  it('gives back a new draft as typed, and a clerk’s walk-in form', async () => {
    const page = await signedIn('applicant');
    await page.goto(`${url}/#/new`);
    await page.waitForSelector('form.draft-form');
    await page.selectOption('#f-category', 'REPORT');
    await page.fill('#f-project-name', '重载后仍在的项目');
    await page.fill('#f-project-description', '第一行\n第二行');
    await page.reload();
    await page.waitForSelector('form.draft-form');
    expect(await page.inputValue('#f-category')).toBe('REPORT');
    expect(await page.inputValue('#f-project-name')).toBe('重载后仍在的项目');
    expect(await page.inputValue('#f-project-description')).toBe('第一行\n第二行');

    const clerk = await signedIn('clerk');
    await clerk.goto(`${url}/#/walk-in`);
    await clerk.waitForSelector('form.draft-form');
    await clerk.fill('#f-applicant-orgName', '醴陵市窗口来访单位');
    await clerk.reload();
    await clerk.waitForSelector('form.draft-form');
    expect(await clerk.inputValue('#f-applicant-orgName')).toBe('醴陵市窗口来访单位');
  });

  it('gives back what is typed in an action form until the action is taken', async () => {
    const id = await api.draftWithMaterials('重载测试受理项目');
    await api.ok('applicant', 'POST', `/applications/${id}/actions/submit`, {});
    const page = await signedIn('clerk');
    await page.goto(`${url}/#/app/${id}`);
    const reason = 'form[data-action="decline"] [data-path="reason"]';
    await page.waitForSelector(reason);
    await page.fill(reason, '不属于本局审批权限');
    await page.reload();
    await page.waitForSelector(reason);
    expect(await page.inputValue(reason)).toBe('不属于本局审批权限');
  });
});

describe('a reload in the middle of the officials’ and the admin’s forms', () => {
  it('gives back a response to a public comment until it is sent, then sends it once', async () => {
    const { id, commentId } = await api.commentedCase('重载测试公众意见项目', '请说明废水去向。');
    const page = await signedIn('reviewer');
    await page.goto(`${url}/#/app/${id}`);
    const box = `#response-${commentId}`;
    await page.waitForSelector(box);
    await page.fill(box, '废水经处理后全部回用，不外排。');
    await page.reload();
    await page.waitForSelector(box);
    expect(await page.inputValue(box)).toBe('废水经处理后全部回用，不外排。');
    // A double click: asked once, answered once.
    const asked = await sayingYes(page, async () => {
      await page.dblclick(`button[data-respond="${commentId}"]`);
      await page.waitForSelector(`li[data-comment="${commentId}"][data-answered="true"]`);
    });
    expect(asked).toHaveLength(1);
    expect((await api.actions(id)).filter((a) => a === 'respond_to_comment')).toHaveLength(1);
    // Sent: nothing is given back any more.
    await page.reload();
    await page.waitForSelector(`li[data-comment="${commentId}"][data-answered="true"]`);
    expect(await page.locator(box).count()).toBe(0);
  });

  it('gives back the admin’s invitation, configuration and marked days', async () => {
    const page = await signedIn('admin');
    await page.goto(`${url}/#/staff`);
    await page.waitForSelector('#invite-form');
    await page.fill('#invite-email', 'new.clerk@liling.gov.cn');
    await page.fill('#invite-name', '新来的窗口人员');
    await page.check('#invite-clerk');
    await page.reload();
    await page.waitForSelector('#invite-form');
    expect(await page.inputValue('#invite-email')).toBe('new.clerk@liling.gov.cn');
    expect(await page.inputValue('#invite-name')).toBe('新来的窗口人员');
    expect(await page.isChecked('#invite-clerk')).toBe(true);
    expect(await page.isChecked('#invite-reviewer')).toBe(false);

    await page.goto(`${url}/#/admin/config`);
    await page.waitForSelector('#config-json');
    const edited = (await page.inputValue('#config-json')).replace('{', '{\n  "x": 1,');
    await page.fill('#config-json', edited);
    await page.reload();
    await page.waitForSelector('#config-json');
    expect(await page.inputValue('#config-json')).toBe(edited);

    await page.goto(`${url}/#/admin/calendar`);
    const day = '.cal-day[data-date$="-06-10"]';
    await page.waitForSelector(day);
    const before = (await page.getAttribute(day, 'class')) ?? '';
    await page.click(day);
    const after = (await page.getAttribute(day, 'class')) ?? '';
    expect(after).not.toBe(before);
    await page.reload();
    await page.waitForSelector(day);
    expect(await page.getAttribute(day, 'class')).toBe(after);
  });
});

describe('a double click makes one thing', () => {
  it('saves one new draft (保存草稿)', async () => {
    const page = await signedIn('applicant');
    await page.goto(`${url}/#/new`);
    await page.waitForSelector('form.draft-form');
    await fillDraft(page, '双击只存一份的草稿');
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/applications') posts.push(r.url());
    });
    await page.dblclick('form.draft-form button[type=submit]');
    await page.waitForURL(/#\/app\/[\w-]+$/);
    await page.waitForSelector('main h1');
    expect(posts).toHaveLength(1);
    expect(await countNamed('applicant', '双击只存一份的草稿')).toBe(1);
  });

  it('saves one walk-in application at the window', async () => {
    const page = await signedIn('clerk');
    await page.goto(`${url}/#/walk-in`);
    await page.waitForSelector('form.draft-form');
    await fillDraft(page, '窗口双击只存一份');
    await page.fill('#f-applicant-orgCode', DEMO_USERS.applicant.orgCode ?? '');
    await page.dblclick('form.draft-form button[type=submit]');
    await page.waitForURL(/#\/app\/[\w-]+$/);
    await page.waitForSelector('main h1');
    expect(await countNamed('clerk', '窗口双击只存一份')).toBe(1);
  });

  it('submits once, asked once (提交)', async () => {
    const id = await api.draftWithMaterials('双击只提交一次的项目');
    const page = await signedIn('applicant');
    await page.goto(`${url}/#/app/${id}`);
    await page.waitForSelector('form[data-action="submit"]');
    const asked = await sayingYes(page, async () => {
      await page.dblclick('button[data-action-submit="submit"]');
      await page.waitForSelector('.summary [data-state="SUBMITTED"]');
    });
    expect(asked).toHaveLength(1);
    expect((await api.actions(id)).filter((a) => a === 'submit')).toHaveLength(1);
    // Nothing said of a clash: the second click did not reach the service.
    expect(await page.locator('main [role=alert]').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('invites one person (邀请)', async () => {
    const page = await signedIn('admin');
    await page.goto(`${url}/#/staff`);
    await page.waitForSelector('#invite-form');
    await page.fill('#invite-email', 'double.click@liling.gov.cn');
    await page.fill('#invite-name', '双击只邀请一次');
    await page.check('#invite-reviewer');
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/admin/users') posts.push(r.url());
    });
    await page.dblclick('#invite-form button[type=submit]');
    // Invited: the list below shows the new person.
    await page.locator('main table', { hasText: 'double.click@liling.gov.cn' }).waitFor();
    expect(posts).toHaveLength(1);
    const { items } = await api.ok<{ items: { email: string }[] }>('admin', 'GET', '/admin/users');
    expect(items.filter((u) => u.email === 'double.click@liling.gov.cn')).toHaveLength(1);
    expect(await page.locator('main [role=alert]').count()).toBe(0);
  });
});
