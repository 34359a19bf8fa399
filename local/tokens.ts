import { randomUUID } from 'node:crypto';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { type Role, roles } from '../shared/domain/types.ts';
import {
  authorizerContextOf,
  claimNames,
  claimsOfAuthorizerContext,
  identityOf,
} from '../shared/http/auth.ts';
import { createTokenVerifier, TokenRefusedError } from '../shared/http/oidc.ts';

/**
 * The local stand-in for Cognito and API Gateway's Cognito authorizer: it issues ID tokens with the
 * claims Cognito would put in them, and verifies them the way the authorizer does before it
 * hands the claims to a function, flattened to strings.
 *
 * In the china profile it stands in for the bureau's own OpenID Connect provider and the Lambda
 * authorizer instead: the roles, the organisation code and the name go in the claims ROLES_CLAIM,
 * ORG_CLAIM and NAME_CLAIM name (CHINA_CLAIM_NAMES unless set), and a token is verified by the
 * authorizer's own code (shared/http/oidc.ts) and handed on as the functions get it in AWS: the
 * authorizer's context made claims by shared/http/auth.ts.
 */

/** `global`: Cognito's claims; `china`: an external OpenID Connect provider's. */
export type LocalProfile = 'global' | 'china';
export const LOCAL_PROFILES: readonly LocalProfile[] = ['global', 'china'];

/** The china profile's claim names locally, unless ROLES_CLAIM, ORG_CLAIM or NAME_CLAIM say otherwise. */
export const CHINA_CLAIM_NAMES = { ROLES_CLAIM: 'roles', ORG_CLAIM: 'org_code', NAME_CLAIM: 'name' } as const;

/**
 * Sets the claim names of `profile` in `env` where they are not set already: the local issuer, the
 * local authorizer and the handlers of this process all read them there.
 */
export function useProfileClaimNames(
  profile: LocalProfile,
  env: Record<string, string | undefined> = process.env,
): void {
  if (profile !== 'china') return;
  for (const [key, value] of Object.entries(CHINA_CLAIM_NAMES)) env[key] ||= value;
}

/** The Cognito groups (docs/roles.md): the domain's roles. */
export const LOCAL_ROLES = roles;
export type LocalRole = Role;

export interface TokenSubject {
  readonly sub: string;
  readonly name: string;
  readonly groups: readonly LocalRole[];
  /** 统一社会信用代码 of an applicant's organisation. */
  readonly orgCode?: string;
}

/** Claims as `requestContext.authorizer.jwt.claims` carries them: every value a string. */
export type GatewayClaims = Record<string, string>;

export interface LocalIssuer {
  readonly profile: LocalProfile;
  readonly issuer: string;
  readonly audience: string;
  /** The public key, as the provider's key set (`jwks_uri`) serves it. */
  readonly jwks: JSONWebKeySet;
  /** The `kid` of the signing key (the RFC 7638 thumbprint of its public JWK). */
  readonly kid: string;
  issue(subject: TokenSubject, ttlSeconds?: number): Promise<string>;
  /** Rejects with TokenRejectedError for anything API Gateway would answer 401 to. */
  verify(token: string): Promise<GatewayClaims>;
}

export class TokenRejectedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'TokenRejectedError';
  }
}

/** A /local/token request that is not a valid subject; `field` names what is wrong. */
export class TokenRequestError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'TokenRequestError';
  }
}

/** What the local server's authorizer accepts; the values only have to agree with each other. */
export const LOCAL_ISSUER = 'urn:eia-approval:local-issuer';
export const LOCAL_AUDIENCE = 'eia-approval-local';

const ALG = 'ES256';
const EIGHT_HOURS = 8 * 60 * 60;

export interface LocalIssuerOptions {
  readonly issuer: string;
  readonly audience: string;
  /** ES256 keys; default a new pair, so tokens of an earlier run are refused as after a rotation. */
  readonly keyPair?: { readonly privateKey: CryptoKey; readonly publicKey: CryptoKey };
  /** Default `global`. */
  readonly profile?: LocalProfile;
}

export async function createLocalIssuer(options: LocalIssuerOptions): Promise<LocalIssuer> {
  const { privateKey, publicKey } = options.keyPair ?? (await generateKeyPair(ALG));
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const { issuer, audience } = options;
  const profile = options.profile ?? 'global';
  const jwks: JSONWebKeySet = { keys: [{ ...publicJwk, kid, alg: ALG, use: 'sig' }] };
  const oidc = createTokenVerifier({ issuer, audience, keys: createLocalJWKSet(jwks) });

  return {
    profile,
    issuer,
    audience,
    jwks,
    kid,
    async issue(subject, ttlSeconds = EIGHT_HOURS) {
      const valid = parseTokenSubject(subject);
      const claims: JWTPayload =
        profile === 'china'
          ? providerClaims(valid)
          : {
              name: valid.name,
              token_use: 'id',
              'cognito:username': valid.sub,
              // Cognito leaves the claim out for a user in no group.
              ...(valid.groups.length > 0 && { 'cognito:groups': [...valid.groups] }),
              ...(valid.orgCode !== undefined && { 'custom:orgCode': valid.orgCode }),
            };
      // Real time, not shared/runtime/now: moving the demo clock must not expire tokens.
      const iat = Math.floor(Date.now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: ALG, kid, typ: 'JWT' })
        .setSubject(valid.sub)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSeconds)
        .setJti(randomUUID())
        .sign(privateKey);
    },
    async verify(token) {
      if (profile === 'china') return verifyAsLambdaAuthorizer(oidc, token);
      return toGatewayClaims(await verifyAsAuthorizer(token, publicKey, kid, issuer, audience));
    },
  };
}

/**
 * An external provider's claims for a subject: the name, roles and organisation code under the
 * claim names of the environment; a dotted name (`realm_access.roles`) as nested objects.
 */
function providerClaims(subject: TokenSubject): JWTPayload {
  const names = claimNames();
  const claims: Record<string, unknown> = {};
  const put = (path: string, value: unknown) => {
    const parts = path.split('.');
    let at = claims;
    for (const part of parts.slice(0, -1)) {
      const next = at[part];
      at[part] = typeof next === 'object' && next !== null ? next : {};
      at = at[part] as Record<string, unknown>;
    }
    at[parts[parts.length - 1] ?? path] = value;
  };
  put(names.name, subject.name);
  put(names.roles, [...subject.groups]);
  if (subject.orgCode !== undefined) put(names.org, subject.orgCode);
  return claims;
}

/**
 * What the china profile's Lambda authorizer does (functions/authorizer), and then the function's
 * shared/http/rest-event.ts: the token verified by the same code, the identity read with the
 * claim names of the environment, its context made the claims the handlers read.
 */
async function verifyAsLambdaAuthorizer(
  verifier: ReturnType<typeof createTokenVerifier>,
  token: string,
): Promise<GatewayClaims> {
  let payload: JWTPayload;
  try {
    payload = await verifier.verify(token);
  } catch (error) {
    if (error instanceof TokenRefusedError) throw new TokenRejectedError(error.message);
    throw error;
  }
  const identity = identityOf(payload);
  const claims = identity && claimsOfAuthorizerContext(authorizerContextOf(identity));
  if (!claims) throw new TokenRejectedError('the token names no subject (sub)');
  return claims;
}

/**
 * The checks of API Gateway's authorizer: a `kid` we know, the expected algorithm, signature,
 * `iss`, `exp` present and in the future, `nbf` and `iat` not in the future, and `aud` — or,
 * only when there is no `aud`, `client_id` — among the audiences. No clock tolerance.
 */
async function verifyAsAuthorizer(
  token: string,
  key: CryptoKey,
  kid: string,
  issuer: string,
  audience: string,
): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      token,
      (header) => {
        if (header.kid !== kid) throw new TokenRejectedError('the token was not signed by a known key (kid)');
        return key;
      },
      { algorithms: [ALG], issuer, requiredClaims: ['exp'] },
    ));
  } catch (error) {
    if (error instanceof TokenRejectedError) throw error;
    throw new TokenRejectedError(describeJoseError(error));
  }
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.iat === 'number' && payload.iat > now)
    throw new TokenRejectedError('the token is not valid yet (iat)');
  const audiences = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  const presented = payload.aud === undefined ? [payload.client_id] : audiences;
  if (!presented.includes(audience)) throw new TokenRejectedError('the token is not for this API (aud)');
  return payload;
}

function describeJoseError(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  const claim = error instanceof Error && 'claim' in error ? error.claim : undefined;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'the token has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'iss') return 'the token was not issued by the expected issuer (iss)';
      if (claim === 'nbf') return 'the token is not valid yet (nbf)';
      return `the token's ${String(claim)} claim is missing or invalid`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return `the token's signing algorithm is not accepted (only ${ALG})`;
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return "the token's signature is invalid";
    default:
      return 'the token is malformed';
  }
}

/**
 * How API Gateway HTTP API renders claims for a payload 2.0 event: strings as they are, numbers
 * and booleans as text, arrays as `[a b]` (space separated, in brackets), objects as JSON, null
 * claims left out.
 */
export function toGatewayClaims(payload: JWTPayload): GatewayClaims {
  const claims: GatewayClaims = {};
  for (const [name, value] of Object.entries(payload)) {
    const text = renderClaim(value);
    if (text !== undefined) claims[name] = text;
  }
  return claims;
}

function renderClaim(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => renderClaim(v) ?? '').join(' ')}]`;
  return JSON.stringify(value);
}

/** Checks a subject from a caller (POST /local/token) and names the first field that is wrong. */
export function parseTokenSubject(input: unknown): TokenSubject {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TokenRequestError(
      'body',
      'expected a JSON object with sub, name, groups and optionally orgCode',
    );
  }
  const record = input as Record<string, unknown>;
  const allowed = new Set(['sub', 'name', 'groups', 'orgCode']);
  const unknown = Object.keys(record).find((k) => !allowed.has(k));
  if (unknown !== undefined) throw new TokenRequestError(unknown, 'unknown field');
  const { sub, name, groups, orgCode } = record;
  if (typeof sub !== 'string' || sub.trim() === '')
    throw new TokenRequestError('sub', 'a non-empty string is required');
  if (typeof name !== 'string' || name.trim() === '')
    throw new TokenRequestError('name', 'a non-empty string is required');
  if (!Array.isArray(groups))
    throw new TokenRequestError('groups', `an array of roles (${LOCAL_ROLES.join(', ')}) is required`);
  const roles: LocalRole[] = [];
  for (const [i, group] of groups.entries()) {
    if (!isRole(group)) {
      throw new TokenRequestError(
        `groups[${i}]`,
        `${JSON.stringify(group)} is not one of ${LOCAL_ROLES.join(', ')}`,
      );
    }
    if (!roles.includes(group)) roles.push(group);
  }
  if (orgCode === undefined) return { sub, name, groups: roles };
  if (typeof orgCode !== 'string' || orgCode.trim() === '') {
    throw new TokenRequestError('orgCode', 'a non-empty string is required when given');
  }
  return { sub, name, groups: roles, orgCode };
}

function isRole(value: unknown): value is LocalRole {
  return typeof value === 'string' && (LOCAL_ROLES as readonly string[]).includes(value);
}
