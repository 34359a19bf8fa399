/**
 * The china profile end to end, locally: the local issuer stands in for the bureau's own OpenID
 * Connect provider (roles in `roles`, the organisation code in `org_code`), the local server checks
 * its tokens with the Lambda authorizer's code and hands the handlers what rest-event.ts makes of
 * the authorizer's context. Signed-in and role-restricted routes work with such tokens; tokens of
 * another issuer, for another audience, signed HS256 or expired are refused with 401 before any
 * function runs. And the real authorizer handler, pointed at the local server's discovery document,
 * accepts the same tokens and gives the context the functions read the same caller from.
 */
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFrom } from '../../shared/http/auth.ts';
import { fromRestEvent } from '../../shared/http/rest-event.ts';
import { lambdaContext } from '../support/api-events.ts';
import { restEvent } from '../support/rest-events.ts';
import { type LocalStack, startLocalStack, users } from './helpers/local-stack.ts';
import { draftBody } from './helpers/scenario.ts';

let stack: LocalStack;
let keyPair: Awaited<ReturnType<typeof generateKeyPair>>;

beforeAll(async () => {
  keyPair = await generateKeyPair('ES256');
  stack = await startLocalStack({ profile: 'china', keyPair });
});

afterAll(async () => {
  await stack?.stop();
});

/** A token signed with the stack issuer's own key; `claims` override the good ones. */
function forge(claims: Record<string, unknown>, alg = 'ES256', secret?: Uint8Array): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: stack.issuer.issuer,
    aud: stack.issuer.audience,
    sub: users.clerk.sub,
    name: users.clerk.name,
    roles: ['clerk'],
    iat: now,
    exp: now + 300,
    ...claims,
  })
    .setProtectedHeader({ alg, kid: stack.issuer.kid, typ: 'JWT' })
    .sign(secret ?? keyPair.privateKey);
}

describe('tokens with the china claim names', () => {
  it('carry roles and org_code, nothing of Cognito', async () => {
    const claims = decodeJwt(await stack.token('applicant'));
    expect(claims).toMatchObject({ roles: ['applicant'], org_code: users.applicant.orgCode });
    expect(claims['cognito:groups']).toBeUndefined();
    expect(claims['custom:orgCode']).toBeUndefined();
  });

  it('sign in: an applicant creates a draft for their own organisation (org_code read)', async () => {
    const res = await stack.request<{ id: string }>('POST', '/applications', {
      as: 'applicant',
      body: draftBody(),
    });
    expect(res.status, res.text).toBe(201);
    const mine = await stack.request<{ items: { id: string }[] }>('GET', '/applications', {
      as: 'applicant',
    });
    expect(mine.status, mine.text).toBe(200);
    expect(mine.json.items.map((a) => a.id)).toContain(res.json.id);
  });

  it('an applicant without org_code is refused the draft (403 no-organisation)', async () => {
    const res = await stack.request('POST', '/applications', {
      as: { sub: 'u-no-org', name: '无单位', groups: ['applicant'] },
      body: draftBody(),
    });
    expect(res.status, res.text).toBe(403);
  });

  it('a role-restricted route: the admin reads the configuration, a clerk may not (roles read)', async () => {
    const admin = await stack.request('GET', '/admin/config', { as: 'admin' });
    expect(admin.status, admin.text).toBe(200);
    const clerk = await stack.request('GET', '/admin/config', { as: 'clerk' });
    expect(clerk.status, clerk.text).toBe(403);
  });

  it('a token forged here with the good claims passes (the control for the refusals below)', async () => {
    const res = await stack.request('GET', '/inbox', { token: await forge({}) });
    expect(res.status, res.text).toBe(200);
  });
});

describe('refused with 401 before any function runs', () => {
  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ['another issuer', () => forge({ iss: 'https://idp.elsewhere.example' }), /\(iss\)/],
    ['another audience', () => forge({ aud: 'another-client' }), /\(aud\)/],
    ['expired', () => forge({ exp: now() - 120, iat: now() - 600 }), /expired/],
    ['expired (the issuer’s own)', () => stack.issuer.issue(users.clerk, -120), /expired/],
    [
      'HS256 with the public key as the secret',
      async () => forge({}, 'HS256', new TextEncoder().encode(JSON.stringify(stack.issuer.jwks.keys[0]))),
      /algorithm/,
    ],
    [
      'another key',
      async () => {
        const other = await generateKeyPair('ES256');
        return new SignJWT({ roles: ['admin'] })
          .setProtectedHeader({ alg: 'ES256', kid: stack.issuer.kid })
          .setIssuer(stack.issuer.issuer)
          .setAudience(stack.issuer.audience)
          .setSubject('intruder')
          .setExpirationTime('5m')
          .sign(other.privateKey);
      },
      /signature/,
    ],
  ])('%s', async (_, token, reason) => {
    const res = await stack.request<{ detail: string }>('GET', '/inbox', { token: await token() });
    expect(res.status, res.text).toBe(401);
    expect(res.json.detail).toMatch(reason);
  });
});

describe('the discovery document and the AWS authorizer', () => {
  it('the local server serves discovery and the key set; the authorizer handler verifies through them', async () => {
    const discovery = await fetch(`${stack.baseUrl}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    const document = (await discovery.json()) as { issuer: string; jwks_uri: string };
    expect(document.issuer).toBe(stack.issuer.issuer);
    const jwks = (await (await fetch(document.jwks_uri)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([stack.issuer.kid]);

    Object.assign(process.env, {
      OIDC_ISSUER: stack.issuer.issuer,
      OIDC_AUDIENCE: stack.issuer.audience,
      OIDC_DISCOVERY_URL: `${stack.baseUrl}/.well-known/openid-configuration`,
    });
    try {
      const { handler } = await import('../../functions/authorizer/handler.ts');
      const event = {
        type: 'TOKEN',
        authorizationToken: `Bearer ${await stack.token('applicant')}`,
        methodArn: 'arn:aws-cn:execute-api:cn-north-1:123456789012:abc123defg/api/POST/applications',
      } as APIGatewayTokenAuthorizerEvent;
      const result = await handler(event, lambdaContext);
      expect(result.policyDocument.Statement[0]).toMatchObject({
        Effect: 'Allow',
        Resource: 'arn:aws-cn:execute-api:cn-north-1:123456789012:abc123defg/api/*/*',
      });
      // API Gateway hands the context to the function; rest-event.ts and callerFrom read it.
      const rest = restEvent({ method: 'POST', resource: '/applications' });
      const caller = callerFrom(
        fromRestEvent({
          ...rest,
          requestContext: { ...rest.requestContext, authorizer: { principalId: 'x', ...result.context } },
        }),
      );
      expect(caller).toEqual({
        id: users.applicant.sub,
        name: users.applicant.name,
        roles: ['applicant'],
        orgCode: users.applicant.orgCode,
      });
      const expired = {
        ...event,
        authorizationToken: `Bearer ${await stack.issuer.issue(users.clerk, -120)}`,
      };
      await expect(handler(expired, lambdaContext)).rejects.toThrow(/^Unauthorized$/);
    } finally {
      delete process.env.OIDC_ISSUER;
      delete process.env.OIDC_AUDIENCE;
      delete process.env.OIDC_DISCOVERY_URL;
    }
  });
});
