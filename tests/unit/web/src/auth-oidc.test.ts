import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';

/**
 * The console's sign-in in mode `oidc` (web/src/auth.ts): the bureau's own OpenID Connect provider
 * found through its discovery document, the authorization-code flow with PKCE (S256), a state and
 * a nonce; sign-out at its end_session_endpoint. The browser and the provider are stubbed on
 * globalThis as in auth.test.ts.
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

const webModule = (name: string) => fileURLToPath(new URL(`../../../../web/src/${name}`, import.meta.url));

const ORIGIN = 'https://eia.liling.gov.cn';
const ISSUER = 'https://id.liling.gov.cn/realms/eia';
const DISCOVERY = `${ISSUER}/.well-known/openid-configuration`;
const AUTHORIZE = `${ISSUER}/protocol/openid-connect/auth`;
const TOKEN = `${ISSUER}/protocol/openid-connect/token`;
const END_SESSION = `${ISSUER}/protocol/openid-connect/logout`;
const OIDC_CONFIG = {
  mode: 'oidc',
  apiUrl: 'https://api.eia.liling.gov.cn/api',
  issuer: ISSUER,
  clientId: 'eia-console',
  redirectUri: `${ORIGIN}/`,
  claims: { roles: 'realm_access.roles' },
} as const;
const SESSION_KEY = 'eia.session';
const PKCE_KEY = 'eia.pkce';

const b64url = (bytes: Buffer | Uint8Array) => Buffer.from(bytes).toString('base64url');
const jwt = (claims: Record<string, unknown>) =>
  `${b64url(Buffer.from('{"alg":"RS256","kid":"k1"}'))}.${b64url(Buffer.from(JSON.stringify(claims)))}.c2ln`;

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, String(v)),
    removeItem: (k: string) => void map.delete(k),
  };
}

interface Browser {
  readonly session: ReturnType<typeof memoryStorage>;
  readonly local: ReturnType<typeof memoryStorage>;
  readonly assign: Mock<(url: string) => void>;
  readonly fetch: Mock<(input: string | URL | Request, init?: RequestInit) => Promise<Response>>;
  url: URL;
  discovery: Record<string, unknown>;
  tokenResponse: () => Response;
}

let browser: Browser;

function stubBrowser(config: unknown): Browser {
  const b: Browser = {
    session: memoryStorage(),
    local: memoryStorage(),
    assign: vi.fn<(url: string) => void>(),
    fetch: vi.fn(async (input: string | URL | Request) => {
      const url = new URL(input instanceof Request ? input.url : String(input), b.url);
      if (url.pathname === '/console-config.json') return Response.json(config);
      if (url.href === DISCOVERY) return Response.json(b.discovery);
      if (url.href === TOKEN) return b.tokenResponse();
      return new Response('not found', { status: 404 });
    }),
    url: new URL(`${ORIGIN}/`),
    discovery: {
      issuer: ISSUER,
      authorization_endpoint: AUTHORIZE,
      token_endpoint: TOKEN,
      end_session_endpoint: END_SESSION,
      jwks_uri: `${ISSUER}/protocol/openid-connect/certs`,
    },
    tokenResponse: () => Response.json({ error: 'invalid_grant' }, { status: 400 }),
  };
  const location = {
    get href() {
      return b.url.href;
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
  };
  vi.stubGlobal('sessionStorage', b.session);
  vi.stubGlobal('localStorage', b.local);
  vi.stubGlobal('window', {
    location,
    history: {
      replaceState: (_d: unknown, _u: string, url?: string) => {
        if (url !== undefined) b.url = new URL(url, b.url);
      },
    },
  });
  vi.stubGlobal('fetch', b.fetch);
  return b;
}

async function load(): Promise<AuthModule> {
  vi.resetModules();
  const config = (await import(webModule('config.ts'))) as { loadConfig(): Promise<unknown> };
  await config.loadConfig();
  return (await import(webModule('auth.ts'))) as AuthModule;
}

const calls = (href: string) => browser.fetch.mock.calls.filter(([input]) => String(input) === href);
const stored = () =>
  JSON.parse(browser.session.map.get(PKCE_KEY) ?? 'null') as {
    verifier: string;
    state: string;
    nonce: string;
  } | null;

async function authorize(auth: AuthModule): Promise<URL> {
  await auth.startSignIn();
  return new URL(String(browser.assign.mock.calls.at(-1)?.[0]));
}

function returnWith(query: Record<string, string>): void {
  const url = new URL(OIDC_CONFIG.redirectUri);
  url.search = new URLSearchParams(query).toString();
  browser.url = url;
}

const idClaims = (nonce: string | undefined, more: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  aud: OIDC_CONFIG.clientId,
  sub: 'f3c1b2a0-0000-4000-8000-000000000007',
  name: '李审查',
  realm_access: { roles: ['offline_access', 'default-roles-eia', 'reviewer'] },
  org_code: '11430281006000000X',
  exp: Math.floor(Date.now() / 1000) + 300,
  ...(nonce !== undefined && { nonce }),
  ...more,
});

beforeEach(() => {
  browser = stubBrowser(OIDC_CONFIG);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('sign-in through an OpenID Connect provider (mode oidc)', () => {
  it('goes to the authorization_endpoint of the discovery document with code, PKCE S256, state and nonce', async () => {
    const auth = await load();
    const url = await authorize(auth);
    expect(calls(DISCOVERY)).toHaveLength(1);
    expect(`${url.origin}${url.pathname}`).toBe(AUTHORIZE);
    const q = url.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe('eia-console');
    expect(q.get('redirect_uri')).toBe(`${ORIGIN}/`);
    expect(q.get('scope')?.split(' ')).toContain('openid');
    expect(q.get('code_challenge_method')).toBe('S256');
    const saved = stored();
    expect(saved?.verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    expect(q.get('code_challenge')).toBe(
      createHash('sha256')
        .update(saved?.verifier ?? '')
        .digest('base64url'),
    );
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(q.get('state')).toBe(saved?.state);
    expect(q.get('nonce')).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(q.get('nonce')).toBe(saved?.nonce);
    expect(q.get('nonce')).not.toBe(q.get('state'));
    expect(q.has('client_secret')).toBe(false);
    expect(calls(TOKEN)).toHaveLength(0);
    expect(auth.session()).toBeUndefined();

    // A second attempt: fresh values, the discovery document read once per page.
    const again = await authorize(auth);
    expect(again.searchParams.get('nonce')).not.toBe(q.get('nonce'));
    expect(again.searchParams.get('state')).not.toBe(q.get('state'));
    expect(calls(DISCOVERY)).toHaveLength(1);
  });

  it('swaps the code at the token_endpoint and keeps the ID token, its role read from realm_access.roles', async () => {
    const auth = await load();
    const url = await authorize(auth);
    const { verifier, nonce, state } = stored() ?? { verifier: '', nonce: '', state: '' };
    const idToken = jwt(idClaims(nonce));
    browser.tokenResponse = () =>
      Response.json({ id_token: idToken, access_token: jwt({ sub: 'x' }), token_type: 'Bearer' });
    returnWith({ code: 'code-1', state, session_state: 'kc' });
    const signedIn = await auth.completeSignIn();

    const [call] = calls(TOKEN);
    expect(call?.[1]?.method).toBe('POST');
    expect(new Headers(call?.[1]?.headers).get('content-type')).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(await new Request(TOKEN, call?.[1]).text());
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'authorization_code',
      code: 'code-1',
      redirect_uri: url.searchParams.get('redirect_uri'),
      client_id: 'eia-console',
      code_verifier: verifier,
    });
    expect(signedIn).toEqual({
      token: idToken,
      sub: idClaims(nonce).sub,
      name: '李审查',
      role: 'reviewer',
      orgCode: '11430281006000000X',
    });
    expect(auth.session()).toEqual(signedIn);
    // No code, state or token left in the address bar; the verifier, state and nonce used up.
    expect(browser.url.search).toBe('');
    expect(browser.url.href).not.toContain('code-1');
    expect(browser.session.map.has(PKCE_KEY)).toBe(false);
  });

  it.each([
    ['a wrong state', (s: { state: string }) => ({ state: `${s.state}x` }), {}, /state mismatch/],
    ['no nonce in the ID token', () => ({}), { nonce: undefined }, /nonce mismatch/],
    ['another nonce in the ID token', () => ({}), { nonce: 'replayed' }, /nonce mismatch/],
    ['an ID token of another issuer', () => ({}), { iss: 'https://evil.example' }, /issuer/],
    ['an ID token for another client', () => ({}), { aud: ['other-app'] }, /aud/],
  ])('refuses a return with %s: no session', async (_, query, claims, error) => {
    const auth = await load();
    await authorize(auth);
    const saved = stored() ?? { verifier: '', nonce: '', state: '' };
    const token = { ...idClaims(saved.nonce), ...claims };
    if ('nonce' in claims && claims.nonce === undefined) delete (token as { nonce?: string }).nonce;
    browser.tokenResponse = () => Response.json({ id_token: jwt(token) });
    returnWith({ code: 'code-2', state: saved.state, ...query(saved) });
    await expect(auth.completeSignIn()).rejects.toThrow(error);
    expect(auth.session()).toBeUndefined();
    expect(browser.local.map.has(SESSION_KEY)).toBe(false);
    expect(browser.session.map.has(PKCE_KEY)).toBe(false);
    expect(browser.url.search).toBe('');
    // A wrong state never reaches the token endpoint.
    expect(calls(TOKEN)).toHaveLength(String(error).includes('state') ? 0 : 1);
  });

  it.each([
    ['another issuer', { issuer: 'https://elsewhere.example' }, /another issuer/],
    ['the issuer with a trailing slash', { issuer: `${ISSUER}/` }, /another issuer/],
    ['no token endpoint', { token_endpoint: undefined }, /no authorization or token endpoint/],
    ['an http endpoint', { authorization_endpoint: 'http://id.liling.gov.cn/auth' }, /not an https URL/],
  ])('refuses a discovery document naming %s (nothing sent anywhere)', async (_, change, error) => {
    browser.discovery = { ...browser.discovery, ...change };
    const auth = await load();
    await expect(auth.startSignIn()).rejects.toThrow(error);
    expect(browser.assign).not.toHaveBeenCalled();
    expect(browser.session.map.has(PKCE_KEY)).toBe(false);
  });

  it('signs out in every tab and at the end_session_endpoint with id_token_hint and post_logout_redirect_uri', async () => {
    const auth = await load();
    const token = jwt(idClaims('n'));
    browser.local.map.set(SESSION_KEY, JSON.stringify({ token, sub: 's', name: 'n', role: 'reviewer' }));
    await auth.signOut();
    expect(browser.local.map.has(SESSION_KEY)).toBe(false);
    const url = new URL(String(browser.assign.mock.calls[0]?.[0]));
    expect(`${url.origin}${url.pathname}`).toBe(END_SESSION);
    expect(url.searchParams.get('id_token_hint')).toBe(token);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${ORIGIN}/`);
    expect(url.searchParams.get('client_id')).toBe('eia-console');
  });

  it('signs out here only when the provider offers no end_session_endpoint', async () => {
    browser.discovery = { ...browser.discovery, end_session_endpoint: undefined };
    const auth = await load();
    browser.local.map.set(
      SESSION_KEY,
      JSON.stringify({ token: jwt(idClaims('n')), sub: 's', name: 'n', role: 'clerk' }),
    );
    await auth.signOut();
    expect(browser.local.map.has(SESSION_KEY)).toBe(false);
    expect(browser.assign).not.toHaveBeenCalled();
  });
});
