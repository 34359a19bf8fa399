import { personOf } from './claims.ts';
import { apiUrl, type ConsoleConfig, claimNames, config, type DemoUser } from './config.ts';

/**
 * Who is signed in. Locally a demo user's token comes from POST /local/token; in AWS from the
 * Cognito hosted UI or (mode `oidc`) the bureau's own OpenID Connect provider, both with the
 * authorization-code flow and PKCE (no client secret in the browser). The ID token is the bearer
 * token: it carries the roles (`cognito:groups`, or the claim config.ts names), which the API
 * authorises on.
 */
export interface Session {
  readonly token: string;
  readonly sub: string;
  readonly name: string;
  readonly role: string;
  readonly orgCode?: string;
}

const KEY = 'eia.session';
/**
 * One sign-in serves every tab of the browser: the session is kept in localStorage, and a tab
 * follows a sign-in or sign-out made in another one through the `storage` event (main.ts). The
 * token expires as Cognito says (an hour), after which it is dropped on first use.
 */
const sessions = (): Storage => localStorage;
const RETURN_KEY = 'eia.returnTo';

/** Where to go after signing in: the page that asked for it (a deep link), kept per tab. */
export function rememberReturn(path: string): void {
  if (path.startsWith('/') && !path.startsWith('/signin')) sessionStorage.setItem(RETURN_KEY, path);
}

/** The page to return to after signing in, once (then forgotten), or undefined. */
export function takeReturn(): string | undefined {
  const path = sessionStorage.getItem(RETURN_KEY) ?? undefined;
  sessionStorage.removeItem(RETURN_KEY);
  return path ? `#${path}` : undefined;
}

/** Whether a storage change (from another tab) touched the session. */
export const isSessionKey = (key: string | null): boolean => key === null || key === KEY;

export function session(): Session | undefined {
  const raw = sessions().getItem(KEY);
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Session;
    const exp = claims(value.token).exp;
    if (typeof exp === 'number' && exp * 1000 < Date.now()) {
      sessions().removeItem(KEY);
      return undefined;
    }
    return value;
  } catch {
    sessions().removeItem(KEY);
    return undefined;
  }
}

/** Said to this tab when the API refused its session: main.ts then asks for a sign-in again. */
export const SESSION_REFUSED = 'eia:session-refused';
const REFUSED_KEY = 'eia.sessionRefused';

/**
 * The API refused the session before it was due to end (signed out elsewhere, an account
 * disabled, a local server started again): it is dropped in every tab, and this tab asks to sign
 * in again, then comes back to its page, where a form finds what was typed (draft-memory.ts).
 */
export function sessionRefused(): void {
  if (!sessions().getItem(KEY)) return;
  sessions().removeItem(KEY);
  sessionStorage.setItem(REFUSED_KEY, '1');
  window.dispatchEvent(new Event(SESSION_REFUSED));
}

/** Whether this tab's session was refused since it last asked (once, then forgotten). */
export function takeRefused(): boolean {
  const refused = sessionStorage.getItem(REFUSED_KEY) !== null;
  sessionStorage.removeItem(REFUSED_KEY);
  return refused;
}

/**
 * Signs out in every tab, then at the provider: Cognito's /logout, or the provider's
 * end_session_endpoint (with the ID token as id_token_hint) when its discovery document offers one.
 */
export async function signOut(): Promise<void> {
  const token = session()?.token;
  sessions().removeItem(KEY);
  const c = config();
  if (c.mode === 'cognito') {
    const url = new URL('/logout', c.cognitoDomain);
    url.searchParams.set('client_id', c.clientId);
    url.searchParams.set('logout_uri', c.redirectUri);
    window.location.assign(url.toString());
    return;
  }
  if (c.mode !== 'oidc') return;
  // Signed out here already; a provider that cannot be reached only keeps its own session.
  const provider = await discover(c).catch(() => undefined);
  if (!provider?.end_session_endpoint) return;
  const url = new URL(provider.end_session_endpoint);
  url.searchParams.set('client_id', c.clientId);
  url.searchParams.set('post_logout_redirect_uri', c.redirectUri);
  if (token) url.searchParams.set('id_token_hint', token);
  window.location.assign(url.toString());
}

function claims(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

function fromToken(token: string): Session {
  return { token, ...personOf(claims(token), claimNames()) };
}

export async function signInLocal(user: DemoUser): Promise<Session> {
  const res = await fetch(`${apiUrl()}/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      sub: user.sub,
      name: user.name,
      groups: user.groups,
      ...(user.orgCode && { orgCode: user.orgCode }),
    }),
  });
  if (!res.ok) throw new Error(`POST /local/token answered ${res.status}`);
  const { token } = (await res.json()) as { token: string };
  const s = fromToken(token);
  sessions().setItem(KEY, JSON.stringify(s));
  return s;
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/**
 * A sign-in that came back but cannot be trusted or completed (state or nonce not this tab's, a
 * refused code, an ID token for someone else): nothing is kept, the person is asked to sign in again.
 */
export class SignInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInError';
  }
}

/** Where the code flow of a mode goes: the hosted UI's fixed paths, or the provider's discovery. */
interface Provider {
  readonly issuer?: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly end_session_endpoint?: string;
}

type HostedConfig = Extract<ConsoleConfig, { mode: 'cognito' | 'oidc' }>;

let discovered: { issuer: string; provider: Promise<Provider> } | undefined;

const withoutSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * The provider's discovery document (`${issuer}/.well-known/openid-configuration`), once per page.
 * It must name the configured issuer exactly and give https (or a loopback http) endpoints.
 */
function discover(c: Extract<ConsoleConfig, { mode: 'oidc' }>): Promise<Provider> {
  if (discovered?.issuer === c.issuer) return discovered.provider;
  const provider = (async () => {
    const where = `${withoutSlash(c.issuer)}/.well-known/openid-configuration`;
    const res = await fetch(where, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${where} answered ${res.status}`);
    const doc = (await res.json()) as Record<string, unknown>;
    // Identical, as OpenID Connect Discovery asks: the API takes only tokens whose `iss` is
    // exactly the configured issuer, so a provider answering with another spelling is refused here.
    if (doc.issuer !== c.issuer)
      throw new Error(`${where} names another issuer (${String(doc.issuer)}), not ${c.issuer}`);
    const endpoint = (name: string): string | undefined => {
      const value = doc[name];
      if (value === undefined) return undefined;
      if (typeof value !== 'string' || !isSafeEndpoint(value))
        throw new Error(`${where}: ${name} is not an https URL`);
      return value;
    };
    const authorization = endpoint('authorization_endpoint');
    const token = endpoint('token_endpoint');
    if (!authorization || !token) throw new Error(`${where} names no authorization or token endpoint`);
    const endSession = endpoint('end_session_endpoint');
    return {
      issuer: doc.issuer,
      authorization_endpoint: authorization,
      token_endpoint: token,
      ...(endSession && { end_session_endpoint: endSession }),
    };
  })();
  discovered = { issuer: c.issuer, provider };
  // A failed look-up is tried again on the next attempt.
  provider.catch(() => {
    if (discovered?.provider === provider) discovered = undefined;
  });
  return provider;
}

function isSafeEndpoint(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      url.protocol === 'https:' ||
      (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))
    );
  } catch {
    return false;
  }
}

async function providerOf(c: HostedConfig): Promise<Provider> {
  if (c.mode === 'oidc') return discover(c);
  return {
    authorization_endpoint: new URL('/oauth2/authorize', c.cognitoDomain).toString(),
    token_endpoint: new URL('/oauth2/token', c.cognitoDomain).toString(),
  };
}

const hosted = (c: ConsoleConfig): c is HostedConfig => c.mode === 'cognito' || c.mode === 'oidc';

const PKCE_KEY = 'eia.pkce';

/**
 * Sends the browser to the hosted UI or the provider with a fresh PKCE verifier (S256) and state
 * kept in this tab for the return, and in mode `oidc` a nonce the ID token must carry back.
 */
export async function startSignIn(): Promise<void> {
  const c = config();
  if (!hosted(c)) return;
  const provider = await providerOf(c);
  const random = (n: number) => base64url(crypto.getRandomValues(new Uint8Array(n)));
  const verifier = random(32);
  const state = random(16);
  const nonce = c.mode === 'oidc' ? random(16) : undefined;
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, ...(nonce && { nonce }) }));
  const url = new URL(provider.authorization_endpoint);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: c.clientId,
    redirect_uri: c.redirectUri,
    scope: c.mode === 'oidc' ? 'openid profile' : 'openid email profile',
    code_challenge_method: 'S256',
    code_challenge: challenge,
    state,
    ...(nonce && { nonce }),
  }))
    url.searchParams.set(name, value);
  window.location.assign(url.toString());
}

/**
 * On return (`?code=&state=`): the code leaves the address bar at once, the state must be this
 * tab's, and the code is swapped for tokens; in mode `oidc` the ID token must carry this tab's
 * nonce and name the provider and this console (iss, aud).
 */
export async function completeSignIn(): Promise<Session | undefined> {
  const c = config();
  const params = new URLSearchParams(window.location.search);
  const code = params.get('code');
  if (!hosted(c) || !code) return undefined;
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? '{}') as {
    verifier?: string;
    state?: string;
    nonce?: string;
  };
  sessionStorage.removeItem(PKCE_KEY);
  window.history.replaceState(null, '', window.location.pathname + window.location.hash);
  if (!saved.verifier || saved.state !== params.get('state')) throw new SignInError('sign-in state mismatch');
  const provider = await providerOf(c);
  const res = await fetch(provider.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: c.clientId,
      code,
      redirect_uri: c.redirectUri,
      code_verifier: saved.verifier,
    }),
  });
  if (!res.ok) throw new SignInError(`token endpoint answered ${res.status}`);
  const { id_token } = (await res.json()) as { id_token?: unknown };
  if (typeof id_token !== 'string' || id_token.split('.').length !== 3)
    throw new SignInError('the token endpoint gave no ID token');
  if (c.mode === 'oidc') {
    const got = claims(id_token);
    if (!saved.nonce || got.nonce !== saved.nonce) throw new SignInError('sign-in nonce mismatch');
    if (provider.issuer !== undefined && got.iss !== provider.issuer)
      throw new SignInError('the ID token names another issuer (iss)');
    const audiences = Array.isArray(got.aud) ? got.aud : [got.aud];
    if (!audiences.includes(c.clientId)) throw new SignInError('the ID token is not for this console (aud)');
  }
  const s = fromToken(id_token);
  sessions().setItem(KEY, JSON.stringify(s));
  return s;
}
