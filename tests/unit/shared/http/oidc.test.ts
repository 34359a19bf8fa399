/**
 * Where the token verifier of the china profile (shared/http/oidc.ts) reads the provider's keys:
 * the `jwks_uri` of the discovery document, over HTTPS; plain http only when the provider itself
 * is on a loopback address (the local server, tests), never because an https provider names one
 * (inside Lambda, 127.0.0.1 is the runtime's own API).
 */
import { describe, expect, it } from 'vitest';
import { createTokenVerifier, ProviderUnavailableError } from '../../../../shared/http/oidc.ts';

/** A signed-looking token: the key set is looked up before the signature is checked. */
const TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1In0.c2ln';

/** A fetch that serves `document` at the discovery URL and counts every other request. */
function provider(issuer: string, document: Record<string, unknown>) {
  const requested: string[] = [];
  const fetchImpl = (async (input: string | URL | Request) => {
    const url = String(input);
    requested.push(url);
    if (url === `${issuer}/.well-known/openid-configuration`) return Response.json(document);
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
  return { fetchImpl, requested };
}

describe('the key set address of the discovery document', () => {
  it.each([
    ['a loopback http address', 'http://127.0.0.1:9001/2018-06-01/runtime/invocation/next'],
    ['localhost over http', 'http://localhost/keys'],
    ['another host over http', 'http://keys.example/jwks'],
  ])('from an https provider, %s is refused as the provider’s fault', async (_, jwksUri) => {
    const issuer = 'https://id.liling.gov.cn/realms/eia';
    const { fetchImpl, requested } = provider(issuer, { issuer, jwks_uri: jwksUri });
    const verifier = createTokenVerifier({ issuer, audience: 'eia', fetch: fetchImpl });
    const refusal = await verifier.verify(TOKEN).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ProviderUnavailableError);
    expect((refusal as Error).message).toMatch(/not served over HTTPS/);
    expect(requested).toEqual([`${issuer}/.well-known/openid-configuration`]);
  });

  it('from a provider on a loopback address, a loopback http key set is read', async () => {
    const issuer = 'http://127.0.0.1:4000/realms/eia';
    const { fetchImpl } = provider(issuer, { issuer, jwks_uri: 'http://127.0.0.1:1/keys' });
    const verifier = createTokenVerifier({ issuer, audience: 'eia', fetch: fetchImpl, timeoutMs: 500 });
    const refusal = await verifier.verify(TOKEN).catch((e: unknown) => e);
    // Accepted as the key set's address: the failure is reading it (nothing listens on port 1).
    expect((refusal as Error).message).not.toMatch(/not served over HTTPS/);
  });
});
