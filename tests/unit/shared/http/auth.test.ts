/**
 * Tokens as the API sees them. First the local server's authorizer (local/tokens.ts behind
 * local/server.ts), over HTTP: every token API Gateway's authorizer would refuse gets 401
 * problem+json and never reaches the function. Then shared/http/auth.ts callerFrom, with the
 * claims as API Gateway passes them (every value a string, cognito:groups in its odd forms):
 * a token the authorizer accepts but that carries no subject or none of our groups is 401 too.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import {
  base64url,
  type CryptoKey,
  generateKeyPair,
  type JWTHeaderParameters,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLocalServer, type LambdaHandler, type LocalServer } from '../../../../local/server.ts';
import { createLocalIssuer, type LocalIssuer, type TokenSubject } from '../../../../local/tokens.ts';
import { ValidationError } from '../../../../shared/domain/errors.ts';
import { authed } from '../../../../shared/http/api.ts';
import { callerFrom } from '../../../../shared/http/auth.ts';
import { UnauthorizedError } from '../../../../shared/http/errors.ts';
import { json } from '../../../../shared/http/respond.ts';
import { apiEvent, type Claims } from '../../../support/api-events.ts';

const ISSUER = 'urn:eia-approval:tokens-test';
const AUDIENCE = 'eia-approval-tokens-test';
const clerk: TokenSubject = { sub: 'u-clerk', name: '王芳', groups: ['clerk'] };

let keyPair: { privateKey: CryptoKey; publicKey: CryptoKey };
let issuer: LocalIssuer;
let server: LocalServer;
/** How many requests reached the function behind the authorizer. */
let calls = 0;

/** The real `authed` wrapper: it answers with the caller that callerFrom made of the claims. */
const whoami = authed(async (req) => json(200, req.caller)) as unknown as LambdaHandler;

beforeAll(async () => {
  keyPair = await generateKeyPair('ES256');
  issuer = await createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE, keyPair });
  server = await createLocalServer({
    port: 0,
    issuer,
    quiet: true,
    log: () => {},
    routes: [
      { method: 'GET', path: '/whoami', fn: 'whoami', auth: true },
      { method: 'GET', path: '/open', fn: 'open', auth: false },
    ],
    handlers: {
      whoami: async (event, context) => {
        calls++;
        return whoami(event, context);
      },
      open: async () => ({ statusCode: 200, body: '{}' }),
    },
  });
});

afterAll(async () => {
  await server?.close();
});

beforeEach(() => {
  calls = 0;
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** Raw node:http, so that the Authorization header goes out exactly as written. */
function get(path: string, authorization?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = authorization === undefined ? {} : { authorization };
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method: 'GET', path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : {} });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const now = () => Math.floor(Date.now() / 1000);

/**
 * Signed with the issuer's own key and kid, so that only what the test changes is wrong; a claim
 * or header set to undefined is left out.
 */
function forge(
  claims: Record<string, unknown>,
  header: Record<string, string | undefined> = {},
): Promise<string> {
  const payload = {
    sub: 'u-clerk',
    name: '王芳',
    'cognito:groups': ['clerk'],
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now(),
    exp: now() + 600,
    ...claims,
  };
  const protectedHeader = { alg: 'ES256', kid: issuer.kid, typ: 'JWT', ...header };
  return new SignJWT(JSON.parse(JSON.stringify(payload)) as JWTPayload)
    .setProtectedHeader(JSON.parse(JSON.stringify(protectedHeader)) as JWTHeaderParameters)
    .sign(keyPair.privateKey);
}

/** A 401 as API Gateway (or our handler) answers it: problem+json with a Bearer challenge. */
function expectUnauthorized(reply: Reply, detail?: RegExp): void {
  expect(reply.status).toBe(401);
  expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(reply.headers['www-authenticate']).toBe('Bearer');
  expect(reply.body).toMatchObject({ status: 401, title: 'Unauthorized' });
  if (detail) expect(String(reply.body.detail)).toMatch(detail);
}

describe('the local authorizer', () => {
  it('lets a valid token through, with the caller made of its claims', async () => {
    const reply = await get('/whoami', `Bearer ${await issuer.issue(clerk)}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ id: 'u-clerk', name: '王芳', roles: ['clerk'] });
    expect(calls).toBe(1);
  });

  const refused: [string, () => Promise<string>, RegExp][] = [
    ['expired', () => issuer.issue(clerk, -1), /expired/],
    ['expiring this very second (no clock skew allowed)', () => forge({ exp: now() }), /expired/],
    ['without exp', () => forge({ exp: undefined }), /exp/],
    ['not valid yet (nbf in the future)', () => forge({ nbf: now() + 120 }), /nbf/],
    ['issued in the future (iat)', () => forge({ iat: now() + 120 }), /iat/],
    [
      'of another issuer (iss)',
      () => forge({ iss: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/x' }),
      /iss/,
    ],
    ['without iss', () => forge({ iss: undefined }), /iss/],
    ['for another audience (aud)', () => forge({ aud: 'another-app' }), /aud/],
    ['with another audience among several', () => forge({ aud: ['a', 'b'] }), /aud/],
    ['without aud or client_id', () => forge({ aud: undefined }), /aud/],
    [
      'with alg none',
      async () => {
        const enc = (v: object) => base64url.encode(JSON.stringify(v));
        const claims = { sub: 'u-1', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600 };
        return `${enc({ alg: 'none', kid: issuer.kid, typ: 'JWT' })}.${enc({ ...claims, 'cognito:groups': ['approver'] })}.`;
      },
      /malformed|algorithm/,
    ],
    [
      'with HS256 (a symmetric algorithm)',
      async () =>
        new SignJWT({ sub: 'u-1', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600 })
          .setProtectedHeader({ alg: 'HS256', kid: issuer.kid })
          .sign(new TextEncoder().encode('a shared secret long enough for HS256 ok')),
      /algorithm/,
    ],
    [
      'with a bad signature (groups changed after signing)',
      async () => {
        const [header, payload = '', signature] = (await issuer.issue(clerk)).split('.');
        const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as object;
        const promoted = base64url.encode(JSON.stringify({ ...claims, 'cognito:groups': ['approver'] }));
        return `${header}.${promoted}.${signature}`;
      },
      /signature/,
    ],
    [
      'with the signature cut off',
      async () => `${(await issuer.issue(clerk)).split('.').slice(0, 2).join('.')}.`,
      /signature|malformed/,
    ],
    [
      'signed by another key under our kid',
      async () => {
        const other = await generateKeyPair('ES256');
        return new SignJWT({ sub: 'u-1', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600 })
          .setProtectedHeader({ alg: 'ES256', kid: issuer.kid })
          .sign(other.privateKey);
      },
      /signature/,
    ],
    [
      'of another issuer instance (its own key and kid, same iss and aud)',
      async () => (await createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE })).issue(clerk),
      /kid/,
    ],
    ['without a kid', () => forge({}, { kid: undefined }), /kid/],
  ];

  it.each(refused)(
    'refuses a token %s with 401 problem+json, without calling the function',
    async (_, make, detail) => {
      expectUnauthorized(await get('/whoami', `Bearer ${await make()}`), detail);
      expect(calls).toBe(0);
    },
  );

  const headers: [string, () => Promise<string | undefined>][] = [
    ['no Authorization header', async () => undefined],
    ['an empty one', async () => ''],
    ['"Bearer" alone', async () => 'Bearer'],
    ['"Bearer " and spaces', async () => 'Bearer    '],
    ['another scheme (Basic) before a valid token', async () => `Basic ${await issuer.issue(clerk)}`],
    ['Basic credentials', async () => `Basic ${Buffer.from('clerk:secret').toString('base64')}`],
    ['two tokens', async () => `Bearer ${await issuer.issue(clerk)} ${await issuer.issue(clerk)}`],
    ['something that is not a JWT', async () => 'Bearer not.a.jwt'],
    [
      'a JWT with a payload that is not JSON',
      async () => `Bearer eyJhbGciOiJFUzI1NiJ9.${base64url.encode('{')}.AA`,
    ],
  ];

  it.each(headers)('answers %s with 401 problem+json, without calling the function', async (_, make) => {
    expectUnauthorized(await get('/whoami', await make()));
    expect(calls).toBe(0);
  });

  it('does not run on a public route: a refused token there is ignored', async () => {
    expect((await get('/open', 'Bearer not.a.jwt')).status).toBe(200);
  });

  const noIdentity: [string, () => Promise<string>, RegExp][] = [
    ['in no group (Cognito leaves the claim out)', () => issuer.issue({ ...clerk, groups: [] }), /groups/],
    ['with an empty groups claim', () => forge({ 'cognito:groups': [] }), /groups/],
    [
      'with only groups that are not roles',
      () => forge({ 'cognito:groups': ['superuser', 'Clerk'] }),
      /groups/,
    ],
    ['without a subject', () => forge({ sub: undefined }), /subject/],
    ['with an empty subject', () => forge({ sub: '' }), /subject/],
  ];

  it.each(noIdentity)(
    'answers a valid token %s with 401 problem+json from the function',
    async (_, make, detail) => {
      expectUnauthorized(await get('/whoami', `Bearer ${await make()}`), detail);
      expect(calls).toBe(1);
    },
  );

  it('keeps only the groups that are roles', async () => {
    const reply = await get(
      '/whoami',
      `Bearer ${await forge({ 'cognito:groups': ['superuser', 'reviewer'] })}`,
    );
    expect(reply.status).toBe(200);
    expect(reply.body.roles).toEqual(['reviewer']);
  });
});

describe('callerFrom, with claims as API Gateway passes them', () => {
  const event = (claims: Claims | undefined) =>
    apiEvent({ method: 'GET', route: '/applications', ...(claims ? { claims } : {}) });
  const base: Claims = { sub: 'u-1', name: '陈静', token_use: 'id', exp: '1795881600' };
  const rolesOf = (groups: string) => callerFrom(event({ ...base, 'cognito:groups': groups })).roles;

  it.each([
    ['[clerk reviewer]', ['clerk', 'reviewer']],
    ['[reviewer]', ['reviewer']],
    ['reviewer', ['reviewer']],
    ['clerk,reviewer', ['clerk', 'reviewer']],
    ['[clerk, reviewer]', ['clerk', 'reviewer']],
    ['["clerk","reviewer"]', ['clerk', 'reviewer']],
    ['[superuser clerk]', ['clerk']],
    ['[clerk clerk]', ['clerk']],
    [
      '[applicant clerk reviewer approver auditor]',
      ['applicant', 'clerk', 'reviewer', 'approver', 'auditor'],
    ],
  ])('reads cognito:groups %j as %j', (groups, roles) => {
    expect(rolesOf(groups)).toEqual(roles);
  });

  it('reads a real array too (a direct invocation, or a test)', () => {
    const claims = { ...base, 'cognito:groups': ['approver', 'clerk'] } as unknown as Claims;
    expect(callerFrom(event(claims)).roles).toEqual(['approver', 'clerk']);
  });

  it.each(['', '[]', ' ', '[ ]', '[superuser]', '[Clerk]', '[clerkx]', 'clerk-superuser', '""'])(
    'refuses cognito:groups %j with 401',
    (groups) => {
      expect(() => rolesOf(groups)).toThrow(UnauthorizedError);
    },
  );

  it('refuses claims without groups, without a subject, and an event with no authorizer at all', () => {
    expect(() => callerFrom(event(base))).toThrow(/groups/);
    expect(() => callerFrom(event({ name: 'x', 'cognito:groups': '[clerk]' }))).toThrow(/subject/);
    expect(() => callerFrom(event({ ...base, sub: '', 'cognito:groups': '[clerk]' }))).toThrow(/subject/);
    expect(() => callerFrom(event(undefined))).toThrow(UnauthorizedError);
    const error = (() => {
      try {
        callerFrom(event(undefined));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ status: 401, headers: { 'www-authenticate': 'Bearer' } });
  });

  it('takes name and custom:orgCode, falling back to the subject for a missing name', () => {
    expect(
      callerFrom(event({ ...base, 'cognito:groups': '[applicant]', 'custom:orgCode': '91430281MA4L000113' })),
    ).toEqual({ id: 'u-1', name: '陈静', roles: ['applicant'], orgCode: '91430281MA4L000113' });
    expect(callerFrom(event({ sub: 'u-2', 'cognito:groups': '[auditor]', 'custom:orgCode': '' }))).toEqual({
      id: 'u-2',
      name: 'u-2',
      roles: ['auditor'],
    });
  });

  it.each([
    ['NUL', 'a\u0000b', 'control-chars'],
    ['ESC', '\u001b[31m王芳', 'control-chars'],
    ['U+202E', '王\u202e芳', 'bidi-chars'],
    ['U+0085', '王\u0085芳', 'control-chars'],
    ['a line break', '王芳\n审批人', 'single-line'],
    ['a lone surrogate', '王\ud800', 'broken-char'],
  ])(
    'refuses a name claim holding %s with 400 naming token.name, before the function runs',
    async (_, name, rule) => {
      const claims = { ...base, name, 'cognito:groups': '[clerk]' };
      expect(() => callerFrom(event(claims))).toThrow(ValidationError);
      const answer = await (
        whoami as unknown as (
          e: unknown,
          c: unknown,
        ) => Promise<{ statusCode: number; body: string; headers: Record<string, string> }>
      )(event(claims), {});
      expect(answer.statusCode).toBe(400);
      expect(answer.headers['content-type']).toMatch(/problem\+json/);
      const problem = JSON.parse(answer.body);
      expect(problem.detail).toMatch(/administrator must correct/);
      expect(problem.issues).toEqual([
        expect.objectContaining({ path: 'token.name', params: expect.objectContaining({ rule }) }),
      ]);
      expect(JSON.stringify(problem)).not.toContain(name);
    },
  );

  it('takes a name with zero-width joiners, emoji and Latin accents', () => {
    const name = 'Zoë 👩\u200d🔬 陈静';
    expect(callerFrom(event({ ...base, name, 'cognito:groups': '[clerk]' })).name).toBe(name);
  });
});
