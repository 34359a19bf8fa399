import { createHash } from 'node:crypto';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../local/demo.ts';
import { localApi } from '../support/local-api.ts';
import { type LocalConsole, startLocalConsole } from '../support/local-console.ts';

/**
 * The china profile in a real browser against `npm start -- --profile china`: tokens carry the
 * roles in `roles` and the organisation in `org_code` (an OpenID Connect provider's names, not
 * Cognito's), the console is told so by /console-config.json, and a clerk who signs in is shown as
 * the clerk and sees the case waiting in the queue. Then the console in mode `oidc` against a
 * provider played by the test (same origin, so the page's CSP holds): the Chinese sign-in button,
 * the code flow with PKCE, state and nonce through the browser, and an address bar without the code.
 */
let local: LocalConsole | undefined;
let browser: Browser | undefined;
let url = '';
const pageErrors: string[] = [];
const PROJECT = `单位认证登录测试 ${Date.now()}`;

beforeAll(async () => {
  local = await startLocalConsole({ profile: 'china' });
  ({ url, browser } = local);
}, 180_000);

afterAll(async () => {
  await local?.stop();
}, 30_000);

async function page(): Promise<Page> {
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  await context.addInitScript(`localStorage.setItem('eia.lang', 'zh')`);
  const p = await context.newPage();
  p.setDefaultTimeout(15_000);
  p.on('pageerror', (error) => pageErrors.push(error.message));
  return p;
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('npm start -- --profile china', () => {
  it('tells the console the china claim names, and tokens carry them', async () => {
    const config = (await (await fetch(`${url}/console-config.json`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      mode: 'local',
      claims: { roles: 'roles', org: 'org_code', name: 'name' },
    });
    const claims = claimsOf(await localApi(url).token('applicant'));
    expect(claims.roles).toEqual(['applicant']);
    expect(claims.org_code).toBe(DEMO_USERS.applicant.orgCode);
    expect(claims).not.toHaveProperty('cognito:groups');
  });

  it('shows a signed-in clerk as the clerk, with the submitted case in their queue', async () => {
    const api = localApi(url);
    const id = await api.draftWithMaterials(PROJECT);
    await api.ok('applicant', 'POST', `/applications/${id}/actions/submit`, {});

    const p = await page();
    await p.goto(`${url}/#/signin`);
    await p.click('.demo-users button[data-role="clerk"]');
    await p.waitForSelector('.user[data-role="clerk"]');
    expect(await p.textContent('.user')).toBe(`当前用户：${DEMO_USERS.clerk.name}（窗口受理）`);
    await p.waitForURL(/#\/queue$/);
    await p.locator('main table').getByText(PROJECT).waitFor();
    // The clerk's own nav, read from the role in `roles`.
    expect(await p.locator('nav a[href="#/queue"]').count()).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});

describe('mode oidc in the browser: a provider found by discovery, code flow with PKCE', () => {
  it('signs in through the provider with the Chinese button, state and nonce checked, no code left in the address bar', async () => {
    const p = await page();
    const issuer = `${url}/test-idp/realms/eia`;
    const seen: { authorize?: URL; tokenForm?: URLSearchParams } = {};
    await p.route(`${url}/console-config.json`, (route) =>
      route.fulfill({
        json: { mode: 'oidc', apiUrl: url, issuer, clientId: 'eia-console', redirectUri: `${url}/` },
      }),
    );
    await p.route(`${issuer}/.well-known/openid-configuration`, (route) =>
      route.fulfill({
        json: {
          issuer,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
          end_session_endpoint: `${issuer}/logout`,
        },
      }),
    );
    await p.route(`${issuer}/auth?*`, (route: Route) => {
      seen.authorize = new URL(route.request().url());
      const back = new URL(`${url}/`);
      back.searchParams.set('code', 'code-from-provider');
      back.searchParams.set('state', seen.authorize.searchParams.get('state') ?? '');
      return route.fulfill({ status: 302, headers: { location: back.href } });
    });
    await p.route(`${issuer}/token`, (route: Route) => {
      seen.tokenForm = new URLSearchParams(route.request().postData() ?? '');
      const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const idToken = `${b64({ alg: 'RS256' })}.${b64({
        iss: issuer,
        aud: 'eia-console',
        sub: 'kc-user-1',
        name: '赵审查',
        roles: ['offline_access', 'reviewer'],
        nonce: seen.authorize?.searchParams.get('nonce'),
        exp: Math.floor(Date.now() / 1000) + 300,
      })}.c2ln`;
      return route.fulfill({ json: { id_token: idToken, token_type: 'Bearer' } });
    });
    // The token is the test's own (the local API would refuse it): the API's answers are stubbed.
    for (const path of ['applications', 'inbox'])
      await p.route(`${url}/${path}?*`, (route) => route.fulfill({ json: { items: [] } }));

    await p.goto(`${url}/#/signin`);
    const button = p.locator('button[data-sign-in="oidc"]');
    expect(await button.textContent()).toBe('通过单位统一身份认证登录');
    await button.click();
    await p.waitForSelector('.user[data-role="reviewer"]');
    expect(await p.textContent('.user')).toBe('当前用户：赵审查（审查员）');

    const q = seen.authorize?.searchParams;
    expect(q?.get('response_type')).toBe('code');
    expect(q?.get('client_id')).toBe('eia-console');
    expect(q?.get('redirect_uri')).toBe(`${url}/`);
    expect(q?.get('scope')?.split(' ')).toContain('openid');
    expect(q?.get('code_challenge_method')).toBe('S256');
    expect(q?.get('nonce')).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    // The browser's verifier is the one the challenge was made of.
    const verifier = seen.tokenForm?.get('code_verifier') ?? '';
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(q?.get('code_challenge'));
    expect(seen.tokenForm?.get('code')).toBe('code-from-provider');
    expect(new URL(p.url()).search).toBe('');
    expect(p.url()).not.toContain('code-from-provider');

    // Signing out ends the provider's session too, and comes back to the console.
    const token = String(await p.evaluate(`JSON.parse(localStorage.getItem('eia.session')).token`));
    let logout: URL | undefined;
    await p.route(`${issuer}/logout?*`, (route: Route) => {
      logout = new URL(route.request().url());
      return route.fulfill({ status: 302, headers: { location: `${url}/` } });
    });
    await p.click('[data-sign-out]');
    await expect.poll(() => logout, { timeout: 15_000 }).toBeDefined();
    expect(logout?.searchParams.get('id_token_hint')).toBe(token);
    expect(logout?.searchParams.get('post_logout_redirect_uri')).toBe(`${url}/`);
    await p.waitForSelector('button[data-sign-in="oidc"]');
    expect(await p.evaluate(`localStorage.getItem('eia.session')`)).toBeNull();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
