/**
 * The claims a caller is read from, named as the provider names them (shared/http/auth.ts):
 * ROLES_CLAIM, ORG_CLAIM and NAME_CLAIM, Cognito's names by default, a dotted path into an object
 * claim, the roles in any of the forms an authorizer renders a list in; and the china profile's
 * Lambda authorizer context, which shared/http/rest-event.ts turns into the claims callerFrom reads.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  authorizerContextOf,
  COGNITO_CLAIM_NAMES,
  callerFrom,
  claimAt,
  claimNames,
  claimsOfAuthorizerContext,
  groupsOf,
  identityOf,
} from '../../../../shared/http/auth.ts';
import { UnauthorizedError } from '../../../../shared/http/errors.ts';
import { fromRestEvent } from '../../../../shared/http/rest-event.ts';
import { apiEvent } from '../../../support/api-events.ts';
import { restEvent } from '../../../support/rest-events.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

const withClaims = (claims: Record<string, string>) =>
  apiEvent({ method: 'GET', route: '/applications', claims });

describe('claimNames', () => {
  it("is Cognito's names when nothing is set, and an empty value counts as unset", () => {
    expect(claimNames({})).toEqual({ name: 'name', roles: 'cognito:groups', org: 'custom:orgCode' });
    expect(claimNames({ ROLES_CLAIM: ' ', ORG_CLAIM: '', NAME_CLAIM: undefined })).toEqual(
      COGNITO_CLAIM_NAMES,
    );
  });

  it('takes each name from its variable', () => {
    expect(
      claimNames({
        ROLES_CLAIM: 'realm_access.roles',
        ORG_CLAIM: 'org_code',
        NAME_CLAIM: 'preferred_username',
      }),
    ).toEqual({ name: 'preferred_username', roles: 'realm_access.roles', org: 'org_code' });
  });
});

describe('claimAt', () => {
  it('prefers a claim of the exact name, colons and dots included', () => {
    expect(claimAt({ 'cognito:groups': 'clerk' }, 'cognito:groups')).toBe('clerk');
    expect(
      claimAt({ 'realm_access.roles': 'clerk', realm_access: { roles: ['approver'] } }, 'realm_access.roles'),
    ).toBe('clerk');
  });

  it('follows a dotted path through objects, and through objects rendered as JSON text', () => {
    expect(claimAt({ realm_access: { roles: ['clerk', 'approver'] } }, 'realm_access.roles')).toEqual([
      'clerk',
      'approver',
    ]);
    expect(
      claimAt({ resource_access: '{"eia":{"roles":["reviewer"]}}' }, 'resource_access.eia.roles'),
    ).toEqual(['reviewer']);
  });

  it('is undefined for a missing step, a list or text on the way, and inherited names', () => {
    expect(claimAt({ realm_access: {} }, 'realm_access.roles')).toBeUndefined();
    expect(claimAt({ realm_access: ['roles'] }, 'realm_access.roles')).toBeUndefined();
    expect(claimAt({ realm_access: 'not json' }, 'realm_access.roles')).toBeUndefined();
    expect(claimAt({}, 'constructor')).toBeUndefined();
    expect(claimAt({ a: {} }, 'a.toString')).toBeUndefined();
  });
});

describe('groupsOf', () => {
  it.each([
    ['a real array', ['clerk', 'approver']],
    ['comma separated', 'clerk,approver'],
    ['space separated', 'clerk approver'],
    ['bracketed', '[clerk approver]'],
    ['JSON text', '["clerk","approver"]'],
    ['JSON text with spaces', ' [ "clerk", "approver" ] '],
    ['repeated', 'clerk, approver,clerk'],
  ])('reads %s', (_, value) => {
    expect(groupsOf(value)).toEqual(['clerk', 'approver']);
  });

  it('is empty for no claim, a number or an object', () => {
    expect(groupsOf(undefined)).toEqual([]);
    expect(groupsOf(7)).toEqual([]);
    expect(groupsOf({ roles: ['clerk'] })).toEqual([]);
  });
});

describe('callerFrom with configured claim names', () => {
  it("reads the roles, organisation and name from the claims the variables name (the china profile's defaults)", () => {
    vi.stubEnv('ROLES_CLAIM', 'roles');
    vi.stubEnv('ORG_CLAIM', 'org_code');
    const caller = callerFrom(
      withClaims({ sub: 'u-9', name: '李娜', roles: '[applicant]', org_code: '91430281MA4L0X0X0X' }),
    );
    expect(caller).toEqual({ id: 'u-9', name: '李娜', roles: ['applicant'], orgCode: '91430281MA4L0X0X0X' });
  });

  it("no longer reads Cognito's claims once other names are configured", () => {
    vi.stubEnv('ROLES_CLAIM', 'roles');
    const event = withClaims({ sub: 'u-9', 'cognito:groups': 'clerk' });
    expect(() => callerFrom(event)).toThrow(UnauthorizedError);
    expect(() => callerFrom(event)).toThrow(/in its roles claim/);
  });

  it("reads Keycloak's realm_access.roles, an object claim rendered as JSON text", () => {
    vi.stubEnv('ROLES_CLAIM', 'realm_access.roles');
    vi.stubEnv('NAME_CLAIM', 'preferred_username');
    const caller = callerFrom(
      withClaims({
        sub: 'kc-1',
        preferred_username: '张伟',
        name: 'not this one',
        realm_access: '{"roles":["offline_access","clerk","uma_authorization"]}',
      }),
    );
    expect(caller).toEqual({ id: 'kc-1', name: '张伟', roles: ['clerk'] });
  });
});

describe('the Lambda authorizer context', () => {
  it('carries the identity under fixed names, only the roles of the service, comma separated', () => {
    const identity = identityOf(
      { sub: 'u-1', roles: ['clerk', 'offline_access', 'approver'], org_code: 'X1', name: '王芳' },
      { name: 'name', roles: 'roles', org: 'org_code' },
    );
    expect(identity).toEqual({ sub: 'u-1', name: '王芳', roles: ['clerk', 'approver'], orgCode: 'X1' });
    expect(authorizerContextOf(identity ?? { sub: '', name: '', roles: [] })).toEqual({
      sub: 'u-1',
      name: '王芳',
      roles: 'clerk,approver',
      orgCode: 'X1',
    });
  });

  it('has no identity without a subject; the name falls back to the subject', () => {
    expect(identityOf({ roles: ['clerk'] }, COGNITO_CLAIM_NAMES)).toBeUndefined();
    expect(identityOf({ sub: 'u-2' }, COGNITO_CLAIM_NAMES)).toEqual({ sub: 'u-2', name: 'u-2', roles: [] });
  });

  it("becomes claims under this process's names, a dotted name as one flat claim", () => {
    const context = { sub: 'u-1', name: '王芳', roles: 'clerk,approver', orgCode: 'X1', principalId: 'u-1' };
    expect(claimsOfAuthorizerContext(context, COGNITO_CLAIM_NAMES)).toEqual({
      sub: 'u-1',
      name: '王芳',
      'cognito:groups': 'clerk,approver',
      'custom:orgCode': 'X1',
    });
    expect(
      claimsOfAuthorizerContext(context, { name: 'n', roles: 'realm_access.roles', org: 'org' }),
    ).toEqual({ sub: 'u-1', n: '王芳', 'realm_access.roles': 'clerk,approver', org: 'X1' });
    expect(claimsOfAuthorizerContext({ principalId: 'x' }, COGNITO_CLAIM_NAMES)).toBeUndefined();
  });

  it.each([
    ['Cognito defaults', {}],
    ['china names', { ROLES_CLAIM: 'roles', ORG_CLAIM: 'org_code' }],
    ['a dotted roles claim', { ROLES_CLAIM: 'realm_access.roles', NAME_CLAIM: 'preferred_username' }],
  ])('reaches callerFrom through a REST event whatever the function is configured with (%s)', (_, env) => {
    for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
    const rest = restEvent({ method: 'GET', resource: '/applications' });
    const event = {
      ...rest,
      requestContext: {
        ...rest.requestContext,
        // What API Gateway puts there for a Lambda authorizer: its context, principalId, latency.
        authorizer: {
          principalId: 'u-7',
          integrationLatency: 41,
          sub: 'u-7',
          name: '周杰',
          roles: 'applicant',
          orgCode: '91430281MA4L0X0X0X',
        },
      },
    };
    expect(callerFrom(fromRestEvent(event))).toEqual({
      id: 'u-7',
      name: '周杰',
      roles: ['applicant'],
      orgCode: '91430281MA4L0X0X0X',
    });
  });

  it('a REST event without claims and without a context subject has no authorizer', () => {
    const rest = restEvent({ method: 'GET', resource: '/public/notices' });
    const event = { ...rest, requestContext: { ...rest.requestContext, authorizer: { principalId: 'x' } } };
    expect(fromRestEvent(event).requestContext.authorizer).toBeUndefined();
    expect(() => callerFrom(fromRestEvent(event))).toThrow(UnauthorizedError);
  });
});
