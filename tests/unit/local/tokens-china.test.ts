/**
 * The local issuer in the china profile (local/tokens.ts): tokens as the bureau's own OpenID
 * Connect provider would issue them, its claim names from ROLES_CLAIM, ORG_CLAIM and NAME_CLAIM,
 * verified by the Lambda authorizer's code and handed on as the functions get them in AWS.
 */
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CHINA_CLAIM_NAMES,
  createLocalIssuer,
  TokenRejectedError,
  useProfileClaimNames,
} from '../../../local/tokens.ts';

const ISSUER = 'urn:eia-approval:china-test';
const AUDIENCE = 'eia-approval-china-test';
const applicant = {
  sub: 'u-app',
  name: '周杰',
  groups: ['applicant' as const],
  orgCode: '91430281MA4L0X0X0X',
};

afterEach(() => {
  vi.unstubAllEnvs();
});

function chinaEnv(extra: Record<string, string> = {}) {
  const env: Record<string, string | undefined> = { ...extra };
  useProfileClaimNames('china', env);
  for (const [key, value] of Object.entries(env)) if (value !== undefined) vi.stubEnv(key, value);
}

describe('useProfileClaimNames', () => {
  it('sets the china names where none is set, and keeps those that are', () => {
    const env: Record<string, string | undefined> = { ORG_CLAIM: 'unit' };
    useProfileClaimNames('china', env);
    expect(env).toEqual({
      ROLES_CLAIM: CHINA_CLAIM_NAMES.ROLES_CLAIM,
      ORG_CLAIM: 'unit',
      NAME_CLAIM: 'name',
    });
    const global: Record<string, string | undefined> = {};
    useProfileClaimNames('global', global);
    expect(global).toEqual({});
  });
});

describe('the china profile issuer', () => {
  it("puts roles and organisation in the profile's claims, nothing of Cognito's", async () => {
    chinaEnv();
    const issuer = await createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE, profile: 'china' });
    const claims = decodeJwt(await issuer.issue(applicant));
    expect(claims).toMatchObject({
      sub: 'u-app',
      name: '周杰',
      roles: ['applicant'],
      org_code: '91430281MA4L0X0X0X',
    });
    expect(Object.keys(claims).filter((k) => k.startsWith('cognito:') || k.startsWith('custom:'))).toEqual(
      [],
    );
    expect(claims.token_use).toBeUndefined();
  });

  it('verifies as the Lambda authorizer does and hands on the claims callerFrom reads', async () => {
    chinaEnv();
    const issuer = await createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE, profile: 'china' });
    expect(await issuer.verify(await issuer.issue(applicant))).toEqual({
      sub: 'u-app',
      name: '周杰',
      roles: 'applicant',
      org_code: '91430281MA4L0X0X0X',
    });
  });

  it('nests a dotted claim name, and reads it back', async () => {
    chinaEnv({ ROLES_CLAIM: 'realm_access.roles', NAME_CLAIM: 'preferred_username' });
    const issuer = await createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE, profile: 'china' });
    const token = await issuer.issue({ sub: 'kc', name: '张伟', groups: ['clerk', 'reviewer'] });
    expect(decodeJwt(token)).toMatchObject({
      realm_access: { roles: ['clerk', 'reviewer'] },
      preferred_username: '张伟',
    });
    expect(await issuer.verify(token)).toEqual({
      sub: 'kc',
      preferred_username: '张伟',
      'realm_access.roles': 'clerk,reviewer',
    });
  });

  it('publishes its public key with kid and algorithm', async () => {
    const issuer = await createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE, profile: 'china' });
    expect(issuer.jwks.keys).toEqual([
      expect.objectContaining({ kid: issuer.kid, alg: 'ES256', use: 'sig', kty: 'EC' }),
    ]);
    expect(issuer.jwks.keys[0]).not.toHaveProperty('d');
  });

  it('refuses an expired token, another key, another audience, with the reason', async () => {
    chinaEnv();
    const keyPair = await generateKeyPair('ES256');
    const issuer = await createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE, profile: 'china', keyPair });
    await expect(issuer.verify(await issuer.issue(applicant, -120))).rejects.toThrow(TokenRejectedError);
    await expect(issuer.verify(await issuer.issue(applicant, -120))).rejects.toThrow(/expired/);
    const other = await createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE, profile: 'china' });
    await expect(issuer.verify(await other.issue(applicant))).rejects.toThrow(/key/);
    const wrongAudience = await new SignJWT({ roles: ['clerk'] })
      .setProtectedHeader({ alg: 'ES256', kid: issuer.kid })
      .setSubject('x')
      .setIssuer(ISSUER)
      .setAudience('someone-else')
      .setExpirationTime('5m')
      .sign(keyPair.privateKey);
    await expect(issuer.verify(wrongAudience)).rejects.toThrow(/not for this API \(aud\)/);
  });
});
