import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * Who the console shows as signed in, read from the ID token under the configured claim names
 * (web/src/config.ts `claims`, web/src/claims.ts): Cognito's by default, an OpenID Connect
 * provider's in mode `oidc` (roles, org_code) or as configured, a dotted path into an object
 * claim (Keycloak's realm_access.roles), and the list forms the API accepts too.
 */

interface ClaimNames {
  roles: string;
  org: string;
  name: string;
}
interface ClaimsModule {
  claimAt(claims: Record<string, unknown>, path: string): unknown;
  listOf(value: unknown): string[];
  personOf(
    claims: Record<string, unknown>,
    names: ClaimNames,
  ): { sub: string; name: string; role: string; orgCode?: string };
}
interface ConfigModule {
  loadConfig(): Promise<unknown>;
  claimNames(c?: unknown): ClaimNames;
}
interface AuthModule {
  signInLocal(user: unknown): Promise<{ role: string; name: string; orgCode?: string; sub: string }>;
  session(): { role: string } | undefined;
}

const webModule = (name: string) => fileURLToPath(new URL(`../../../../web/src/${name}`, import.meta.url));
const b64url = (text: string) => Buffer.from(text).toString('base64url');
const jwt = (claims: Record<string, unknown>) =>
  `${b64url('{"alg":"ES256"}')}.${b64url(JSON.stringify(claims))}.c2ln`;

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('claim names of the console config', () => {
  it('defaults to Cognito’s in local and cognito mode and to roles/org_code/name in oidc mode', async () => {
    const config = (await import(webModule('config.ts'))) as ConfigModule;
    const cognito = { roles: 'cognito:groups', org: 'custom:orgCode', name: 'name' };
    expect(config.claimNames({ mode: 'local', demoUsers: [] })).toEqual(cognito);
    expect(
      config.claimNames({
        mode: 'cognito',
        apiUrl: 'a',
        cognitoDomain: 'b',
        clientId: 'c',
        redirectUri: 'd',
      }),
    ).toEqual(cognito);
    const oidc = {
      mode: 'oidc',
      apiUrl: 'a',
      issuer: 'https://id.example.cn',
      clientId: 'c',
      redirectUri: 'd',
    };
    expect(config.claimNames(oidc)).toEqual({ roles: 'roles', org: 'org_code', name: 'name' });
    // Given names win, each on its own; blank ones fall back to the mode's default.
    expect(config.claimNames({ ...oidc, claims: { roles: 'realm_access.roles', name: ' ' } })).toEqual({
      roles: 'realm_access.roles',
      org: 'org_code',
      name: 'name',
    });
    expect(config.claimNames({ mode: 'local', demoUsers: [], claims: { org: 'tyshxydm' } })).toEqual({
      ...cognito,
      org: 'tyshxydm',
    });
  });
});

describe('reading a claim', () => {
  it('takes a claim of the exact name first, else follows a dotted path through objects (or their JSON text)', async () => {
    const { claimAt } = (await import(webModule('claims.ts'))) as ClaimsModule;
    const token = {
      'cognito:groups': ['clerk'],
      'realm_access.roles': 'flat',
      realm_access: { roles: ['offline_access', 'reviewer'] },
      resource_access: JSON.stringify({ console: { roles: ['approver'] } }),
      org: { code: 42 },
    };
    expect(claimAt(token, 'cognito:groups')).toEqual(['clerk']);
    expect(claimAt(token, 'realm_access.roles')).toBe('flat');
    expect(claimAt({ realm_access: token.realm_access }, 'realm_access.roles')).toEqual([
      'offline_access',
      'reviewer',
    ]);
    expect(claimAt(token, 'resource_access.console.roles')).toEqual(['approver']);
    expect(claimAt(token, 'org.code')).toBe(42);
    expect(claimAt(token, 'org.code.more')).toBeUndefined();
    expect(claimAt(token, 'missing.path')).toBeUndefined();
    // Only own properties: nothing is read off the prototype.
    expect(claimAt(token, 'org.constructor')).toBeUndefined();
    expect(claimAt({}, 'toString')).toBeUndefined();
  });

  it.each([
    [
      ['clerk', 'reviewer'],
      ['clerk', 'reviewer'],
    ],
    ['clerk,reviewer', ['clerk', 'reviewer']],
    ['clerk, reviewer', ['clerk', 'reviewer']],
    ['clerk reviewer', ['clerk', 'reviewer']],
    ['[clerk reviewer]', ['clerk', 'reviewer']],
    ['["clerk","reviewer"]', ['clerk', 'reviewer']],
    ['clerk', ['clerk']],
    ['clerk,clerk', ['clerk']],
    ['', []],
    [undefined, []],
    [7, []],
  ])('reads the list %j as %j', async (value, expected) => {
    const { listOf } = (await import(webModule('claims.ts'))) as ClaimsModule;
    expect(listOf(value)).toEqual(expected);
  });

  it('takes the first role that is one of the console’s, the organisation code and the name', async () => {
    const { personOf } = (await import(webModule('claims.ts'))) as ClaimsModule;
    const names = { roles: 'realm_access.roles', org: 'org_code', name: 'name' };
    expect(
      personOf(
        {
          sub: 'u-1',
          name: '王科员',
          realm_access: { roles: ['offline_access', 'default-roles-eia', 'reviewer', 'clerk'] },
          org_code: '91430281MA4L000001',
        },
        names,
      ),
    ).toEqual({ sub: 'u-1', name: '王科员', role: 'reviewer', orgCode: '91430281MA4L000001' });
    // None of the console's roles: no role (the console then offers no pages of staff).
    expect(personOf({ sub: 'u-2', realm_access: { roles: ['offline_access'] } }, names)).toEqual({
      sub: 'u-2',
      name: '',
      role: '',
    });
    // Without the name claim: the provider's user name.
    expect(
      personOf({ sub: 'u-3', preferred_username: 'li.si', roles: 'approver' }, { ...names, roles: 'roles' }),
    ).toMatchObject({ name: 'li.si', role: 'approver' });
    // Cognito's claims under Cognito's names, as before.
    expect(
      personOf(
        { sub: 'u-4', 'cognito:username': 'zhang', 'cognito:groups': ['applicant'], 'custom:orgCode': 'X1' },
        { roles: 'cognito:groups', org: 'custom:orgCode', name: 'name' },
      ),
    ).toEqual({ sub: 'u-4', name: 'zhang', role: 'applicant', orgCode: 'X1' });
    // The Cognito claims are not read when the console is told other names.
    expect(personOf({ sub: 'u-5', 'cognito:groups': ['admin'] }, names).role).toBe('');
  });
});

describe('the local china profile: a demo user signs in with the roles in `roles`', () => {
  function stub(config: unknown, token: string) {
    const storage = () => {
      const map = new Map<string, string>();
      return {
        getItem: (k: string) => map.get(k) ?? null,
        setItem: (k: string, v: string) => void map.set(k, v),
        removeItem: (k: string) => void map.delete(k),
      };
    };
    const local = storage();
    vi.stubGlobal('localStorage', local);
    vi.stubGlobal('sessionStorage', storage());
    vi.stubGlobal('window', { location: { search: '', pathname: '/', hash: '' }, localStorage: local });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) =>
        input === '/console-config.json' ? Response.json(config) : Response.json({ token }),
      ),
    );
  }
  const user = { role: 'clerk', label: 'x', sub: 'clerk-1', name: '王科员', groups: ['clerk'] };
  const chinaToken = jwt({ sub: 'clerk-1', name: '王科员', roles: ['clerk'], org_code: 'ORG-1' });

  it('reads the role from the claims the console config names', async () => {
    stub(
      { mode: 'local', demoUsers: [user], claims: { roles: 'roles', org: 'org_code', name: 'name' } },
      chinaToken,
    );
    const config = (await import(webModule('config.ts'))) as ConfigModule;
    await config.loadConfig();
    const auth = (await import(webModule('auth.ts'))) as AuthModule;
    await expect(auth.signInLocal(user)).resolves.toMatchObject({
      sub: 'clerk-1',
      name: '王科员',
      role: 'clerk',
      orgCode: 'ORG-1',
    });
    expect(auth.session()?.role).toBe('clerk');
  });

  it('shows no role when the config does not name the china claims (the fault this fixes)', async () => {
    stub({ mode: 'local', demoUsers: [user] }, chinaToken);
    const config = (await import(webModule('config.ts'))) as ConfigModule;
    await config.loadConfig();
    const auth = (await import(webModule('auth.ts'))) as AuthModule;
    await expect(auth.signInLocal(user)).resolves.toMatchObject({ role: '' });
  });
});
