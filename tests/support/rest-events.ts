import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * A REST API (payload format 1.0) Lambda proxy event, in the shape of the example in API Gateway's
 * developer guide ("Input format of a Lambda function for proxy integration"), for a request on
 * the execute-api address of the stage `api`: `path` without the stage, `requestContext.path` with
 * it; the Cognito user pools authorizer's claims under `requestContext.authorizer.claims` (every
 * value a string, cognito:groups as "a,b"); `headers`/`queryStringParameters` with the last value
 * of a repeated name, `multiValueHeaders`/`multiValueQueryStringParameters` with all of them.
 */
export interface RestEventInput {
  method: string;
  /** The resource as API Gateway knows it, e.g. `/applications/{id}`. */
  resource: string;
  /** Decoded; the event has them (and `path`) percent-encoded, as API Gateway sends them. */
  pathParameters?: Record<string, string>;
  /** Every value of each query parameter, decoded. */
  query?: Record<string, string[]>;
  /** Every value of each header, names as the client sent them. */
  headers?: Record<string, string[]>;
  body?: string;
  isBase64Encoded?: boolean;
  /** Omit on a public route (no authorizer). */
  claims?: Record<string, string>;
  /** The stage's variables (the console's origin is one, `consoleOrigin`). */
  stageVariables?: Record<string, string>;
}

const STAGE = 'api';

export function restEvent(input: RestEventInput): APIGatewayProxyEvent {
  // API Gateway hands both over as the client sent them: percent-encoded.
  const pathParameters = Object.fromEntries(
    Object.entries(input.pathParameters ?? {}).map(([name, value]) => [name, encodeURIComponent(value)]),
  );
  const path = input.resource.replace(/\{(\w+)\}/g, (_, name: string) => pathParameters[name] ?? '');
  const multiValueHeaders: Record<string, string[]> = {
    Accept: ['application/json'],
    Host: ['abc123defg.execute-api.cn-north-1.amazonaws.com.cn'],
    'User-Agent': ['Mozilla/5.0 (test)'],
    'X-Amzn-Trace-Id': ['Root=1-5e66d96f-7491f09xmpl79d18acf3d050'],
    'X-Forwarded-For': ['198.51.100.7'],
    'X-Forwarded-Port': ['443'],
    'X-Forwarded-Proto': ['https'],
    ...input.headers,
  };
  const headers = Object.fromEntries(
    Object.entries(multiValueHeaders).map(([name, values]) => [name, values.at(-1) ?? '']),
  );
  const query = input.query ?? {};
  const hasQuery = Object.keys(query).length > 0;
  return {
    resource: input.resource,
    path,
    httpMethod: input.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery
      ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v.at(-1) ?? '']))
      : null,
    multiValueQueryStringParameters: hasQuery ? query : null,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: input.stageVariables ?? null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123defg',
      authorizer: input.claims ? { claims: input.claims } : { claims: null, scopes: null },
      domainName: 'abc123defg.execute-api.cn-north-1.amazonaws.com.cn',
      domainPrefix: 'abc123defg',
      extendedRequestId: 'IqPzTGiBxmplDgA=',
      httpMethod: input.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '198.51.100.7',
        user: null,
        userAgent: 'Mozilla/5.0 (test)',
        userArn: null,
      },
      path: `/${STAGE}${path}`,
      protocol: 'HTTP/1.1',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTime: '10/Jun/2025:02:00:00 +0000',
      requestTimeEpoch: 1749520800000,
      resourceId: 'x1y2z3',
      resourcePath: input.resource,
      stage: STAGE,
    },
    body: input.body ?? null,
    isBase64Encoded: input.isBase64Encoded ?? false,
  };
}
