import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';

/**
 * Verifying the bearer token of an external OpenID Connect provider, as the china profile's Lambda
 * authorizer (functions/authorizer) does, and the local server in its china profile: the issuer
 * exactly, the audience, an RS256 or ES256 signature by a key of the provider's published key set
 * (never HS*, never `none`), `exp` present and not past, `nbf` not in the future, a subject; a
 * clock tolerance of 30 seconds either way.
 */

export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256'] as const;
export const CLOCK_TOLERANCE_SECONDS = 30;

/** The token is refused: API Gateway answers 401. `message` says why; it never holds the token. */
export class TokenRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRefusedError';
  }
}

/**
 * The provider's discovery document or key set could not be read: not the caller's fault, so not a
 * 401 (a signed-in user would be signed out for a provider's outage).
 */
export class ProviderUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProviderUnavailableError';
  }
}

export interface TokenVerifierOptions {
  /** The `iss` the tokens must carry, exactly; also where discovery looks, unless `discoveryUrl`. */
  readonly issuer: string;
  /** The `aud` (one of them) the tokens must carry: the API's client id at the provider. */
  readonly audience: string;
  /** The keys; default: the provider's key set, from its discovery document's `jwks_uri`. */
  readonly keys?: JWTVerifyGetKey;
  /** Default `{issuer}/.well-known/openid-configuration` (OpenID Connect Discovery 1.0). */
  readonly discoveryUrl?: string;
  readonly fetch?: typeof fetch;
  /** How long a read of the discovery document or the key set may take; default 5 s. */
  readonly timeoutMs?: number;
}

export interface TokenVerifier {
  /** The verified claims; rejects with TokenRefusedError or ProviderUnavailableError. */
  verify(token: string): Promise<JWTPayload>;
}

/** Where OpenID Connect Discovery puts the provider's configuration, for an issuer. */
export function discoveryUrlOf(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/**
 * One verifier per container: the discovery document is read once (again after a failed read),
 * the key set is cached by jose (refetched at most every 30 s when a token names a key it does not
 * hold, as after the provider rotates its keys; kept 10 minutes otherwise).
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const { issuer, audience } = options;
  const timeoutMs = options.timeoutMs ?? 5_000;
  let keys: Promise<JWTVerifyGetKey> | undefined = options.keys && Promise.resolve(options.keys);

  const keySet = (): Promise<JWTVerifyGetKey> => {
    if (!keys) {
      keys = discover(
        options.discoveryUrl ?? discoveryUrlOf(issuer),
        issuer,
        options.fetch ?? fetch,
        timeoutMs,
      )
        .then((jwksUri) =>
          createRemoteJWKSet(jwksUri, {
            timeoutDuration: timeoutMs,
            cooldownDuration: 30_000,
            cacheMaxAge: 10 * 60_000,
          }),
        )
        .catch((error: unknown) => {
          keys = undefined;
          throw error;
        });
    }
    return keys;
  };

  return {
    async verify(token) {
      if (token.split('.').length !== 3) throw new TokenRefusedError('the token is not a signed JWT');
      const getKey = await keySet();
      try {
        const { payload } = await jwtVerify(token, getKey, {
          issuer,
          audience,
          algorithms: [...ACCEPTED_ALGORITHMS],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp', 'sub'],
        });
        if (typeof payload.sub !== 'string' || payload.sub === '')
          throw new TokenRefusedError('the token names no subject (sub)');
        return payload;
      } catch (error) {
        throw refusalOf(error);
      }
    },
  };
}

/** The `jwks_uri` of the provider's discovery document, checked to be the issuer's. */
async function discover(
  url: string,
  issuer: string,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<URL> {
  let document: unknown;
  try {
    const response = await fetchImpl(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document = await response.json();
  } catch (error) {
    throw new ProviderUnavailableError(
      `the identity provider's discovery document ${url} could not be read: ${describe(error)}`,
      { cause: error },
    );
  }
  const { issuer: named, jwks_uri: jwksUri } = (document ?? {}) as Record<string, unknown>;
  if (named !== issuer)
    throw new ProviderUnavailableError(
      `the discovery document ${url} is for the issuer ${JSON.stringify(named)}, not ${JSON.stringify(issuer)}`,
    );
  if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri))
    throw new ProviderUnavailableError(`the discovery document ${url} has no valid jwks_uri`);
  const jwks = new URL(jwksUri);
  // Plain http only for a provider on this machine (the local server, tests), never from an https
  // one: inside Lambda a loopback address is the runtime's own API, not a key set.
  const local = (where: URL) => where.protocol === 'http:' && isLoopbackHost(where.hostname);
  if (jwks.protocol !== 'https:' && !(local(jwks) && local(new URL(url))))
    throw new ProviderUnavailableError(
      `the key set ${jwksUri} is not served over HTTPS (http only from a provider on a loopback address)`,
    );
  return jwks;
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** jose's errors: the token's faults become refusals, the provider's stay what they are. */
function refusalOf(error: unknown): Error {
  if (error instanceof TokenRefusedError || error instanceof ProviderUnavailableError) return error;
  if (error instanceof errors.JWTExpired) return new TokenRefusedError('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const why: Record<string, string> = {
      iss: 'the token was not issued by the expected issuer (iss)',
      aud: 'the token is not for this API (aud)',
      nbf: 'the token is not valid yet (nbf)',
      iat: 'the token was issued in the future (iat)',
    };
    return new TokenRefusedError(
      why[error.claim] ?? `the token's ${error.claim} claim is missing or invalid`,
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new TokenRefusedError(
      `the token's signing algorithm is not accepted (only ${ACCEPTED_ALGORITHMS.join(', ')})`,
    );
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new TokenRefusedError("the token's signature is invalid");
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return new TokenRefusedError("the token was not signed by a key of the provider's key set (kid)");
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  )
    return new TokenRefusedError('the token is malformed');
  // Timeouts, an unreadable key set, the network: the provider's side.
  return new ProviderUnavailableError(
    `the identity provider's key set could not be used: ${describe(error)}`,
    { cause: error },
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
