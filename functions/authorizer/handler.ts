import middy from '@middy/core';
import type { APIGatewayAuthorizerWithContextResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import {
  type AuthorizerContext,
  authorizerContextOf,
  type ClaimNames,
  claimNames,
  identityOf,
} from '../../shared/http/auth.ts';
import {
  createTokenVerifier,
  ProviderUnavailableError,
  TokenRefusedError,
  type TokenVerifier,
} from '../../shared/http/oidc.ts';
import { getDocumentClient } from '../../shared/runtime/clients.ts';
import { env } from '../../shared/runtime/config.ts';
import { logContext, logger } from '../../shared/runtime/logger.ts';
import { effectiveRoles, type StaffDirectory, staffDirectory } from '../../shared/store/staff-directory.ts';

/**
 * The china profile's sign-in check: a REST API Lambda authorizer of type TOKEN (identity source
 * the Authorization header), used where API Gateway has no Cognito authorizer. It verifies the
 * bearer token of the bureau's own OpenID Connect provider (shared/http/oidc.ts) and hands the
 * functions the caller's identity as its context: `sub`, `name`, `roles` (comma separated, only the
 * service's roles) and `orgCode`, read from the claims ROLES_CLAIM, ORG_CLAIM and NAME_CLAIM name
 * (shared/http/auth.ts). shared/http/rest-event.ts turns that context into the claims callerFrom
 * reads, so the functions are the same in both profiles.
 *
 * Environment: OIDC_ISSUER (the `iss`, exactly), OIDC_AUDIENCE (the `aud`), optionally
 * OIDC_DISCOVERY_URL (default `{OIDC_ISSUER}/.well-known/openid-configuration`), ROLES_CLAIM,
 * ORG_CLAIM, NAME_CLAIM.
 *
 * The policy allows every method of the stage, so that API Gateway may cache the answer for the
 * token across routes; what a caller may do is decided by the functions, by role.
 * A missing or refused token: `Unauthorized` (API Gateway answers 401). The provider unreachable:
 * another error (API Gateway answers 500), so that a user is not signed out for an outage.
 */

export type AuthorizerResult = APIGatewayAuthorizerWithContextResult<AuthorizerContext>;

export interface AuthorizerOptions {
  readonly verifier: TokenVerifier;
  readonly names?: ClaimNames;
  /**
   * With STAFF_DIRECTORY=table: the service's own accounts (shared/store/staff-directory.ts). The
   * token's subject is linked to its account (by the e-mail claim, at the first sign-in), and the
   * caller acts with the token's roles that the account was granted (effectiveRoles); a caller
   * with none (no account, a disabled one, no role granted) is denied (403).
   */
  readonly staff?: Pick<StaffDirectory, 'link'>;
}

/** The authorizer for a verifier; the handler below builds one from the environment. */
export function createAuthorizer(options: AuthorizerOptions) {
  return async (event: APIGatewayTokenAuthorizerEvent): Promise<AuthorizerResult> => {
    const token = bearerOf(event.authorizationToken);
    if (!token) {
      logger.info('refused: no bearer token');
      throw new Error('Unauthorized');
    }
    let identity: ReturnType<typeof identityOf>;
    let claims: Record<string, unknown>;
    try {
      claims = await options.verifier.verify(token);
      identity = identityOf(claims, options.names ?? claimNames());
    } catch (error) {
      if (error instanceof TokenRefusedError) {
        // The reason only: the token is a credential and is never logged.
        logger.info('refused', { reason: error.message });
        throw new Error('Unauthorized');
      }
      if (error instanceof ProviderUnavailableError) {
        logger.error('the identity provider is unavailable', { reason: error.message });
        throw new Error('the identity provider is unavailable');
      }
      throw error;
    }
    if (identity === undefined) {
      logger.info('refused', { reason: 'the token names no subject (sub)' });
      throw new Error('Unauthorized');
    }
    let effect: 'Allow' | 'Deny' = 'Allow';
    if (options.staff) {
      const account = await options.staff.link(identity.sub, verifiedEmailOf(claims));
      const granted = effectiveRoles(identity.roles, account);
      if (granted.length === 0) {
        logger.info('denied', {
          reason: account ? 'the account is disabled or holds none of the token’s roles' : 'no account',
        });
        effect = 'Deny';
      }
      identity = { ...identity, roles: granted };
    }
    return {
      principalId: identity.sub,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: stageArnOf(event.methodArn) }],
      },
      context: authorizerContextOf(identity),
    };
  };
}

/**
 * The token's `email`, only when the provider vouches for it (`email_verified` true): linking an
 * invited account by an address the person could set themselves at the provider would hand them
 * the invited official's roles.
 */
export function verifiedEmailOf(claims: Record<string, unknown>): string | undefined {
  const { email, email_verified: verified } = claims;
  if (typeof email !== 'string' || email === '' || (verified !== true && verified !== 'true'))
    return undefined;
  return email.toLowerCase();
}

/** The header's value with or without `Bearer `; undefined when there is none. */
export function bearerOf(header: string | undefined): string | undefined {
  const token = header
    ?.trim()
    .replace(/^Bearer\s+/i, '')
    .trim();
  return token ? token : undefined;
}

/**
 * Every method and path of the stage the request is for, from the method ARN API Gateway sends
 * (`arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/{method}/{path}`), the
 * partition kept as it is (`aws`, `aws-cn`). The path is the request's own and may hold colons
 * (`/applications/a:b`): only the first five separate the ARN's fields.
 */
export function stageArnOf(methodArn: string): string {
  const parts = methodArn.split(':');
  const resource = parts.slice(5).join(':');
  const [apiId, stage] = resource.split('/');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== 'execute-api' || !apiId || !stage)
    throw new Error(`not an execute-api method ARN: ${methodArn}`);
  return `${parts.slice(0, 5).join(':')}:${apiId}/${stage}/*/*`;
}

let verifier: TokenVerifier | undefined;
let staff: StaffDirectory | undefined;

function verifierFromEnv(): TokenVerifier {
  const issuer = process.env.OIDC_ISSUER;
  const audience = process.env.OIDC_AUDIENCE;
  if (!issuer || !audience) throw new Error('OIDC_ISSUER and OIDC_AUDIENCE must be set');
  const discoveryUrl = process.env.OIDC_DISCOVERY_URL;
  return createTokenVerifier({ issuer, audience, ...(discoveryUrl && { discoveryUrl }) });
}

export const handler = middy(async (event: APIGatewayTokenAuthorizerEvent) => {
  // Once per container: the discovery document and the keys are kept with it.
  verifier ??= verifierFromEnv();
  if (process.env.STAFF_DIRECTORY === 'table')
    staff ??= staffDirectory(getDocumentClient(), env().TABLE_NAME);
  return createAuthorizer({ verifier, ...(staff && { staff }) })(event);
}).use(logContext());
