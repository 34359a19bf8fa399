import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { type ActorRole, type Caller, roles } from '../domain/types.ts';
import { UnauthorizedError } from './errors.ts';

type Claims = Record<string, string | number | boolean | string[] | undefined>;

/**
 * API Gateway's JWT authorizer hands over claims as strings: an array claim such as
 * cognito:groups arrives as "[applicant clerk]" (HTTP API), "applicant,clerk" (a REST API's Cognito
 * authorizer) or, from some emulators, as JSON text '["applicant","clerk"]'. Accept those and a
 * real array; each group once.
 */
function groupsOf(value: Claims[string]): string[] {
  const names = Array.isArray(value)
    ? value.map(String)
    : typeof value === 'string'
      ? value.replace(/^\[|\]$/g, '').split(/[\s,]+/)
      : [];
  return [...new Set(names.map((n) => n.replace(/^"(.*)"$/, '$1')).filter(Boolean))];
}

/** The caller from the authorizer's claims; 401 when there is no usable identity. */
export function callerFrom(event: APIGatewayProxyEventV2WithJWTAuthorizer): Caller {
  const claims = (event.requestContext.authorizer?.jwt?.claims ?? {}) as Claims;
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub === '')
    throw new UnauthorizedError('a bearer token with a subject is required');
  const known = groupsOf(claims['cognito:groups']).filter((g): g is (typeof roles)[number] =>
    (roles as readonly string[]).includes(g),
  );
  if (known.length === 0)
    throw new UnauthorizedError(`the token carries none of the groups ${roles.join(', ')}`);
  const name = typeof claims.name === 'string' && claims.name ? claims.name : sub;
  const orgCode = claims['custom:orgCode'];
  return {
    id: sub,
    name,
    roles: known as ActorRole[],
    ...(typeof orgCode === 'string' && orgCode ? { orgCode } : {}),
  };
}
