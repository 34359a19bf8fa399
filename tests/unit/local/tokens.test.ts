import { base64url, type CryptoKey, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createLocalIssuer,
  type LocalIssuer,
  parseTokenSubject,
  TokenRejectedError,
  TokenRequestError,
  toGatewayClaims,
} from '../../../local/tokens.ts';

const ISSUER = 'urn:test:issuer';
const AUDIENCE = 'eia-test';
const applicant = {
  sub: 'u-1',
  name: '刘建国',
  groups: ['applicant', 'clerk'] as const,
  orgCode: '91430281MA4L000113',
};

let keyPair: { privateKey: CryptoKey; publicKey: CryptoKey };
let issuer: LocalIssuer;

beforeAll(async () => {
  keyPair = await generateKeyPair('ES256');
  issuer = await createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE, keyPair });
});

/** A token signed with the issuer's own key, so that only the claim under test is wrong. */
async function forge(claims: JWTPayload, header: { alg?: string; kid?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: 'u-1', iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: issuer.kid, ...header })
    .sign(keyPair.privateKey);
}

async function rejection(token: string): Promise<string> {
  const error = await issuer.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenRejectedError);
  return error instanceof Error ? error.message : '';
}

describe('local token issuer', () => {
  it('issues a token that verifies, with the claims API Gateway would pass on, all strings', async () => {
    const before = Math.floor(Date.now() / 1000);
    const claims = await issuer.verify(await issuer.issue(applicant));
    expect(claims).toMatchObject({
      sub: 'u-1',
      name: '刘建国',
      'cognito:groups': '[applicant clerk]',
      'custom:orgCode': '91430281MA4L000113',
      iss: ISSUER,
      aud: AUDIENCE,
      token_use: 'id',
    });
    for (const value of Object.values(claims)) expect(typeof value).toBe('string');
    const iat = Number(claims.iat);
    expect(iat).toBeGreaterThanOrEqual(before);
    expect(Number(claims.exp) - iat).toBe(8 * 60 * 60);
  });

  it('leaves out custom:orgCode when none is given, and cognito:groups for a user in no group', async () => {
    const claims = await issuer.verify(await issuer.issue({ sub: 'u-2', name: '王芳', groups: [] }));
    expect(claims).not.toHaveProperty('custom:orgCode');
    expect(claims).not.toHaveProperty('cognito:groups');
  });

  it('refuses an expired token', async () => {
    expect(await rejection(await issuer.issue(applicant, -1))).toMatch(/expired/);
  });

  it('refuses a token without exp', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ sub: 'u-1', iss: ISSUER, aud: AUDIENCE, iat: now })
      .setProtectedHeader({ alg: 'ES256', kid: issuer.kid })
      .sign(keyPair.privateKey);
    expect(await rejection(token)).toMatch(/exp/);
  });

  it('refuses a token that is not valid yet (nbf or iat in the future)', async () => {
    const later = Math.floor(Date.now() / 1000) + 120;
    expect(await rejection(await forge({ nbf: later }))).toMatch(/nbf/);
    expect(await rejection(await forge({ iat: later }))).toMatch(/iat/);
  });

  it('refuses another issuer', async () => {
    expect(
      await rejection(await forge({ iss: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/other' })),
    ).toMatch(/iss/);
  });

  it('refuses another audience, and accepts client_id only when there is no aud', async () => {
    expect(await rejection(await forge({ aud: 'someone-else' }))).toMatch(/aud/);
    expect(await rejection(await forge({ aud: 'someone-else', client_id: AUDIENCE }))).toMatch(/aud/);
    const token = await new SignJWT({ sub: 'u-1', iss: ISSUER, client_id: AUDIENCE })
      .setProtectedHeader({ alg: 'ES256', kid: issuer.kid })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(keyPair.privateKey);
    await expect(issuer.verify(token)).resolves.toMatchObject({ client_id: AUDIENCE });
  });

  it('refuses alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: object) => base64url.encode(JSON.stringify(value));
    const header = encode({ alg: 'none', kid: issuer.kid, typ: 'JWT' });
    const payload = encode({
      sub: 'u-1',
      iss: ISSUER,
      aud: AUDIENCE,
      iat: now,
      exp: now + 600,
      'cognito:groups': ['approver'],
    });
    await rejection(`${header}.${payload}.`);
  });

  it('refuses another algorithm, even with a key it could verify', async () => {
    const secret = new TextEncoder().encode('a shared secret that is long enough for HS256');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ sub: 'u-1', iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600 })
      .setProtectedHeader({ alg: 'HS256', kid: issuer.kid })
      .sign(secret);
    expect(await rejection(token)).toMatch(/algorithm/);
  });

  it('refuses a bad signature: a changed payload, or another key under our kid', async () => {
    const [header, payload = '', signature] = (await issuer.issue(applicant)).split('.');
    const claims: unknown = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
    const promoted = base64url.encode(
      JSON.stringify({ ...(claims as object), 'cognito:groups': ['approver'] }),
    );
    expect(await rejection(`${header}.${promoted}.${signature}`)).toMatch(/signature/);

    const other = await generateKeyPair('ES256');
    const now = Math.floor(Date.now() / 1000);
    const impostor = await new SignJWT({ sub: 'u-1', iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600 })
      .setProtectedHeader({ alg: 'ES256', kid: issuer.kid })
      .sign(other.privateKey);
    expect(await rejection(impostor)).toMatch(/signature/);
  });

  it("refuses a token of another issuer's key (unknown kid) and garbage", async () => {
    const stranger = await createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE });
    expect(await rejection(await stranger.issue(applicant))).toMatch(/kid/);
    expect(await rejection('not.a.jwt')).toMatch(/malformed/);
    expect(await rejection('')).toMatch(/malformed/);
  });
});

describe('toGatewayClaims', () => {
  it('renders claims as API Gateway HTTP API does: arrays in brackets, space separated; numbers and booleans as text', () => {
    expect(
      toGatewayClaims({
        'cognito:groups': ['applicant', 'clerk'],
        exp: 1_700_000_000,
        email_verified: true,
        address: { locality: '醴陵' },
        gone: null,
      } as JWTPayload),
    ).toEqual({
      'cognito:groups': '[applicant clerk]',
      exp: '1700000000',
      email_verified: 'true',
      address: '{"locality":"醴陵"}',
    });
  });
});

describe('parseTokenSubject', () => {
  const field = (input: unknown) => {
    try {
      parseTokenSubject(input);
    } catch (error) {
      if (error instanceof TokenRequestError) return error.field;
      throw error;
    }
    return undefined;
  };

  it('names the field that is wrong', () => {
    expect(field(null)).toBe('body');
    expect(field({ name: 'x', groups: [] })).toBe('sub');
    expect(field({ sub: 'a', name: '', groups: [] })).toBe('name');
    expect(field({ sub: 'a', name: 'b', groups: 'clerk' })).toBe('groups');
    expect(field({ sub: 'a', name: 'b', groups: ['clerk', 'superuser'] })).toBe('groups[1]');
    expect(field({ sub: 'a', name: 'b', groups: ['clerk'], orgCode: 42 })).toBe('orgCode');
    expect(field({ sub: 'a', name: 'b', groups: ['clerk'], role: 'superuser' })).toBe('role');
  });

  it('accepts the five roles and drops repeated groups', () => {
    expect(parseTokenSubject({ sub: 'a', name: 'b', groups: ['auditor', 'approver', 'auditor'] })).toEqual({
      sub: 'a',
      name: 'b',
      groups: ['auditor', 'approver'],
    });
  });
});
