import { apiUrl, config, type DemoUser } from './config.ts';

/**
 * Who is signed in. Locally a demo user's token comes from POST /local/token; in AWS from the
 * Cognito hosted UI with the authorization-code flow and PKCE (no client secret in the browser).
 * The ID token is the bearer token: it carries `cognito:groups`, which the API authorises on.
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

export function signOut(): void {
  sessions().removeItem(KEY);
  const c = config();
  if (c.mode === 'cognito') {
    const url = new URL('/logout', c.cognitoDomain);
    url.searchParams.set('client_id', c.clientId);
    url.searchParams.set('logout_uri', c.redirectUri);
    window.location.assign(url.toString());
  }
}

function claims(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

function fromToken(token: string): Session {
  const c = claims(token);
  const groups = c['cognito:groups'];
  const role = Array.isArray(groups) ? String(groups[0] ?? '') : String(groups ?? '');
  const orgCode = c['custom:orgCode'];
  return {
    token,
    sub: String(c.sub ?? ''),
    name: String(c.name ?? c['cognito:username'] ?? ''),
    role,
    ...(typeof orgCode === 'string' && { orgCode }),
  };
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

/** Sends the browser to the hosted UI with a fresh PKCE verifier and state kept for the return. */
export async function startCognitoSignIn(): Promise<void> {
  const c = config();
  if (c.mode !== 'cognito') return;
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem('eia.pkce', JSON.stringify({ verifier, state }));
  const url = new URL('/oauth2/authorize', c.cognitoDomain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: c.clientId,
    redirect_uri: c.redirectUri,
    scope: 'openid email profile',
    code_challenge_method: 'S256',
    code_challenge: challenge,
    state,
  }).toString();
  window.location.assign(url.toString());
}

/** On return from the hosted UI (`?code=&state=`): swaps the code for tokens. */
export async function completeCognitoSignIn(): Promise<Session | undefined> {
  const c = config();
  const params = new URLSearchParams(window.location.search);
  const code = params.get('code');
  if (c.mode !== 'cognito' || !code) return undefined;
  const saved = JSON.parse(sessionStorage.getItem('eia.pkce') ?? '{}') as {
    verifier?: string;
    state?: string;
  };
  sessionStorage.removeItem('eia.pkce');
  window.history.replaceState(null, '', window.location.pathname + window.location.hash);
  if (!saved.verifier || saved.state !== params.get('state')) throw new Error('sign-in state mismatch');
  const res = await fetch(new URL('/oauth2/token', c.cognitoDomain), {
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
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
  const { id_token } = (await res.json()) as { id_token: string };
  const s = fromToken(id_token);
  sessions().setItem(KEY, JSON.stringify(s));
  return s;
}
