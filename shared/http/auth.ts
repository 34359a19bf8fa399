import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ValidationError } from '../domain/errors.ts';
import { type ActorRole, type Caller, roles } from '../domain/types.ts';
import { textFault } from '../schemas/text.ts';
import { UnauthorizedError } from './errors.ts';

type Claims = Record<string, unknown>;

/**
 * The names of the claims that carry the caller's name, roles and organisation code. Cognito's by
 * default; an external OpenID Connect provider (the china profile) names them as it likes, and a
 * name may be a dotted path into an object claim (Keycloak's `realm_access.roles`).
 *   NAME_CLAIM   default `name`
 *   ROLES_CLAIM  default `cognito:groups`
 *   ORG_CLAIM    default `custom:orgCode`
 */
export interface ClaimNames {
  readonly name: string;
  readonly roles: string;
  readonly org: string;
}

export const COGNITO_CLAIM_NAMES: ClaimNames = {
  name: 'name',
  roles: 'cognito:groups',
  org: 'custom:orgCode',
};

export function claimNames(env: Readonly<Record<string, string | undefined>> = process.env): ClaimNames {
  const pick = (value: string | undefined, fallback: string) => value?.trim() || fallback;
  return {
    name: pick(env.NAME_CLAIM, COGNITO_CLAIM_NAMES.name),
    roles: pick(env.ROLES_CLAIM, COGNITO_CLAIM_NAMES.roles),
    org: pick(env.ORG_CLAIM, COGNITO_CLAIM_NAMES.org),
  };
}

/**
 * The claim at `path`: the claim of that exact name if there is one (`cognito:groups`,
 * `custom:orgCode`, or a flattened `realm_access.roles`), else the path followed through object
 * claims, `.` by `.`. An object claim may arrive as JSON text (an HTTP API's JWT authorizer renders
 * objects so); it is read as the object it is.
 */
export function claimAt(claims: Claims, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (typeof value === 'string') value = parsedJson(value);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    if (!Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * API Gateway's authorizers hand over claims as strings: an array claim such as cognito:groups
 * arrives as "applicant,clerk" (the REST API's Cognito authorizer, in AWS, and the Lambda
 * authorizer of the china profile), "[applicant clerk]" (an HTTP API's JWT authorizer, as the local
 * server renders it) or, from some emulators, as JSON text '["applicant","clerk"]'. Accept those,
 * a space separated list (an OAuth-style `scope`) and a real array; each group once.
 */
export function groupsOf(value: unknown): string[] {
  const json = typeof value === 'string' && value.trim().startsWith('[') ? parsedJson(value) : undefined;
  const names = Array.isArray(json)
    ? json.map(String)
    : Array.isArray(value)
      ? value.map(String)
      : typeof value === 'string'
        ? value
            .trim()
            .replace(/^\[|\]$/g, '')
            .split(/[\s,]+/)
        : [];
  return [...new Set(names.map((n) => n.replace(/^"(.*)"$/, '$1')).filter(Boolean))];
}

/** What the service takes from a token, however its provider names the claims. */
export interface TokenIdentity {
  readonly sub: string;
  /** The name claim; the subject when there is none. */
  readonly name: string;
  /** Only the groups that are roles of the service (docs/roles.md). */
  readonly roles: readonly ActorRole[];
  readonly orgCode?: string;
}

/**
 * The identity in a token's claims, read with `names`; undefined when there is no subject. Used by
 * callerFrom on the claims a function receives and by the china profile's Lambda authorizer
 * (functions/authorizer) on the verified token.
 */
export function identityOf(claims: Claims, names: ClaimNames = claimNames()): TokenIdentity | undefined {
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub === '') return undefined;
  const known = groupsOf(claimAt(claims, names.roles)).filter((g): g is ActorRole =>
    (roles as readonly string[]).includes(g),
  );
  const name = claimAt(claims, names.name);
  const orgCode = claimAt(claims, names.org);
  return {
    sub,
    name: typeof name === 'string' && name ? name : sub,
    roles: known,
    ...(typeof orgCode === 'string' && orgCode ? { orgCode } : {}),
  };
}

/**
 * The context the china profile's Lambda authorizer hands to API Gateway (values must be strings,
 * numbers or booleans): the identity under fixed names, `roles` comma separated. The claims have
 * been mapped already (with the authorizer's ROLES_CLAIM, ORG_CLAIM and NAME_CLAIM).
 */
export type AuthorizerContext = {
  readonly sub: string;
  readonly name: string;
  readonly roles: string;
  readonly orgCode?: string;
};

export function authorizerContextOf(identity: TokenIdentity): AuthorizerContext {
  return {
    sub: identity.sub,
    name: identity.name,
    roles: identity.roles.join(','),
    ...(identity.orgCode !== undefined && { orgCode: identity.orgCode }),
  };
}

/**
 * The claims a function reads (`requestContext.authorizer.jwt.claims`) for a Lambda authorizer's
 * context: the identity under this process's claim names, so that callerFrom reads it as it reads
 * a Cognito token's. Undefined when the context names no subject.
 */
export function claimsOfAuthorizerContext(
  context: Readonly<Record<string, unknown>>,
  names: ClaimNames = claimNames(),
): Record<string, string> | undefined {
  const { sub, name, roles: groups, orgCode } = context;
  if (typeof sub !== 'string' || sub === '') return undefined;
  return {
    sub,
    ...(typeof name === 'string' && name !== '' && { [names.name]: name }),
    ...(typeof groups === 'string' && groups !== '' && { [names.roles]: groups }),
    ...(typeof orgCode === 'string' && orgCode !== '' && { [names.org]: orgCode }),
  };
}

/** The caller from the authorizer's claims; 401 when there is no usable identity. */
export function callerFrom(event: APIGatewayProxyEventV2WithJWTAuthorizer): Caller {
  const claims = (event.requestContext.authorizer?.jwt?.claims ?? {}) as Claims;
  const names = claimNames();
  const identity = identityOf(claims, names);
  if (identity === undefined) throw new UnauthorizedError('a bearer token with a subject is required');
  const { sub, name, roles: known, orgCode } = identity;
  if (known.length === 0)
    throw new UnauthorizedError(
      `the token carries none of the groups ${roles.join(', ')} (in its ${names.roles} claim)`,
    );
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
  return {
    id: sub,
    name,
    roles: [...known],
    ...(orgCode !== undefined && { orgCode }),
  };
}
