/**
 * The Lambda authorizer with the table's staff directory (STAFF_DIRECTORY=table): the token's
 * subject is linked by its verified e-mail, and the caller acts with the token's roles that its
 * account was granted; no account, a disabled one, or no role in common is a Deny (403).
 */
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { createAuthorizer, verifiedEmailOf } from '../../../../functions/authorizer/handler.ts';
import type { StaffUser } from '../../../../shared/domain/staff.ts';

const names = { name: 'name', roles: 'roles', org: 'org_code' };
const event: APIGatewayTokenAuthorizerEvent = {
  type: 'TOKEN',
  authorizationToken: 'Bearer a.b.c',
  methodArn: 'arn:aws-cn:execute-api:cn-north-1:123456789012:abc123/api/GET/applications',
};
const account = (over: Partial<StaffUser> = {}): StaffUser => ({
  id: 'sub-1',
  email: 'wang@liling.gov.cn',
  name: '王',
  groups: ['clerk', 'reviewer'],
  enabled: true,
  status: 'active',
  createdAt: '2026-12-01T00:00:00.000Z',
  ...over,
});

function authorizer(found: StaffUser | undefined, claims: Record<string, unknown> = {}) {
  const link = vi.fn(async () => found);
  const run = createAuthorizer({
    verifier: {
      verify: async () => ({
        sub: 'sub-1',
        name: '王',
        roles: 'reviewer,approver',
        email: 'Wang@Liling.gov.cn',
        email_verified: true,
        ...claims,
      }),
    },
    names,
    staff: { link },
  });
  return { link, run: () => run(event) };
}

describe('the authorizer with the staff directory', () => {
  it('links by the e-mail claim and allows the roles both the token and the account hold', async () => {
    const { link, run } = authorizer(account());
    const result = await run();
    expect(link).toHaveBeenCalledWith('sub-1', 'wang@liling.gov.cn');
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
    expect(result.context.roles).toBe('reviewer');
  });

  it.for([
    ['no account', undefined],
    ['a disabled account', account({ enabled: false })],
    ['no role in common', account({ groups: ['clerk'] })],
  ] as const)('denies: %s', async ([, found]) => {
    const result = await authorizer(found).run();
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' });
    expect(result.context.roles).toBe('');
  });

  it('an e-mail the provider says is not verified links nothing', async () => {
    const { link, run } = authorizer(undefined, { email_verified: false });
    await run();
    expect(link).toHaveBeenCalledWith('sub-1', undefined);
    expect(verifiedEmailOf({ email: 'a@b.cn', email_verified: 'false' })).toBeUndefined();
    expect(verifiedEmailOf({ email: 'A@b.cn', email_verified: true })).toBe('a@b.cn');
    expect(verifiedEmailOf({ email: 'A@b.cn', email_verified: 'true' })).toBe('a@b.cn');
    // A provider that does not say links nothing: the address may be the person's own say-so.
    expect(verifiedEmailOf({ email: 'a@b.cn' })).toBeUndefined();
  });
});
