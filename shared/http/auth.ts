import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ValidationError } from '../domain/errors.ts';
import { type ActorRole, type Caller, roles } from '../domain/types.ts';
import { textFault } from '../schemas/text.ts';
import { UnauthorizedError } from './errors.ts';

type Claims = Record<string, string | number | boolean | string[] | undefined>;

/**
 * API Gateway's authorizers hand over claims as strings: an array claim such as cognito:groups
 * arrives as "applicant,clerk" (the REST API's Cognito authorizer, in AWS), "[applicant clerk]"
 * (an HTTP API's JWT authorizer, as the local server renders it) or, from some emulators, as JSON
 * text '["applicant","clerk"]'. Accept those and a real array; each group once.
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
  // Subject and name go into every event, document and export the caller makes: one line of plain text.
  const issues = (['sub', 'name'] as const).flatMap((claim) => {
    const fault = textFault(claim === 'sub' ? sub : name, 'line');
    return fault
      ? [{ path: `token.${claim}`, message: fault.message, code: 'custom', params: fault.params }]
      : [];
  });
  if (issues.length > 0)
    throw new ValidationError(
      "Invalid token: the caller's account holds characters the service does not take in its name; an administrator must correct the account",
      issues,
    );
  const orgCode = claims['custom:orgCode'];
  return {
    id: sub,
    name,
    roles: known as ActorRole[],
    ...(typeof orgCode === 'string' && orgCode ? { orgCode } : {}),
  };
}
