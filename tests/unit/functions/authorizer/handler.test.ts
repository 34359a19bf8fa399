/**
 * The china profile's Lambda authorizer (functions/authorizer) against an identity provider this
 * test runs: an HTTP server on a loopback port serving the discovery document and the key set
 * (keys made with jose). A token it accepts gets an Allow for the whole stage and the identity as
 * context; every token API Gateway must answer 401 to makes it throw `Unauthorized`; an
 * unreachable provider is another error (500), never a 401.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import {
  base64url,
  type CryptoKey,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { bearerOf, createAuthorizer, handler, stageArnOf } from '../../../../functions/authorizer/handler.ts';
import { createTokenVerifier } from '../../../../shared/http/oidc.ts';
import { logger } from '../../../../shared/runtime/logger.ts';
import { lambdaContext } from '../../../support/api-events.ts';

const AUDIENCE = 'eia-approval-china';
const METHOD_ARN = 'arn:aws-cn:execute-api:cn-northwest-1:123456789012:abc123defg/api/GET/applications/A-1';
const CHINA_NAMES = { name: 'name', roles: 'roles', org: 'org_code' };

interface Key {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256';
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly jwk: JWK;
}

async function makeKey(alg: 'RS256' | 'ES256', kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

let rsa: Key;
let ec: Key;
/** Not in the provider's key set. */
let stranger: Key;
let provider: Server;
let issuer: string;
/** What the provider answers: `down` for 503 on everything. */
let mode: 'up' | 'down' = 'up';
let discoveryReads = 0;
let jwksReads = 0;

beforeAll(async () => {
  [rsa, ec, stranger] = await Promise.all([
    makeKey('RS256', 'rsa-1'),
    makeKey('ES256', 'ec-1'),
    makeKey('RS256', 'rsa-unknown'),
  ]);
  provider = createServer((req, res) => {
    if (mode === 'down') {
      res.writeHead(503).end();
      return;
    }
    if (req.url === '/.well-known/openid-configuration') {
      discoveryReads++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
    } else if (req.url === '/keys') {
      jwksReads++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [rsa.jwk, ec.jwk] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
});

afterAll(async () => {
  provider.closeAllConnections();
  await new Promise<void>((resolve) => provider.close(() => resolve()));
});

beforeEach(() => {
  mode = 'up';
  discoveryReads = 0;
  jwksReads = 0;
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const now = () => Math.floor(Date.now() / 1000);

/** A token as the provider issues it; `claims` and `header` override. */
function sign(
  key: Key,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  secret?: Uint8Array,
): Promise<string> {
  const payload: JWTPayload = {
    iss: issuer,
    aud: AUDIENCE,
    sub: 'u-1',
    name: '王芳',
    roles: ['clerk', 'offline_access'],
    org_code: '91430281MA4L0X0X0X',
    iat: now(),
    exp: now() + 300,
    ...claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header } as never)
    .sign(secret ?? key.privateKey);
}

const event = (authorizationToken: string | undefined): APIGatewayTokenAuthorizerEvent =>
  ({ type: 'TOKEN', methodArn: METHOD_ARN, authorizationToken }) as APIGatewayTokenAuthorizerEvent;

const authorizer = () =>
  createAuthorizer({ verifier: createTokenVerifier({ issuer, audience: AUDIENCE }), names: CHINA_NAMES });

describe('a token the provider issued', () => {
  it.each(['RS256', 'ES256'] as const)(
    'signed %s: Allow for every route of the stage, the identity as context',
    async (alg) => {
      const token = await sign(alg === 'RS256' ? rsa : ec);
      const result = await authorizer()(event(`Bearer ${token}`));
      expect(result).toEqual({
        principalId: 'u-1',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Action: 'execute-api:Invoke',
              Effect: 'Allow',
              Resource: 'arn:aws-cn:execute-api:cn-northwest-1:123456789012:abc123defg/api/*/*',
            },
          ],
        },
        context: { sub: 'u-1', name: '王芳', roles: 'clerk', orgCode: '91430281MA4L0X0X0X' },
      });
    },
  );

  it('takes the token without the Bearer prefix too, and one expired within the 30 s tolerance', async () => {
    const token = await sign(rsa, { exp: now() - 10 });
    await expect(authorizer()(event(token))).resolves.toMatchObject({ principalId: 'u-1' });
  });

  it('reads the claims the names say, a dotted path included', async () => {
    const token = await sign(rsa, { roles: undefined, realm_access: { roles: ['approver', 'reviewer'] } });
    const check = createAuthorizer({
      verifier: createTokenVerifier({ issuer, audience: AUDIENCE }),
      names: { name: 'name', roles: 'realm_access.roles', org: 'org_code' },
    });
    expect((await check(event(`Bearer ${token}`))).context.roles).toBe('approver,reviewer');
  });

  it('reads the discovery document once, and the key set once, for many tokens', async () => {
    const check = authorizer();
    for (const key of [rsa, ec, rsa, ec]) await check(event(`Bearer ${await sign(key)}`));
    expect(discoveryReads).toBe(1);
    expect(jwksReads).toBe(1);
  });
});

describe('refused with Unauthorized (401)', () => {
  const cases: [string, () => Promise<string | undefined>][] = [
    ['no Authorization header', async () => undefined],
    ['an empty header', async () => ''],
    ['Bearer and nothing', async () => 'Bearer '],
    ['not a JWT', async () => 'Bearer abc.def'],
    ['another issuer', async () => `Bearer ${await sign(rsa, { iss: 'https://elsewhere.example' })}`],
    ['another audience', async () => `Bearer ${await sign(rsa, { aud: 'some-other-client' })}`],
    ['expired beyond the tolerance', async () => `Bearer ${await sign(rsa, { exp: now() - 60 })}`],
    ['no exp', async () => `Bearer ${await sign(rsa, { exp: undefined })}`],
    ['not valid yet', async () => `Bearer ${await sign(rsa, { nbf: now() + 120 })}`],
    ['no subject', async () => `Bearer ${await sign(rsa, { sub: undefined })}`],
    ['an unknown kid', async () => `Bearer ${await sign(stranger)}`],
    [
      'a key of the set named but another one signing',
      async () => `Bearer ${await sign(stranger, {}, { kid: rsa.kid })}`,
    ],
    [
      'alg none',
      async () => {
        const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
        const body = base64url.encode(
          JSON.stringify({ iss: issuer, aud: AUDIENCE, sub: 'u-1', exp: now() + 300, roles: ['admin'] }),
        );
        return `Bearer ${header}.${body}.`;
      },
    ],
    [
      'HS256 with the public key as the secret',
      async () => {
        const secret = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
        return `Bearer ${await sign(rsa, {}, { alg: 'HS256' }, secret)}`;
      },
    ],
    [
      'HS256 with the JWK as the secret',
      async () => {
        const secret = new TextEncoder().encode(JSON.stringify(rsa.jwk));
        return `Bearer ${await sign(rsa, {}, { alg: 'HS256' }, secret)}`;
      },
    ],
    [
      'a tampered payload',
      async () => {
        const [h, , s] = (await sign(rsa)).split('.');
        const forged = base64url.encode(
          JSON.stringify({ iss: issuer, aud: AUDIENCE, sub: 'u-1', exp: now() + 300, roles: ['admin'] }),
        );
        return `Bearer ${h}.${forged}.${s}`;
      },
    ],
  ];

  it.each(cases)('%s', async (_, token) => {
    const info = vi.spyOn(logger, 'info').mockImplementation(() => undefined);
    const header = await token();
    await expect(authorizer()(event(header))).rejects.toThrow(/^Unauthorized$/);
    // The reason is logged, never the token.
    expect(info).toHaveBeenCalled();
    const logged = JSON.stringify(info.mock.calls);
    const bare = bearerOf(header);
    if (bare) expect(logged).not.toContain(bare);
  });
});

describe('the provider unavailable', () => {
  it('is an error other than Unauthorized (API Gateway answers 500), and tried again on the next token', async () => {
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const check = authorizer();
    const token = `Bearer ${await sign(rsa)}`;
    mode = 'down';
    const refusal = await check(event(token)).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(Error);
    expect((refusal as Error).message).not.toBe('Unauthorized');
    expect(error).toHaveBeenCalled();
    mode = 'up';
    await expect(check(event(token))).resolves.toMatchObject({ principalId: 'u-1' });
  });

  it('a discovery document for another issuer is not trusted', async () => {
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const check = createAuthorizer({
      verifier: createTokenVerifier({
        issuer: 'https://idp.example',
        audience: AUDIENCE,
        discoveryUrl: `${issuer}/.well-known/openid-configuration`,
      }),
      names: CHINA_NAMES,
    });
    const token = `Bearer ${await sign(rsa, { iss: 'https://idp.example' })}`;
    await expect(check(event(token))).rejects.toThrow(/unavailable/);
  });
});

describe('the handler', () => {
  it('is configured by OIDC_ISSUER, OIDC_AUDIENCE and the claim names in the environment', async () => {
    vi.spyOn(logger, 'info').mockImplementation(() => undefined);
    vi.stubEnv('OIDC_ISSUER', issuer);
    vi.stubEnv('OIDC_AUDIENCE', AUDIENCE);
    vi.stubEnv('ROLES_CLAIM', 'groups');
    vi.stubEnv('ORG_CLAIM', 'org');
    vi.stubEnv('NAME_CLAIM', 'preferred_username');
    const token = await sign(ec, {
      roles: undefined,
      org_code: undefined,
      groups: 'reviewer approver',
      org: 'ORG-1',
      preferred_username: '赵敏',
    });
    const result = await handler(event(`Bearer ${token}`), lambdaContext);
    expect(result.context).toEqual({
      sub: 'u-1',
      name: '赵敏',
      roles: 'reviewer,approver',
      orgCode: 'ORG-1',
    });
    await expect(handler(event('Bearer nope.nope.nope'), lambdaContext)).rejects.toThrow(/^Unauthorized$/);
  });
});

describe('stageArnOf', () => {
  it('keeps partition, region, account, API and stage, whatever the method and path', () => {
    expect(stageArnOf(METHOD_ARN)).toBe(
      'arn:aws-cn:execute-api:cn-northwest-1:123456789012:abc123defg/api/*/*',
    );
    expect(stageArnOf('arn:aws:execute-api:us-east-1:123456789012:x1/api/POST/')).toBe(
      'arn:aws:execute-api:us-east-1:123456789012:x1/api/*/*',
    );
  });

  it('takes a request path with colons in it (the path is the caller’s own)', async () => {
    const arn = 'arn:aws-cn:execute-api:cn-northwest-1:123456789012:abc123defg/api/GET/applications/a:b:c';
    expect(stageArnOf(arn)).toBe('arn:aws-cn:execute-api:cn-northwest-1:123456789012:abc123defg/api/*/*');
    const token = await sign(rsa);
    const result = await authorizer()({ ...event(`Bearer ${token}`), methodArn: arn });
    expect(result.principalId).toBe('u-1');
  });

  it('refuses what is not an execute-api method ARN', () => {
    expect(() => stageArnOf('arn:aws:lambda:us-east-1:1:function:f')).toThrow(/method ARN/);
    expect(() => stageArnOf('arn:aws:execute-api:us-east-1:123456789012:x1')).toThrow(/method ARN/);
  });
});
