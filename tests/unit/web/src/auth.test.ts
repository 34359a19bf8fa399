import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';

/**
 * The console's sign-in in AWS (web/src/auth.ts): the Cognito hosted UI with the authorization-code
 * flow and PKCE. The browser is stubbed on globalThis (storage, window.location, history, fetch);
 * Node 20 brings crypto.subtle, getRandomValues, atob/btoa, URL and TextEncoder itself.
 *
 * The web sources are typed against the DOM library (web/tsconfig.json), the tests against Node's,
 * so the modules are imported by a computed path (not type-checked from here) and described by the
 * small interfaces below.
 */

interface Session {
  readonly token: string;
  readonly sub: string;
  readonly name: string;
  readonly role: string;
  readonly orgCode?: string;
}
interface AuthModule {
  session(): Session | undefined;
  signOut(): Promise<void>;
  startSignIn(): Promise<void>;
  completeSignIn(): Promise<Session | undefined>;
}
interface ConfigModule {
  loadConfig(): Promise<unknown>;
}
interface ApiModule {
  api<T>(method: string, path: string): Promise<{ body: T; headers: Headers }>;
}

const webModule = (name: string) => fileURLToPath(new URL(`../../../../web/src/${name}`, import.meta.url));

const ORIGIN = 'https://d1234abcd.cloudfront.net';
const HOSTED_UI = 'https://liling-eia-test.auth.cn-north-1.amazoncognito.com';
const API = 'https://abc123.execute-api.cn-north-1.amazonaws.com.cn';
/** As infra/web-console.ts deploys it: the redirect URI is the console's origin and '/'. */
const COGNITO_CONFIG = {
  mode: 'cognito',
  apiUrl: API,
  cognitoDomain: HOSTED_UI,
  clientId: '5r2abcdefghijklmnopqrstuv',
  redirectUri: `${ORIGIN}/`,
} as const;
const PKCE_KEY = 'eia.pkce';
const SESSION_KEY = 'eia.session';

const b64url = (bytes: Buffer | Uint8Array) => Buffer.from(bytes).toString('base64url');
/** An unsigned JWT (the console reads claims; the API verifies signatures). */
const jwt = (claims: Record<string, unknown>) =>
  `${b64url(Buffer.from('{"alg":"RS256","kid":"k1"}'))}.${b64url(Buffer.from(JSON.stringify(claims)))}.c2ln`;

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    map,
    get length() {
      return map.size;
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, String(v)),
    removeItem: (k: string) => void map.delete(k),
    clear: () => map.clear(),
  };
}

interface Browser {
  readonly session: ReturnType<typeof memoryStorage>;
  readonly local: ReturnType<typeof memoryStorage>;
  readonly assign: Mock<(url: string) => void>;
  readonly replace: Mock<(url: string) => void>;
  readonly replaceState: Mock<(data: unknown, unused: string, url?: string) => void>;
  readonly fetch: Mock<(input: string | URL | Request, init?: RequestInit) => Promise<Response>>;
  /** The page's address now (history.replaceState changes it, as in a browser). */
  url: URL;
  /** What the token endpoint answers next. */
  tokenResponse: () => Response;
}

let browser: Browser;

function stubBrowser(config: unknown, href = `${ORIGIN}/`): Browser {
  const b: Browser = {
    session: memoryStorage(),
    local: memoryStorage(),
    assign: vi.fn<(url: string) => void>(),
    replace: vi.fn<(url: string) => void>(),
    replaceState: vi.fn((_data: unknown, _unused: string, url?: string) => {
      if (url !== undefined) b.url = new URL(url, b.url);
    }),
    fetch: vi.fn(async (input: string | URL | Request) => {
      const url = new URL(input instanceof Request ? input.url : String(input), b.url);
      if (url.pathname === '/console-config.json') return Response.json(config);
      if (url.origin === HOSTED_UI && url.pathname === '/oauth2/token') return b.tokenResponse();
      if (url.origin === API) return Response.json({ ok: true });
      return new Response('not found', { status: 404 });
    }),
    url: new URL(href),
    tokenResponse: () => new Response('{"error":"invalid_grant"}', { status: 400 }),
  };
  const location = {
    get href() {
      return b.url.href;
    },
    get origin() {
      return b.url.origin;
    },
    get pathname() {
      return b.url.pathname;
    },
    get search() {
      return b.url.search;
    },
    get hash() {
      return b.url.hash;
    },
    assign: b.assign,
    replace: b.replace,
  };
  vi.stubGlobal('sessionStorage', b.session);
  vi.stubGlobal('localStorage', b.local);
  vi.stubGlobal('window', {
    location,
    history: { replaceState: b.replaceState },
    sessionStorage: b.session,
    localStorage: b.local,
  });
  vi.stubGlobal('location', location);
  vi.stubGlobal('fetch', b.fetch);
  return b;
}

/** Fresh module instances (config.ts keeps the loaded config), with config loaded as boot() does. */
async function load(): Promise<{ auth: AuthModule; api: ApiModule }> {
  vi.resetModules();
  const config = (await import(webModule('config.ts'))) as ConfigModule;
  await config.loadConfig();
  const auth = (await import(webModule('auth.ts'))) as AuthModule;
  const api = (await import(webModule('api.ts'))) as ApiModule;
  return { auth, api };
}

/** The stored PKCE pair, parsed. */
const storedPkce = () => {
  const raw = browser.session.map.get(PKCE_KEY);
  return raw === undefined ? undefined : (JSON.parse(raw) as { verifier?: string; state?: string });
};

/** Calls to the hosted UI's token endpoint so far. */
const tokenCalls = () =>
  browser.fetch.mock.calls.filter(([input]) => String(input) === `${HOSTED_UI}/oauth2/token`);

/** Starts sign-in and returns the authorize URL the browser was sent to. */
async function startSignIn(auth: AuthModule): Promise<URL> {
  const before = browser.assign.mock.calls.length;
  await auth.startSignIn();
  expect(browser.assign).toHaveBeenCalledTimes(before + 1);
  return new URL(String(browser.assign.mock.calls.at(-1)?.[0]));
}

/** The hosted UI sends the browser back to the redirect URI with `?code=&state=`. */
function returnFromHostedUi(query: Record<string, string>): void {
  const url = new URL(COGNITO_CONFIG.redirectUri);
  url.search = new URLSearchParams(query).toString();
  url.hash = '#/queue';
  browser.url = url;
}

const future = () => Math.floor(Date.now() / 1000) + 3600;
const idClaims = () => ({
  sub: '7c1e4d2a-0000-4000-8000-000000000001',
  name: '王科员',
  'cognito:username': 'clerk-wang',
  'cognito:groups': ['clerk'],
  'custom:orgCode': '91430281MA4L000001',
  token_use: 'id',
  aud: COGNITO_CONFIG.clientId,
  exp: future(),
});

beforeEach(() => {
  browser = stubBrowser(COGNITO_CONFIG);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('web console sign-in through the Cognito hosted UI (authorization code + PKCE)', () => {
  it('sends the browser to <hostedUi>/oauth2/authorize with the code flow, S256 challenge of the stored verifier, and a state', async () => {
    const { auth } = await load();
    const url = await startSignIn(auth);

    expect(`${url.origin}${url.pathname}`).toBe(`${HOSTED_UI}/oauth2/authorize`);
    const q = url.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(COGNITO_CONFIG.clientId);
    expect(q.get('redirect_uri')).toBe(`${browser.url.origin}/`);
    expect(q.get('scope')?.split(' ')).toContain('openid');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.has('client_secret')).toBe(false);

    const saved = storedPkce();
    expect(saved?.verifier).toBeDefined();
    const verifier = saved?.verifier ?? '';
    // RFC 7636 §4.1: 43–128 characters of [A-Z a-z 0-9 - . _ ~].
    expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    const expected = createHash('sha256').update(verifier, 'ascii').digest('base64url');
    expect(q.get('code_challenge')).toBe(expected);
    expect(q.get('code_challenge')).not.toBe(verifier);

    const state = q.get('state');
    expect(state).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(saved?.state).toBe(state);

    // Nothing else happened yet: no token request, no session.
    expect(tokenCalls()).toHaveLength(0);
    expect(auth.session()).toBeUndefined();
  });

  it('uses a fresh verifier and state on every attempt', async () => {
    const { auth } = await load();
    const first = await startSignIn(auth);
    const firstPkce = storedPkce();
    const second = await startSignIn(auth);
    const secondPkce = storedPkce();
    expect(secondPkce?.verifier).not.toBe(firstPkce?.verifier);
    expect(secondPkce?.state).not.toBe(firstPkce?.state);
    expect(second.searchParams.get('code_challenge')).not.toBe(first.searchParams.get('code_challenge'));
    expect(second.searchParams.get('state')).toBe(secondPkce?.state);
  });

  it('swaps the code at /oauth2/token (form-encoded, same redirect_uri, stored verifier) and keeps the ID token as the bearer token', async () => {
    const { auth, api } = await load();
    const authorize = await startSignIn(auth);
    const { verifier } = storedPkce() ?? {};
    const idToken = jwt(idClaims());
    const accessToken = jwt({ sub: idClaims().sub, token_use: 'access', scope: 'openid', exp: future() });
    browser.tokenResponse = () =>
      Response.json({
        id_token: idToken,
        access_token: accessToken,
        refresh_token: 'opaque-refresh',
        token_type: 'Bearer',
        expires_in: 3600,
      });

    const code = 'a1b2c3d4-e5f6-4711-8899-aabbccddeeff';
    returnFromHostedUi({ code, state: authorize.searchParams.get('state') ?? '' });
    const signedIn = await auth.completeSignIn();

    // Exactly one token request, as the hosted UI expects it.
    const calls = tokenCalls();
    expect(calls).toHaveLength(1);
    const [input, init] = calls[0] ?? [];
    expect(init?.method).toBe('POST');
    expect(new Headers(init?.headers).get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(new Headers(init?.headers).has('authorization')).toBe(false);
    // The bytes fetch would put on the wire, read back as a form.
    const wire = new Request(String(input), init);
    const form = new URLSearchParams(await wire.text());
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'authorization_code',
      code,
      redirect_uri: authorize.searchParams.get('redirect_uri'),
      client_id: COGNITO_CONFIG.clientId,
      code_verifier: verifier,
    });

    // The verifier and state are one-shot; the code leaves the address bar (the route stays).
    expect(browser.session.map.has(PKCE_KEY)).toBe(false);
    expect(browser.url.search).toBe('');
    expect(browser.url.hash).toBe('#/queue');

    // The session is the ID token (it carries cognito:groups), not the access token.
    expect(signedIn).toEqual({
      token: idToken,
      sub: idClaims().sub,
      name: '王科员',
      role: 'clerk',
      orgCode: '91430281MA4L000001',
    });
    expect(auth.session()).toEqual(signedIn);
    expect(JSON.parse(browser.local.map.get(SESSION_KEY) ?? '{}')).toMatchObject({ token: idToken });

    // …and the API client sends it as the bearer token.
    await api.api('GET', '/applications?view=queue');
    const apiCall = browser.fetch.mock.calls.find(([i]) => String(i).startsWith(API));
    expect(String(apiCall?.[0])).toBe(`${API}/applications?view=queue`);
    expect(new Headers(apiCall?.[1]?.headers).get('authorization')).toBe(`Bearer ${idToken}`);

    // A replay of the same callback (back button) sends no second token request.
    returnFromHostedUi({ code, state: authorize.searchParams.get('state') ?? '' });
    await expect(auth.completeSignIn()).rejects.toThrow(/state/);
    expect(tokenCalls()).toHaveLength(1);
  });

  it.each([
    ['a different state', (state: string) => ({ state: `${state}x` })],
    ['no state', () => ({})],
    ['an empty state', () => ({ state: '' })],
  ])(
    'refuses a callback with %s: no token request, no session, verifier and state cleared',
    async (_, query) => {
      const { auth } = await load();
      const authorize = await startSignIn(auth);
      const state = authorize.searchParams.get('state') ?? '';
      browser.tokenResponse = () => Response.json({ id_token: jwt(idClaims()), access_token: 'a' });

      returnFromHostedUi({ code: 'attacker-code', ...query(state) });
      await expect(auth.completeSignIn()).rejects.toThrow(/state mismatch/);

      expect(tokenCalls()).toHaveLength(0);
      expect(auth.session()).toBeUndefined();
      expect(browser.local.map.has(SESSION_KEY)).toBe(false);
      expect(browser.session.map.has(PKCE_KEY)).toBe(false);
      expect(browser.url.search).toBe('');

      // The stored pair is gone for good: even the right state cannot be used afterwards.
      returnFromHostedUi({ code: 'attacker-code', state });
      await expect(auth.completeSignIn()).rejects.toThrow(/state mismatch/);
      expect(tokenCalls()).toHaveLength(0);
    },
  );

  it('refuses a callback that no sign-in of this tab started (login CSRF): no token request', async () => {
    const { auth } = await load();
    returnFromHostedUi({ code: 'injected-code', state: 'injected-state' });
    await expect(auth.completeSignIn()).rejects.toThrow(/state mismatch/);
    expect(tokenCalls()).toHaveLength(0);
    expect(auth.session()).toBeUndefined();
  });

  it('keeps no session when the token endpoint refuses the code, and clears the verifier and state', async () => {
    const { auth } = await load();
    const authorize = await startSignIn(auth);
    browser.tokenResponse = () => Response.json({ error: 'invalid_grant' }, { status: 400 });
    returnFromHostedUi({ code: 'expired-code', state: authorize.searchParams.get('state') ?? '' });

    await expect(auth.completeSignIn()).rejects.toThrow(/400/);
    expect(tokenCalls()).toHaveLength(1);
    expect(auth.session()).toBeUndefined();
    expect(browser.session.map.has(PKCE_KEY)).toBe(false);
  });

  it('does nothing on a page load without ?code (the stored pair survives for the real return)', async () => {
    const { auth } = await load();
    await startSignIn(auth);
    const saved = browser.session.map.get(PKCE_KEY);
    browser.url = new URL(`${ORIGIN}/#/notices`);
    await expect(auth.completeSignIn()).resolves.toBeUndefined();
    expect(tokenCalls()).toHaveLength(0);
    expect(browser.session.map.get(PKCE_KEY)).toBe(saved);
  });

  it('drops a stored session whose ID token has expired', async () => {
    const { auth } = await load();
    const stale = jwt({ ...idClaims(), exp: Math.floor(Date.now() / 1000) - 1 });
    browser.local.map.set(SESSION_KEY, JSON.stringify({ token: stale, sub: 's', name: 'n', role: 'clerk' }));
    expect(auth.session()).toBeUndefined();
    expect(browser.local.map.has(SESSION_KEY)).toBe(false);
  });

  it('keeps a deep link in this tab until signed in, once', async () => {
    const { auth } = await load();
    browser.local.map.set(
      SESSION_KEY,
      JSON.stringify({ token: jwt(idClaims()), sub: 's', name: 'n', role: 'clerk' }),
    );
    expect(auth.session()).toMatchObject({ sub: 's', role: 'clerk' });
    const deep = auth as unknown as {
      rememberReturn(path: string): void;
      takeReturn(): string | undefined;
    };
    deep.rememberReturn('/app/1234');
    // Per tab: another tab's sign-in does not take this tab's deep link.
    expect(browser.local.map.has('eia.returnTo')).toBe(false);
    expect(browser.session.map.get('eia.returnTo')).toBe('/app/1234');
    expect(deep.takeReturn()).toBe('#/app/1234');
    expect(deep.takeReturn()).toBeUndefined();
    // The sign-in page is never a place to return to.
    deep.rememberReturn('/signin');
    expect(deep.takeReturn()).toBeUndefined();
  });

  it('signs out at the hosted UI /logout with the client id and the console as logout_uri', async () => {
    const { auth } = await load();
    browser.local.map.set(
      SESSION_KEY,
      JSON.stringify({ token: jwt(idClaims()), sub: 's', name: 'n', role: 'clerk' }),
    );
    await auth.signOut();
    expect(browser.local.map.has(SESSION_KEY)).toBe(false);
    expect(browser.assign).toHaveBeenCalledTimes(1);
    const url = new URL(String(browser.assign.mock.calls[0]?.[0]));
    expect(`${url.origin}${url.pathname}`).toBe(`${HOSTED_UI}/logout`);
    expect(url.searchParams.get('client_id')).toBe(COGNITO_CONFIG.clientId);
    expect(url.searchParams.get('logout_uri')).toBe(`${ORIGIN}/`);
  });

  it('leaves the hosted UI alone in local mode (demo users sign in through /local/token)', async () => {
    browser = stubBrowser({ mode: 'local', demoUsers: [] }, 'http://127.0.0.1:3000/?code=x&state=y');
    const { auth } = await load();
    await auth.startSignIn();
    await expect(auth.completeSignIn()).resolves.toBeUndefined();
    expect(browser.assign).not.toHaveBeenCalled();
    expect(browser.fetch.mock.calls.map(([i]) => String(i))).toEqual(['/console-config.json']);
    expect(browser.session.map.size).toBe(0);
    expect(browser.local.map.size).toBe(0);
  });

  it('drops a session the API refuses (401), in every tab, and tells this tab once', async () => {
    const { auth, api } = await load();
    browser.local.map.set(
      SESSION_KEY,
      JSON.stringify({ token: jwt(idClaims()), sub: 's', name: 'n', role: 'clerk' }),
    );
    const dispatched = vi.fn<(event: Event) => boolean>(() => true);
    (Reflect.get(globalThis, 'window') as { dispatchEvent: typeof dispatched }).dispatchEvent = dispatched;
    const refused = auth as unknown as { takeRefused(): boolean };
    // Any other refusal leaves the session alone.
    browser.fetch.mockImplementationOnce(async () => Response.json({ title: 'Forbidden' }, { status: 403 }));
    await expect(api.api('GET', '/applications')).rejects.toMatchObject({ status: 403 });
    expect(browser.local.map.has(SESSION_KEY)).toBe(true);
    expect(dispatched).not.toHaveBeenCalled();
    browser.fetch.mockImplementationOnce(async () =>
      Response.json({ title: 'Unauthorized' }, { status: 401 }),
    );
    await expect(api.api('GET', '/applications')).rejects.toMatchObject({ status: 401 });
    expect(browser.local.map.has(SESSION_KEY)).toBe(false);
    expect(dispatched).toHaveBeenCalledTimes(1);
    expect(dispatched.mock.calls[0]?.[0].type).toBe('eia:session-refused');
    expect(refused.takeRefused()).toBe(true);
    expect(refused.takeRefused()).toBe(false);
  });

  it('keeps one session for every tab (localStorage), the sign-in state of this tab per tab', async () => {
    const { auth } = await load();
    const authorize = await startSignIn(auth);
    // The verifier and state belong to the tab that started the sign-in, never to every tab.
    expect(browser.session.map.has(PKCE_KEY)).toBe(true);
    expect(browser.local.map.has(PKCE_KEY)).toBe(false);
    browser.tokenResponse = () => Response.json({ id_token: jwt(idClaims()), access_token: 'a' });
    returnFromHostedUi({ code: 'c', state: authorize.searchParams.get('state') ?? '' });
    await auth.completeSignIn();
    expect(browser.local.map.has(SESSION_KEY)).toBe(true);
    expect(browser.session.map.has(SESSION_KEY)).toBe(false);
    // Another tab: the same localStorage, a sessionStorage of its own; already signed in.
    browser.session.map.clear();
    expect(auth.session()).toMatchObject({ name: '王科员', role: 'clerk' });
  });
});
