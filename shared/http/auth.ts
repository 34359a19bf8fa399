import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { type ActorRole, type Caller, roles } from '../domain/types.ts';
import { UnauthorizedError } from './errors.ts';

type Claims = Record<string, string | number | boolean | string[] | undefined>;

/**
 * API Gateway's JWT authorizer hands over claims as strings: an array claim such as
 * cognito:groups arrives as "[applicant clerk]". Accept that and a real array.
 */
function groupsOf(value: Claims[string]): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
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
    throw new UnauthorizedError(
      'the token carries none of the groups applicant, clerk, reviewer, approver, auditor',
    );
  const name = typeof claims.name === 'string' && claims.name ? claims.name : sub;
  const orgCode = claims['custom:orgCode'];
  return {
    id: sub,
    name,
    roles: known as ActorRole[],
    ...(typeof orgCode === 'string' && orgCode ? { orgCode } : {}),
  };
}
